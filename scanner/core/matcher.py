"""One Aho-Corasick automaton over every key: mark names, aliases, cue phrases, benign phrases.

pyahocorasick's ``iter()`` reports every occurrence of every key (overlapping). We filter
those by Latin word boundaries ourselves and then resolve leftmost-longest. We never use
``iter_long()``: in pyahocorasick 2.3.1 it drops a match that ends at the end of the text
(``'耐克高仿'`` with keys ``高仿`` and ``耐克高仿鞋`` returns nothing).

Word boundaries: a key that starts (ends) with a Latin letter or digit only matches where the
text has no Latin letter or digit before (after) it, so ``nike`` is not found in ``snikers``
and ``dior`` not in ``diorama``. CJK has no spaces between words, so CJK characters never act
as word characters: ``Nike同款`` and ``高仿耐克`` match, and so does ``toy添柏岚``. One
exception: a mark form of four characters or more that ends in a letter may run straight into
ASCII digits, because sellers glue model numbers and years to the mark (``iPhone15``,
``Redmi7A``, ``AirPods2``, ``Nike2024新款``); shorter forms may not, as ``MK345``, ``CK3-01`` and
``GU10`` are model codes, not Michael Kors, Calvin Klein or GU.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Iterable, Iterator, Sequence, cast

import ahocorasick

from scanner.core.normalize import View, fold

Payload = tuple[str, int]  # (kind, index into that kind's table)


def is_word_char(ch: str) -> bool:
    """Latin-like letters, digits and '_' bind into words; CJK, kana and Hangul do not."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    return ch.isalnum() and ord(ch) < 0x2E80


class KeyInfo:
    """What one automaton key means. Treat as immutable; a slotted class because a registry
    of a million marks loads a million and a third of these from the cache."""

    __slots__ = ("key", "payloads", "left_word", "right_word", "index", "blen", "exception", "digits_after",
                 "model_after")

    def __init__(self, key: str, payloads: tuple[Payload, ...], left_word: bool, right_word: bool,
                 index: int = 0, blen: int = 0, digits_after: bool = False) -> None:
        self.key = key  # folded
        self.payloads = payloads
        # A mark's exception ("苹果汁" for 苹果) shadows every other meaning of the key.
        self.exception = payloads[0][0] == "exception" or (
            len(payloads) > 1 and any(kind == "exception" for kind, _ in payloads))
        self.left_word = left_word
        self.right_word = right_word
        self.index = index  # the key's value in the automaton
        self.blen = blen  # length of the key's UTF-8 encoding
        self.digits_after = digits_after  # may be followed by ASCII digits (iPhone15): see above
        # the maker's model codes that may run into the key ("oppoa59s"): set by the index
        self.model_after: re.Pattern[str] | None = None

    def bound_after(self, ch: str) -> bool:
        """Whether ``ch``, right after the key, makes the match part of a longer word."""
        return self.right_word and is_word_char(ch) and not (self.digits_after and "0" <= ch <= "9")

    def bound_at(self, text: str, pos: int) -> bool:
        """``bound_after`` for the character at ``pos``, unless a model code of the key's maker
        starts there and runs to the end of the word ("vivox7", "iphonexs")."""
        if not self.bound_after(text[pos]):
            return False
        return self.model_after is None or self.model_after.match(text, pos) is None


# A lone surrogate (JSON's "\ud800" escape decodes to one) is encoded as three bytes like
# any other BMP code point rather than failing the whole batch; it never matches a key.
SURROGATES = "surrogatepass"


def as_bytes_text(text: str) -> str:
    """UTF-8 bytes of text, read as latin-1: one code point per byte.

    pyahocorasick walks a string whose code points are all below 256 about 2.5x faster than
    a CJK string (measured in bench/bench_matcher.py), so the automaton holds its keys in this
    form. UTF-8 is self-synchronising, so a key found here always starts on a character
    boundary, and character offsets are recovered only for the few hits."""
    return text if text.isascii() else text.encode("utf-8", SURROGATES).decode("latin-1")


def char_offset(btext: str, bpos: int) -> int:
    """The character offset of byte offset bpos (a character boundary) in as_bytes_text."""
    return len(btext[:bpos].encode("latin-1").decode("utf-8", SURROGATES))


