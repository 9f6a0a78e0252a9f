"""TM104 brand-comparison: a product compared with a mark.

"媲美Dior", "不输Nike", "better than Apple AirPods", "Dior quality at a fraction of the
price": comparative claims about a brand draw complaints from its owner.

Okay: Apple juice, better than soda
TM104: Earbuds better than AirPods
TM104: 音质媲美Bose
"""

from __future__ import annotations

from typing import Iterator

from scanner.context import ListingContext
from scanner.models import Severity
from scanner.rules.base import Finding, Rule, describe, finding
from scanner.rules.tm100_nominative import cue_text


class BrandComparison(Rule):
    code = "TM104"
    name = "brand-comparison"
    severity = Severity.ERROR
    summary = "a comparison with a mark (媲美, 不输, better than, X quality at a Y price)"

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for hit in ctx.mark_hits():
            cue = hit.cues.get("comparison")
            if cue and not hit.nominative:
                shown = cue_text(ctx, hit.field, cue)
                yield finding(hit, f"{describe(hit)} in a comparison ('{shown}')")
