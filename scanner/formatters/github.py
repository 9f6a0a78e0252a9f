"""GitHub Actions workflow-command annotations: ``::error file=F,line=N,title=T::message``.

Escaping follows @actions/core: in the message ``%``, CR and LF are percent-encoded; in
properties ``:`` and ``,`` are too, so a listing id or path cannot break the command.
"""

from __future__ import annotations

from scanner.core.models import Problem, ScanSummary, Severity
from scanner.formatters.base import Formatter
from scanner.formatters.sarif import artifact_and_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    path, line = artifact_and_line(problem.source)
    props = []
    if path:
        props.append(f"file={escape_property(path)}")
    if line:
        props.append(f"line={line}")
    props.append(f"title={escape_property(f'{problem.code} {problem.rule}')}")
    mark = f" [{problem.mark}]" if problem.mark else ""
    message = f"{problem.listing} {problem.field}: {problem.message}{mark} ({problem.text})"
    return f"::{COMMANDS[problem.severity]} {','.join(props)}::{escape_data(message)}"


class GithubFormatter(Formatter):
    name = "github"

    def write(self, problem: Problem) -> None:
        self.out.write(annotation(problem) + "\n")

    def close(self, summary: ScanSummary) -> None:
        super().close(summary)