class CharOffsets:
    """char_offset for a run of byte offsets that mostly grow (the automaton reports hits by
    where they end): each answer decodes only the bytes since the previous one, or back to it,
    so a field with h hits costs O(field + h * key) rather than O(field * h). Decoding the
    whole prefix for every hit made a long non-ASCII description quadratic."""

    __slots__ = ("btext", "bpos", "cpos")

    def __init__(self, btext: str) -> None:
        self.btext = btext
        self.bpos = self.cpos = 0

    def __call__(self, bpos: int) -> int:
        if bpos >= self.bpos:
            self.cpos += len(self.btext[self.bpos:bpos].encode("latin-1").decode("utf-8", SURROGATES))
        else:
            self.cpos -= len(self.btext[bpos:self.bpos].encode("latin-1").decode("utf-8", SURROGATES))
        self.bpos = bpos
        return self.cpos


_NO_OFFSETS = CharOffsets("")  # stands in for ASCII text, where a byte is a character


def char_before(btext: str, bpos: int) -> str:
    """The character that ends just before byte offset bpos ('' at the start)."""
    if bpos <= 0:
        return ""
    start = bpos - 1
    while start > 0 and bpos - start < 4 and 0x80 <= ord(btext[start]) < 0xC0:
        start -= 1
    return btext[start:bpos].encode("latin-1").decode("utf-8", "replace")[-1:]


def char_at(btext: str, bpos: int) -> str:
    """The character that starts at byte offset bpos ('' at the end)."""
    if bpos >= len(btext):
        return ""
    lead = ord(btext[bpos])
    size = 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return btext[bpos:bpos + size].encode("latin-1").decode("utf-8", "replace")[:1]


class Hit:
    """One key found in one view; ``start``/``end`` are offsets into the ORIGINAL text.

    A slotted class rather than a frozen dataclass: hits are made in the per-title hot loop
    and a frozen dataclass pays for ``object.__setattr__`` on every field."""

    __slots__ = ("start", "end", "vstart", "vend", "info", "view")

    def __init__(self, start: int, end: int, vstart: int, vend: int, info: KeyInfo,
                 view: str = "plain") -> None:
        self.start = start
        self.end = end
        self.vstart = vstart
        self.vend = vend
        self.info = info
        self.view = view

    @property
    def length(self) -> int:
        return self.vend - self.vstart

    def __repr__(self) -> str:
        return f"Hit({self.start}, {self.end}, {self.info.key!r}, {self.view})"


