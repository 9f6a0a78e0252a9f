"""Normalised views of a field's text, each with a map back to the original offsets.

Two views per field:

* the *plain* view: NFKC, full width to half width, case folding, traditional Chinese
  characters to simplified (OpenCC's table, one character for one), zero-width and soft-hyphen
  characters removed. Most text (ASCII, or already-normal CJK) takes a fast path whose
  offsets are the identity; other text is folded cluster by cluster (a base character and its
  combining marks) so that a length change (``İ`` → ``i̇``, ``ß`` → ``ss``, ``ﬁ`` → ``fi``)
  never shifts the spans of what follows.
* the *evasion* view, built from the plain one only when the text shows a sign of evasion:
  Cyrillic/Greek look-alikes and simple leetspeak folded to Latin letters, and separators
  dropped inside spelled-out words (``N-i-k-e``, ``G.U.C.C.I``, ``A d i d a s``, ``耐-克``).

Every view position maps back to a span of the original text: ``View.original_span`` turns a
view span into ``(start, end)`` such that ``original[start:end]`` is exactly the text that
produced the match, or None when the span would cut a folded cluster in half (``s`` out of
``ß``).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from scanner.core import compiled_re  # big Unicode classes: compiled once, kept on disk

# Characters with no visible glyph that sellers (and copy-paste) put inside words.
INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f" \
            "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE_RE = compiled_re.compile(f"[{INVISIBLE}]")
_INVISIBLE_SET = frozenset(INVISIBLE)

# Full-width ASCII variants and the ideographic space are 1:1 under NFKC: fold them with a
# C-speed translate so typical Chinese punctuation (，（）！) stays on the fast path.
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20

# Look-alikes of Latin letters (after case folding), one character each so offsets hold.
HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o",
}
# Leetspeak: 1 reads as i or l; the view uses i and a second pass tries l (see evasion_views).
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_EVASION_TABLE = str.maketrans({**HOMOGLYPHS, **LEET})
_EVASION_TABLE_L = str.maketrans({**HOMOGLYPHS, **LEET, "1": "l"})
# The same swaps on UTF-8 bytes, for text with no look-alikes: leet characters are ASCII and
# never part of a multi-byte sequence, and bytes.translate runs at C speed where str.translate
# looks up every character of a CJK title in a dict.
_LEET_BYTES = bytes.maketrans("".join(LEET).encode(), "".join(LEET.values()).encode())
_LEET_BYTES_L = bytes.maketrans("".join(LEET).encode(), "".join({**LEET, "1": "l"}.values()).encode())
_HOMOGLYPH_RE = compiled_re.compile(f"[{''.join(HOMOGLYPHS)}]")

_SEPARATORS = r"\-_.*·•~|/\\+'’"
# Between CJK characters only marks that do not usually separate words: "100张/包",
# "开学季~伸缩", "型号_黑色" are ordinary titles, "耐-克", "耐.克", "耐*克" are not.
_CJK_SEPARATORS = r"\-.*·•'’"
_LATIN_LETTER = "a-z\u00e0-\u024f"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Each pattern below begins with a plain character class and checks what comes before with
# a look-behind, so the regex engine can skip ahead to candidates; tests/test_normalize.py
# holds them to the matches of their first, look-behind-first spellings.
# A run of two or more single letters joined by separators or spaces: N-i-k-e, G.U.C.C.I, L V.
_SPELLED_RE = re.compile(
    rf"[{_LATIN_LETTER}](?<![{_LATIN_LETTER}0-9][{_LATIN_LETTER}])"
    rf"(?:[{_SEPARATORS}\s]+[{_LATIN_LETTER}](?![{_LATIN_LETTER}0-9]))+"
)
# Separators between two CJK characters (耐-克, 耐.克); spaces only beside a lone character (耐 克).
_CJK_SEP_RE = compiled_re.compile(
    rf"[{_CJK_SEPARATORS}](?<=[{_CJK}][{_CJK_SEPARATORS}])[{_CJK_SEPARATORS}]*(?=[{_CJK}])")
_CJK_SPACE_RE = compiled_re.compile(
    rf"\s(?<=[{_CJK}]\s)(?:(?<![{_CJK}][{_CJK}]\s)\s*(?=[{_CJK}])|\s*(?=[{_CJK}](?![{_CJK}])))"
)
_SEP_CHARS = frozenset(_SEPARATORS.replace("\\", "")) | {"\\"}


class View:
    """A normalised text. ``starts``/``ends`` give each view character's source span in the
    original text; both are None when the view is the identity map (same length, 1:1).

    Treat as immutable. A slotted class rather than a frozen dataclass because one is made
    per field on the hot path."""

    __slots__ = ("text", "starts", "ends", "kind", "removed_invisible", "identity")

    def __init__(self, text: str, starts: list[int] | None = None, ends: list[int] | None = None,
                 kind: str = "plain", removed_invisible: bool = False) -> None:
        self.text = text
        self.starts = starts
        self.ends = ends
        self.kind = kind
        self.removed_invisible = removed_invisible
        self.identity = starts is None or ends is None

    def original_span(self, vstart: int, vend: int) -> tuple[int, int] | None:
        if self.starts is None or self.ends is None:
            return vstart, vend
        starts = self.starts
        # A span must begin and end on whole clusters: never half of a folded "ß".
        if vstart > 0 and starts[vstart - 1] == starts[vstart]:
            return None
        if vend < len(starts) and starts[vend] == starts[vend - 1]:
            return None
        return starts[vstart], self.ends[vend - 1]


class DerivedView(View):
    """A view of the plain view with some characters swapped and some dropped: character k
    stands where ``keep[k]`` stands in ``base``. Spans are mapped only when asked for, as
    most evasion views never hold a hit worth mapping."""

    __slots__ = ("keep", "base")

    def __init__(self, text: str, keep: list[int], base: View, kind: str) -> None:
        super().__init__(text, None, None, kind, base.removed_invisible)
        self.identity = False
        self.keep = keep
        self.base = base

    def _start(self, k: int) -> int:
        i = self.keep[k]
        return i if self.base.starts is None else self.base.starts[i]

    def original_span(self, vstart: int, vend: int) -> tuple[int, int] | None:
        start = self._start(vstart)
        if vstart > 0 and self._start(vstart - 1) == start:
            return None
        if vend < len(self.keep) and self._start(vend) == self._start(vend - 1):
            return None
        i = self.keep[vend - 1]
        return start, (i + 1 if self.base.ends is None else self.base.ends[i])


# A hyphen or underscore between two Latin letters reads as a space: "Louis-Vuitton" and
# "Coca Cola" meet the keys "louis vuitton" and "coca cola" (keys fold the same way), while
# N-i-k-e still shows its separators to the evasion view. One character for one.
_JOINER_RE = re.compile(r"(?<=[a-z])[-_](?=[a-z])")


def _unjoin(lowered: str) -> str:
    return _JOINER_RE.sub(" ", lowered) if ("-" in lowered or "_" in lowered) else lowered


def fold(text: str) -> str:
    """The plain view's text alone: how keys are folded so they match views."""
    if text.isascii():
        return _unjoin(text.lower())  # plain_view's own fast path, without making a View
    return plain_view(text).text


