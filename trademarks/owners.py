"""Owner groups: the companies that own one family of marks under different owner strings.

A list records each mark's registrant as written (``Marvel Characters, Inc.``, ``Lucasfilm Ltd.
LLC``, ``Disney Enterprises, Inc.``), but a seller of Disney goods may name Marvel and Star
Wars in one listing: one owner's family is never "unrelated brands" nor a "brand mismatch"
against itself. ``owner_group`` maps an owner string to its group's name, by the table in
``data/owner_groups.tsv`` (group, then the owner strings it holds, matched after folding case,
punctuation and company suffixes); an owner the table does not know is its own group.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "owner_groups.tsv"
_SUFFIX_RE = re.compile(r"\b(?:inc|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|s\.?a\.?s|s\.?p\.?a|"
                        r"s\.?r\.?l|n\.?v|b\.?v|plc|group|holdings?|international|enterprises?)\b\.?")
_PUNCT_RE = re.compile(r"[\s,.&'’()（）\-_/]+")


def owner_key(owner: str) -> str:
    """An owner string folded for comparison: case, width, punctuation and company suffixes
    ("Nike, Inc." and "NIKE INC" give the same key)."""
    text = unicodedata.normalize("NFKC", owner).casefold()
    text = _SUFFIX_RE.sub(" ", text)
    return _PUNCT_RE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    table: dict[str, str] = {}
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        group, _, owners = line.partition("\t")
        for owner in owners.split("|"):
            key = owner_key(owner)
            if key in table and table[key] != group:
                raise ValueError(f"{TABLE}:{number}: {owner!r} is already in group {table[key]!r}")
            table[key] = group
        table.setdefault(owner_key(group), group)
    return table


def owner_group(owner: str) -> str:
    """The group an owner belongs to (its folded key when the table does not know it)."""
    key = owner_key(owner)
    return _groups().get(key, key)