class Matcher:
    def __init__(self, automaton: ahocorasick.Automaton, infos: Sequence[KeyInfo] | LazyInfos,
                 boundaries: bool = True) -> None:
        self.automaton = automaton
        # A list, or a LazyInfos (a cached matcher: a KeyInfo is made the first time a key is
        # hit); both are indexed by key number.
        self.infos: Sequence[KeyInfo] = cast(Sequence[KeyInfo], infos) if isinstance(infos, LazyInfos) else list(infos)
        self.size = len(self.infos)
        self.boundaries = boundaries

    @classmethod
    def build(cls, keys: Iterable[tuple[str, Payload]], *, folded: bool = True,
              boundaries: bool = True) -> Matcher:
        """Build from (key text, payload) pairs. Keys are folded like the plain view unless
        ``folded=False``; empty keys are rejected (dropped) because they match everywhere."""
        grouped: dict[str, list[Payload]] = {}
        for text, payload in keys:
            key = fold(text) if folded else text
            if not key or _UNIT in key or "\x00" in key:
                continue  # empty keys match everywhere; NUL and US are separators here
            bucket = grouped.setdefault(key, [])
            if payload not in bucket:
                bucket.append(payload)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        infos: list[KeyInfo] = []
        for index, (key, payloads) in enumerate(grouped.items()):
            infos.append(_info(key, tuple(payloads), index))
            automaton.add_word(as_bytes_text(key), index)
        if infos:
            automaton.make_automaton()
        return cls(automaton, infos, boundaries)

    def __len__(self) -> int:
        return self.size

    def find_all(self, view: View, walked: Iterable[tuple[int, int]] | None = None) -> list[Hit]:
        """Every occurrence that respects word boundaries and folded clusters (overlapping).

        ``walked``: the automaton's own (last byte, key) pairs for this view's byte form,
        when a batch pass has walked it already (scanner/core/prefilter.py): no second walk."""
        if not self.size:
            return []
        text = view.text
        n = len(text)
        infos = self.infos
        check = self.boundaries
        identity = view.identity
        kind = view.kind
        btext = as_bytes_text(text)
        ascii_only = btext is text
        offset = _NO_OFFSETS if ascii_only else CharOffsets(btext)  # ASCII text needs none
        hits: list[Hit] = []
        for last, index in self.automaton.iter(btext) if walked is None else walked:
            info = infos[index]
            if ascii_only:
                vend = last + 1
                vstart = vend - len(info.key)
            else:
                vstart = offset(last + 1 - info.blen)
                vend = vstart + len(info.key)
            if check:
                if info.left_word and vstart > 0 and is_word_char(text[vstart - 1]):
                    continue
                if info.right_word and vend < n and info.bound_at(text, vend):
                    continue
            if identity:
                hits.append(Hit(vstart, vend, vstart, vend, info, kind))
                continue
            span = view.original_span(vstart, vend)
            if span is None:
                continue
            hits.append(Hit(span[0], span[1], vstart, vend, info, kind))
        return hits

    def find(self, view: View, walked: Iterable[tuple[int, int]] | None = None) -> list[Hit]:
        """Leftmost-longest, non-overlapping hits in text order."""
        return leftmost_longest(self.find_all(view, walked))

    def save(self, path: str) -> None:
        """Write the automaton (integers only, no pickle) and its key table beside it.

        The automaton file holds pyahocorasick's own node data (the state its ``__reduce__``
        gives) behind a small header; loading hands that state straight back to the
        ``Automaton`` constructor, which takes a tenth of ``ahocorasick.load``'s time (1.33M
        keys). Its size and SHA-256, worked out while writing, go in the table. The table is
        flat (keys, payloads and boundary flags joined into a few strings) so a registry of a
        million marks loads in seconds rather than parsing nested JSON."""
        size, digest = _write_automaton(self.automaton, path)
        table = {
            "format": TABLE_FORMAT,
            "boundaries": self.boundaries,
            "size": size,
            "sha256": digest,
            "pyahocorasick": _AC_VERSION,
            "keys": _UNIT.join(self.info(i).key for i in range(self.size)),
            "payloads": _UNIT.join(";".join(f"{k}:{r}" for k, r in self.info(i).payloads) for i in range(self.size)),
            "flags": "".join(_flag(self.info(i)) for i in range(self.size)),
        }
        tmp = path + ".keys.json.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(table, handle, ensure_ascii=False)
        os.replace(tmp, path + ".keys.json")

    @classmethod
    def load(cls, path: str) -> Matcher:
        """Load what ``save`` wrote. Raises CorruptCache for a missing, partial or altered
        cache: the automaton file's size and SHA-256 are checked against the table before
        pyahocorasick sees a byte of it. Key infos are made on first use (``LazyInfos``)."""
        try:
            with open(path + ".keys.json", encoding="utf-8") as handle:
                table = json.load(handle)
            if table.get("format") != TABLE_FORMAT or table.get("pyahocorasick") != _AC_VERSION:
                raise CorruptCache(f"{path}: written by another version")
            infos = LazyInfos(table)
            automaton = _read_automaton(path, int(table["size"]), str(table["sha256"]))
        except CorruptCache:
            raise
        except (OSError, ValueError, KeyError, TypeError, IndexError) as err:
            raise CorruptCache(f"{path}: unreadable automaton cache ({err})") from None
        if len(automaton) != infos.size:
            raise CorruptCache(f"{path}: automaton holds {len(automaton)} keys, table {infos.size}")
        return cls(automaton, infos, bool(table["boundaries"]))

    def info(self, index: int) -> KeyInfo:
        return self.infos[index]

    def lookup(self, key: str) -> KeyInfo | None:
        """The info of the key that is exactly ``key`` (already folded), else None."""
        if not self.size:
            return None
        index = self.automaton.get(as_bytes_text(key), -1)
        return None if index < 0 else self.infos[index]


TABLE_FORMAT = 4  # 3: flags hold digits_after; 4: the automaton as its state, size and digest
_UNIT = "\x1f"  # joins keys in the cache table; keys holding it are dropped at build


