"""TM109 authenticity-claim: 正品/专柜/代购/原装/authentic/genuine about someone else's brand.

Claiming goods are genuine, from the counter, bought abroad (代购) or original parts (原装,
"genuine Apple" on a cable) puts the burden of proof on the seller: an appeal needs an
authorization letter or a verifiable invoice. Silenced by an authorization in the registry,
the seller's own brand, or a word that names the product rather than claims anything ("Vans
Authentic", "Levi's 501 Original Fit"). 正品 or 专柜 said of the product's own brand with
nothing declared is resale (TM112, info), except for a luxury house, which authorizes no
marketplace reseller. A licence claim ("official licensed", 官方授权) is reported here when the
seller has declared its brands and authorizations and this brand is not among them.

Okay: [brand=Coach] Coach genuine leather tote
TM109: 正品 Gucci 腰带
TM109: Authentic Chanel wallet
TM109: 原装苹果数据线 适用iPhone 15
"""

from __future__ import annotations

from scanner.core.context import MARKS, ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import EVIDENCE, CueRule, describe


class AuthenticityClaim(CueRule):
    code = "TM109"
    name = "authenticity-claim"
    severity = Severity.WARNING
    summary = "正品/专柜/代购/原装/authentic/genuine, or a licence, claimed for someone else's brand"
    cue_kind = "authenticity"
    needs = frozenset({MARKS})  # an authenticity cue, or a licence cue the declarations do not back

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        cue = hit.cues.get("authenticity") or hit.cues.get("licence")
        said = ctx.cue_text(hit.field, cue) if cue is not None else ""
        return f"{describe(hit)} claimed '{said}' without an authorization on file: {EVIDENCE}"
