"""The matcher: word boundaries, CJK adjacency, leftmost-longest, peer suites, the cache."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from lg_paths import FIXTURES, SHARED_DATA
from scanner.core.matcher import Matcher
from scanner.core.normalize import View, fold, plain_view


def spans(matcher: Matcher, text: str) -> list[tuple[int, int, str]]:
    return [(h.start, h.end, h.info.key) for h in matcher.find(plain_view(text))]


def brands(*keys: str) -> Matcher:
    return Matcher.build([(k, ("mark", i)) for i, k in enumerate(keys)])


@pytest.mark.parametrize("text, expected, why", [
    ("Snikers bar", [], "nike inside a Latin word is not the mark"),
    ("Diorama kit", [], "dior inside diorama"),
    ("Canonical tee", [], "canon inside canonical"),
    ("Nike shoes", [(0, 4, "nike")], "a whole word"),
    ("nike-shoes", [(0, 4, "nike")], "punctuation is a boundary"),
    ("Nike同款", [(0, 4, "nike")], "CJK after a Latin key is a boundary"),
    ("高仿耐克鞋", [(2, 4, "耐克")], "CJK keys match inside CJK text"),
    ("toy添柏岚", [(3, 6, "添柏岚")], "a CJK key right after a Latin word"),
    ("NIKE2024新款", [(0, 4, "nike")], "a mark of four letters or more may run into a year or model number"),
    ("iPhone15Pro", [(0, 6, "iphone")], "iPhone15: the model number glued to the mark"),
    ("LV26 pouch", [], "a short mark running into digits reads as a model code"),
    ("2024Nike", [], "a digit before the mark still binds to the word"),
    ("Canon5D", [(0, 5, "canon")], "Canon 5D written as one word"),
    ("ＮＩＫＥ", [(0, 4, "nike")], "full width folds to the key"),
])
def test_boundaries(text, expected, why):
    assert spans(brands("Nike", "Dior", "Canon", "耐克", "添柏岚", "iPhone", "LV"), text) == expected, why


def test_iter_long_regression_match_at_end_of_text():
    """pyahocorasick 2.3.1 iter_long() drops this match; our resolution must not."""
    matcher = Matcher.build([("高仿", ("cue", 0)), ("耐克高仿鞋", ("mark", 0))])
    assert spans(matcher, "耐克高仿") == [(2, 4, "高仿")]


def test_leftmost_longest_prefers_longer_key():
    matcher = Matcher.build([("最", ("cue", 0)), ("最低价", ("cue", 1)), ("史上最低价", ("cue", 2))])
    assert spans(matcher, "史上最低价 最") == [(0, 5, "史上最低价"), (6, 7, "最")]


def test_empty_and_separator_keys_are_dropped():
    keys = [("", ("cue", 0)), ("\u200b", ("cue", 1)), ("a", ("cue", 2)), ("a\x00b", ("cue", 3)), ("a\x1fb", ("cue", 4))]
    assert len(Matcher.build(keys)) == 1


def test_cache_round_trip_and_corrupt_file(tmp_path):
    matcher = brands("Nike", "耐克")
    path = str(tmp_path / "auto.bin")
    matcher.save(path)
    assert spans(Matcher.load(path), "耐克 Nike") == [(0, 2, "耐克"), (3, 7, "nike")]
    (tmp_path / "auto.bin").write_bytes(b"not an automaton")
    with pytest.raises(ValueError):
        Matcher.load(path)


def _raw_matcher(patterns: list[str]) -> Matcher:
    return Matcher.build([(p, ("p", i)) for i, p in enumerate(patterns)], folded=False, boundaries=False)


def _cases(data: dict, collection: str):
    for group in data["collections"][collection]:
        for case in data["groups"][group]:
            if "" in case["patterns"]:
                continue  # empty keys are rejected by design (they match everywhere)
            if any("\x00" in p for p in case["patterns"]):
                continue  # NUL separates fields in the batched prefilter: no key may hold it
            yield case


def _run_peer_suite(data: dict) -> int:
    count = 0
    for case in _cases(data, "AC_LEFTMOST_LONGEST"):
        m = _raw_matcher(case["patterns"])
        got = [[h.info.payloads[0][1], h.start, h.end] for h in m.find(View(case["haystack"]))]
        assert got == case["matches_chars"], case["name"]
        count += 1
    for case in _cases(data, "AC_STANDARD_OVERLAPPING"):
        m = _raw_matcher(case["patterns"])
        got = sorted([p[1], h.start, h.end] for h in m.find_all(View(case["haystack"])) for p in h.info.payloads)
        assert got == sorted(case["matches_chars"]), case["name"]
        count += 1
    return count


def test_burntsushi_cases_copied_into_fixtures():
    data = json.loads((FIXTURES / "peer_tests" / "burntsushi_search_tests.json").read_text())
    assert _run_peer_suite(data) >= 100


@pytest.mark.skipif(not (SHARED_DATA / "peer_tests").exists(), reason="shared data absent")
def test_burntsushi_cases_from_shared_data():
    path = SHARED_DATA / "peer_tests" / "burntsushi_aho_corasick" / "search_tests.json"
    assert _run_peer_suite(json.loads(path.read_text())) >= 100


def _flashtext_cases(path):
    yield from json.loads(path.read_text())


def _run_flashtext(path) -> int:
    count = 0
    for case in _flashtext_cases(path):
        pairs = [(alias, ("kw", i)) for i, (clean, aliases) in enumerate(case["keyword_dict"].items())
                 for alias in aliases]
        names = list(case["keyword_dict"])
        matcher = Matcher.build(pairs)
        found = [names[h.info.payloads[0][1]] for h in matcher.find(plain_view(case["sentence"]))]
        assert found == case["keywords"], (case["sentence"], case["explanation"])
        count += 1
    return count


def test_flashtext_extraction_cases_copied_into_fixtures():
    assert _run_flashtext(FIXTURES / "peer_tests" / "flashtext_keyword_extractor_test_cases.json") == 49


@pytest.mark.skipif(not (SHARED_DATA / "peer_tests").exists(), reason="shared data absent")
def test_flashtext_cases_from_shared_data():
    assert _run_flashtext(SHARED_DATA / "peer_tests" / "flashtext" / "test" / "keyword_extractor_test_cases.json") == 49


TRICKY = "İßﬁẞǰ\u0301\u200b\u00adＮｉｋｅ，耐克 -._*ΣσςK\u212aé"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), min_size=1, max_size=30),
       st.data())
def test_every_hit_is_exactly_the_original_text_that_matched(text, data):
    """original[start:end] folds to the key, for arbitrary Unicode text and any key taken
    from the text's own folded view (through the byte-form automaton and back). The plain view
    reads a hyphen or underscore between letters as a space, which is the one change of
    character it makes after folding."""
    view = plain_view(text)
    if not view.text:
        return
    a = data.draw(st.integers(0, len(view.text) - 1))
    b = data.draw(st.integers(a + 1, min(len(view.text), a + 8)))
    if view.original_span(a, b) is None:
        return  # half of a folded cluster is not a key anyone can match
    key = view.text[a:b]
    if "\x00" in key or "\x1f" in key:
        return  # separators in the prefilter and the cache table: such keys are dropped
    matcher = Matcher.build([(key, ("k", 0))], folded=False, boundaries=False)
    hits = matcher.find_all(view)
    assert any(h.vstart == a for h in hits), (text, key)
    for hit in hits:
        folded = fold(text[hit.start:hit.end])
        assert len(folded) == len(key) and all(
            c == k or (c in "-_" and k == " ") for c, k in zip(folded, key, strict=True)), (text, key, hit)