class LazyInfos(dict):
    """A cached matcher's key infos, made the first time each key is hit: a registry of a
    million marks would spend seconds making a KeyInfo per key that most scans never hit.
    Indexed like the list a built matcher holds (``infos[i]``); ``len`` is the key count."""

    def __init__(self, table: dict) -> None:
        super().__init__()
        self.keys_ = table["keys"].split(_UNIT) if table["keys"] else []
        self.payloads_ = table["payloads"].split(_UNIT) if self.keys_ else []
        self.flags_ = str(table["flags"])
        self.size = len(self.keys_)
        # the index's model-code patterns by key (lexicons.model_patterns), set by build_index
        self.model_patterns: dict[str, re.Pattern[str]] = {}
        if not (self.size == len(self.payloads_) == len(self.flags_)):
            raise CorruptCache("key table columns differ in length")

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[KeyInfo]:  # the values, in key order, as a list iterates
        return (self[i] for i in range(self.size))

    def __missing__(self, index: int) -> KeyInfo:
        if not 0 <= index < self.size:
            raise IndexError(index)
        key = self.keys_[index]
        text = self.payloads_[index]
        if ";" in text:
            pairs = tuple((k, int(r)) for k, _, r in (item.partition(":") for item in text.split(";")))
        else:  # nearly every key names one mark or one cue
            kind, _, ref = text.partition(":")
            pairs = ((kind, int(ref)),)
        flag = ord(self.flags_[index]) - 48
        info = KeyInfo(key, pairs, flag & 1 == 1, flag & 2 == 2, index, len(key.encode("utf-8", SURROGATES)),
                       flag & 4 == 4)
        info.model_after = self.model_patterns.get(key)
        self[index] = info
        return info


def _flag(info: KeyInfo) -> str:
    return str(int(info.left_word) + 2 * int(info.right_word) + 4 * int(info.digits_after))


_AC_VERSION = str(getattr(ahocorasick, "__version__", "")) or "unknown"
_MAGIC = b"listguard-automaton-1\n"


def _write_automaton(automaton: ahocorasick.Automaton, path: str) -> tuple[int, str]:
    """The automaton's state (pyahocorasick's ``__reduce__``: node data and a few integers)
    behind a one-line JSON header; returns the file's size and SHA-256, worked out while
    writing (no second read)."""
    _, state = automaton.__reduce__()[:2]
    chunks, numbers = list(state[0]), list(state[1:6])
    if len(state) > 6 and state[6] is not None:
        raise ValueError("only an integer-valued automaton is written")
    header = json.dumps({"numbers": numbers, "chunks": [len(c) for c in chunks]}).encode() + b"\n"
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as handle:
        for piece in (_MAGIC, header, *chunks):
            handle.write(piece)
            digest.update(piece)
            size += len(piece)
    return size, digest.hexdigest()


def _read_automaton(path: str, size: int, sha256: str) -> ahocorasick.Automaton:
    """What _write_automaton wrote, checked (size first, then SHA-256) before pyahocorasick
    parses any of it."""
    if os.path.getsize(path) != size:
        raise CorruptCache(f"{path}: size does not match its key table")
    with open(path, "rb") as handle:
        data = handle.read()
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise CorruptCache(f"{path}: checksum does not match its key table")
    if not data.startswith(_MAGIC):
        raise CorruptCache(f"{path}: not an automaton cache")
    at = data.index(b"\n", len(_MAGIC)) + 1
    header = json.loads(data[len(_MAGIC):at])
    chunks = []
    for length in header["chunks"]:
        chunks.append(data[at:at + int(length)])
        at += int(length)
    if at != len(data):
        raise CorruptCache(f"{path}: chunk lengths do not add up")
    kind, store, key_type, words, longest = (int(n) for n in header["numbers"])
    if store != ahocorasick.STORE_INTS:
        raise CorruptCache(f"{path}: automaton cache holds objects; refusing it")
    return ahocorasick.Automaton(chunks, kind, store, key_type, words, longest, None)


def _info(key: str, payloads: tuple[Payload, ...], index: int) -> KeyInfo:
    digits_after = len(key) >= 4 and key[-1].isalpha() and any(kind == "mark" for kind, _ in payloads)
    return KeyInfo(key, payloads, is_word_char(key[0]), is_word_char(key[-1]), index,
                   len(key.encode("utf-8", SURROGATES)), digits_after)


class CorruptCache(ValueError):
    """A cache file that must be rebuilt, never used."""


def leftmost_longest(hits: list[Hit]) -> list[Hit]:
    """Of overlapping hits keep the one that starts first, and of those the longest."""
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.vstart, -h.length))
    chosen: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.vstart >= reach:
            chosen.append(hit)
            reach = hit.vend
    return chosen
