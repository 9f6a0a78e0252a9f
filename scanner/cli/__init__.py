"""The command line: the only code that talks to the terminal (see scanner/cli/main.py)."""

from typing import Any

from scanner.cli.main import main

__all__ = ["build_scanner", "main"]


def __getattr__(name: str) -> Any:
    if name == "build_scanner":  # re-exported for scripts; imported when asked for
        from scanner.workflows.scanners import build_scanner

        return build_scanner
    raise AttributeError(f"module 'scanner.cli' has no attribute {name!r}")
