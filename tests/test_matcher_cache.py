"""The cached key index (scanner/core/matcher_cache.py) answers exactly as a freshly built one.

A cache hit hands the scanner a lazy mark table, lazy key infos, a by_form answered by the
automaton's exact-key lookup and the IndexParts saved at build time; every listing must get
the same problems either way, and a damaged entry must be rebuilt, never used.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from test_prefilter import titles

from lg_paths import FIXTURES
from scanner.core.engine import ScanSettings, Scanner
from scanner.core.index import FormLookup
from scanner.core.matcher_cache import MarkTable, cached_index
from scanner.core.models import Listing
from scanner.sources import read_listings
from trademarks.lists import bundled_marks
from trademarks.nice import classes_for_category

SETTINGS = ScanSettings(own_brands=("Puma", "耐克"), authorized=("Gucci",), class_of_category=classes_for_category)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cache")
    marks = bundled_marks()
    built, state = cached_index(lambda: marks, ["t"], directory)
    assert state == "built"
    cached, state = cached_index(lambda: pytest.fail("a hit reads no marks"), ["t"], directory)
    assert state == "hit" and isinstance(cached.marks, MarkTable) and isinstance(cached.by_form, FormLookup)
    return Scanner((), SETTINGS, index=built), Scanner((), SETTINGS, index=cached)


def _listings() -> list[Listing]:
    listings = []
    for name in ("findings.jsonl", "ordinary_words.jsonl"):
        for i, line in enumerate((FIXTURES / "cases" / name).read_text(encoding="utf-8").splitlines()):
            case = json.loads(line)
            listings.append(Listing(f"{name}-{i}", {"title": case["title"], "description": case.get("description", "")},
                                    case.get("brand"), case.get("category")))
    listings += [x for x in read_listings(str(FIXTURES / "sample_catalog.jsonl")) if isinstance(x, Listing)]
    return listings


def test_every_fixture_case_gets_the_same_problems(pair):
    built, cached = pair
    listings = _listings()
    assert len(listings) > 100
    assert [built.check(x) for x in listings] == [cached.check(x) for x in listings]
    assert sum(len(built.check(x)) for x in listings) > 50  # the comparison compares something


@settings(max_examples=200, deadline=None)
@given(title=titles, brand=st.sampled_from([None, "Nike", "耐克", "Apple", "apple", "LV", "Acme"]),
       category=st.sampled_from([None, "Electronics > Cables", "Apparel"]))
def test_generated_listings_get_the_same_problems(pair, title, brand, category):
    built, cached = pair
    listing = Listing("x", {"title": title}, brand, category)
    assert built.check(listing) == cached.check(listing)


def test_the_lazy_tables_equal_the_built_ones(pair):
    built, cached = pair
    b, c = built.index, cached.index
    assert list(c.marks) == list(b.marks) and len(c.marks) == len(b.marks)
    for i in range(len(b.matcher)):
        x, y = b.matcher.infos[i], c.matcher.infos[i]
        assert (x.key, x.payloads, x.left_word, x.right_word, x.blen, x.digits_after, x.exception) == \
               (y.key, y.payloads, y.left_word, y.right_word, y.blen, y.digits_after, y.exception)
    assert dict(c.by_form) == b.by_form
    assert (c.exact_forms, c.relevant, c.firm_forms) == (b.exact_forms, b.relevant, b.firm_forms)
    assert c.short_cjk_forms == b.short_cjk_forms and len(b.short_cjk_forms) > 20
    assert list(c.groups) == list(b.groups) and list(c.sectors) == list(b.sectors)
    assert c.kinds == b.kinds and c.near_forms == b.near_forms and len(b.near_forms) > 100
    for i in range(len(b.matcher)):
        assert b.matcher.infos[i].model_after == c.matcher.infos[i].model_after


@pytest.mark.parametrize("suffix, why", [
    ("", "the automaton: its size and digest are checked before pyahocorasick reads it"),
    (".keys.json", "the key table"),
    (".index", "the marks and index parts: their digest is in the file's header"),
])
def test_a_damaged_entry_is_rebuilt(tmp_path, suffix, why):
    marks = bundled_marks()[:50]
    cached_index(lambda: marks, ["d"], tmp_path)
    path = Path(str(next(tmp_path.glob("*.automaton"))) + suffix)
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0x01
    path.write_bytes(bytes(data))
    index, state = cached_index(lambda: marks, ["d"], tmp_path)
    assert state == "rebuilt", why
    assert cached_index(lambda: marks, ["d"], tmp_path)[1] == "hit"
    path.write_bytes(bytes(data[: len(data) // 2]))  # cut short
    assert cached_index(lambda: marks, ["d"], tmp_path)[1] == "rebuilt", why
