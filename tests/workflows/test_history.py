"""Scan history in a real SQLite file: runs, fingerprints, new-only, diff, atomic recording."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from scanner.core.models import Problem
from scanner.errors import InputError, UsageError
from scanner.workflows.history import open_history, problem_key
from scanner.workflows.tracking import RunTracker
from trademarks.store import open_registry
from wf_helpers import make_problem

NIKE = make_problem("SKU-1", "TM102", "Nike", source="catalog.csv:2")
LV = make_problem("SKU-2", "TM101", "LV", mark="Louis Vuitton", owner="LVMH", source="catalog.csv:3")
GUCCI = make_problem("SKU-3", "TM103", "Gucci", mark="Gucci", owner="Gucci", source="catalog.csv:4")


@pytest.fixture
def history(tmp_path):
    with open_history(tmp_path / "listguard.db") as h:
        yield h


def test_record_and_list_runs(history):
    first = history.record_run([NIKE, LV], inputs=["catalog.csv"], lists_version="abc", listings=3)
    second = history.record_run([NIKE], inputs=["catalog.csv"], listings=3)
    assert [r.id for r in history.runs()] == [second.id, first.id]
    assert first.inputs == ("catalog.csv",) and first.lists_version == "abc"
    assert first.problems == 2 and first.listings == 3 and first.rules_version.startswith("0.1.0+")
    assert history.latest_run() == second and history.previous_run() == first
    assert history.run("previous") == first and history.run(str(first.id)) == first
    assert {p.fingerprint for p in history.problems(first.id)} == {NIKE.fingerprint, LV.fingerprint}


def test_problems_round_trip_exactly(history):
    run = history.record_run([LV], inputs=["x.csv"])
    (back,) = history.problems(run.id)
    assert back == LV and back.to_dict() == LV.to_dict()


def test_fingerprint_survives_reordering_and_edits_elsewhere(history):
    before = history.record_run([NIKE, LV], inputs=["catalog.csv"])
    # rows moved (different source line), other text edited (different offset), case changed
    moved = make_problem("SKU-1", "TM102", "NIKE", start=17, source="catalog.csv:40")
    after = history.record_run([moved, LV], inputs=["catalog.csv"])
    diff = history.diff(before.id, after.id)
    assert diff.added == [] and diff.resolved == []
    assert {p.listing for p in diff.still_open} == {"SKU-1", "SKU-2"}


def test_diff_new_resolved_still_open(history):
    history.record_run([NIKE, LV], inputs=["c.csv"])
    history.record_run([LV, GUCCI], inputs=["c.csv"])
    diff = history.diff()  # latest against the one before
    assert [p.listing for p in diff.added] == ["SKU-3"]
    assert [p.listing for p in diff.resolved] == ["SKU-1"]
    assert [p.listing for p in diff.still_open] == ["SKU-2"]


def test_new_only_filters_against_previous_run(tmp_path, monkeypatch):
    # why: the code that runs is RunTracker.filter (what `scan --new-only` calls), so test that
    monkeypatch.chdir(tmp_path)  # no .listguard-ignore here
    db = str(tmp_path / "lg.db")
    first = RunTracker(["c.csv"], db, None, show_suppressed=False, new_only=True)
    assert first.filter([NIKE]) == ([NIKE], [NIKE])  # no previous run: everything is new
    first.finish(listings=1, complete=False)
    with open_history(db) as h:
        h.record_run([NIKE, LV], inputs=["c.csv"])
    tracker = RunTracker(["c.csv"], db, None, show_suppressed=False, new_only=True)
    assert tracker.filter([NIKE, GUCCI, LV]) == ([GUCCI], [GUCCI])
    assert tracker.finish(listings=3, complete=False)[0] == (
        "listguard: 2 problem(s) already seen in the previous run not shown (--new-only)")


def test_duplicate_fingerprints_are_one_row_with_a_count(history):
    run = history.record_run([NIKE, NIKE], inputs=["c.csv"])
    count = history.db.execute("SELECT occurrences FROM history_problems WHERE run_id = ?", [run.id]).fetchone()
    assert count == (2,) and run.problems == 1


def test_suppressed_problems_are_recorded_but_not_open(history):
    run = history.record_run([NIKE], inputs=["c.csv"], suppressed=[LV])
    assert run.problems == 1 and run.suppressed == 1
    assert history.fingerprints(run.id) == {NIKE.fingerprint}
    assert len(history.problems(run.id, include_suppressed=True)) == 2


def test_failure_inside_the_transaction_records_nothing(history):
    history.record_run([NIKE], inputs=["c.csv"])
    broken = Problem("SKU-X", "title", 0, 1, "TM101", "r", "not-a-severity", None, None, "x", "m")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        history.record_run([LV, broken], inputs=["c.csv"])
    assert len(history.runs()) == 1
    assert history.db.execute("SELECT count(*) FROM history_problems").fetchone() == (1,)
    assert not history.db.conn.in_transaction


def test_killed_run_records_nothing(tmp_path):
    db = tmp_path / "h.db"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {os.getcwd()!r}); sys.path.insert(0, {os.path.dirname(__file__)!r})
        from scanner.workflows.history import open_history
        from wf_helpers import make_problem
        h = open_history({str(db)!r})
        rec = h.start_run(["c.csv"])
        for i in range(1000):
            rec.add(make_problem(f"SKU-{{i}}"))
        os.kill(os.getpid(), signal.SIGKILL)
        rec.commit()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with open_history(db) as history:
        assert history.runs() == []


def test_shares_the_file_with_the_registry(tmp_path):
    path = tmp_path / "shared.db"
    with open_registry(path):
        pass
    with open_history(path) as history:
        history.record_run([NIKE], inputs=["c.csv"])
        assert history.db.journal_mode == "wal"
    with open_registry(path) as registry:
        assert registry.count() == 0
    conn = sqlite3.connect(path)
    sets = {row[0] for row in conn.execute("SELECT DISTINCT migration_set FROM _sqlite_migrations")}
    assert {"listguard.history", "listguard.registry"} <= sets


def test_bad_refs_and_files(tmp_path, history):
    with pytest.raises(UsageError, match="no runs recorded yet"):
        history.run()
    with pytest.raises(UsageError, match="bad run"):
        history.run("yesterday")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="cannot open the scan history"):
        open_history(junk)
    with pytest.raises(InputError, match="no such database"):
        open_history(tmp_path / "missing.db", create=False)


def test_problem_key_falls_back_to_documented_fingerprint():
    bare = Problem("SKU-1", "title", 0, 4, "TM102", "counterfeit-cue", NIKE.severity, "Nike", "Nike, Inc.",
                   "NIKE", "m")
    assert problem_key(bare) == NIKE.fingerprint