def _load_t2s() -> tuple[dict[int, int], re.Pattern[str]]:
    """The traditional -> simplified character table (lexicons/t2s.tsv, made from OpenCC by
    tools/build_t2s.py) and a pattern finding any traditional character: 勞力士 folds to 劳力士,
    香奈兒 to 香奈儿, so a listing in traditional Chinese matches the marks as written either way.
    One character for one, so every offset still points into the original text."""
    # Read from the package's folder (importlib.resources cost a fresh process 5 ms); not from
    # this module's __file__, which mypyc sets to a path that need not exist.
    package = sys.modules[__name__.rpartition(".")[0]]
    text = (Path(package.__path__[0]) / "lexicons" / "t2s.tsv").read_text(encoding="utf-8")
    table: dict[int, int] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            traditional, _, simplified = line.partition("\t")
            table[ord(traditional)] = ord(simplified)
    return table, compiled_re.compile("[" + re.escape("".join(map(chr, table))) + "]")


_T2S, _TRADITIONAL_RE = _load_t2s()


def _fold_cluster(cluster: str) -> str:
    folded = unicodedata.normalize("NFKC", cluster).casefold()
    folded = unicodedata.normalize("NFKC", folded)
    return folded.translate(_T2S) if _TRADITIONAL_RE.search(folded) else folded


