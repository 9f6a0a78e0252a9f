"""Normalised views: every view span maps back to exactly the original text that made it."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings, strategies as st

from scanner.core.normalize import HOMOGLYPHS, _slow_plain_view, evasion_views, fold, has_evasion_signal, plain_view

# Text biased towards the hard cases: combining marks, case-changing letters, full width,
# invisible characters, homoglyphs, separators and CJK.
TRICKY = "İßﬁẞǰΐ\u0301\u0308\u200b\u00ad\ufeffＮｉｋｅ，。аеорсο耐克 -._*N1k3@$ΣσςK\u212a"
texts = st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=40)


def _aligned_spans(view):
    n = len(view.text)
    for a in range(n + 1):
        for b in range(a + 1, min(n, a + 6) + 1):
            span = view.original_span(a, b)
            if span is not None:
                yield a, b, span


def _joiners(text: str) -> str:
    return text.replace("-", " ").replace("_", " ")


@settings(max_examples=300, deadline=None)
@given(texts)
@example("İstanbul ß ﬁ")
@example("Ni\u200bke")
def test_plain_view_spans_map_back_exactly(text):
    view = plain_view(text)
    for a, b, (start, end) in _aligned_spans(view):
        assert 0 <= start < end <= len(text)
        # The original slice, folded on its own, is exactly the matched view text, but for a
        # hyphen or underscore between letters, which reads as a space only with its
        # neighbours in view (scanner/core/normalize.py, _JOINER_RE).
        assert _joiners(fold(text[start:end])) == _joiners(view.text[a:b]), (text, a, b)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_fast_path_agrees_with_cluster_by_cluster_folding(text):
    assert plain_view(text).text == _slow_plain_view(text).text


@settings(max_examples=200, deadline=None)
@given(texts)
@example("N-i-k-e G.U.C.C.I 耐-克 N1ke")
def test_evasion_view_spans_cover_their_source(text):
    plain = plain_view(text)
    for view in evasion_views(plain):
        for a, b, (start, end) in _aligned_spans(view):
            assert 0 <= start < end <= len(text)
            source = plain_view(text[start:end]).text
            # Dropping separators and folding look-alikes only ever removes or swaps
            # characters, so every kept character comes from inside the source span.
            assert len(view.text[a:b]) <= len(source), (text, a, b)


@pytest.mark.parametrize("text, folded, why", [
    ("İ", "i̇", "İ folds to two characters; offsets after it must not shift"),
    ("Straße", "strasse", "ß folds to ss"),
    ("ＡＢＣ１２３", "abc123", "full width to half width"),
    ("Ni\u200bke\u00ad", "nike", "zero-width space and soft hyphen removed"),
    ("ﬁne", "fine", "compatibility ligature"),
    ("耐克，正品！", "耐克,正品!", "full-width CJK punctuation"),
])
def test_fold_table(text, folded, why):
    assert fold(text) == folded, why


def test_offsets_after_a_length_change():
    text = "İİ Nike"
    view = plain_view(text)
    at = view.text.index("nike")
    assert view.original_span(at, at + 4) == (3, 7)
    assert text[3:7] == "Nike"


def test_half_a_folded_cluster_is_no_span():
    view = plain_view("ß")
    assert view.text == "ss"
    assert view.original_span(0, 1) is None
    assert view.original_span(0, 2) == (0, 1)


@pytest.mark.parametrize("text, expected, original, why", [
    ("N-i-k-e shoes", "nike shoes", "N-i-k-e", "hyphen-spelled"),
    ("G.U.C.C.I belt", "gucci belt", "G.U.C.C.I", "dotted"),
    ("A d i d a s", "adidas", "A d i d a s", "spaced letters"),
    ("高仿耐-克鞋", "高仿耐克鞋", "耐-克", "separator between CJK characters"),
    ("N1ke", "nike", "N1ke", "leetspeak"),
    ("Nіke", "nike", "Nіke", "Cyrillic і"),
])
def test_evasion_views(text, expected, original, why):
    views = evasion_views(plain_view(text))
    assert views, why
    view = views[0]
    assert view.text == expected, why
    key = "nike" if "nike" in expected else ("gucci" if "gucci" in expected else ("adidas" if "adidas" in expected else "耐克"))
    at = view.text.index(key)
    start, end = view.original_span(at, at + len(key))
    assert text[start:end] == original, why


@pytest.mark.parametrize("text", ["Nike Air Max 90", "T-shirt", "iPhone 15 Pro", "耐克 运动鞋 新款", "3.5mm jack"])
def test_no_evasion_view_without_a_sign(text):
    assert all(text.lower() not in v.text or v.text != plain_view(text).text for v in evasion_views(plain_view(text)))


# The signs of evasion one by one, as first written: has_evasion_signal folds them into one
# pattern for speed and must agree with this definition on every text.
_L = "a-z\u00e0-\u024f"
_C = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEPS = r"\-_.*·•~|/\\+'’"
_SIGNS = [
    re.compile("[" + "".join(HOMOGLYPHS) + "]"),
    re.compile(r"[a-z][013457@$]+[a-z]|(?<![a-z0-9.,])[0@$][a-z]{2}|[a-z]{2}[013457@$](?![a-z0-9])"),
    re.compile(rf"(?<![{_L}0-9])[{_L}](?:[{_SEPS}\s]+[{_L}](?![{_L}0-9]))+"),
    re.compile(rf"[{_C}][\-.*·•'’]+[{_C}]"),
    re.compile(rf"(?:(?<![{_C}][{_C}])(?<=[{_C}])\s+(?=[{_C}])|(?<=[{_C}])\s+(?=[{_C}](?![{_C}])))"),
]
SIGNAL_ALPHABET = "ab xyz01345@$.,-_*·•'’/\u00a0\u3000\t\u2028耐克鞋é×ɡаο\u00e0\u024f"


def _sign_by_sign(text: str) -> bool:
    return any(sign.search(text) for sign in _SIGNS)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(SIGNAL_ALPHABET), st.characters()), max_size=12))
@example("n1ke")
@example("@bc")
@example(".0ab")
@example("ab3")
@example("x y")
@example("women's")
@example("耐 克")
@example("耐克 鞋")
@example("耐-克")
def test_one_pattern_signal_agrees_with_the_signs(text):
    assert has_evasion_signal(text) == _sign_by_sign(text), text


@pytest.mark.parametrize("text, signal, why", [
    ("n1ke air", True, "a leet digit inside a word"),
    ("iphone 15 pro", False, "a model number after a space is no disguise"),
    ("g.u.c.c.i bag", True, "single letters spelled apart"),
    ("women's shirt, t-shirt", False, "a possessive and a hyphenated word are ordinary spelling"),
    ("耐-克 运动鞋", True, "a separator between CJK characters"),
    ("华为 手机 新款", False, "spaces between CJK words"),
    ("耐 克运动鞋", True, "a space beside a lone CJK character"),
    ("nіke", True, "a Cyrillic і"),
])
def test_evasion_signal_table(text, signal, why):
    assert has_evasion_signal(text) is signal, why


# The separator patterns as first written (look-behind first): the ones in normalize.py lead
# with a character class for speed and must find exactly the same spans.
_FIRST_SPELLINGS = {
    "_SPELLED_RE": re.compile(rf"(?<![{_L}0-9])[{_L}](?:[{_SEPS}\s]+[{_L}](?![{_L}0-9]))+"),
    "_CJK_SEP_RE": re.compile(rf"(?<=[{_C}])[\-.*·•'’]+(?=[{_C}])"),
    "_CJK_SPACE_RE": _SIGNS[4],
}


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(SIGNAL_ALPHABET), st.characters()), max_size=14))
@example("n-i-k-e 耐-克 耐 克 a  b")
def test_separator_patterns_find_what_their_first_spellings_found(text):
    import scanner.core.normalize as normalize

    for name, first in _FIRST_SPELLINGS.items():
        fast = getattr(normalize, name)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in first.finditer(text)], (name, text)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_byte_swaps_equal_the_str_tables(text):
    # _swapped uses bytes.translate for text with no look-alikes: the same as str.translate.
    import scanner.core.normalize as normalize

    plain = fold(text)
    expected = [plain.translate(normalize._EVASION_TABLE)]
    if "1" in plain:
        expected.append(plain.translate(normalize._EVASION_TABLE_L))
    assert normalize._swapped(plain) == expected


def test_spaces_spelled_out_are_what_backslash_s_matches():
    import scanner.core.normalize as normalize

    spelled = re.compile(f"[{normalize.SPACES}]")
    assert [cp for cp in range(0x110000) if re.match(r"\s", chr(cp))] == \
        [cp for cp in range(0x110000) if spelled.match(chr(cp))]
