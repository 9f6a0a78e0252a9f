"""TM100 nominative-use: a mark named to say what a product fits or works with.

Marketplaces allow naming another company's product to describe compatibility ("compatible
with iPhone 15", "适用于苹果/华为"), and so does an accessory that names the device it fits
with no cue word at all: device brand (and model) plus a part that only ever fits something
("vivo X100 硅胶手机壳", "Honda Civic floor mats", "HP 803 墨盒", "iPhone 13 换电池"), or a
product such as a charger or earphones once a model code or device noun says what it is for.
A list of devices is one statement ("华为小米OPPO通用"). Reported at info level so a reviewer
sees it was recognised; it never fails a run at the default --fail-on. A compatibility cue
word also silences the cue rules; an accessory alone does not ("高仿苹果数据线" is TM102).
An origin claim on an accessory ("原装", "original", "genuine Apple") is no compatibility:
TM109 reports it.

Okay: [brand=Apple] Case compatible with iPhone 15 Pro
TM100: Phone case compatible with iPhone 15 Pro
TM100: 手机壳 适用于苹果/华为
TM100: vivo X100 硅胶手机壳
"""

from __future__ import annotations

from scanner.core.context import ListingContext, MarkHit
from scanner.core.models import Severity
from scanner.core.rules.base import Rule, describe


class NominativeUse(Rule):
    code = "TM100"
    name = "nominative-use"
    severity = Severity.INFO
    summary = "a mark in a compatibility context, with a cue word or an accessory that fits it: allowed"

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        cue = hit.cues.get("nominative")
        if cue is not None:
            return f"{describe(hit)} named for compatibility ('{ctx.cue_text(hit.field, cue)}'): allowed"
        accessory = ctx.cue_text(hit.field, hit.accessory) if hit.accessory is not None else ""
        return (f"{describe(hit)} named for what the accessory fits ('{accessory}'): allowed; "
                "'适用于'/'for' before the brand makes it plain")
