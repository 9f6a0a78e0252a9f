"""Exit codes and the errors that carry them. The CLI is the only place that exits."""

from __future__ import annotations

EXIT_OK = 0  # nothing at or above --fail-on
EXIT_PROBLEMS = 1  # problems at or above --fail-on
EXIT_USAGE = 2  # usage or configuration error
EXIT_INPUT = 3  # unreadable input, bad encoding, database or runtime failure
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it

# --fail-on: the lowest severity that makes the exit code EXIT_PROBLEMS ("never": none does).
# Here, beside the exit codes, so the command line can offer the choice without importing
# the run machinery (scanner/workflows/run.py uses the same tuple).
FAIL_ON = ("error", "warning", "info", "never")


class ListguardError(Exception):
    """An error a user can act on. ``str(err)`` is one line naming the file (and line) and a fix."""

    exit_code = EXIT_INPUT


class UsageError(ListguardError):
    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """Raised for bad configuration; the message starts with ``invalid config:``."""


class InputError(ListguardError):
    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: str | None = None, line: int | None = None, hint: str = ""):
        self.path = path
        self.line = line
        self.hint = hint
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text} ({hint})"
        super().__init__(text)


class OutputError(ListguardError):
    """The results could not be written (a full disk, a file-size limit, an I/O error):
    exit 3, and a report file keeps its previous content."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, to_stdout: bool = False) -> None:
        super().__init__(message)
        self.to_stdout = to_stdout


class OutputClosed(OutputError):
    """stdout's reader went away (``listguard scan ... | head -1``). Not an error to report
    (the reader chose to stop, as with any Unix filter), but the run did not finish: the
    command ends quietly with exit 3."""

    quiet = True
