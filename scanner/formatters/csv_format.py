"""CSV: one row per problem, the JSONL contract's keys as columns, safe to open in a spreadsheet.

Listing text is attacker-controlled (a competitor can write any title), so every cell that a
spreadsheet would read as a formula, i.e. one starting with ``= + - @``, a tab or a carriage
return, is prefixed with a single quote (OWASP "CSV injection" advice). Numbers we emit
ourselves (``start``, ``end``) are never negative and are left alone.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from scanner.core.models import Problem, ScanSummary
from scanner.formatters.base import Formatter

COLUMNS = (
    "listing", "field", "code", "rule", "severity", "mark", "owner",
    "start", "end", "text", "message", "source", "fingerprint",
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a string cell that a spreadsheet would evaluate; leave other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class CsvFormatter(Formatter):
    name = "csv"

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(COLUMNS)

    def write(self, problem: Problem) -> None:
        record = problem.to_dict()
        self.writer.writerow(["" if record[c] is None else neutralise(record[c]) for c in COLUMNS])

    def close(self, summary: ScanSummary) -> None:
        super().close(summary)
