"""TM107 brand-mismatch: the product's brand in the text is not the listing's declared brand.

A listing that declares brand "Acme" but puts "Nike" where titles put the brand (first in the
title, or named as the maker) presents Acme's product as Nike's. A mark named elsewhere in the
title is a mention, not the product's brand (TM111, info), and marks of the declared brand's
owner group are fine (an Apple listing may name AirPods; a Disney listing Marvel). Licensed
goods (a character on a named maker's product, a scale model), compatibility and resale are
TM112 or TM100, not this.

Okay: [brand=Apple] Apple AirPods Pro with MagSafe case
Okay: [brand=Disney] Marvel Avengers lunch box
TM107: [brand=Acme] Nike running shoes
"""

from __future__ import annotations

from scanner.core.context import BRAND, MARKS, ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import Rule, describe


class BrandMismatch(Rule):
    code = "TM107"
    name = "brand-mismatch"
    severity = Severity.WARNING
    summary = "the product's brand in the text differs from the listing's declared brand"
    needs = frozenset({MARKS, BRAND})

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        return (f"{describe(hit)} stands as the product's brand in a listing of brand '{ctx.listing.brand}': "
                "declare the brand the product really is, or name this one only for compatibility")
