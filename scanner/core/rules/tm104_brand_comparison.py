"""TM104 brand-comparison: a product compared with a mark.

"媲美Dior", "不输Nike", "better than Apple AirPods", "Dior quality at a fraction of the
price": comparative claims about a brand draw complaints from its owner. Besides the phrases of
the comparison lexicon, a comparative built around the mark counts: 比 right before it and
更/还 right after it ("比耐克更好穿"; 性价比 before a brand is not one), and an English -er or
more/less adjective before "than" ("lighter than Nike"; "other than", "rather than" are not).

Okay: Apple juice, better than soda
TM104: Earbuds better than AirPods
TM104: 音质媲美Bose
TM104: 比耐克更轻的跑鞋
"""

from __future__ import annotations

from scanner.core.models import Severity
from scanner.core.rules.base import CueRule


class BrandComparison(CueRule):
    code = "TM104"
    name = "brand-comparison"
    severity = Severity.ERROR
    summary = "a comparison with a mark (媲美, 不输, better than, X quality at a Y price)"
    cue_kind = "comparison"
    template = "{mark} in a comparison ('{cue}')"
