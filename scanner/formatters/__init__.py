"""Output formats. Each formatter writes results to one text stream (stdout by default).

A formatter is a class with ``__init__(out)``, ``write(problem)`` called once per problem in
output order, and ``close(summary)`` called once at the end; formats that need every problem
(SARIF, HTML) buffer in ``write`` and render in ``close``. Register new ones in FORMATTERS.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable, TextIO

if TYPE_CHECKING:
    from scanner.formatters.base import Formatter

# name -> (module, class): a formatter's module is imported when the format is chosen, so a
# command pays only for the one it writes (start-up, docs/performance.md).
_CLASSES = {
    "text": ("scanner.formatters.simple", "TextFormatter"),
    "json": ("scanner.formatters.simple", "JsonFormatter"),
    "jsonl": ("scanner.formatters.simple", "JsonlFormatter"),
    "sarif": ("scanner.formatters.sarif", "SarifFormatter"),
    "github": ("scanner.formatters.github", "GithubFormatter"),
    "csv": ("scanner.formatters.csv_format", "CsvFormatter"),
    "html": ("scanner.formatters.html_report", "HtmlFormatter"),
}


def formatter_class(name: str) -> Callable[[TextIO], Formatter]:
    module, cls = _CLASSES[name]
    return getattr(importlib.import_module(module), cls)


def _lazy(name: str) -> Callable[[TextIO], Formatter]:
    return lambda out: formatter_class(name)(out)


FORMATTERS: dict[str, Callable[[TextIO], Formatter]] = {name: _lazy(name) for name in _CLASSES}


def get_formatter(name: str, out: TextIO) -> Formatter:
    return formatter_class(name)(out)