def _fast_fold(text: str) -> str | None:
    """The plain view when it is 1:1 with the original, else None."""
    if text.isascii():
        return _unjoin(text.lower())
    if _INVISIBLE_RE.search(text):
        return None
    # Full-width forms are not NFKC-normal, so a normalised text needs no narrowing (and
    # str.translate with a dict costs a lookup per character: skip it when it can).
    narrowed = text
    if not unicodedata.is_normalized("NFKC", text):
        narrowed = text.translate(_WIDTH_TABLE)
        if not unicodedata.is_normalized("NFKC", narrowed):
            return None
    folded = narrowed.casefold()
    if len(folded) != len(text) or not unicodedata.is_normalized("NFKC", folded):
        return None
    if _TRADITIONAL_RE.search(folded):
        folded = folded.translate(_T2S)  # one character for one: offsets hold
    return _unjoin(folded)


def plain_view(text: str) -> View:
    fast = _fast_fold(text)
    if fast is not None:
        return View(fast)
    return _slow_plain_view(text)


def _slow_plain_view(text: str) -> View:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    removed = False
    n = len(text)
    i = 0
    while i < n:
        j = i + 1
        # A cluster: one base character and the combining marks that follow it.
        while j < n and unicodedata.combining(text[j]) and text[j] not in _INVISIBLE_SET:
            j += 1
        cluster = text[i:j]
        if cluster[0] in _INVISIBLE_SET:
            removed = True
            folded = _fold_cluster(cluster[1:]) if len(cluster) > 1 else ""
        else:
            folded = _fold_cluster(cluster)
        out.append(folded)
        starts.extend([i] * len(folded))
        ends.extend([j] * len(folded))
        i = j
    return View(_unjoin("".join(out)), starts, ends, "plain", removed)


# Every sign of evasion, in one pattern that begins with a single character class: the
# regex engine then skips to the few positions that can start one (a look-alike, a leet
# character, a separator or a space) and checks the context there with look-behinds. One
# pass costs about a third of running a pattern per sign (bench/bench_matcher.py). The three
# leetspeak branches sit behind one test of the leading character (``(?<=[leet])``), so a
# space, the commonest candidate in a title, skips them at once: about a fifth fewer
# instructions than one flat list of branches (callgrind).
# tests/test_normalize.py holds the sign-by-sign definition this must agree with.
_WORD_GAP = rf"{_SEPARATORS}\s"
# What ``\s`` matches in a str pattern, spelled out: a class holding the ``\s`` category is
# tested item by item at every character, one of plain characters through a lookup table
# (about a seventh off the signal search; tests/test_normalize.py checks the two agree).
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LEET_CHARS = "013457@$"
_SIGNAL_RE = compiled_re.compile(
    rf"[{''.join(HOMOGLYPHS)}{_LEET_CHARS}{_SEPARATORS}{_CJK_SEPARATORS}{SPACES}](?:"
    rf"(?<=[{''.join(HOMOGLYPHS)}])"
    # leetspeak inside a word: n1ke, 0akley, nik3
    rf"|(?<=[{_LEET_CHARS}])(?:"
    rf"(?<=[a-z][{_LEET_CHARS}])[{_LEET_CHARS}]*[a-z]"
    rf"|(?<=[0@$])(?<![a-z0-9.,][0@$])[a-z]{{2}}"
    rf"|(?<=[a-z]{{2}}[{_LEET_CHARS}])(?![a-z0-9]))"
    # after a separator or a space (no leet character is one):
    # single letters spelled apart: N-i-k-e, G.U.C.C.I, A d i d a s
    rf"|(?<=[{_LATIN_LETTER}][{_WORD_GAP}])(?<![{_LATIN_LETTER}0-9][{_LATIN_LETTER}][{_WORD_GAP}])"
    rf"[{_WORD_GAP}]*[{_LATIN_LETTER}](?![{_LATIN_LETTER}0-9])"
    # CJK characters kept apart: 耐-克, and spaces beside a lone character: 耐 克
    rf"|(?<=[{_CJK}][{_CJK_SEPARATORS}])[{_CJK_SEPARATORS}]*[{_CJK}]"
    rf"|(?<=[{_CJK}]\s)(?:(?<![{_CJK}][{_CJK}]\s)\s*[{_CJK}]|\s*[{_CJK}](?![{_CJK}]))"
    r")"
)


