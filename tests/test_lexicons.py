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
