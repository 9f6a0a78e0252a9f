"""TM103 lookalike-reference: a mark used as a style or an equivalent.

"Nike同款", "Chanel-style bag", "inspired by Dior", "YSL平替", "香奶奶风": selling a product as
the same style as, or a substitute for, a branded one trades on the mark. Authorization does
not cover this wording.

Okay: Quilted shoulder bag with a gold chain
TM103: Chanel-style quilted bag
TM103: 耐克同款运动鞋
TM103: Perfume inspired by Dior Sauvage
"""

from __future__ import annotations

from scanner.core.models import Severity
from scanner.core.rules.base import CueRule


class LookalikeReference(CueRule):
    code = "TM103"
    name = "lookalike-reference"
    severity = Severity.ERROR
    summary = "a mark used as a style or equivalence (同款, 平替, X风格, -style, inspired by, dupe)"
    cue_kind = "lookalike"
    template = "{mark} used as a style reference ('{cue}')"
