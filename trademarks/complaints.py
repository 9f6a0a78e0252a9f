"""Received complaints: the records, their timeline in working days, and their store.

The process modelled (Taobao/Tmall intellectual-property complaints):

* the appeal window is 3 working days from the complaint; there are two chances, one before
  the penalty and one after it. A seller who lets the first window pass has only the one
  after the penalty; when a window passes, its appeal entrance closes;
* after an appeal the rights holder has 3 working days to respond: if it withdraws, or does
  not ask the platform to intervene in that time, the listing is restored; if it asks, the
  platform reviews in 3 to 5 working days.

A complaint's status is its latest event (``open`` when it has none): ``appealed``,
``intervened`` (the rights holder asked the platform to step in), ``withdrawn``, ``restored``,
``upheld`` or ``penalised``, each at a time. Deadlines are never stored: they are worked out
from the events with trademarks/deadlines.py each time, so a newer calendar corrects them.

Storage: the migration set ``listguard.complaints`` in the same SQLite file as the registry
and the scan history, touching only its tables (``complaints``, ``complaint_events``,
``complaint_files``); every write is one BEGIN IMMEDIATE transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from trademarks.authorizations import KINDS
from trademarks.deadlines import CHINA_TZ, Deadline, add_working_days
from trademarks.errors import RegistryError, RegistryUsageError
from trademarks.evidence import NOT_ACCEPTED, SUPPORTING, Attachment
from trademarks.models import fold_key
from trademarks.sqlite import immediate_transaction, open_database

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "listguard.complaints"
BUSY_TIMEOUT_S = 30.0

RIGHTS = ("trademark", "copyright", "patent")
ALLEGATIONS = ("improper-use", "counterfeit", "piracy")
STAGES = ("before-penalty", "after-penalty")
STATUSES = ("appealed", "intervened", "withdrawn", "restored", "upheld", "penalised")
CLOSED = frozenset({"withdrawn", "restored"})
# What each right's serious allegation is; improper use fits every right.
SERIOUS_ALLEGATION = {"trademark": "counterfeit", "copyright": "piracy"}
APPEAL_DAYS = 3
HOLDER_DAYS = 3
REVIEW_DAYS = (3, 5)
FILE_KINDS = (*NOT_ACCEPTED, *SUPPORTING, *KINDS)


def m001_complaints(db: Database) -> None:
    db.execute("""CREATE TABLE complaints (
        id INTEGER PRIMARY KEY AUTOINCREMENT, listing TEXT NOT NULL, holder TEXT NOT NULL,
        holder_key TEXT NOT NULL, "right" TEXT NOT NULL, allegation TEXT NOT NULL,
        mark TEXT NOT NULL DEFAULT '', received TEXT NOT NULL, stage TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '', snapshot TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX complaints_holder ON complaints(holder_key, received)")
    db.execute("""CREATE TABLE complaint_events (
        complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL, PRIMARY KEY (complaint_id, seq))""")
    db.execute("""CREATE TABLE complaint_files (
        complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        kind TEXT NOT NULL, ref TEXT NOT NULL DEFAULT '', path TEXT NOT NULL, sha256 TEXT NOT NULL,
        size INTEGER NOT NULL, added_at TEXT NOT NULL, PRIMARY KEY (complaint_id, path))""")


# Applied in order, each once, by name: never rename or remove one (trademarks/sqlite.py).
MIGRATIONS = (m001_complaints,)


@dataclass(frozen=True)
class Event:
    status: str
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class ComplaintFile:
    kind: str
    ref: str
    file: Attachment


@dataclass(frozen=True)
class Complaint:
    id: int
    listing: str
    holder: str
    right: str
    allegation: str
    mark: str
    received: dt.datetime  # aware, CST
    stage: str
    note: str = ""
    events: tuple[Event, ...] = ()
    files: tuple[ComplaintFile, ...] = ()
    snapshot: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def status(self) -> str:
        return self.events[-1].status if self.events else "open"

    @property
    def serious(self) -> bool:
        """Counterfeiting or piracy: a serious violation, not a general one."""
        return self.allegation in ("counterfeit", "piracy")

    def last(self, status: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.status == status), None)


# -- parsing and validating input ------------------------------------------------------

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_time(text: str, what: str = "time", now: dt.datetime | None = None) -> dt.datetime:
    """"YYYY-MM-DD HH:MM" in China time (an explicit UTC offset is honoured); never in the
    future. RegistryUsageError (exit 2) naming the value and the fix."""
    value = text.strip()
    moment = None
    for fmt in TIME_FORMATS:
        with contextlib.suppress(ValueError):
            moment = dt.datetime.strptime(value, fmt)
            break
    if moment is None:
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(value)
        if moment is None or len(value) <= 10:  # a bare date has no time of day: the deadline needs one
            raise RegistryUsageError(f"bad {what} {text!r}", hint='use "YYYY-MM-DD HH:MM", China time')
    moment = moment.replace(tzinfo=CHINA_TZ) if moment.tzinfo is None else moment.astimezone(CHINA_TZ)
    now = now or dt.datetime.now(CHINA_TZ)
    if moment > now + dt.timedelta(minutes=1):
        raise RegistryUsageError(f"{what} {text!r} is in the future (now {now.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} "
                                 f"China time)", hint="give the time the platform shows, in China time")
    return moment


