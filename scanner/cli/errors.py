"""The one bridge from library errors to the terminal: one line on stderr with the prefix
every listguard command uses (``listguard: error:``), the documented exit code, no traceback.

Every command runs inside ``ListguardGroup.invoke``, which turns the errors of both packages
(``scanner.errors.ListguardError``, ``trademarks.errors.RegistryError``; each carries its
exit code) into a ``CommandFailed`` that click prints and exits with. It also turns what would
otherwise be a traceback or click's "Aborted!" with exit 1 into the documented outcome:

* Ctrl-C: "listguard: interrupted", exit 130; SIGTERM and SIGHUP are raised as ``Terminated``
  (a KeyboardInterrupt, so every ``finally`` and rollback runs and a half-written report is
  removed): "listguard: interrupted (SIGTERM)", exit 128 + the signal number, as a shell
  reports a process the signal ended;
* stdout closed by its reader (``| head -1``): quiet, exit 3 (docs/usage.md, Exit codes);
* any other OSError that escaped the library (a full disk under stdout): one line, exit 3.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from typing import IO, Any, Iterator

import click

from scanner.errors import EXIT_INPUT, ListguardError, OutputError
from trademarks.errors import RegistryError

TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so cleanup runs as for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class CommandFailed(click.ClickException):
    def __init__(self, message: str, exit_code: int, quiet: bool = False) -> None:
        super().__init__(message)
        # click declares exit_code a ClassVar, yet reads it from the instance it catches
        self.exit_code = exit_code  # type: ignore[misc]
        self.quiet = quiet

    def show(self, file: IO[Any] | None = None) -> None:
        if not self.quiet:
            click.echo(f"listguard: error: {self.format_message()}", err=True)


class Interrupted(click.ClickException):
    """Ends a command that a signal stopped: one line, exit 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(interrupted_line(signum))
        self.exit_code = 128 + signum  # type: ignore[misc]  # click reads it from the instance

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True)


def interrupted_line(signum: int) -> str:
    """"listguard: interrupted", naming the signal unless it is Ctrl-C's SIGINT."""
    return "listguard: interrupted" + ("" if signum == signal.SIGINT else f" ({signal_name(signum)})")


def silence_stdout() -> None:
    """After stdout failed (closed pipe, full disk), point it at /dev/null so the
    interpreter's final flush cannot fail again with a traceback of its own."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        fileno = sys.stdout.fileno()  # none under click's CliRunner: nothing to do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)


@contextlib.contextmanager
def terminating_signals_raise() -> Iterator[None]:
    """SIGTERM/SIGHUP raise Terminated while the block runs (main thread only; a SIGHUP
    that is ignored, as under nohup, stays ignored)."""
    previous = {}
    try:
        for signum in TERMINATING:
            if signal.getsignal(signum) in (signal.SIG_IGN, None):
                continue
            previous[signum] = signal.signal(signum, _raise_terminated)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def bridged() -> Iterator[None]:
    try:
        with terminating_signals_raise():
            yield
    except (ListguardError, RegistryError) as err:
        if isinstance(err, OutputError) and err.to_stdout:
            silence_stdout()
        raise CommandFailed(str(err), err.exit_code, quiet=getattr(err, "quiet", False)) from None
    except Terminated as stop:
        raise Interrupted(stop.signum) from None
    except KeyboardInterrupt:
        raise Interrupted(signal.SIGINT) from None
    except OSError as err:
        if err.errno == errno.EPIPE:  # click.echo into a pipe its reader closed
            silence_stdout()
            raise CommandFailed("stdout was closed by its reader", EXIT_INPUT, quiet=True) from None
        where = f"{err.filename}: " if err.filename else ""
        raise CommandFailed(f"{where}{err.strerror or err}", EXIT_INPUT) from None


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


