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
from scanner.normalize import evasion_views, has_evasion_signal, plain_view


def flag_listings(index: KeyIndex, listings: Sequence[Listing]) -> set[int]:
    relevant = index.relevant
    if not relevant:
        return set()
    matcher = index.matcher
    infos = matcher.infos
    views = []
    owners: list[int] = []
    for i, listing in enumerate(listings):
        for _, text in listing.text_fields():
            views.append(plain_view(text))
            owners.append(i)
    if not views:
        return set()
    encoded = [v.text.encode("utf-8") for v in views]
    starts = []
    pos = 0
    for data in encoded:
        starts.append(pos)
        pos += len(data) + 1
    btext = b"\x00".join(encoded).decode("latin-1")
    flagged: set[int] = set()
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
    for k, view in enumerate(views):
        if owners[k] not in flagged and has_evasion_signal(view.text) and _evasion_hit(index, view):
            flagged.add(owners[k])
    return flagged


def _evasion_hit(index: KeyIndex, plain) -> bool:
    relevant = index.relevant
    for view in evasion_views(plain):
        if any(relevant[hit.info.index] for hit in index.matcher.find_all(view)):
            return True
    return False
