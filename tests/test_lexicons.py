"""The cue lexicons are data: sorted, unique, well formed."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from scanner.core.lexicons import KINDS, TAGS, read_lexicon
from scanner.core.normalize import fold


@pytest.mark.parametrize("kind", KINDS)
def test_lexicon_is_sorted_unique_and_valid(kind):
    text = resources.files("scanner.core.lexicons").joinpath(f"{kind}.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "phrase\ttag\tlang"
    assert text.endswith("\n") and all(line == line.strip() for line in lines)
    cues = read_lexicon(kind)
    keys = [fold(c.phrase) for c in cues]
    assert keys == sorted(keys), f"{kind}.tsv is not sorted by folded phrase"
    assert len(keys) == len(set(keys)), f"{kind}.tsv has duplicate phrases"
    for cue in cues:
        assert cue.tag in TAGS[kind], (kind, cue)
        assert cue.phrase and cue.phrase == cue.phrase.strip()
        expected = "zh" if re.search(r"[\u4e00-\u9fff]", cue.phrase) else "en"
        assert cue.lang == expected, cue


def test_both_languages_in_every_cue_lexicon():
    for kind in KINDS:
        langs = {c.lang for c in read_lexicon(kind)}
        assert langs == {"en", "zh"}, kind


def test_ordinary_phrases_file_is_sorted_unique_and_holds_its_form():
    text = resources.files("scanner.core.lexicons").joinpath("ordinary.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "form\tphrase\tlang" and text.endswith("\n")
    rows = [tuple(line.split("\t")) for line in lines[1:]]
    keys = [(fold(form), fold(phrase)) for form, phrase, _ in rows]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    for form, phrase, lang in rows:
        assert fold(form) in fold(phrase), (form, phrase)  # an exception must hold the form it shadows
        assert lang == ("zh" if re.search(r"[\u4e00-\u9fff]", phrase) else "en")


@pytest.mark.parametrize("title, expect, why", [
    ("Omega-3 fish oil 1000mg", [], "the bundled Omega row's omega-3 applies to a user's OMEGA"),
    ("东北小米 5斤", [], "millet from the north-east, whatever list names XIAOMI"),
    ("三星堆 文创", [], "Sanxingdui, the archaeological site"),
    ("Lynx wildlife poster", [], "the animal, not the deodorant"),
    ("OMEGA Seamaster watch", [("TM111", "OMEGA")], "the watch itself is still found"),
])
def test_ordinary_phrases_apply_to_any_list(title, expect, why):
    from scanner.core.engine import Scanner
    from scanner.core.models import Listing
    from trademarks.models import Mark

    scanner = Scanner([Mark("OMEGA", (), "Omega SA", (14,)), Mark("XIAOMI", ("小米",), "Xiaomi", (9,)),
                       Mark("SAMSUNG", ("三星",), "Samsung", (9,)), Mark("LYNX", (), "Unilever", (3,))])
    assert [(p.code, p.text) for p in scanner.check(Listing("t", {"title": title}))] == expect, why
