"""The on-disk word dictionary cuts exactly as jieba does, and is only ever a faster path to it."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings, strategies as st

from scanner.core import segment
from scanner.core.word_dict import WordDict, open_word_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Brand forms and the words they sit inside (segment.py's examples), then filler from the
# dictionary's most common characters, Latin letters, digits, spaces and characters outside
# jieba's han block (CJK extension A, compatibility ideographs).
ADDED = ["小米", "柯达", "创维", "绿联", "宝马", "苹果", "李宁", "多美", "小香", "格力", "海澜之家"]
ALPHABET = ("小米柯达创维护眼仪绿联网线宝马桶苹果李宁多美香风菇斯粥好吃车电脑牌的了是我手机壳"
            "空调之家海澜费雪派克同款正品ab1Z-. \u3400\u4db5\uf900\u9fd6")


@pytest.fixture(scope="module")
def pair() -> tuple[WordDict, jieba.Tokenizer]:
    words = open_word_dict()
    assert words is not None, "the test session's cache directory must be usable"
    words = WordDict(words.path)  # a fresh overlay: segment.py's shared one may know other words
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in ADDED:
        words.add_word(word)
        tokenizer.add_word(word)
    return words, tokenizer


def test_add_word_suggests_jiebas_frequency(pair: tuple[WordDict, jieba.Tokenizer]) -> None:
    words, tokenizer = pair
    assert words.total == tokenizer.total
    for word in ADDED:
        assert words.lookup({word}) == {word: tokenizer.FREQ[word]}, word
    for frag in ("海澜", "海澜之"):  # prefixes add_word made, frequency 0 unless a word
        assert words.lookup({frag}) == {frag: tokenizer.FREQ[frag]}


@pytest.mark.parametrize("text, expected", [
    ("斯柯达汽车", ["斯柯达", "汽车"]),  # 柯达 inside a longer word
    ("创维护眼仪", ["创", "维护", "眼", "仪"]),  # an added word gets a frequency, not a win
    ("小米粥好吃", ["小米粥", "好吃"]),
    ("Nike同款ab 1", ["Nike", "同", "款", "ab", " ", "1"]),  # single Latin letters buffered
    ("\u3400小米", ["\u3400", "小米"]),  # outside jieba's han block: a word of its own
])
def test_cuts(pair: tuple[WordDict, jieba.Tokenizer], text: str, expected: list[str]) -> None:
    words, tokenizer = pair
    assert words.cut(text) == expected == tokenizer.lcut(text, HMM=False)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=14))
def test_same_words_as_jieba_on_generated_text(pair: tuple[WordDict, jieba.Tokenizer], text: str) -> None:
    words, tokenizer = pair
    assert words.cut(text) == tokenizer.lcut(text, HMM=False)


def test_same_words_as_jieba_on_fixture_titles(pair: tuple[WordDict, jieba.Tokenizer]) -> None:
    words, tokenizer = pair
    runs: set[str] = set()
    for path in [*FIXTURES.glob("cases/*.jsonl"), FIXTURES / "sample_catalog.jsonl"]:
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", path.read_text(encoding="utf-8")):
            runs.update(run[i:i + 10] for i in range(0, len(run), 3))
    assert len(runs) > 500
    differ = [run for run in sorted(runs) if words.cut(run) != tokenizer.lcut(run, HMM=False)]
    assert differ == []


def test_unusable_cache_directory_means_jieba_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "words"
    shared.mkdir()
    os.chmod(shared, 0o777)  # writable by others: never trusted
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path))
    assert open_word_dict() is None
    assert list(shared.iterdir()) == []


def test_damaged_file_is_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path))
    first = open_word_dict()
    assert first is not None
    first.path.write_bytes(b"not a database")
    again = open_word_dict()
    assert again is not None and again.path == first.path
    assert again.cut("斯柯达汽车") == ["斯柯达", "汽车"]
    assert [p.name for p in first.path.parent.iterdir()] == [first.path.name]  # no temporary left


def test_segment_falls_back_to_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "斯柯达汽车 柯达相机"
    with_disk = [segment.inside_longer_word(text, 1, 3), segment.inside_longer_word(text, 6, 8)]
    monkeypatch.setattr(segment, "_words_on_disk", lambda: None)
    segment._words.cache_clear()
    try:
        without = [segment.inside_longer_word(text, 1, 3), segment.inside_longer_word(text, 6, 8)]
    finally:
        segment._words.cache_clear()
    assert with_disk == without == [True, False]


def test_copy_damaged_mid_run_falls_back_to_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    class Damaged:
        def cut(self, sentence: str) -> list[str]:
            raise sqlite3.DatabaseError("database disk image is malformed")

        def add_word(self, word: str) -> None:
            raise sqlite3.DatabaseError("database disk image is malformed")

    text = "斯柯达汽车 柯达相机"
    monkeypatch.setattr(segment, "_DISK", [Damaged()])
    segment._words.cache_clear()
    try:
        assert [segment.inside_longer_word(text, 1, 3), segment.inside_longer_word(text, 6, 8)] == [True, False]
        assert segment._DISK == [None]  # the cut failed on the copy: jieba from then on
        monkeypatch.setattr(segment, "_DISK", [Damaged()])
        segment.know_words(frozenset({"测试品牌甲"}))  # a word no test taught yet: add_word fails
        assert segment._DISK == [None] and "测试品牌甲" in segment._ADDED
    finally:
        segment._words.cache_clear()
