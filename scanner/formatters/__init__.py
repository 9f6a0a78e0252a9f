"""Output formats. Each formatter writes results to one text stream (stdout by default).

A formatter is a class with ``__init__(out)``, ``write(problem)`` called once per problem in
output order, and ``close(summary)`` called once at the end; formats that need every problem
(SARIF, HTML) buffer in ``write`` and render in ``close``. Register new ones in FORMATTERS.
"""

from __future__ import annotations

from typing import Callable, TextIO

from scanner.formatters.base import Formatter
from scanner.formatters.csv_format import CsvFormatter
from scanner.formatters.github import GithubFormatter
from scanner.formatters.html_report import HtmlFormatter
from scanner.formatters.sarif import SarifFormatter
from scanner.formatters.simple import JsonFormatter, JsonlFormatter, TextFormatter

FORMATTERS: dict[str, Callable[[TextIO], Formatter]] = {
    "text": TextFormatter,
    "json": JsonFormatter,
    "jsonl": JsonlFormatter,
    "sarif": SarifFormatter,
    "github": GithubFormatter,
    "csv": CsvFormatter,
    "html": HtmlFormatter,
}


def get_formatter(name: str, out: TextIO) -> Formatter:
    return FORMATTERS[name](out)
