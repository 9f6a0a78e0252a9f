"""text, json and jsonl: the formats every run can stream."""

from __future__ import annotations

from typing import TextIO

from scanner.core.models import Problem, ScanSummary
from scanner.formatters.base import Formatter


class JsonlFormatter(Formatter):
    """One Problem record per line, keys exactly as the contract in docs/architecture.md."""

    name = "jsonl"

    def write(self, problem: Problem) -> None:
        self.out.write(problem.to_json() + "\n")


class JsonFormatter(Formatter):
    """A single JSON array, written incrementally so nothing is held in memory."""

    name = "json"

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.count = 0

    def write(self, problem: Problem) -> None:
        self.out.write("[\n  " if self.count == 0 else ",\n  ")
        self.out.write(problem.to_json())
        self.count += 1

    def close(self, summary: ScanSummary) -> None:
        self.out.write("[]\n" if self.count == 0 else "\n]\n")
        super().close(summary)


class TextFormatter(Formatter):
    """Human output: where, what, and the original text with the match in [[ ]]."""

    name = "text"

    def write(self, problem: Problem) -> None:
        where = problem.source or problem.listing
        mark = f" [{problem.mark}]" if problem.mark else ""
        context = problem.extra.get("context") if problem.extra else None
        shown = context or f"[[{problem.text}]]"
        self.out.write(
            f"{where}: {problem.listing} {problem.field}:{problem.start}-{problem.end} "
            f"{problem.code} {problem.severity.label}{mark} {problem.message}\n    {shown}\n"
        )
