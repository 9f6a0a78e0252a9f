"""The formatter protocol."""

from __future__ import annotations

from typing import TextIO

from scanner.core.models import Problem, ScanSummary


class Formatter:
    name = "base"

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, problem: Problem) -> None:
        raise NotImplementedError

    def close(self, summary: ScanSummary) -> None:
        self.out.flush()


class BufferingFormatter(Formatter):
    """For formats that are one document (SARIF, HTML): keep every problem, render at close."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.problems: list[Problem] = []

    def write(self, problem: Problem) -> None:
        self.problems.append(problem)

    def close(self, summary: ScanSummary) -> None:
        self.out.write(self.render(summary))
        super().close(summary)

    def render(self, summary: ScanSummary) -> str:
        raise NotImplementedError