def check_choice(value: str, choices: Sequence[str], option: str) -> str:
    folded = value.strip().lower()
    if folded not in choices:
        raise RegistryUsageError(f"bad {option} {value!r}", hint="use one of " + ", ".join(choices))
    return folded


def validate(listing: str, holder: str, right: str, allegation: str, stage: str) -> tuple[str, str, str, str, str]:
    listing, holder = listing.strip(), holder.strip()
    if not listing:
        raise RegistryUsageError("--listing is required", hint="the id of the listing complained about")
    if not holder:
        raise RegistryUsageError("--holder is required", hint="the rights holder named in the complaint")
    right = check_choice(right, RIGHTS, "--right")
    allegation = check_choice(allegation, ALLEGATIONS, "--allegation")
    stage = check_choice(stage, STAGES, "--stage")
    if allegation != "improper-use" and SERIOUS_ALLEGATION.get(right) != allegation:
        fits = SERIOUS_ALLEGATION.get(right)
        raise RegistryUsageError(f"a {right} complaint cannot allege {allegation}",
                                 hint=f"use improper-use{' or ' + fits if fits else ''}")
    return listing, holder, right, allegation, stage


# -- the timeline ----------------------------------------------------------------------

@dataclass(frozen=True)
class Timeline:
    """A complaint's windows, worked out from its events."""

    first_appeal: Deadline | None  # before the penalty (None for a complaint received after it)
    second_appeal: Deadline | None  # after the penalty (known once the penalty time is)
    holder_response: Deadline | None  # after the latest appeal
    review: tuple[Deadline, Deadline] | None  # after the rights holder asked the platform
    appeal_deadline: Deadline | None  # the window that applies now, or applied last
    action: str  # what the seller does next
    due: Deadline | None  # the deadline the seller must act by, if any (alerts use it)

    def deadlines(self) -> list[Deadline]:
        found = [self.first_appeal, self.second_appeal, self.holder_response, *(self.review or ())]
        return [d for d in found if d is not None]


def timeline(complaint: Complaint, now: dt.datetime) -> Timeline:
    received = complaint.received
    first = add_working_days(received, APPEAL_DAYS) if complaint.stage == "before-penalty" else None
    penalised = complaint.last("penalised")
    after_start = received if complaint.stage == "after-penalty" else (penalised.at if penalised else None)
    second = add_working_days(after_start, APPEAL_DAYS) if after_start is not None else None
    appealed = complaint.last("appealed")
    holder = add_working_days(appealed.at, HOLDER_DAYS) if appealed else None
    intervened = complaint.last("intervened")
    review = (add_working_days(intervened.at, REVIEW_DAYS[0]), add_working_days(intervened.at, REVIEW_DAYS[1])) \
        if intervened else None
    current = second or first
    action, due = _next_action(complaint, first, second, holder, review, now)
    return Timeline(first, second, holder, review, current, action, due)


def _appealed_after(complaint: Complaint, moment: dt.datetime | None) -> bool:
    return any(e.status == "appealed" and (moment is None or e.at >= moment) for e in complaint.events)


def _next_action(complaint: Complaint, first: Deadline | None, second: Deadline | None, holder: Deadline | None,
                 review: tuple[Deadline, Deadline] | None, now: dt.datetime) -> tuple[str, Deadline | None]:
    status = complaint.status
    if status in CLOSED:
        return f"closed: {status}", None
    if status == "appealed" and holder is not None:
        return ("waiting for the rights holder: if it withdraws or does not ask the platform to intervene "
                f"by {_when(holder)}, the listing is restored"), None
    if status == "intervened" and review is not None:
        return f"the platform reviews: expect a decision between {_when(review[0])} and {_when(review[1])}", None
    if status == "upheld":
        if complaint.stage == "before-penalty":
            return ("upheld: a penalty follows; record it (complaints update --status penalised) to open the "
                    "appeal after the penalty"), None
        return "upheld after the penalty: no appeal left", None
    window = second if (status == "penalised" or complaint.stage == "after-penalty") else first
    if window is None:
        return "record when the penalty was applied (complaints update --status penalised --at TIME)", None
    penalised = complaint.last("penalised")
    if status == "penalised" and complaint.stage == "before-penalty" and penalised \
            and _appealed_after(complaint, penalised.at):
        return "appealed after the penalty", None
    if now <= window.at:
        which = "after the penalty" if window is second else "before the penalty"
        return f"appeal {which} by {_when(window)}", window
    if window is first:
        return ("the appeal window before the penalty closed: appeal within 3 working days after the penalty "
                "(record it with complaints update --status penalised)"), None
    return "the appeal window after the penalty closed", None


def _when(deadline: Deadline) -> str:
    from trademarks.deadlines import shown

    return shown(deadline.at) + ("" if deadline.certain else " (provisional)")


