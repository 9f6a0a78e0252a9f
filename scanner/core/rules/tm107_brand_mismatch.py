"""TM107 brand-mismatch: the text names a mark other than the listing's declared brand.

A listing that declares brand "Acme" but says "Nike" in its title is using Nike's mark on
Acme's product. Marks of the declared brand's owner are fine (an Apple listing may name
AirPods).

Okay: [brand=Apple] Apple AirPods Pro with MagSafe case
TM107: [brand=Acme] Nike running shoes
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import BRAND, MARKS, ListingContext
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule, bare_use, describe, finding


class BrandMismatch(Rule):
    code = "TM107"
    name = "brand-mismatch"
    severity = Severity.WARNING
    summary = "a mark in the text differs from the listing's declared brand"
    needs = frozenset({MARKS, BRAND})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        declared = ctx.listing.brand
        if not declared:
            return
        for hit in ctx.mark_hits():
            if bare_use(hit):
                yield finding(hit, f"{describe(hit)} in a listing of brand '{declared}'")
