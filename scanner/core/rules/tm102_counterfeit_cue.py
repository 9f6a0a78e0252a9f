"""TM102 counterfeit-cue: a mark in the same sentence as a counterfeit cue.

"Rolex replica 1:1", "高仿LV", "耐克莆田", "AAA quality Gucci": selling counterfeits is a
serious violation that can close a shop. Reported even for the seller's own or authorized
brand, because the wording itself is the violation. Harmless uses are left alone: a 1:18
die-cast "replica" (scale-model context), "fake fur", "faux leather", "仿真花", "假一赔十".

Okay: [brand=Ferrari] Ferrari F40 1:18 die-cast replica model
Okay: Faux leather jacket, fake fur collar
TM102: Rolex Submariner replica 1:1 automatic
TM102: 高仿LV老花包
"""

from __future__ import annotations

from scanner.core.models import Severity
from scanner.core.rules.base import CueRule


class CounterfeitCue(CueRule):
    code = "TM102"
    name = "counterfeit-cue"
    severity = Severity.ERROR
    summary = "a mark next to a counterfeit cue (replica, 1:1, AAA, 高仿, A货, 原单, 复刻, 莆田...)"
    cue_kind = "counterfeit"
    template = "{mark} with counterfeit cue '{cue}': remove the cue, or the mark"
