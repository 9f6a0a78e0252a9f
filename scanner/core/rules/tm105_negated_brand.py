"""TM105 negated-brand: "not X", "non-X", "非X".

Saying what a product is not still puts the mark in the listing where searches find it;
rights holders treat it as use of their mark.

Okay: Non-slip running shoes
TM105: Running shoes, not Nike
TM105: 非耐克 运动鞋
"""

from __future__ import annotations

from scanner.core.context import MARKS, ListingContext, MarkHit, cue_facet
from scanner.core.models import Severity
from scanner.core.rules.base import Rule, describe


class NegatedBrand(Rule):
    code = "TM105"
    name = "negated-brand"
    severity = Severity.WARNING
    summary = "\"not X\", \"non-X\", 非X: still a use of the mark"
    needs = frozenset({MARKS, cue_facet("negation")})

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        return f"{describe(hit)} named in a negation: drop the brand name"
