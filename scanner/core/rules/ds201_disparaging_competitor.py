"""DS201 disparaging-competitor: running down other sellers or brands.

"别家都是假货", "其他店铺以次充好", "other sellers sell fakes": platforms treat disparaging
competitors as a violation of its own, whether or not a brand is named. Reported as the span
from the subject to the claim.

Okay: 假一赔十 正品保证
Okay: Not fake, 100% cotton
DS201: 别家都是假货 认准本店
DS201: Other sellers sell cheap fakes
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import ListingContext, cue_facet
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule


class DisparagingCompetitor(Rule):
    code = "DS201"
    name = "disparaging-competitor"
    severity = Severity.ERROR
    summary = "disparaging other sellers or brands (别家都是假货, \"other sellers sell fakes\")"
    needs = frozenset({cue_facet("disparagement")})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for fc in ctx.fields:
            for subject, claim in fc.disparagement:
                start, end = min(subject.start, claim.start), max(subject.end, claim.end)
                yield Finding(fc.name, start, end, f"disparages other sellers: '{fc.text[start:end]}'")
