"""Builders for the workflow tests: real Problems, as the engine stamps them."""

from __future__ import annotations

from typing import Any

from scanner.core.models import Problem, Severity, fingerprint

RULE_NAMES = {
    "TM100": "nominative-use", "TM101": "unauthorized-brand", "TM102": "counterfeit-cue",
    "TM103": "lookalike-reference", "TM105": "negated-brand", "TM109": "authenticity-claim",
    "TM110": "counterfeit-vocabulary", "DS201": "disparaging-competitor",
}
SEVERITIES = {"TM100": Severity.INFO, "TM101": Severity.WARNING, "TM102": Severity.ERROR,
              "TM103": Severity.ERROR, "TM105": Severity.WARNING, "TM109": Severity.WARNING,
              "TM110": Severity.WARNING, "DS201": Severity.ERROR}


def make_problem(
    listing: str = "SKU-1",
    code: str = "TM102",
    text: str = "Nike",
    mark: str | None = "Nike",
    owner: str | None = "Nike, Inc.",
    field: str = "title",
    start: int = 0,
    source: str = "catalog.csv:2",
    message: str = "mark next to a counterfeit cue",
    **extra: Any,
) -> Problem:
    return Problem(
        listing=listing, field=field, start=start, end=start + len(text), code=code,
        rule=RULE_NAMES.get(code, "rule"), severity=SEVERITIES.get(code, Severity.ERROR),
        mark=mark, owner=owner, text=text, message=message, source=source,
        fingerprint=fingerprint(listing, field, code, mark, text.casefold()), extra=extra,
    )
