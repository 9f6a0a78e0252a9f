"""Which listings of a batch are worth judging at all.

Most listings name no mark and hold no counterfeit or disparaging wording; they should cost
little more than one automaton pass. The batch's plain views are joined with NUL (never
part of a key, and no word character) into one string in the automaton's byte form, walked
once, and each hit of a *relevant* key (a mark, or a cue that is a problem on its own) that
respects word boundaries flags its listing. Fields that show a sign of evasion get their
evasion texts matched too. A flagged listing then goes through the full judgement, which
takes over each field's plain view and the automaton's hits in it (a ``Prescan``) instead
of walking the text a second time.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple, Sequence

from scanner.core.index import KeyIndex, strip_accents
from scanner.core.matcher import SURROGATES, char_at, char_before, is_word_char
from scanner.core.models import Listing
from scanner.core.normalize import View, evasion_texts, plain_view


class Prescan(NamedTuple):
    """One field as the prefilter saw it: its plain view and the automaton's raw
    (last byte, key) hits in the view's byte form, in the order the automaton found them."""

    view: View
    walked: list[tuple[int, int]]


def flag_listings(index: KeyIndex, listings: Sequence[Listing]) -> dict[int, list[Prescan]]:
    """The listings worth judging, by position in ``listings``, each with the prescan of its
    non-empty fields in field order."""
    if not index.relevant:
        return {}  # no keys at all
    views: list[View] = []
    owners: list[int] = []
    for i, listing in enumerate(listings):
        for text in listing.fields.values():
            if text:
                views.append(plain_view(text))
                owners.append(i)
    walked: list[list[tuple[int, int]]] = [[] for _ in views]
    flagged = _flag_hits(index, [v.text for v in views], owners, set(), walked)
    # Evasion texts only for the fields that show a sign of evasion and are not flagged yet;
    # their offset maps are not needed here, only whether a relevant key appears.
    disguised: list[str] = []
    disguised_owners: list[int] = []
    slips = index.near_forms
    for view, owner in zip(views, owners, strict=True):
        if owner not in flagged:
            for text in evasion_texts(view.text):
                disguised.append(text)
                disguised_owners.append(owner)
            if slips and _has_slip(view.text, slips):
                flagged.add(owner)
    if disguised:
        _flag_hits(index, disguised, disguised_owners, flagged, None)
    prescans: dict[int, list[Prescan]] = {i: [] for i in sorted(flagged)}
    for k, owner in enumerate(owners):
        if owner in prescans:
            prescans[owner].append(Prescan(views[k], walked[k]))
    return prescans


def _flag_hits(index: KeyIndex, texts: list[str], owners: list[int], flagged: set[int],
               walked: list[list[tuple[int, int]]] | None) -> set[int]:
    """Adds to ``flagged`` the owner of every text holding a relevant key at word boundaries,
    in one automaton pass over the texts joined with NUL. With ``walked``, also keeps every
    raw hit of text k in walked[k], its byte offset made local to that text."""
    if not texts:
        return flagged
    relevant = index.relevant
    infos = index.matcher.infos
    encoded = [text.encode("utf-8", SURROGATES) for text in texts]
    starts = []
    pos = 0
    for data in encoded:
        starts.append(pos)
        pos += len(data) + 1
    btext = b"\x00".join(encoded).decode("latin-1")
    for last, key in index.matcher.automaton.iter(btext):
        info = infos[key]
        bstart = last + 1 - info.blen
        k = bisect.bisect_right(starts, bstart) - 1
        if walked is not None:
            walked[k].append((last - starts[k], key))
        if not relevant[key]:
            continue
        owner = owners[k]
        if owner in flagged:
            continue
        if info.left_word and is_word_char(char_before(btext, bstart) or "\x00"):
            continue
        if info.right_word and info.bound_after(char_at(btext, last + 1) or "\x00") and \
                (info.model_after is None or info.model_after.match(btext, last + 1) is None):
            continue
        flagged.add(owner)
    return flagged


_WORD_RE = re.compile(r"[a-z\u00e0-\u024f]{5,}")
_DOUBLED_RE = re.compile(r"([a-z])\1")


def _has_slip(text: str, near: dict[str, list[tuple[str, int]]]) -> bool:
    """Whether a Latin word may be a famous mark misspelled or run together ("Guccii",
    "Burbery", "louisvuitton"): one dictionary lookup a word, two for a doubled letter.
    The judge decides (scanner/core/context.py); this only says the listing is worth it."""
    if text.isascii() and not _DOUBLED_RE.search(text) and len(text) < 12:
        return False
    for match in _WORD_RE.finditer(text):
        word = strip_accents(match.group())
        if word in near:
            return True
        for double in _DOUBLED_RE.finditer(word):
            k = double.start()
            if word[:k] + word[k + 1:] in near:
                return True
    return False
