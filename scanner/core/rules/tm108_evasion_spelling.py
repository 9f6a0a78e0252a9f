"""TM108 evasion-spelling: a mark written to dodge filters.

"N-i-k-e", "G.U.C.C.I", "耐-克", "N1ke", "Gucc1", "@didas", Cyrillic look-alike letters, zero-width characters
inside the word, one-letter misspellings of a famous mark where the listing backs the brand
("Guccii belt bag", "Rolexx submariner"), and the nicknames only the counterfeit trade uses
(驴牌 for Louis Vuitton, 香奶奶 for Chanel, 水鬼 for the Submariner: the list marks such forms
``{nickname}``). Platforms read these as deliberate infringement, so they are errors.

Okay: Wi-Fi T-shirt 3.5mm
TM108: N-i-k-e running shoes
TM108: G.U.C.C.I belt
TM108: 耐-克 运动鞋
TM108: GUCC1 belt bag
"""

from __future__ import annotations

from scanner.core.context import EVASION, MARKS, ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import Rule, describe


class EvasionSpelling(Rule):
    code = "TM108"
    name = "evasion-spelling"
    severity = Severity.ERROR
    summary = "a mark written to dodge filters (N-i-k-e, homoglyphs, zero-width characters, 耐-克, leetspeak)"
    needs = frozenset({MARKS, EVASION})

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        if hit.nickname:
            return f"{describe(hit)} written as the counterfeit trade's nickname for it: remove it"
        return f"{describe(hit)} spelled to evade brand filters"
