"""The rule catalog: each rule's metadata as a plain record, for formatters and workflows.

SARIF's ``tool.driver.rules``, the HTML report's rule names, the config's valid codes and
the history's ``rules_version`` all read this one table; it is built from ``RULES``, so it
cannot drift from the rules that run.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.core.models import Severity
from scanner.core.rules import RULES


@dataclass(frozen=True)
class RuleInfo:
    """The rule metadata formatters need: the attributes of a ``Rule``, without its logic."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str


def rule_catalog() -> list[RuleInfo]:
    """Every rule, sorted by code (DS201 first: SARIF rule indexes depend on this order)."""
    infos = [RuleInfo(r.code, r.name, r.severity, r.summary or r.name, r.explanation or r.summary) for r in RULES]
    return sorted(infos, key=lambda r: r.code)
