"""SARIF 2.1.0: one run, the rule catalog as ``tool.driver.rules``, one result per problem.

Stable for code-scanning tools: ``ruleId`` is the rule code (TM102), every rule carries its
name, short and full description and help text, and every result carries
``partialFingerprints["listguardFingerprint/v1"]`` (the Problem fingerprint, which survives
row reordering and edits elsewhere in the listing) so alerts are tracked across runs.
"""

from __future__ import annotations

import json
from typing import Any

from scanner.core.models import Problem, ScanSummary, Severity
from scanner.core.rules.catalog import RuleInfo, rule_catalog
from scanner.formatters.base import BufferingFormatter

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "listguardFingerprint/v1"
INFORMATION_URI = "https://github.com/listguard/listguard"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


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
