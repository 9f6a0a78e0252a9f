"""TM111 brand-mention: a mark named with no cue and nothing declared to check it against.

The product's own brand in a listing that declares none ("Levi's Men 511 Slim Jeans",
"海尔（Haier）BCD-470 冰箱"), or a brand mentioned along the way, with no compatibility,
licence or resale context. In real catalogs this is almost always the product's real brand
or an honest mention, so it is info, not a warning; the message says what a reseller needs on
file if a rights holder asks (an authorization letter or a verifiable invoice). Declare your
brands (``--own-brand``, ``listguard authorize``) and the product brands outside them become
TM101 warnings; declare the listing's brand and a different product brand becomes TM107.

Okay: [brand=Levi's] Levi's Men 511 Slim Fit Jeans
TM111: Levi's Men 511 Slim Fit Jeans
TM111: 海尔（Haier）BCD-470 冰箱
"""

from __future__ import annotations

from scanner.core.context import ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import EVIDENCE, Rule, describe


class BrandMention(Rule):
    code = "TM111"
    name = "brand-mention"
    severity = Severity.INFO
    summary = "a mark named with no cue and nothing declared to check it against: keep the evidence on file"

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        if hit.brand_position:
            return (f"{describe(hit)} named as the product's brand: if you resell it, {EVIDENCE}; "
                    "if it is yours, declare it (--own-brand)")
        return (f"{describe(hit)} mentioned with no stated purpose: name another brand only to state "
                "compatibility ('for X', '适用于X'), and keep the licence on file if the goods are licensed")
