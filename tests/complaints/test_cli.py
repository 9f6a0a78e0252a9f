"""The complaint desk through the CLI, against a real database file and the sample catalog:
add (with what else is at risk), list, the open complaints by deadline, --due for cron,
update, export, points in `listguard report`, and bad input (one line, the documented exit
code, nothing written)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from .conftest import CATALOG

ADD = ["complaints", "add", "--listing", "SKU-1001", "--holder", "Nike, Inc.", "--right", "trademark",
       "--allegation", "improper-use", "--mark", "Nike", "--received", "2026-09-30 14:00", "--stage",
       "before-penalty"]
NOW = ["--now", "2026-10-01 09:00"]


def _count(db) -> int:
    try:
        return sqlite3.connect(db).execute("SELECT count(*) FROM complaints").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_add_with_a_catalog_prints_deadline_and_what_else_is_at_risk(cli, db):
    result = cli(*ADD, "--catalog", str(CATALOG), *NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "recorded complaint #1\n"
    assert result.stdout.splitlines() == [
        "complaint #1: SKU-1001, Nike, Inc. (trademark, improper-use), received 2026-09-30 14:00 Wed",
        "next: appeal before the penalty by 2026-10-10 14:00 Sat (9 d 5 h left)",
        f"Other listings naming Nike, Inc.'s marks ({CATALOG}): 4",
        f"  SKU-1010 ({CATALOG}:10):",
        "    TM108 error [Nike] title 'N-i-k-e': remove the disguised brand name",
        f"  SKU-1012 ({CATALOG}:12):",
        "    TM103 error [Nike] title 'Nike': remove the style reference (同款, -style, dupe...) and the brand name",
        f"  SKU-1006 ({CATALOG}:6):",
        "    TM105 warning [Nike] title 'Nike': drop the brand name: 'not X' still uses the mark",
        f"  SKU-1009 ({CATALOG}:9):",
        "    TM111 info [Nike] title 'Nike': keep the authorization letter or verifiable invoice for this brand on file "
        "(listguard authorize), or remove the brand name",
        "A new complaint by Nike, Inc. before 2026-10-03 14:00 Sat (2 d 5 h left) counts with this one; after "
        "that, each complaint counts on its own.",
    ]
    snapshot = json.loads(sqlite3.connect(db).execute("SELECT snapshot FROM complaints").fetchone()[0])
    assert snapshot["fields"]["title"] == "Nike同款 透气跑步鞋 男女款"
    assert [p["code"] for p in snapshot["problems"]] == ["TM103"]


def test_add_from_the_latest_recorded_scan(cli, db):
    assert cli("scan", str(CATALOG), "-s", "--format", "jsonl").exit_code == 1
    result = cli(*ADD, *NOW)
    assert result.exit_code == 0
    assert "Other listings naming Nike, Inc.'s marks (scan run 1 (" in result.stdout
    assert "  SKU-1010 (" in result.stdout and "SKU-1001 (" not in result.stdout


@pytest.mark.parametrize("args, warning, why", [
    (["--catalog", str(CATALOG)], f"warning: listing 'SKU-9999' is not in {CATALOG}; recorded anyway: check the id",
     "the catalog does not hold it"),
    ([], "warning: cannot check listing 'SKU-9999': no scan recorded in {db} and no --catalog; recorded as given",
     "nothing to check against"),
])
def test_an_unknown_listing_is_recorded_with_a_warning(cli, db, args, warning, why):
    result = cli(*[("SKU-9999" if a == "SKU-1001" else a) for a in ADD], *args, *NOW)
    assert result.exit_code == 0, why
    assert result.stderr.splitlines()[0] == warning.format(db=db)
    assert _count(db) == 1


@pytest.mark.parametrize("replace, value, stderr, code", [
    ("--received", "2026-10-02 10:00", "listguard: error: --received '2026-10-02 10:00' is in the future (now "
     "2026-10-01 09:00 China time) (give the time the platform shows, in China time)\n", 2),
    ("--received", "yesterday", "listguard: error: bad --received 'yesterday' (use \"YYYY-MM-DD HH:MM\", China "
     "time)\n", 2),
    ("--stage", "during-penalty", "listguard: error: bad --stage 'during-penalty' (use one of before-penalty, "
     "after-penalty)\n", 2),
    ("--allegation", "counterfeit", None, 0),
])
def test_bad_input_is_one_line_and_writes_nothing(cli, db, replace, value, stderr, code):
    args = list(ADD)
    args[args.index(replace) + 1] = value
    result = cli(*args, *NOW)
    assert result.exit_code == code
    if stderr is not None:
        assert (result.stderr, result.stdout, _count(db)) == (stderr, "", 0)


def test_an_unreadable_catalog_records_nothing(cli, db, tmp_path):
    result = cli(*ADD, "--catalog", str(tmp_path / "missing.jsonl"), *NOW)
    assert result.exit_code == 3
    assert result.stderr.startswith("listguard: error: ") and result.stderr.count("\n") == 1
    assert _count(db) == 0


def _three(cli):
    assert cli(*ADD, *NOW).exit_code == 0
    second = [("SKU-1012" if a == "SKU-1001" else "2026-10-02 10:00" if a == "2026-09-30 14:00" else a) for a in ADD]
    assert cli(*second, "--now", "2026-10-02 11:00").exit_code == 0
    assert cli("complaints", "add", "--listing", "SKU-1002", "--holder", "Louis Vuitton Malletier", "--right",
               "trademark", "--allegation", "counterfeit", "--received", "2026-09-29 20:00", "--stage",
               "before-penalty", "--now", "2026-10-02 11:00").exit_code == 0
    update = cli("complaints", "update", "1", "--status", "appealed", "--at", "2026-10-08 10:00", "--now",
                 "2026-10-08 10:05")
    assert update.exit_code == 0
    assert update.stdout == ("next: waiting for the rights holder: if it withdraws or does not ask the platform to "
                             "intervene by 2026-10-12 10:00 Mon, the listing is restored\n")


def test_list_json_keys_and_values(cli):
    _three(cli)
    result = cli("complaints", "list", "--format", "json", "--now", "2026-10-08 12:00")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["listing"], r["status"], r["received"], r["appeal_deadline"]) for r in records] == [
        (3, "SKU-1002", "open", "2026-09-29T20:00+08:00", "2026-10-09T20:00+08:00"),
        (1, "SKU-1001", "appealed", "2026-09-30T14:00+08:00", "2026-10-10T14:00+08:00"),
        (2, "SKU-1012", "open", "2026-10-02T10:00+08:00", "2026-10-10T10:00+08:00"),
    ]
    assert set(records[0]) >= {"id", "listing", "holder", "right", "allegation", "received", "appeal_deadline",
                               "status"}
    assert (records[0]["holder"], records[0]["right"], records[0]["allegation"]) == (
        "Louis Vuitton Malletier", "trademark", "counterfeit")


def test_open_complaints_by_deadline_and_due_for_cron(cli):
    _three(cli)
    listed = cli("complaints", "--now", "2026-10-08 12:00")
    assert listed.exit_code == 0
    rows = listed.stdout.splitlines()
    assert rows[0].split() == ["id", "deadline", "(China", "time)", "left", "holder", "listing", "next"]
    assert [row.split()[0] for row in rows[1:]] == ["3", "2", "1"]  # soonest first, the waiting one last
    assert "2026-10-09 20:00 Fri    1 d 8 h" in rows[1]
    quiet = cli("complaints", "--due", "24h", "--now", "2026-10-08 12:00")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "no complaint due within 24h\n")
    due = cli("complaints", "--due", "24h", "--json", "--now", "2026-10-09 08:00")
    assert due.exit_code == 1
    assert [json.loads(line)["id"] for line in due.stdout.splitlines()] == [3]
    bad = cli("complaints", "--due", "tomorrow")
    assert (bad.exit_code, bad.stderr) == (2, "listguard: error: bad --due 'tomorrow' (use a number with m, h or "
                                              "d: 24h, 90m, 2d)\n")


def test_provisional_deadline_warns_on_stderr(cli, calendar_until):
    calendar_until(2026)
    args = [("2026-12-30 09:30" if a == "2026-09-30 14:00" else a) for a in ADD]
    result = cli(*args, "--now", "2026-12-30 10:00")
    assert result.exit_code == 0
    assert "next: appeal before the penalty by 2027-01-04 09:30 Mon (provisional)" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning: chinesecalendar")]
    assert "does not know China's 2027 holidays" in warning
    record = json.loads(cli("complaints", "list", "--format", "json", "--now", "2026-12-30 10:00").stdout)
    assert (record["appeal_deadline"], record["appeal_deadline_certain"]) == ("2027-01-04T09:30+08:00", False)
    # an alert goes by the earliest the deadline could be (2 Jan), not the Monday-Friday count
    due = cli("complaints", "--due", "24h", "--now", "2027-01-01 10:00")
    assert due.exit_code == 1


def test_export_csv_is_spreadsheet_safe(cli):
    hostile = [("=HYPERLINK(\"x\")" if a == "Nike, Inc." else a) for a in ADD]
    assert cli(*hostile, *NOW).exit_code == 0
    out = cli("complaints", "export", *NOW).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["holder"] == "'=HYPERLINK(\"x\")" and rows[0]["appeal_deadline"] == "2026-10-10T14:00+08:00"
    as_json = json.loads(cli("complaints", "export", "--format", "json", *NOW).stdout)
    assert as_json[0]["holder"] == "=HYPERLINK(\"x\")"


def test_points_and_report(cli):
    _three(cli)
    assert cli("scan", str(CATALOG), "-s").exit_code == 1
    points = cli("complaints", "points").stdout.splitlines()
    assert points[1] == "  now: 0 point(s) counted; if every open complaint stands: 0 (0 at stake)"
    report = cli("report").stdout
    assert "\nComplaints received:\nPoints (general violations" in report
    assert ("    #2 2026-10-02 10:00 Nike, Inc. SKU-1012 [open, at stake]: +0 -> 0; counts with #1 (same holder, "
            "same type, within 3 days): no more points") in report
    html = cli("report", "--format", "html").stdout
    assert "<h2>Complaints received</h2>" in html


def test_report_without_complaints_is_unchanged(cli, db):
    assert cli("scan", str(CATALOG), "-s").exit_code == 1
    assert "Complaints received" not in cli("report").stdout
    tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "complaints" not in tables  # report reads; it never migrates


def test_evidence_command_and_authorize_files(cli, db, tmp_path):
    assert cli(*ADD, *NOW).exit_code == 0
    receipt = tmp_path / "receipt.jpg"
    receipt.write_bytes(b"receipt")
    assert cli("complaints", "attach", "1", str(receipt), "--kind", "receipt").exit_code == 0
    none = cli("complaints", "evidence", "1", *NOW)
    assert none.exit_code == 1
    assert ("  receipt (1 file(s); complaint #1): not accepted: a receipt is not a verifiable proof of "
            "purchase: the platform accepts an invoice") in none.stdout
    assert "verdict: nothing on file that the platform accepts" in none.stdout
    missing = cli("authorize", "Nike", "--evidence", "invoice", "--ref", "INV-1", "--supplier", "Pou Chen",
                  "--file", str(tmp_path / "nope.pdf"))
    assert (missing.exit_code, missing.stderr) == (
        3, f"listguard: error: {tmp_path / 'nope.pdf'}: no such evidence file (check the path; nothing was "
           "recorded)\n")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM authorizations").fetchone() == (0,)
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(b"invoice")
    assert cli("authorize", "Nike", "--evidence", "invoice", "--ref", "INV-1", "--supplier", "Pou Chen",
               "--file", str(invoice)).exit_code == 0
    found = cli("complaints", "evidence", "1", *NOW)
    assert found.exit_code == 0
    assert "verdict: the platform accepts at least one document on file" in found.stdout
    listed = json.loads(cli("authorizations", "list", "--json").stdout)
    assert (listed["supplier"], listed["files"][0]["size"]) == ("Pou Chen", 7)
