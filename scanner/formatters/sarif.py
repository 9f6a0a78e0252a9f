"""SARIF 2.1.0: one run, the rule catalog as ``tool.driver.rules``, one result per problem.

Stable for code-scanning tools: ``ruleId`` is the rule code (TM102), every rule carries its
name, short and full description and help text, and every result carries
``partialFingerprints["listguardFingerprint/v1"]`` (the Problem fingerprint, which survives
row reordering and edits elsewhere in the listing) so alerts are tracked across runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scanner.formatters.base import BufferingFormatter
from scanner.core.models import Problem, ScanSummary, Severity

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "listguardFingerprint/v1"
INFORMATION_URI = "https://github.com/listguard/listguard"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass(frozen=True)
class RuleInfo:
    """The rule metadata formatters need; mirrors the attributes of ``scanner.core.rules.RULES``."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str


# Used only until (or if) scanner.core.rules.RULES is importable: the table in ARCHITECTURE.md.
_FALLBACK = (
    ("TM100", "nominative-use", "info", "A mark in a compatibility context: allowed."),
    ("TM101", "unauthorized-brand", "warning", "A mark that is not the seller's own or authorized brand."),
    ("TM102", "counterfeit-cue", "error", "A mark next to a counterfeit cue (replica, 1:1, 高仿, A货...)."),
    ("TM103", "lookalike-reference", "error", "A mark used as a style or equivalence (同款, 平替, dupe, -style)."),
    ("TM104", "brand-comparison", "error", "A comparison with a mark (媲美, better than)."),
    ("TM105", "negated-brand", "warning", "\"not X\", \"non-X\", 非X: still a use of the mark."),
    ("TM106", "brand-stuffing", "error", "Several unrelated marks, or marks in keyword or hidden fields."),
    ("TM107", "brand-mismatch", "warning", "A mark in the text differs from the listing's declared brand."),
    ("TM108", "evasion-spelling", "error", "A mark written to dodge filters (N-i-k-e, homoglyphs, 耐-克)."),
    ("TM109", "authenticity-claim", "warning", "正品/专柜/authentic about someone else's brand without authorization."),
    ("TM110", "counterfeit-vocabulary", "warning", "Counterfeit vocabulary with no specific mark (高仿名牌)."),
    ("DS201", "disparaging-competitor", "error", "Disparaging other sellers or brands (别家都是假货)."),
)


def _severity(value: Any) -> Severity:
    if isinstance(value, Severity):
        return value
    return Severity.parse(str(value))


def rule_catalog() -> list[RuleInfo]:
    """Every rule in code order, from ``scanner.core.rules.RULES`` when it exists."""
    try:
        from scanner.core.rules import RULES  # type: ignore[attr-defined]
    except ImportError:
        RULES = None
    if RULES:
        infos = [
            RuleInfo(r.code, r.name, _severity(r.severity), r.summary or r.name, r.explanation or r.summary)
            for r in RULES
        ]
    else:
        infos = [RuleInfo(c, n, Severity.parse(s), t, t) for c, n, s, t in _FALLBACK]
    return sorted(infos, key=lambda r: r.code)


def artifact_and_line(source: str) -> tuple[str, int | None]:
    """Split a Problem's ``path:line`` source; a bare path or empty string has no line."""
    path, sep, line = source.rpartition(":")
    if sep and line.isdigit() and path:
        return path, int(line)
    return source, None


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": f"{rule.explanation}\n\nMore: listguard explain {rule.code}",
            "markdown": f"**{rule.code} {rule.name}**\n\n{rule.explanation}\n\n"
            f"More: `listguard explain {rule.code}`",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["trademark" if rule.code.startswith("TM") else "disparagement"]},
    }


def _location(problem: Problem) -> dict[str, Any]:
    path, line = artifact_and_line(problem.source)
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": problem.field, "fullyQualifiedName": f"{problem.listing}/{problem.field}", "kind": "member"}
        ]
    }
    if path:
        physical: dict[str, Any] = {"artifactLocation": {"uri": path.replace("\\", "/")}}
        if line:
            physical["region"] = {"startLine": line, "snippet": {"text": problem.text}}
        location["physicalLocation"] = physical
    return location


class SarifFormatter(BufferingFormatter):
    name = "sarif"

    def render(self, summary: ScanSummary) -> str:
        return json.dumps(self.document(summary), ensure_ascii=False, indent=2) + "\n"

    def document(self, summary: ScanSummary) -> dict[str, Any]:
        from scanner import __version__

        rules = rule_catalog()
        index = {rule.code: i for i, rule in enumerate(rules)}
        driver = {
            "name": "listguard",
            "version": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule_descriptor(rule) for rule in rules],
        }
        run = {
            "tool": {"driver": driver},
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": [self._result(p, index) for p in self.problems],
        }
        return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}

    @staticmethod
    def _result(problem: Problem, index: dict[str, int]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": problem.code,
            "level": LEVELS[problem.severity],
            "message": {"text": f"{problem.listing} {problem.field}: {problem.message}"},
            "locations": [_location(problem)],
            "properties": {
                "listing": problem.listing,
                "field": problem.field,
                "start": problem.start,
                "end": problem.end,
                "text": problem.text,
                "mark": problem.mark,
                "owner": problem.owner,
                "rule": problem.rule,
            },
        }
        if problem.code in index:
            result["ruleIndex"] = index[problem.code]
        if problem.fingerprint:
            result["partialFingerprints"] = {FINGERPRINT_KEY: problem.fingerprint}
        suppression = problem.extra.get("suppression") if problem.extra else None
        if suppression:  # shown by --show-suppressed
            result["suppressions"] = [{
                "kind": "external", "status": "accepted",
                "justification": f"{suppression['reason']} ({suppression['who']}, {suppression['source']})",
            }]
        return result
