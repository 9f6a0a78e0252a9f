"""Scan history: every recorded run and its problems, in the same SQLite file as the registry.

* Schema changes are sqlite-utils ``Migrations`` in the set ``listguard.history``; history
  only touches its own tables (``history_runs``, ``history_problems``, ``history_seen``),
  never the registry's.
* A run is written in ONE ``BEGIN IMMEDIATE`` transaction when it finishes: a crashed,
  killed or interrupted scan records nothing, and readers never see half a run.
* Problems are keyed by their fingerprint (listing id, field, code, mark, folded matched
  text; no line numbers), so reordering rows or editing other parts of a listing does not
  turn an old problem into a new one. The same fingerprint twice in one run is one row with
  ``occurrences`` counting it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from scanner.core.models import Problem, Severity, fingerprint_of
from scanner.errors import InputError, UsageError
from trademarks.errors import ReadOnlyDatabase, RegistryError
from trademarks.sqlite import has_table, immediate_transaction, open_database

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_S = 30.0
MIGRATION_SET = "listguard.history"


def m001_history(db: Database) -> None:
    db.execute(
        """CREATE TABLE history_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL, finished TEXT NOT NULL,
            inputs TEXT NOT NULL, tool_version TEXT NOT NULL,
            rules_version TEXT NOT NULL, lists_version TEXT NOT NULL,
            listings INTEGER NOT NULL, problems INTEGER NOT NULL, suppressed INTEGER NOT NULL,
            meta TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE history_problems (
            run_id INTEGER NOT NULL REFERENCES history_runs(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL, listing TEXT NOT NULL, field TEXT NOT NULL,
            code TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL,
            mark TEXT, owner TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            text TEXT NOT NULL, message TEXT NOT NULL, source TEXT NOT NULL,
            suppressed INTEGER NOT NULL DEFAULT 0, occurrences INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (run_id, fingerprint))"""
    )
    db.execute(
        """CREATE TABLE history_seen (
            fingerprint TEXT PRIMARY KEY, first_run INTEGER NOT NULL, first_seen TEXT NOT NULL,
            last_run INTEGER NOT NULL, last_seen TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX history_problems_listing ON history_problems(listing)")


# Applied in order, each once, by name: never rename or remove one (trademarks/sqlite.py).
MIGRATIONS = (m001_history,)


def problem_key(problem: Problem) -> str:
    """The problem's fingerprint, computed the documented way if the engine left it empty."""
    return problem.fingerprint or fingerprint_of(problem)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def rules_version() -> str:
    """Tool version plus a digest of the rule catalog (codes, names, default severities)."""
    from scanner import __version__
    from scanner.core.rules.catalog import rule_catalog

    catalog = ";".join(f"{r.code}:{r.name}:{r.severity.label}" for r in rule_catalog())
    return f"{__version__}+{hashlib.sha256(catalog.encode()).hexdigest()[:12]}"


def files_version(paths: Iterable[str | os.PathLike[str]]) -> str:
    """A digest of the content of trademark list files (for ``lists_version``)."""
    digest = hashlib.sha256()
    for path in sorted(os.fspath(p) for p in paths):
        digest.update(os.path.basename(path).encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Run:
    id: int
    started: str
    finished: str
    inputs: tuple[str, ...]
    tool_version: str
    rules_version: str
    lists_version: str
    listings: int
    problems: int
    suppressed: int
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RunDiff:
    old: Run | None
    new: Run
    added: list[Problem]  # in ``new`` but not ``old``
    resolved: list[Problem]  # in ``old`` but not ``new``
    still_open: list[Problem]  # in both (as recorded in ``new``)


class RunRecorder:
    """Collects a run's problems in memory; ``commit()`` writes the whole run at once."""

    def __init__(self, history: History, inputs: Sequence[str], lists_version: str = "",
                 meta: dict[str, Any] | None = None) -> None:
        self.history = history
        self.inputs = tuple(map(str, inputs))
        self.lists_version = lists_version
        self.meta = dict(meta or {})
        self.started = now()
        self.items: dict[str, tuple[Problem, bool, int]] = {}

    def add(self, problem: Problem, suppressed: bool = False) -> None:
        key = problem_key(problem)
        seen = self.items.get(key)
        count = seen[2] + 1 if seen else 1
        self.items[key] = (seen[0] if seen else problem, (seen[1] if seen else True) and suppressed, count)

    def commit(self, listings: int = 0) -> Run:
        return self.history._write_run(self, listings)


class History:
    def __init__(self, db: Database, path: str, has_runs: bool = True) -> None:
        self.db = db
        self.path = path
        self.empty = not has_runs  # a read-only file without history tables: no runs

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str], lists_version: str = "",
                  meta: dict[str, Any] | None = None) -> RunRecorder:
        return RunRecorder(self, inputs, lists_version, meta)

    def record_run(self, problems: Iterable[Problem], inputs: Sequence[str], lists_version: str = "",
                   listings: int = 0, suppressed: Iterable[Problem] = ()) -> Run:
        """Record a finished run in one go (``start_run``/``add``/``commit`` for streaming)."""
        recorder = self.start_run(inputs, lists_version)
        for problem in problems:
            recorder.add(problem)
        for problem in suppressed:
            recorder.add(problem, suppressed=True)
        return recorder.commit(listings)

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self.db.conn, path=self.path, doing="cannot write the scan history")

    def _write_run(self, recorder: RunRecorder, listings: int) -> Run:
        from scanner import __version__

        finished = now()
        items = list(recorder.items.items())
        n_suppressed = sum(1 for _, (_, sup, _) in items if sup)
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO history_runs (started, finished, inputs, tool_version, rules_version,"
                " lists_version, listings, problems, suppressed, meta) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [recorder.started, finished, json.dumps(recorder.inputs), __version__, rules_version(),
                 recorder.lists_version, listings, len(items) - n_suppressed, n_suppressed,
                 json.dumps(recorder.meta)],
            )
            run_id = cursor.lastrowid
            assert run_id is not None  # set by the INSERT above
            conn.executemany(
                "INSERT INTO history_problems VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(run_id, key, p.listing, p.field, p.code, p.rule, p.severity.label, p.mark, p.owner,
                  p.start, p.end, p.text, p.message, p.source, int(sup), count)
                 for key, (p, sup, count) in items],
            )
            conn.executemany(
                "INSERT INTO history_seen VALUES (?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE"
                " SET last_run = excluded.last_run, last_seen = excluded.last_seen",
                [(key, run_id, finished, run_id, finished) for key, _ in items],
            )
        return self.run(run_id)

    # -- reading ------------------------------------------------------------------------
    def runs(self, limit: int | None = None) -> list[Run]:
        """Newest first."""
        if self.empty:
            return []
        sql = "SELECT * FROM history_runs ORDER BY id DESC"
        rows = self.db.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        return [_run_from_row(row) for row in rows]

    def latest_run(self) -> Run | None:
        runs = self.runs(limit=1)
        return runs[0] if runs else None

    def previous_run(self, before: int | None = None) -> Run | None:
        """The newest run recorded before run ``before`` (default: the latest run)."""
        if self.empty:
            return None
        if before is None:
            row = self.db.execute("SELECT * FROM history_runs ORDER BY id DESC LIMIT 1 OFFSET 1").fetchone()
        else:
            row = self.db.execute("SELECT * FROM history_runs WHERE id < ? ORDER BY id DESC LIMIT 1",
                                  [before]).fetchone()
        return _run_from_row(row) if row else None

    def run(self, ref: int | str | None = None) -> Run:
        """A run by id, or ``latest`` (default) / ``previous``; UsageError if there is none."""
        text = "latest" if ref is None else str(ref).strip().lower()
        if text in ("latest", "last"):
            found = self.latest_run()
        elif text in ("previous", "prev"):
            found = self.previous_run()
        elif text.isdigit() and self.empty:
            found = None
        elif text.isdigit():
            row = self.db.execute("SELECT * FROM history_runs WHERE id = ?", [int(text)]).fetchone()
            found = _run_from_row(row) if row else None
        else:
            raise UsageError(f"bad run {ref!r}: use a run id (see `listguard history`), latest or previous")
        if found is None:
            what = "no runs recorded yet" if text in ("latest", "last", "previous", "prev") else f"no run {ref}"
            raise UsageError(f"{self.path}: {what} (record one with `listguard scan FILE --db {self.path}`)")
        return found

    def problems(self, run_id: int, include_suppressed: bool = False) -> list[Problem]:
        where = "" if include_suppressed else " AND suppressed = 0"
        rows = self.db.execute(
            "SELECT listing, field, start, \"end\", code, rule, severity, mark, owner, text, message,"
            f" source, fingerprint FROM history_problems WHERE run_id = ?{where}"
            " ORDER BY source, listing, field, start, code", [run_id],
        ).fetchall()
        return [
            Problem(listing=r[0], field=r[1], start=r[2], end=r[3], code=r[4], rule=r[5],
                    severity=Severity.parse(r[6]), mark=r[7], owner=r[8], text=r[9], message=r[10],
                    source=r[11], fingerprint=r[12])
            for r in rows
        ]

    def fingerprints(self, run_id: int | None) -> set[str]:
        """Unsuppressed problem fingerprints of a run; empty for None (no previous run)."""
        if run_id is None:
            return set()
        rows = self.db.execute(
            "SELECT fingerprint FROM history_problems WHERE run_id = ? AND suppressed = 0", [run_id]
        ).fetchall()
        return {row[0] for row in rows}

    def diff(self, old: int | str | None = None, new: int | str | None = None) -> RunDiff:
        """Compare two runs; by default the latest with the run before it."""
        new_run = self.run(new)
        old_run = self.run(old) if old is not None else self.previous_run(before=new_run.id)
        new_problems = self.problems(new_run.id)
        old_problems = self.problems(old_run.id) if old_run else []
        old_keys = {p.fingerprint for p in old_problems}
        new_keys = {p.fingerprint for p in new_problems}
        return RunDiff(
            old=old_run,
            new=new_run,
            added=[p for p in new_problems if p.fingerprint not in old_keys],
            resolved=[p for p in old_problems if p.fingerprint not in new_keys],
            still_open=[p for p in new_problems if p.fingerprint in old_keys],
        )


