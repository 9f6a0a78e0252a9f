"""TM100 nominative-use: a mark named to say what a product fits or works with.

Marketplaces allow naming another company's product to describe compatibility ("compatible
with iPhone 15", "适用于苹果/华为"). This is reported at info level so a reviewer can see it
was recognised; it never fails a run at the default --fail-on, and no other rule reports the
same mention. A cue covers the marks listed after it ("适用于苹果/华为/小米").

Okay: [brand=Apple] Case compatible with iPhone 15 Pro
TM100: Phone case compatible with iPhone 15 Pro
TM100: 手机壳 适用于苹果/华为
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import MARKS, ListingContext, cue_facet
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule, describe, finding


class NominativeUse(Rule):
    code = "TM100"
    name = "nominative-use"
    severity = Severity.INFO
    summary = "a mark in a compatibility context: allowed"
    needs = frozenset({MARKS, cue_facet("nominative")})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for hit in ctx.mark_hits():
            if hit.nominative and not (hit.own or hit.doubtful):
                cue = ctx.cue_text(hit.field, hit.cues["nominative"])
                yield finding(hit, f"{describe(hit)} named for compatibility ('{cue}'): allowed")
