"""listguard: a listing compliance scanner for e-commerce sellers.

The public API, importable from here::

    from scanner import Listing, ScanSettings, Scanner, bundled_marks, run_scan

Names are resolved on first use (PEP 562), so ``import scanner`` stays cheap for commands
that need little of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from scanner import _build  # noqa: E402  (decides compiled or pure before any core import)

_build.install()

_EXPORTS = {
    "Listing": "scanner.core.models",
    "Problem": "scanner.core.models",
    "Severity": "scanner.core.models",
    "Scanner": "scanner.core.engine",
    "ScanSettings": "scanner.core.engine",
    "read_listings": "scanner.sources",
    "bundled_marks": "trademarks.lists",
    "run_scan": "scanner.workflows.run",
    "RunOptions": "scanner.workflows.run",
    "ScanReport": "scanner.workflows.run",
    "ReadSettings": "scanner.runners.stream",
}
__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors; `X as X` marks a re-export
    from scanner.core.engine import ScanSettings as ScanSettings, Scanner as Scanner
    from scanner.core.models import Listing as Listing, Problem as Problem, Severity as Severity
    from scanner.runners.stream import ReadSettings as ReadSettings
    from scanner.sources import read_listings as read_listings
    from scanner.workflows.run import RunOptions as RunOptions, ScanReport as ScanReport, run_scan as run_scan
    from trademarks.lists import bundled_marks as bundled_marks


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scanner' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
