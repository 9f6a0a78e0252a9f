"""Cue lexicons: sorted TSV data files (phrase, tag, lang), one per kind of cue.

``tag`` means, per file: counterfeit ``strong|weak|scale`` (scale = a word like *replica*
that a scale-model or fan-kit context makes harmless); lookalike, comparison, negation,
nominative ``before|after|near`` (where the cue stands relative to the mark); authenticity
``near``; ``next`` (right after the mark, nothing between: 香奶奶风); disparagement
``subject|claim``; generic ``any``; benign ``shadow|scale`` (shadow phrases contain a cue or
mark but are neither: ``fake fur``, ``仿真花``, ``假一赔十``; scale phrases are the contexts
that make *replica* harmless: ``1:18``, ``die-cast``, ``jersey``, since a club's replica
jersey is its own fan version).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TAGS: dict[str, frozenset[str]] = {
    "counterfeit": frozenset({"strong", "weak", "scale"}),
    "lookalike": frozenset({"before", "after", "near", "next"}),
    "comparison": frozenset({"before", "after", "near"}),
    "negation": frozenset({"before"}),
    "authenticity": frozenset({"near"}),
    "nominative": frozenset({"before", "after", "near"}),
    "disparagement": frozenset({"subject", "claim"}),
    "generic": frozenset({"any"}),
    "benign": frozenset({"shadow", "scale"}),
}
KINDS = tuple(TAGS)


@dataclass(frozen=True)
class Cue:
    kind: str
    phrase: str
    tag: str
    lang: str


def read_lexicon(kind: str) -> list[Cue]:
    text = resources.files(__name__).joinpath(f"{kind}.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Cue(kind, row["phrase"], row["tag"], row["lang"]) for row in rows]


@lru_cache(maxsize=1)
def all_cues() -> tuple[Cue, ...]:
    """Every cue of every kind, in a fixed order (kind, then file order)."""
    return tuple(cue for kind in KINDS for cue in read_lexicon(kind))
