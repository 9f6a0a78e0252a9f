"""TM105 negated-brand: "not X", "non-X", "非X".

Saying what a product is not still puts the mark in the listing where searches find it;
rights holders treat it as use of their mark.

Okay: Non-slip running shoes
TM105: Running shoes, not Nike
TM105: 非耐克 运动鞋
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import MARKS, ListingContext, cue_facet
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule, describe, finding


class NegatedBrand(Rule):
    code = "TM105"
    name = "negated-brand"
    severity = Severity.WARNING
    summary = "\"not X\", \"non-X\", 非X: still a use of the mark"
    needs = frozenset({MARKS, cue_facet("negation")})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for hit in ctx.mark_hits():
            if "negation" in hit.cues and not hit.nominative and not hit.own:
                yield finding(hit, f"{describe(hit)} named in a negation: drop the brand name")
