"""TM104 brand-comparison: a product compared with a mark.

"媲美Dior", "不输Nike", "better than Apple AirPods", "Dior quality at a fraction of the
price": comparative claims about a brand draw complaints from its owner.

Okay: Apple juice, better than soda
TM104: Earbuds better than AirPods
TM104: 音质媲美Bose
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