def _run_from_row(row: Sequence[Any]) -> Run:
    return Run(id=row[0], started=row[1], finished=row[2], inputs=tuple(json.loads(row[3])),
               tool_version=row[4], rules_version=row[5], lists_version=row[6], listings=row[7],
               problems=row[8], suppressed=row[9], meta=json.loads(row[10]))


def open_history(path: str | os.PathLike[str], busy_timeout: float = BUSY_TIMEOUT_S,
                 create: bool = True, readonly: bool = False) -> History:
    """Open (creating if ``create``) the database at ``path`` in WAL mode with a busy timeout
    and apply pending history migrations; InputError (exit 3) if it is not usable.

    ``readonly``: open an existing file as it is, for reading only (``history``, ``report``,
    a --new-only scan of a file the user cannot write); a file without history tables reads
    as a history with no runs. A read-only file opened for writing is a ReadOnlyDatabase."""
    target = Path(path)
    name = os.fspath(target)
    if target.is_dir():
        raise InputError("is a directory, not a database file", name, hint="pass --db FILE")
    if (readonly or not create) and not target.exists():
        raise InputError("no such database", name, hint="record a run with `listguard scan FILE --db FILE`")
    try:
        db = open_database(target, MIGRATION_SET, MIGRATIONS, busy_timeout, "scan history", readonly=readonly)
    except ReadOnlyDatabase:
        raise  # the caller may fall back to reading (a --new-only scan of a read-only file)
    except RegistryError as err:
        raise InputError(str(err)) from None
    return History(db, name, has_runs=not readonly or has_table(db.conn, "history_runs"))
