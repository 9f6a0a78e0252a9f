"""Open a listguard SQLite file: WAL, a busy timeout, and one migration set applied.

The registry and the scan history share one database file and this one way of opening it;
each keeps its own sqlite-utils migration set. sqlite-utils is imported only here, when a
database is opened: importing it costs about as much as the rest of listguard's start-up,
and most runs (a pre-commit hook, ``listguard check``) never open one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from trademarks.errors import RegistryError

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[["Database"], None]


def open_database(path: str | os.PathLike[str], migration_set: str, steps: Sequence[Migration],
                  busy_timeout: float, what: str) -> Database:
    """Connect in autocommit mode (transactions are explicit), switch to WAL and apply the
    pending ``steps`` of ``migration_set`` (sqlite-utils migrations, each named by its
    function) inside BEGIN IMMEDIATE, so that two processes opening a new file at once
    migrate it once. Raises RegistryError naming the file ("cannot open the <what>")."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(migration_set)
    for step in steps:
        migrations()(step)
    target = Path(path)
    name = os.fspath(target)
    if target.is_dir():
        raise RegistryError("is a directory, not a database file", name, hint="pass --db FILE")
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
    except sqlite3.DatabaseError as err:
        raise RegistryError(f"cannot open the {what}: {err}", name,
                            hint="is it a listguard SQLite database?") from None
    except OSError as err:
        raise RegistryError(f"cannot open the {what}: {err.strerror}", name) from None
    return db


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection,
                          busy: Callable[[sqlite3.OperationalError], Exception]) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (Ctrl-C included) so a failed
    write leaves the file as it was. ``busy`` turns a lock that outlasted the busy timeout
    into the caller's own one-line error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        raise busy(err) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
