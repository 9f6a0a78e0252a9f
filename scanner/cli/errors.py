"""The one bridge from library errors to the terminal: one line on stderr with the prefix
every listguard command uses (``listguard: error:``), the documented exit code, no traceback.

Every command runs inside ``ListguardGroup.invoke``, which turns the errors of both packages
(``scanner.errors.ListguardError``, ``trademarks.errors.RegistryError``; each carries its
exit code) into a ``CommandFailed`` that click prints and exits with.
"""

from __future__ import annotations

import contextlib
from typing import IO, Any, Iterator

import click

from scanner.errors import ListguardError
from trademarks.errors import RegistryError


class CommandFailed(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        # click declares exit_code a ClassVar, yet reads it from the instance it catches
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"listguard: error: {self.format_message()}", err=True)


@contextlib.contextmanager
def bridged() -> Iterator[None]:
    try:
        yield
    except (ListguardError, RegistryError) as err:
        raise CommandFailed(str(err), err.exit_code) from None


class ListguardCommand(click.Command):
    """A click command that reports library errors the documented way."""

    def invoke(self, ctx: click.Context) -> Any:
        with bridged():
            return super().invoke(ctx)


class ListguardGroup(click.Group):
    """A click group whose own callback, commands and subgroups all report library errors
    the documented way."""

    command_class = ListguardCommand

    def invoke(self, ctx: click.Context) -> Any:
        with bridged():
            return super().invoke(ctx)


ListguardGroup.group_class = ListguardGroup


def command(*args: Any, **kwargs: Any) -> Any:
    """``click.command`` with the error bridge: every listguard command is made with this."""
    kwargs.setdefault("cls", ListguardCommand)
    return click.command(*args, **kwargs)


def group(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("cls", ListguardGroup)
    return click.group(*args, **kwargs)
