"""The trademark registry: one SQLite file (via sqlite-utils) holding marks, their aliases,
where each came from, and the seller's authorizations.

Storage rules:

* Schema changes are sqlite-utils ``Migrations`` in the set ``listguard.registry``; other
  parts of listguard (the scan history) keep their own migration sets in the same file, so
  the registry only ever touches its own tables: ``marks``, ``mark_aliases``,
  ``mark_sources``, ``authorizations``, ``authorization_files`` and ``registry_meta``.
* The file runs in WAL mode with a busy timeout, and every write is one ``BEGIN IMMEDIATE``
  transaction: an import that fails half way (a bad row, a killed process) leaves the
  registry exactly as it was, and a scan reading at the same time sees either the old or
  the new marks, never a mix.
* Every write bumps a generation counter in the same transaction; ``fingerprint()`` (a
  per-file random id plus that counter) keys the scanner's automaton cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from trademarks.authorizations import NOT_AUTHORIZING, Authorization, is_active
from trademarks.errors import NoRegistry, RegistryError, RegistryUsageError
from trademarks.evidence import Attachment
from trademarks.models import SHORT_FORM_HINT, Mark, fold_key, short_form_problem
from trademarks.sqlite import has_table, immediate_transaction, open_database

if TYPE_CHECKING:
    from sqlite_utils import Database

DB_ENV = "LISTGUARD_DB"
BUSY_TIMEOUT_S = 30.0
_CHUNK = 20_000

MIGRATION_SET = "listguard.registry"


def m001_registry(db: Database) -> None:
    db.execute("""CREATE TABLE marks (
        id INTEGER PRIMARY KEY, source TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
        name_key TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', classes TEXT NOT NULL DEFAULT '',
        mcase TEXT NOT NULL DEFAULT 'fold', famous INTEGER NOT NULL DEFAULT 0,
        exceptions TEXT NOT NULL DEFAULT '', jurisdiction TEXT NOT NULL DEFAULT '',
        registration TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'live',
        metadata TEXT NOT NULL DEFAULT '{}')""")
    db.execute("CREATE UNIQUE INDEX marks_source_key ON marks(source, key)")
    db.execute("CREATE INDEX marks_name_key ON marks(name_key)")
    db.execute("CREATE INDEX marks_owner ON marks(owner)")
    db.execute("""CREATE TABLE mark_aliases (
        mark_id INTEGER NOT NULL, pos INTEGER NOT NULL, alias TEXT NOT NULL,
        alias_key TEXT NOT NULL, PRIMARY KEY (mark_id, pos)) WITHOUT ROWID""")
    db.execute("CREATE INDEX mark_aliases_key ON mark_aliases(alias_key)")
    db.execute("""CREATE TABLE mark_sources (
        name TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT '', location TEXT NOT NULL DEFAULT '',
        checksum TEXT NOT NULL DEFAULT '', etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL,
        marks INTEGER NOT NULL DEFAULT 0)""")
    db.execute("""CREATE TABLE authorizations (
        id INTEGER PRIMARY KEY, brand TEXT NOT NULL, brand_key TEXT NOT NULL,
        evidence TEXT NOT NULL, ref TEXT NOT NULL, expires TEXT, note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL, UNIQUE (brand_key, evidence, ref))""")
    db.execute("CREATE TABLE registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO registry_meta VALUES ('registry_id', ?), ('generation', '0')",
               [uuid.uuid4().hex])


def m002_evidence_details(db: Database) -> None:
    """Who issued an invoice (``supplier``), which rights holder a document comes from
    (``holder``), and the files attached to an authorization (path and SHA-256, never copied)."""
    db.execute("ALTER TABLE authorizations ADD COLUMN supplier TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE authorizations ADD COLUMN holder TEXT NOT NULL DEFAULT ''")
    db.execute("""CREATE TABLE authorization_files (
        authorization_id INTEGER NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, added_at TEXT NOT NULL,
        PRIMARY KEY (authorization_id, path))""")


def m003_owner_in_key(db: Database) -> None:
    """A mark without a registration number is keyed by its name AND owner: DOVE of Unilever
    and DOVE of Mars in one source are two marks (the name-only key kept one of them)."""
    rows = db.execute("SELECT id, name, owner FROM marks WHERE key LIKE 'name:%'").fetchall()
    db.conn.executemany("UPDATE marks SET key = ? WHERE id = ?",
                        [(_name_key(name, owner), row_id) for row_id, name, owner in rows])


# Applied in order, each once, by name: never rename or remove one (trademarks/sqlite.py).
MIGRATIONS = (m001_registry, m002_evidence_details, m003_owner_in_key)


def registry_fingerprint(conn: sqlite3.Connection) -> str:
    """``registry_id:generation`` of the registry in this database file, or "" when the file
    holds no registry (a history-only file): what a scan records as the lists it used."""
    try:
        rows = dict(conn.execute("SELECT key, value FROM registry_meta").fetchall())
    except sqlite3.Error:
        return ""
    return f"{rows.get('registry_id', '')}:{rows.get('generation', '')}"


def default_db_path() -> Path:
    """``$LISTGUARD_DB``, else ``$XDG_DATA_HOME/listguard/listguard.db``
    (``~/.local/share/listguard/listguard.db`` when XDG_DATA_HOME is unset)."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "listguard" / "listguard.db"


