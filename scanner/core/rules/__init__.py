"""The rule registry: every rule, in code order. Codes are stable (docs/architecture.md)."""

from __future__ import annotations

from scanner.core.rules.base import Finding, Rule
from scanner.core.rules.ds201_disparaging_competitor import DisparagingCompetitor
from scanner.core.rules.tm100_nominative import NominativeUse
from scanner.core.rules.tm101_unauthorized_brand import UnauthorizedBrand
from scanner.core.rules.tm102_counterfeit_cue import CounterfeitCue
from scanner.core.rules.tm103_lookalike_reference import LookalikeReference
from scanner.core.rules.tm104_brand_comparison import BrandComparison
from scanner.core.rules.tm105_negated_brand import NegatedBrand
from scanner.core.rules.tm106_brand_stuffing import BrandStuffing
from scanner.core.rules.tm107_brand_mismatch import BrandMismatch
from scanner.core.rules.tm108_evasion_spelling import EvasionSpelling
from scanner.core.rules.tm109_authenticity_claim import AuthenticityClaim
from scanner.core.rules.tm110_counterfeit_vocabulary import CounterfeitVocabulary
from scanner.core.rules.tm111_brand_mention import BrandMention
from scanner.core.rules.tm112_licensed_or_resale import LicensedOrResale

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
    BrandMention(),
    LicensedOrResale(),
    DisparagingCompetitor(),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_CODE", "Finding", "Rule"]
