"""The command line: the only code that talks to the terminal (see scanner/cli/main.py)."""

from scanner.cli.main import build_scanner, main

__all__ = ["build_scanner", "main"]