def has_evasion_signal(plain: str) -> bool:
    """Whether an evasion view could differ from the plain one in a way that matters."""
    return _SIGNAL_RE.search(plain) is not None


def _drop_spans(text: str) -> list[tuple[int, int]]:
    """Spans of separators to drop, sorted and disjoint."""
    drops: list[tuple[int, int]] = []
    for m in _SPELLED_RE.finditer(text):
        base = m.start()
        for k, ch in enumerate(m.group()):
            if ch in _SEP_CHARS or ch.isspace():
                drops.append((base + k, base + k + 1))
    for rx in (_CJK_SEP_RE, _CJK_SPACE_RE):
        drops.extend(m.span() for m in rx.finditer(text))
    drops.sort()
    merged: list[tuple[int, int]] = []
    for start, end in drops:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _without(text: str, drops: list[tuple[int, int]]) -> str:
    if not drops:
        return text
    pieces = []
    pos = 0
    for start, end in drops:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _derive(plain: View, text: str, kind: str) -> View:
    """A view of ``text`` (same length as plain.text) with spelled-out separators dropped."""
    drops = _drop_spans(text)
    keep: list[int] = []
    pos = 0
    for start, end in drops:
        keep.extend(range(pos, start))
        pos = end
    keep.extend(range(pos, len(text)))
    return DerivedView(_without(text, drops), keep, plain, kind)


def _swapped(plain: str) -> list[str]:
    """plain with look-alikes and leet swapped for letters: 1 read as i, and (when there is
    a 1 to read) as l."""
    tables = ((_EVASION_TABLE, _LEET_BYTES), (_EVASION_TABLE_L, _LEET_BYTES_L))[:2 if "1" in plain else 1]
    if plain.isascii() or _HOMOGLYPH_RE.search(plain):
        return [plain.translate(table) for table, _ in tables]
    data = plain.encode("utf-8", "surrogatepass")
    return [data.translate(table).decode("utf-8", "surrogatepass") for _, table in tables]


def evasion_views(plain: View) -> list[View]:
    """Views that undo evasion spellings; empty when the text shows no sign of it."""
    if not has_evasion_signal(plain.text):
        return []
    views = []
    seen = {plain.text}
    for swapped in _swapped(plain.text):
        view = _derive(plain, swapped, "evasion")
        if view.text not in seen:
            seen.add(view.text)
            views.append(view)
    return views


def evasion_texts(plain: str) -> list[str]:
    """The texts of ``evasion_views`` without their offset maps: what the prefilter searches."""
    if not has_evasion_signal(plain):
        return []
    texts = []
    for translated in _swapped(plain):
        text = _without(translated, _drop_spans(translated))
        if text != plain and text not in texts:
            texts.append(text)
    return texts
