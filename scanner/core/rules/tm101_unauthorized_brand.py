"""TM101 unauthorized-brand: the product's brand is none of the brands the seller declared.

A seller who declares its brands (``--own-brand``, the config file's ``own-brand``, or
authorizations in the registry, ``listguard authorize``) gets this warning when a listing's
product brand, the mark standing where titles put the brand (first in the title, or named as
the maker: "by X", X出品), is none of them, with no compatibility, licence or resale context
and no cue another rule reports. Rights holders file "improper use" complaints against these:
on Taobao the listing is deleted and each violation costs 2 points. A listing that declares a
brand of its own gets TM107 instead; with no brands declared anywhere the same mention is
TM111 (info).

Okay: [brand=Nike] Nike Air Zoom Pegasus running shoes
Okay: [own-brand=Acme] Acme trail running shoes
TM101: [own-brand=Acme] Nike Air Zoom Pegasus running shoes
"""

from __future__ import annotations

from scanner.core.context import MARKS, NO_BRAND, ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import EVIDENCE, Rule, describe


class UnauthorizedBrand(Rule):
    code = "TM101"
    name = "unauthorized-brand"
    severity = Severity.WARNING
    summary = "the product's brand is none of the seller's declared own or authorized brands"
    needs = frozenset({MARKS, NO_BRAND})

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        return (f"{describe(hit)} is the product's brand and none of your declared brands: sell it only "
                f"with its authorization ({EVIDENCE}), or name it only for compatibility")
