"""Complaint records: parsing and validating input, the store (a migration set of its own in
the shared file) and the timeline of windows worked out from the events."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from trademarks.complaints import open_complaints, parse_time, read_complaints, timeline
from trademarks.deadlines import iso
from trademarks.errors import RegistryUsageError
from trademarks.store import open_registry

from .conftest import cst

NOW = cst("2026-10-01 09:00")


@pytest.mark.parametrize("text, expected", [
    ("2026-09-30 14:00", "2026-09-30T14:00+08:00"),
    ("2026-09-30T14:00", "2026-09-30T14:00+08:00"),
    ("2026-09-30 14:00:59", "2026-09-30T14:00+08:00"),
    ("2026-09-30T06:00+00:00", "2026-09-30T14:00+08:00"),
])
def test_parse_time(text, expected):
    assert iso(parse_time(text, now=NOW)) == expected


@pytest.mark.parametrize("text, message, why", [
    ("30/09/2026 14:00", "bad --received '30/09/2026 14:00' (use \"YYYY-MM-DD HH:MM\", China time)", "day first"),
    ("2026-09-30", "bad --received '2026-09-30' (use \"YYYY-MM-DD HH:MM\", China time)",
     "no time of day: a deadline keeps the time of receipt"),
    ("2026-02-30 10:00", "bad --received '2026-02-30 10:00' (use \"YYYY-MM-DD HH:MM\", China time)", "no such day"),
    ("2026-10-02 10:00", "--received '2026-10-02 10:00' is in the future (now 2026-10-01 09:00 China time) "
                         "(give the time the platform shows, in China time)", "tomorrow"),
])
def test_bad_times_are_usage_errors(text, message, why):
    with pytest.raises(RegistryUsageError) as err:
        parse_time(text, "--received", now=NOW)
    assert (str(err.value), err.value.exit_code) == (message, 2), why


@pytest.mark.parametrize("right, allegation, message", [
    ("patent", "counterfeit", "a patent complaint cannot allege counterfeit (use improper-use)"),
    ("trademark", "piracy", "a trademark complaint cannot allege piracy (use improper-use or counterfeit)"),
    ("design", "improper-use", "bad --right 'design' (use one of trademark, copyright, patent)"),
])
def test_rights_and_allegations_must_fit(db, right, allegation, message):
    with open_complaints(db) as store, pytest.raises(RegistryUsageError) as err:
        store.add("SKU-1", "Nike, Inc.", right, allegation, NOW, "before-penalty")
    assert str(err.value) == message
    assert read_complaints(sqlite3.connect(db)) == []


def test_the_store_shares_the_registry_file(db):
    open_registry(db).close()
    with open_complaints(db) as store:
        added = store.add("SKU-1", " Nike, Inc. ", "Trademark", "improper-use", cst("2026-09-30 14:00"),
                          "before-penalty", "Nike", "first", {"taken": "x"})
        assert (added.id, added.holder, added.right, added.status, added.snapshot) == (
            1, "Nike, Inc.", "trademark", "open", {"taken": "x"})
        applied = [m.name for m in Migrations("listguard.complaints").applied(Database(store.conn))]
        assert applied == ["m001_complaints"]
    conn = sqlite3.connect(db)
    assert [c.listing for c in read_complaints(conn)] == ["SKU-1"]
    assert conn.execute("SELECT count(*) FROM marks").fetchone() == (0,)  # the registry is untouched


def test_read_complaints_never_migrates(tmp_path):
    path = tmp_path / "history-only.db"
    conn = sqlite3.connect(path)
    assert read_complaints(conn) is None
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


def test_events_are_recorded_in_order(db):
    with open_complaints(db) as store:
        c = store.add("SKU-1", "Nike, Inc.", "trademark", "improper-use", cst("2026-09-30 14:00"), "before-penalty")
        store.update(c.id, "appealed", cst("2026-10-08 10:00"))
        with pytest.raises(RegistryUsageError, match="was appealed at 2026-10-08 10:00; statuses are recorded in order"):
            store.update(c.id, "withdrawn", cst("2026-10-08 09:00"))
        with pytest.raises(RegistryUsageError, match="a status cannot come before it"):
            store.update(c.id, "withdrawn", cst("2026-09-29 09:00"))
        with pytest.raises(RegistryUsageError, match="bad --status 'lost'"):
            store.update(c.id, "lost", cst("2026-10-09 09:00"))
        with pytest.raises(RegistryUsageError, match="no complaint 7"):
            store.update(7, "appealed", cst("2026-10-09 09:00"))
        assert [e.status for e in store.get(c.id).events] == ["appealed"]


def _walk(db, stage, events, now):
    with open_complaints(db) as store:
        c = store.add("SKU-1", "Nike, Inc.", "trademark", "improper-use", cst("2026-09-30 14:00"), stage)
        for status, at in events:
            c = store.update(c.id, status, cst(at))
    return c, timeline(c, cst(now))


# (stage, events, now, expected action, expected due or None, why)
TIMELINES = [
    ("before-penalty", [], "2026-10-01 09:00", "appeal before the penalty by 2026-10-10 14:00 Sat",
     "2026-10-10T14:00+08:00", "the first window"),
    ("before-penalty", [], "2026-10-10 14:01",
     "the appeal window before the penalty closed: appeal within 3 working days after the penalty "
     "(record it with complaints update --status penalised)", None, "the first window missed"),
    ("before-penalty", [("appealed", "2026-10-09 10:00")], "2026-10-09 11:00",
     "waiting for the rights holder: if it withdraws or does not ask the platform to intervene by "
     "2026-10-13 10:00 Tue, the listing is restored", None, "Fri 9: Sat 10 (adjusted), Mon 12, Tue 13"),
    ("before-penalty", [("appealed", "2026-10-09 10:00"), ("intervened", "2026-10-12 16:00")], "2026-10-13 09:00",
     "the platform reviews: expect a decision between 2026-10-15 16:00 Thu and 2026-10-19 16:00 Mon", None,
     "3 to 5 working days from the request"),
    ("before-penalty", [("penalised", "2026-10-12 09:00")], "2026-10-12 10:00",
     "appeal after the penalty by 2026-10-15 09:00 Thu", "2026-10-15T09:00+08:00", "the second chance"),
    ("before-penalty", [("penalised", "2026-10-12 09:00"), ("appealed", "2026-10-13 09:00")], "2026-10-13 10:00",
     "waiting for the rights holder: if it withdraws or does not ask the platform to intervene by "
     "2026-10-16 09:00 Fri, the listing is restored", None, "the appeal after the penalty"),
    ("after-penalty", [], "2026-10-01 09:00", "appeal after the penalty by 2026-10-10 14:00 Sat",
     "2026-10-10T14:00+08:00", "received after the penalty: its only window"),
    ("after-penalty", [], "2026-10-11 09:00", "the appeal window after the penalty closed", None, "missed"),
    ("before-penalty", [("withdrawn", "2026-10-09 10:00")], "2026-10-09 11:00", "closed: withdrawn", None, "done"),
]


@pytest.mark.parametrize("stage, events, now, action, due, why", TIMELINES, ids=[t[5] for t in TIMELINES])
def test_timeline(db, stage, events, now, action, due, why):
    _complaint, line = _walk(db, stage, events, now)
    assert line.action == action, why
    assert (iso(line.due.at) if line.due else None) == due
