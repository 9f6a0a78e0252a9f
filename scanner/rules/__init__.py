"""The rule registry: every rule, in code order. Codes are stable; see ARCHITECTURE.md."""

from __future__ import annotations

from scanner.rules.base import Finding, Rule
from scanner.rules.ds201_disparaging_competitor import DisparagingCompetitor
from scanner.rules.tm100_nominative import NominativeUse
from scanner.rules.tm101_unauthorized_brand import UnauthorizedBrand
from scanner.rules.tm102_counterfeit_cue import CounterfeitCue
from scanner.rules.tm103_lookalike_reference import LookalikeReference
from scanner.rules.tm104_brand_comparison import BrandComparison
from scanner.rules.tm105_negated_brand import NegatedBrand
from scanner.rules.tm106_brand_stuffing import BrandStuffing
from scanner.rules.tm107_brand_mismatch import BrandMismatch
from scanner.rules.tm108_evasion_spelling import EvasionSpelling
from scanner.rules.tm109_authenticity_claim import AuthenticityClaim
from scanner.rules.tm110_counterfeit_vocabulary import CounterfeitVocabulary

RULES: tuple[Rule, ...] = (
    NominativeUse(),
    UnauthorizedBrand(),
    CounterfeitCue(),
    LookalikeReference(),
    BrandComparison(),
    NegatedBrand(),
    BrandStuffing(),
    BrandMismatch(),
    EvasionSpelling(),
    AuthenticityClaim(),
    CounterfeitVocabulary(),
    DisparagingCompetitor(),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Finding", "Rule"]