# -- the store -------------------------------------------------------------------------

def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ComplaintStore:
    """The complaints in one database file. ``open_complaints(path)``; close it (or ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ComplaintStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        busy = lambda err: RegistryError(f"cannot write the complaints: {err}", self.path,  # noqa: E731
                                         hint="another process holds the database; try again")
        with immediate_transaction(self.conn, busy) as conn:
            yield conn

    def add(self, listing: str, holder: str, right: str, allegation: str, received: dt.datetime, stage: str,
            mark: str = "", note: str = "", snapshot: dict[str, Any] | None = None) -> Complaint:
        listing, holder, right, allegation, stage = validate(listing, holder, right, allegation, stage)
        with self._write() as conn:
            cursor = conn.execute(
                'INSERT INTO complaints (listing, holder, holder_key, "right", allegation, mark, received, stage, '
                "note, snapshot, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [listing, holder, fold_key(holder), right, allegation, mark.strip(),
                 received.astimezone(CHINA_TZ).isoformat(), stage, note.strip(),
                 json.dumps(snapshot or {}, ensure_ascii=False), _now()])
            assert cursor.lastrowid is not None  # an INSERT always sets it
            new_id = int(cursor.lastrowid)
        return self.get(new_id)

    def update(self, complaint_id: int, status: str, at: dt.datetime, note: str = "") -> Complaint:
        status = check_choice(status, STATUSES, "--status")
        complaint = self.get(complaint_id)
        if at < complaint.received:
            raise RegistryUsageError(f"complaint {complaint_id} was received {complaint.received:%Y-%m-%d %H:%M}; "
                                     f"a status cannot come before it", hint="check --at")
        if complaint.events and at < complaint.events[-1].at:
            last = complaint.events[-1]
            raise RegistryUsageError(f"complaint {complaint_id} was {last.status} at {last.at:%Y-%m-%d %H:%M}; "
                                     "statuses are recorded in order", hint="check --at")
        with self._write() as conn:
            conn.execute("INSERT INTO complaint_events VALUES (?, ?, ?, ?, ?, ?)",
                         [complaint_id, len(complaint.events) + 1, status, at.astimezone(CHINA_TZ).isoformat(),
                          note.strip(), _now()])
        return self.get(complaint_id)

    def attach(self, complaint_id: int, kind: str, ref: str, file: Attachment) -> Complaint:
        kind = check_choice(kind, FILE_KINDS, "--kind")
        self.get(complaint_id)
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO complaint_files VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [complaint_id, kind, ref.strip(), file.path, file.sha256, file.size, _now()])
        return self.get(complaint_id)

    def get(self, complaint_id: int) -> Complaint:
        found = self._select("WHERE id = ?", [complaint_id])
        if not found:
            raise RegistryUsageError(f"no complaint {complaint_id}", self.path, hint="see `listguard complaints list`")
        return found[0]

    def all(self) -> list[Complaint]:
        return self._select("", [])

    def _select(self, where: str, params: list[Any]) -> list[Complaint]:
        conn = self.conn
        rows = conn.execute('SELECT id, listing, holder, "right", allegation, mark, received, stage, note, snapshot '
                            f"FROM complaints {where} ORDER BY received, id", params).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        marks = ",".join("?" * len(ids))
        events: dict[int, list[Event]] = {}
        for cid, status, at, note in conn.execute(
                f"SELECT complaint_id, status, at, note FROM complaint_events WHERE complaint_id IN ({marks}) "
                "ORDER BY complaint_id, seq", ids):
            events.setdefault(cid, []).append(Event(status, dt.datetime.fromisoformat(at), note))
        files: dict[int, list[ComplaintFile]] = {}
        for cid, kind, ref, path, digest, size in conn.execute(
                f"SELECT complaint_id, kind, ref, path, sha256, size FROM complaint_files "
                f"WHERE complaint_id IN ({marks}) ORDER BY complaint_id, added_at, path", ids):
            files.setdefault(cid, []).append(ComplaintFile(kind, ref, Attachment(path, digest, size)))
        return [Complaint(cid, listing, holder, right, allegation, mark, dt.datetime.fromisoformat(received), stage,
                          note, tuple(events.get(cid, ())), tuple(files.get(cid, ())), json.loads(snapshot))
                for cid, listing, holder, right, allegation, mark, received, stage, note, snapshot in rows]


def open_complaints(path: str | os.PathLike[str], busy_timeout: float = BUSY_TIMEOUT_S) -> ComplaintStore:
    """Open (creating if needed) the database at ``path`` and apply pending complaint migrations."""
    target = Path(path)
    db = open_database(target, MIGRATION_SET, MIGRATIONS, busy_timeout, "complaints")
    return ComplaintStore(db.conn, os.fspath(target))


def read_complaints(conn: sqlite3.Connection) -> list[Complaint] | None:
    """The complaints in an already open database without migrating it (None when it holds
    no complaints table): for read-only commands such as ``listguard report``."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'complaints'").fetchone()
    if not exists:
        return None
    return ComplaintStore(conn, "").all()
