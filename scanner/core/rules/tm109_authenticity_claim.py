"""TM109 authenticity-claim: 正品/专柜/代购/authentic/genuine about someone else's brand.

Claiming goods are genuine, from the counter, or bought abroad (代购) puts the burden of proof
on the seller: an appeal needs an authorization letter or a verifiable invoice. Silenced by an
authorization in the registry, or when the brand is the seller's own.

Okay: [brand=Coach] Coach genuine leather tote
TM109: 正品 Gucci 腰带
TM109: Authentic Chanel wallet
"""

from __future__ import annotations

from scanner.core.context import MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import CueRule


class AuthenticityClaim(CueRule):
    code = "TM109"
    name = "authenticity-claim"
    severity = Severity.WARNING
    summary = "正品/专柜/代购/authentic/genuine about someone else's brand without authorization"
    cue_kind = "authenticity"
    template = "{mark} claimed '{cue}' without an authorization on file"

    def applies(self, hit: MarkHit) -> bool:
        return not (hit.nominative or hit.silenced or hit.doubtful or "counterfeit" in hit.cues)
