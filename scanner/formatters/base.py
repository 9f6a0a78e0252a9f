"""The formatter protocol."""

from __future__ import annotations

from typing import TextIO

from scanner.models import Problem, ScanSummary


class Formatter:
    name = "base"

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, problem: Problem) -> None:
        raise NotImplementedError

    def close(self, summary: ScanSummary) -> None:
        self.out.flush()
