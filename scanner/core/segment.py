"""Chinese word boundaries for short CJK mark forms, decided by a maintained segmenter.

A two-character brand name is often a piece of a longer word: 柯达 (Kodak) in 斯柯达 (Skoda),
多美 (Tomy) in 贝多美, 小米 (Xiaomi) in 小米粥. Aho-Corasick finds the piece; jieba (the
maintained segmenter of Chinese text, with its own dictionary of 350,000 words) says whether
the piece stands as a word there. It runs only on such hits, on a few characters around them,
and its dictionary is looked up from an indexed copy on disk (scanner/core/word_dict.py), a
window at a time, rather than loaded whole (0.9 s a process); where that copy cannot be had,
jieba itself is loaded on first use, with the same words as the result.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import lru_cache
from typing import Any

from scanner.core.word_dict import WordDict, open_word_dict

# How many CJK characters either side of the hit the segmenter sees: enough for the longest
# words that swallow a short form (斯柯达, 费雪派克), short enough to stay cheap.
WINDOW = 4
SHORT = 2  # CJK forms of at most this many characters are checked

log = logging.getLogger(__name__)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_ADDED: set[str] = set()


_DISK: list[WordDict | None] = []  # the on-disk dictionary once opened: [WordDict] or [None]


def _words_on_disk() -> WordDict | None:
    if not _DISK:
        _DISK.append(open_word_dict())
    return _DISK[0]


def _disk_failed(exc: sqlite3.Error) -> Any:
    """The copy became unreadable mid-run (damaged under us): jieba itself from here on,
    taught the same words, so the run goes on with the same answers."""
    log.debug("word dictionary unusable (%s); asking jieba", exc)
    _DISK[:] = [None]
    jieba = _jieba()
    for word in sorted(_ADDED):
        jieba.add_word(word)
    return jieba


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # untyped: pyproject.toml tells mypy to ignore its imports

    jieba.setLogLevel(logging.WARNING)  # its start-up messages are no business of stderr
    jieba.initialize()
    return jieba


def know_words(words: frozenset[str]) -> None:
    """Teach the segmenter the marks' short forms, once each: a brand it does not know as a
    word loses to any word its characters make with their neighbours (创维护眼仪 read as
    创/维护, 绿联网线 as 绿/联网), while a real longer word still wins (斯柯达, 马桶)."""
    new = words - _ADDED
    if not new:
        return
    on_disk = _words_on_disk()
    _ADDED.update(new)
    _words.cache_clear()
    if on_disk is None:
        for word in sorted(new):
            _jieba().add_word(word)
        return
    try:
        for word in sorted(new):
            on_disk.add_word(word)
    except sqlite3.Error as exc:
        _disk_failed(exc)


# Characters that follow a mark as a cue of their own, never as part of a word with it:
# 风 in 小香风 (Chanel-style) is the look-alike cue, whatever word 香风 makes.
CUE_AFTER = frozenset("风")


@lru_cache(maxsize=65536)
def _words(window: str) -> tuple[tuple[int, int], ...]:
    spans = []
    pos = 0
    on_disk = _words_on_disk()
    words: Any = None
    if on_disk is not None:
        try:
            words = on_disk.cut(window)
        except sqlite3.Error as exc:
            _disk_failed(exc)
    if words is None:
        words = _jieba().cut(window, HMM=False)
    for word in words:
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return tuple(spans)


def inside_longer_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], a short CJK form, is a piece of another word there: a word
    that begins before it and runs into it (斯柯达 over 柯达, 马桶 over 宝马), or one that begins
    inside it and runs past its end (香菇 over 小香). A word that begins with the form and goes
    on (格力空调, 苹果电脑, 李宁牌) is the brand and its product, and keeps the hit."""
    a = start
    while a > 0 and start - a < WINDOW and is_cjk(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and b - end < WINDOW and is_cjk(text[b]) and text[b] not in CUE_AFTER:
        b += 1
    if a == start and b == end:
        return False  # nothing CJK around it: its edges are the word's
    s, e = start - a, end - a
    for ws, we in _words(text[a:b]):
        if ws < s < we or (s < ws < e < we):
            return True
    return False