def _natural_key(mark: Mark) -> str:
    """What makes two rows of one source the same mark: the registration number, else the
    folded name and owner (the same name from two owners stays two marks)."""
    return f"reg:{mark.registration}" if mark.registration else _name_key(mark.name, mark.owner)


def _name_key(name: str, owner: str) -> str:
    return f"name:{fold_key(name)}\x1f{fold_key(owner)}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ImportResult:
    source: str
    imported: int  # rows written by this import
    replaced: int  # rows of the same source removed first (--replace) or overwritten
    total: int  # rows the source holds afterwards


@dataclass(frozen=True)
class SourceInfo:
    name: str
    kind: str
    location: str
    checksum: str
    etag: str
    last_modified: str
    imported_at: str
    marks: int


class Registry:
    """The registry in one SQLite file. Use ``open_registry(path)``; close it (or use ``with``)."""

    def __init__(self, db: Database, path: str):
        self.db = db
        self.path = path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction that bumps the generation; rolls back on any error
        (a read-only file or a full disk: DatabaseError saying so)."""
        with immediate_transaction(self.db.conn, path=self.path, doing="cannot write the registry") as conn:
            yield conn
            conn.execute("UPDATE registry_meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'")

    def fingerprint(self) -> str:
        """Changes whenever marks, aliases, sources or authorizations change (cheap: one query)."""
        return registry_fingerprint(self.db.conn)

    # -- marks --------------------------------------------------------------------------
    def import_marks(self, marks: Iterable[Mark], source: str, replace: bool = False,
                     checksum: str = "", kind: str = "file", location: str = "",
                     etag: str = "", last_modified: str = "") -> ImportResult:
        """Write ``marks`` under ``source`` in one transaction.

        Without ``replace`` a mark already in the source (same registration number, else the
        same folded name) is overwritten and the others are kept; with ``replace`` the
        source's old marks are all swapped for the new ones atomically. If ``marks`` raises
        (a bad row in a streamed file) or holds nothing, the registry is left unchanged.
        """
        source = source.strip()
        if not source:
            raise RegistryError("a source name is required", hint="pass --source NAME")
        with self._write() as conn:
            removed = 0
            had = conn.execute("SELECT count(*) FROM marks WHERE source = ?", [source]).fetchone()[0]
            if replace and had:
                conn.execute("DELETE FROM mark_aliases WHERE mark_id IN "
                             "(SELECT id FROM marks WHERE source = ?)", [source])
                removed = conn.execute("DELETE FROM marks WHERE source = ?", [source]).rowcount
                had = 0
            next_id = (conn.execute("SELECT max(id) FROM marks").fetchone()[0] or 0) + 1
            seen: set[str] = set()
            written = overwritten = 0
            chunk: list[Mark] = []
            for mark in marks:
                chunk.append(mark)
                if len(chunk) >= _CHUNK:
                    done, over = self._write_chunk(conn, chunk, source, next_id, seen, bool(had))
                    next_id, written, overwritten = next_id + done, written + done, overwritten + over
                    chunk = []
            if chunk:
                done, over = self._write_chunk(conn, chunk, source, next_id, seen, bool(had))
                written, overwritten = written + done, overwritten + over
            if not written:
                raise RegistryError(f"nothing to import into source {source!r}",
                                    hint="the input holds no marks; the registry is unchanged")
            total = conn.execute("SELECT count(*) FROM marks WHERE source = ?", [source]).fetchone()[0]
            conn.execute(
                "INSERT OR REPLACE INTO mark_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [source, kind, location, checksum, etag, last_modified, _now(), total])
        return ImportResult(source, written, removed + overwritten, total)

    @staticmethod
    def _write_chunk(conn: sqlite3.Connection, chunk: list[Mark], source: str, first_id: int,
                     seen: set[str], had_rows: bool) -> tuple[int, int]:
        rows: list[tuple[Any, ...]] = []
        aliases: list[tuple[int, int, str, str]] = []
        clashes: list[tuple[str, str]] = []
        unique = {_natural_key(mark): mark for mark in chunk}  # last one wins
        for offset, (key, mark) in enumerate(unique.items()):
            if had_rows or key in seen:
                clashes.append((source, key))
            seen.add(key)
            mark_id = first_id + offset
            rows.append((mark_id, source, key, mark.name, fold_key(mark.name), mark.owner,
                         "|".join(map(str, mark.classes)), mark.case, int(mark.famous),
                         "|".join(mark.exceptions), mark.jurisdiction, mark.registration,
                         mark.status, json.dumps(dict(mark.metadata), ensure_ascii=False,
                                                 sort_keys=True)))
            aliases.extend((mark_id, pos, alias, fold_key(alias))
                           for pos, alias in enumerate(mark.aliases))
        overwritten = 0
        if clashes:
            conn.executemany("DELETE FROM mark_aliases WHERE mark_id IN "
                             "(SELECT id FROM marks WHERE source = ? AND key = ?)", clashes)
            before = conn.total_changes
            conn.executemany("DELETE FROM marks WHERE source = ? AND key = ?", clashes)
            overwritten = conn.total_changes - before
        conn.executemany("INSERT INTO marks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO mark_aliases VALUES (?,?,?,?)", aliases)
        return len(rows), overwritten

    def add(self, mark: Mark, source: str = "manual") -> ImportResult:
        """Add (or overwrite) one mark in ``source``; RegistryUsageError for a one-letter form."""
        problem = short_form_problem(mark)
        if problem:
            raise RegistryUsageError(problem, hint=SHORT_FORM_HINT)
        return self.import_marks([mark], source, kind="manual")

    def remove(self, name: str, source: str | None = None) -> int:
        """Remove every mark whose name (not alias) is ``name``, optionally only from ``source``."""
        where, params = "name_key = ?", [fold_key(name)]
        if source:
            where, params = where + " AND source = ?", params + [source]
        with self._write() as conn:
            conn.execute(f"DELETE FROM mark_aliases WHERE mark_id IN (SELECT id FROM marks WHERE {where})",
                         params)
            removed = conn.execute(f"DELETE FROM marks WHERE {where}", params).rowcount
            conn.execute("UPDATE mark_sources SET marks = (SELECT count(*) FROM marks "
                         "WHERE marks.source = mark_sources.name)")
            if not removed:
                raise _NothingRemoved()
        return removed

    def iter_marks(self, owner: str | None = None, klass: int | None = None,
                   source: str | None = None) -> Iterator[Mark]:
        """Marks in insertion order, filtered by owner (case-insensitive), Nice class, source."""
        where, params = ["1"], []
        if owner:
            where.append("owner = ? COLLATE NOCASE")
            params.append(owner)
        if klass is not None:
            where.append("('|' || classes || '|') LIKE ?")
            params.append(f"%|{int(klass)}|%")
        if source:
            where.append("source = ?")
            params.append(source)
        yield from self._select(" AND ".join(where), params)

    def marks(self, owner: str | None = None, klass: int | None = None,
              source: str | None = None) -> list[Mark]:
        return list(self.iter_marks(owner, klass, source))

    def find(self, name: str) -> list[Mark]:
        """Every mark whose name or an alias folds to ``name``."""
        key = fold_key(name)
        return list(self._select("name_key = ? OR id IN (SELECT mark_id FROM mark_aliases "
                                 "WHERE alias_key = ?)", [key, key]))

    def get(self, name: str) -> Mark | None:
        """The first mark named ``name`` (else the first with that alias), or None."""
        found = self.find(name)
        key = fold_key(name)
        by_name = [m for m in found if fold_key(m.name) == key]
        return by_name[0] if by_name else found[0] if found else None

    def _select(self, where: str, params: list[Any]) -> Iterator[Mark]:
        """Walk marks and their aliases (two ordered cursors merged, so 1M rows stream)."""
        conn = self.db.conn
        conn.execute("BEGIN")  # one snapshot for both cursors
        try:
            marks_cur = conn.execute(f"SELECT * FROM marks WHERE {where} ORDER BY id", params)
            alias_sql = "SELECT mark_id, alias FROM mark_aliases"
            if where != "1":
                alias_sql += f" WHERE mark_id IN (SELECT id FROM marks WHERE {where})"
            alias_cur = conn.execute(alias_sql + " ORDER BY mark_id, pos", params)
            pending = alias_cur.fetchone()
            for row in marks_cur:
                aliases = []
                while pending is not None and pending[0] < row[0]:
                    pending = alias_cur.fetchone()
                while pending is not None and pending[0] == row[0]:
                    aliases.append(pending[1])
                    pending = alias_cur.fetchone()
                yield _row_to_mark(row, aliases)
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM marks").fetchone()[0]

    # -- sources and stats ----------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        rows = self.db.execute("SELECT * FROM mark_sources ORDER BY name").fetchall()
        return [SourceInfo(*row) for row in rows]

    def source(self, name: str) -> SourceInfo | None:
        row = self.db.execute("SELECT * FROM mark_sources WHERE name = ?", [name]).fetchone()
        return SourceInfo(*row) if row else None

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731 (a local shorthand)
        return {
            "marks": one("SELECT count(*) FROM marks"),
            "names": one("SELECT count(DISTINCT name_key) FROM marks"),
            "aliases": one("SELECT count(*) FROM mark_aliases"),
            "owners": one("SELECT count(DISTINCT owner) FROM marks WHERE owner != ''"),
            "famous": one("SELECT count(*) FROM marks WHERE famous"),
            "sources": {s.name: s.marks for s in self.sources()},
            "authorizations": one("SELECT count(*) FROM authorizations"),
            "fingerprint": self.fingerprint(),
        }

    # -- authorizations -------------------------------------------------------------------
    def authorize(self, auth: Authorization) -> Authorization:
        """Record (or refresh, same brand+evidence+ref) one authorization. Its files join
        those already attached (the same path again takes the new hash)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO authorizations (brand, brand_key, evidence, ref, expires, note, created_at, "
                "supplier, holder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (brand_key, evidence, ref) "
                "DO UPDATE SET brand = excluded.brand, expires = excluded.expires, note = excluded.note, "
                "supplier = excluded.supplier, holder = excluded.holder",
                [auth.brand, fold_key(auth.brand), auth.evidence, auth.ref,
                 auth.expires.isoformat() if auth.expires else None, auth.note, _now(),
                 auth.supplier, auth.holder])
            auth_id = conn.execute("SELECT id FROM authorizations WHERE brand_key = ? AND evidence = ? AND ref = ?",
                                   [fold_key(auth.brand), auth.evidence, auth.ref]).fetchone()[0]
            conn.executemany("INSERT OR REPLACE INTO authorization_files VALUES (?, ?, ?, ?, ?)",
                             [(auth_id, f.path, f.sha256, f.size, _now()) for f in auth.files])
        return auth

    def authorizations(self, brand: str | None = None) -> list[Authorization]:
        sql = "SELECT id, brand, evidence, ref, expires, note, supplier, holder FROM authorizations"
        params: list[Any] = []
        if brand:
            sql, params = sql + " WHERE brand_key = ?", [fold_key(brand)]
        rows = self.db.execute(sql + " ORDER BY brand_key, evidence, ref", params).fetchall()
        files: dict[int, list[Attachment]] = {}
        for auth_id, path, digest, size in self.db.execute(
                "SELECT authorization_id, path, sha256, size FROM authorization_files ORDER BY added_at, path"):
            files.setdefault(auth_id, []).append(Attachment(path, digest, size))
        return [Authorization(b, e, r, dt.date.fromisoformat(x) if x else None, n, s, h, tuple(files.get(i, ())))
                for i, b, e, r, x, n, s, h in rows]

    def remove_authorization(self, brand: str, ref: str | None = None) -> int:
        where, params = "brand_key = ?", [fold_key(brand)]
        if ref:
            where, params = where + " AND ref = ?", params + [ref]
        with self._write() as conn:
            removed = conn.execute(f"DELETE FROM authorizations WHERE {where}", params).rowcount
            if not removed:
                raise _NothingRemoved()
        return removed

    def active_brands(self, today: dt.date | None = None) -> tuple[frozenset[str], frozenset[str]]:
        """(own brands, authorized brands) from the authorizations that count on ``today``."""
        own: set[str] = set()
        authorized: set[str] = set()
        for auth in self.authorizations():
            if is_active(auth, today) and auth.evidence not in NOT_AUTHORIZING:
                (own if auth.evidence == "owner" else authorized).add(auth.brand)
        return frozenset(own), frozenset(authorized)


