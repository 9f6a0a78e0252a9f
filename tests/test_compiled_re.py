"""compiled_re.compile: the program kept on disk is only ever a faster path to re.compile's pattern."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.core import compiled_re, normalize, word_dict

SAMPLES = ["勞力士 香奈兒 路易威登", "Nike同款 a-b_c 1:1", "\u200bN\u200bi\u200bke", "耐 克 高仿", "", "ＡＢＣ１２３ ｇｕｃｃｉ",
           "㐀𠀀 iPhone15 适用于苹果", "café Ｎｉｋｅ l0uis"]
PATTERNS = [
    (normalize._TRADITIONAL_RE.pattern, 0),
    (normalize._INVISIBLE_RE.pattern, 0),
    (normalize._CJK_SEP_RE.pattern, normalize._CJK_SEP_RE.flags & ~re.UNICODE),
    (word_dict._HAN.pattern, 0),
    (r"(?P<word>[a-z]+)(\d)?", re.IGNORECASE),
]


def same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in SAMPLES:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], text
        assert a.split(text) == b.split(text), text


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_kept_program_matches_as_re_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            pattern: str, flags: int) -> None:
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path))
    first = compiled_re.compile(pattern, flags)  # compiled, and its program written
    kept = list((tmp_path / "regex").iterdir())
    assert len(kept) == 1
    loaded = compiled_re._load(kept[0], pattern)
    assert loaded is not None  # the second start reads the program back
    same(loaded, re.compile(pattern, flags))
    same(first, re.compile(pattern, flags))
    same(compiled_re.compile(pattern, flags), re.compile(pattern, flags))


def test_damaged_or_foreign_entry_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path))
    pattern = word_dict._HAN.pattern
    compiled_re.compile(pattern)
    (entry,) = (tmp_path / "regex").iterdir()
    entry.write_bytes(b"\x00garbage")
    same(compiled_re.compile(pattern), re.compile(pattern))  # re.compile's, and the entry rewritten
    assert compiled_re._load(entry, pattern) is not None
    assert compiled_re._load(entry, "another pattern") is None  # an entry names its pattern
