"""TM106 brand-stuffing: marks piled into a listing to catch their searches.

Three or more marks of different owners in one title, bullet list or description (not
named for compatibility), or any other brand's mark in the search keywords or in text hidden
in the HTML description (display:none, white on white, alt text).

Okay: [brand=Apple] iPhone 15 Pro, AirPods Pro and Apple Watch bundle
TM106: Sneakers Nike Adidas Puma New Balance running shoes
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import CROWD, CROWDED, HIDDEN_FIELDS, MARKS, ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.precedence import STUFFING_IGNORES
from scanner.core.rules.base import Finding, Rule, describe, finding

MIN_OWNERS = CROWD  # fewer marks in a field cannot be stuffing: the crowded facet's threshold


def _counts(hit: MarkHit) -> bool:
    return STUFFING_IGNORES.isdisjoint(hit.facts)


class BrandStuffing(Rule):
    code = "TM106"
    name = "brand-stuffing"
    severity = Severity.ERROR
    summary = "several unrelated marks in one listing, or marks in keyword/hidden fields"
    needs = frozenset({MARKS, CROWDED})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for fc in ctx.fields:
            hidden = fc.name in HIDDEN_FIELDS
            if not hidden and len(fc.marks) < MIN_OWNERS:
                continue  # too few marks to be stuffing, whatever their owners
            hits = [h for h in fc.marks if _counts(h)]
            if hidden:
                where = "search keywords" if fc.name == "keywords" else "hidden text"
                for hit in hits:
                    yield finding(hit, f"{describe(hit)} in {where}: shoppers never see it, rights holders do")
                continue
            owners = list(dict.fromkeys(h.group for h in hits))
            if len(owners) >= MIN_OWNERS:
                names = ", ".join(dict.fromkeys(h.mark.name for h in hits))
                yield Finding(fc.name, hits[0].start, hits[-1].end,
                              f"{len(owners)} unrelated brands in one {fc.name} ({names})")
