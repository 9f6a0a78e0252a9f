"""The Mark record: one registered trademark and every surface form a listing may use for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

CASE_FOLD = "fold"  # match in any capitalisation
CASE_EXACT = "exact"  # Latin forms match only as registered (Apple, Coach, Dove, Polo)
CASES = (CASE_FOLD, CASE_EXACT)


@dataclass(frozen=True)
class Mark:
    name: str
    aliases: tuple[str, ...] = ()
    owner: str = ""
    classes: tuple[int, ...] = ()
    case: str = CASE_FOLD
    famous: bool = False
    # Phrases that contain a form of the mark but are not the mark (三星堆, omega-3, apple juice):
    # the matcher's leftmost-longest choice lets them shadow the mark.
    exceptions: tuple[str, ...] = ()
    jurisdiction: str = ""
    registration: str = ""
    status: str = "live"
    source: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def forms(self) -> tuple[str, ...]:
        """The name then every alias, without duplicates, in list order."""
        seen: dict[str, None] = {}
        for form in (self.name, *self.aliases):
            if form and form not in seen:
                seen[form] = None
        return tuple(seen)


def fold_key(text: str) -> str:
    """The lookup key of a name or alias: NFKC-free casefold with inner whitespace collapsed.

    Not the engine's ``scanner.core.normalize.fold``, on purpose: this key is stored in the
    registry's SQLite columns (``name_key``, ``brand_key``) and identifies a mark across
    sources (``merge_marks``), so it must not move when the engine's folding learns a new
    width or invisible-character rule (that would orphan stored keys); and ``trademarks``
    never imports ``scanner``. The engine's fold decides what *matches*; this one, which row
    a name *is*."""
    return " ".join(text.casefold().split())
