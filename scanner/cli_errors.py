"""How a failing command says so: one line on stderr with the prefix every listguard command
uses (``listguard: error:``), the documented exit code, no traceback."""

from __future__ import annotations

from typing import IO, Any

import click


class CommandFailed(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"listguard: error: {self.format_message()}", err=True)
