"""TM112 licensed-or-resale: a mark on licensed goods, a scale model, or goods resold.

"Official licensed", 官方授权, "licensed by"; a character or franchise on a named maker's goods
("Ravensburger Disney Frozen puzzle"); die-cast and kit models ("Maisto 1:24 Porsche 911");
second-hand and refurbished goods (二手, "used", "pre-owned"); 正品 or "authentic" said of the
product's own brand with nothing declared. All are allowed when true, so this is info; the
message names the evidence a rights holder would ask for (the licence agreement, the purchase
invoice). A licence claim is still a claim: when the seller has declared its brands and
authorizations and this brand is not among them, TM109 warns instead.

Okay: [brand=Mattel] Barbie Dreamhouse playset
TM112: Maisto 1:24 Porsche 911 die-cast model
TM112: 二手 Nike Air Max 90 跑鞋
TM112: Official licensed Marvel Spider-Man backpack
"""

from __future__ import annotations

from scanner.core import precedence as P
from scanner.core.context import ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import Rule, describe


class LicensedOrResale(Rule):
    code = "TM112"
    name = "licensed-or-resale"
    severity = Severity.INFO
    summary = "a mark on licensed goods, a scale model or resold goods: allowed, with the evidence on file"

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        facts = hit.facts
        if P.RESALE in facts:
            cue = hit.cues.get("resale") or hit.cues.get("authenticity")
            said = f" ('{ctx.cue_text(hit.field, cue)}')" if cue is not None else ""
            return (f"{describe(hit)} resold{said}: keep the verifiable purchase invoice from an authorized "
                    "channel on file (a receipt does not count)")
        if P.SCALE_MODEL in facts:
            return f"{describe(hit)} on a scale model: keep the model maker's licence from the rights holder on file"
        cue = hit.cues.get("licence")
        if cue is not None:
            said = f" ('{ctx.cue_text(hit.field, cue)}')"
        elif ctx.listing.brand:
            said = f" of '{ctx.listing.brand}'"
        else:
            said = " (named beside the product's maker)"
        return f"{describe(hit)} on licensed goods{said}: keep the licence agreement with the rights holder on file"
