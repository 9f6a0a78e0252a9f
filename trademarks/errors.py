"""Errors of the registry package (which must not import the scanner's)."""

from __future__ import annotations


class RegistryError(Exception):
    """A failure a user can act on; ``str()`` is one line naming the file, line and fix.
    ``exit_code`` follows the scanner's table: 3 an input or database failure."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None, line: int | None = None, hint: str = ""):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        where = f"{path}:{line}" if path and line else (path or "")
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text} ({hint})"
        super().__init__(text)


class RegistryUsageError(RegistryError):
    """A bad value given by the user (a date, an evidence kind): a usage error, exit 2."""

    exit_code = 2


class ListFormatError(RegistryError):
    """A trademark list file that cannot be read as a list."""


class DatabaseError(RegistryError):
    """A listguard SQLite file that cannot be opened, read or written (exit 3); the message
    says why (read-only, full, locked, not a database) and what to do."""


class ReadOnlyDatabase(DatabaseError):
    """A write to a database file the user may not write (its file or directory is read-only,
    or the file system is): reading it still works."""


class NoRegistry(DatabaseError):
    """A database file opened read-only that holds no trademark registry (a history-only file)."""