class _NothingRemoved(RegistryError):
    def __init__(self) -> None:
        super().__init__("nothing matched; the registry is unchanged")


def _row_to_mark(row: tuple[Any, ...], aliases: list[str]) -> Mark:
    (_id, source, _key, name, _nk, owner, classes, case, famous, exceptions, jurisdiction,
     registration, status, metadata) = row
    return Mark(name=name, aliases=tuple(aliases), owner=owner,
                classes=tuple(int(c) for c in classes.split("|") if c), case=case,
                famous=bool(famous), exceptions=tuple(e for e in exceptions.split("|") if e),
                jurisdiction=jurisdiction, registration=registration, status=status,
                source=source, metadata=json.loads(metadata) if metadata != "{}" else {})


def open_registry(path: str | os.PathLike[str] | None = None,
                  busy_timeout: float = BUSY_TIMEOUT_S, readonly: bool = False) -> Registry:
    """Open (creating if needed) the registry at ``path`` (default: ``default_db_path()``),
    switch it to WAL with a busy timeout and apply pending registry migrations.

    ``readonly``: open an existing file as it is, for reading only (it may be a file the user
    cannot write); DatabaseError if it is missing, NoRegistry if it holds no registry."""
    target = Path(path) if path is not None else default_db_path()
    db = open_database(target, MIGRATION_SET, MIGRATIONS, busy_timeout, "registry", readonly=readonly)
    name = os.fspath(target)
    if readonly and not has_table(db.conn, "registry_meta"):
        db.close()
        raise NoRegistry("holds no trademark registry", name,
                         hint=f"import marks with `listguard marks import FILE --db {name}`")
    return Registry(db, name)
