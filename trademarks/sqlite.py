"""Open a listguard SQLite file: WAL, a busy timeout, and one migration set applied; or open
it read-only. Every SQLite failure becomes one DatabaseError saying why, in words a user
can act on.

The registry and the scan history share one database file and this one way of opening it;
each keeps its own sqlite-utils migration set. sqlite-utils is imported only here, when a
database is opened: importing it costs about as much as the rest of listguard's start-up,
and most runs (a pre-commit hook, ``listguard check``) never open one.

Read-only opening (``readonly=True``) is for the commands that only read (listing marks, a
scan's registry, history and reports): it never creates the file, never applies migrations
and never writes, so it works on a file the user may only read. A WAL file in a directory the
user cannot write (no ``-shm`` file can be made) is opened ``immutable``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from trademarks.errors import DatabaseError, ReadOnlyDatabase, RegistryError

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[["Database"], None]


def describe(err: sqlite3.Error) -> tuple[str, str]:
    """(what went wrong, what to do) for an SQLite error, from its result code."""
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_READONLY"):
        return ("the database is read-only",
                "ask for write permission on the file and its directory, or use a writable copy with --db")
    if name.startswith("SQLITE_FULL"):
        return "the disk is full", "free some space; nothing was written"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another process holds the database", "try again"
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return "cannot open the file", "check the permissions of the file and its directory"
    if name.startswith("SQLITE_IOERR"):
        return (f"the disk refused a write ({name})",
                "is it full, or the file over a size limit? nothing was written")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return "not a listguard SQLite database (or a damaged one)", "pass the right file with --db"
    return str(err), ""


def database_error(err: sqlite3.Error, path: str | None, doing: str) -> DatabaseError:
    """One-line error for ``err`` met while ``doing`` (e.g. "cannot write the registry")."""
    reason, hint = describe(err)
    kind = ReadOnlyDatabase if reason == "the database is read-only" else DatabaseError
    return kind(f"{doing}: {reason}", path, hint=hint)


def open_database(path: str | os.PathLike[str], migration_set: str, steps: Sequence[Migration],
                  busy_timeout: float, what: str, readonly: bool = False) -> Database:
    """Connect in autocommit mode (transactions are explicit), switch to WAL and apply the
    pending ``steps`` of ``migration_set`` (sqlite-utils migrations, each named by its
    function) inside BEGIN IMMEDIATE, so that two processes opening a new file at once
    migrate it once. With ``readonly``: open the existing file read-only, as it is. Raises a
    DatabaseError naming the file ("cannot open the <what>: <why>")."""
    from sqlite_utils import Database

    target = Path(path)
    name = os.fspath(target)
    if target.is_dir():
        raise RegistryError("is a directory, not a database file", name, hint="pass --db FILE")
    if readonly:
        return Database(_connect_readonly(name, busy_timeout, what))
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(migration_set)
    for step in steps:
        migrations()(step)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(name, timeout=busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        db = Database(conn)
        if db.journal_mode != "wal":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as err:
        # opening for writing applies migrations: a read-only file fails here, not later
        doing = "write" if describe(err)[0] == "the database is read-only" else "open"
        raise database_error(err, name, f"cannot {doing} the {what}") from None
    except OSError as err:
        raise DatabaseError(f"cannot open the {what}: {err.strerror}", name) from None
    return db


def _connect_readonly(name: str, busy_timeout: float, what: str) -> sqlite3.Connection:
    if not os.path.exists(name):
        raise DatabaseError("no such database", name, hint="pass an existing file with --db")
    uri = "file:" + urllib.parse.quote(os.path.abspath(name))
    try:
        try:
            return _probe(sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout,
                                          isolation_level=None))
        except sqlite3.OperationalError as err:
            if not (getattr(err, "sqlite_errorname", "") or "").startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
                raise
        # A WAL file whose directory we cannot write: no -shm can be made for readers.
        return _probe(sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None))
    except sqlite3.Error as err:
        raise database_error(err, name, f"cannot open the {what}") from None


def _probe(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The connection, once a first read shows the file is a database we can read."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [table]).fetchone() is not None


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection,
                          busy: Callable[[sqlite3.OperationalError], Exception] | None = None, *,
                          path: str | None = None,
                          doing: str = "cannot write the database") -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (Ctrl-C included) so a failed
    write leaves the file as it was. An SQLite failure (a read-only file, a full disk, a lock
    that outlasted the busy timeout) becomes a DatabaseError: "<path>: <doing>: <why>"; a
    caller may still turn a lock at BEGIN into its own error with ``busy``."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        if busy is not None and describe(err)[0] == "another process holds the database":
            raise busy(err) from None
        raise database_error(err, path, doing) from None
    except sqlite3.Error as err:
        raise database_error(err, path, doing) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as err:
        _rollback(conn)
        raise database_error(err, path, doing) from None
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
