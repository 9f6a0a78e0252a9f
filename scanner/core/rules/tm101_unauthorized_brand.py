"""TM101 unauthorized-brand: someone else's mark used with no allowed context.

A mark that is not the seller's own brand (``--own-brand``, the listing's declared ``brand``
or an authorization in the registry) and is not named for compatibility. Rights holders file
"improper use" complaints against these: on Taobao the listing is deleted and each
violation costs 2 points. Listings that declare a different brand get TM107 instead.

Okay: [brand=Nike] Nike Air Zoom Pegasus running shoes
Okay: Fresh apple juice
TM101: Nike Air Zoom Pegasus running shoes
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import MARKS, NO_BRAND, ListingContext
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule, bare_use, describe, finding


class UnauthorizedBrand(Rule):
    code = "TM101"
    name = "unauthorized-brand"
    severity = Severity.WARNING
    summary = "a mark that is not the seller's own or authorized brand, with no allowed context"
    needs = frozenset({MARKS, NO_BRAND})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        if ctx.listing.brand:
            return
        for hit in ctx.mark_hits():
            if bare_use(hit):
                yield finding(hit, f"{describe(hit)} is not your brand; name it only to state compatibility")
