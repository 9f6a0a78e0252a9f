"""Which listings of a batch are worth judging at all.

Most listings name no mark and hold no counterfeit or disparaging wording; they should cost
little more than one automaton pass. The batch's plain views are joined with NUL (never
part of a key, and no word character) into one string in the automaton's byte form, walked
once, and each hit of a *relevant* key (a mark, or a cue that is a problem on its own) that
respects word boundaries flags its listing. Fields that show a sign of evasion get their
evasion views matched too. A flagged listing then goes through the full judgement.
"""

from __future__ import annotations

import bisect
from typing import Sequence

from scanner.index import KeyIndex
from scanner.matcher import char_at, char_before, is_word_char
from scanner.models import Listing
from scanner.normalize import evasion_texts, fold


def flag_listings(index: KeyIndex, listings: Sequence[Listing]) -> set[int]:
    if not any(index.relevant):
        return set()
    texts: list[str] = []
    owners: list[int] = []
    for i, listing in enumerate(listings):
        for text in listing.fields.values():
            if text:
                texts.append(fold(text))
                owners.append(i)
    flagged = _flag_hits(index, texts, owners, set())
    # Evasion views only for the fields that show a sign of evasion and are not flagged yet;
    # their offset maps are not needed here, only whether a relevant key appears.
    disguised: list[str] = []
    disguised_owners: list[int] = []
    for text, owner in zip(texts, owners):
        if owner not in flagged:
            for view_text in evasion_texts(text):
                disguised.append(view_text)
                disguised_owners.append(owner)
    if disguised:
        _flag_hits(index, disguised, disguised_owners, flagged)
    return flagged


def _flag_hits(index: KeyIndex, texts: list[str], owners: list[int], flagged: set[int]) -> set[int]:
    """Adds to ``flagged`` the owner of every text holding a relevant key at word boundaries:
    one automaton pass over the texts joined with NUL (never part of a key, no word char)."""
    if not texts:
        return flagged
    relevant = index.relevant
    matcher = index.matcher
    infos = matcher.infos
    encoded = [text.encode("utf-8") for text in texts]
    starts = []
    pos = 0
    for data in encoded:
        starts.append(pos)
        pos += len(data) + 1
    btext = b"\x00".join(encoded).decode("latin-1")
    for last, key in matcher.automaton.iter(btext):
        if not relevant[key]:
            continue
        info = infos[key]
        bstart = last + 1 - info.blen
        owner = owners[bisect.bisect_right(starts, bstart) - 1]
        if owner in flagged:
            continue
        if info.left_word and is_word_char(char_before(btext, bstart) or "\x00"):
            continue
        if info.right_word and is_word_char(char_at(btext, last + 1) or "\x00"):
            continue
        flagged.add(owner)
    return flagged
