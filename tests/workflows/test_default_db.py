"""Issue 14: one rule for every command's database (docs/registry.md, "Which database a command
uses"). A database is *named* by --db, LISTGUARD_DB or the config file's db. Commands that
change the registry write the named database, else the default file. Commands that read the
registry read the named database, else the default file if it exists, read-only. History is
recorded only in a named database: a plain scan (a pre-commit hook) never writes a user-level
file.

Before: `marks import` and `authorize` without --db wrote the default file, and `scan`,
`check`, `explain` and `baseline` without --db never read it: an imported mark found nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import EXIT_OK, EXIT_PROBLEMS


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A working directory without config and a data directory without a database."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LISTGUARD_DB", raising=False)
    (work / "acme.csv").write_text("mark,owner,classes\nZorblax,Zorblax Ltd,25\n", encoding="utf-8")
    (work / "catalog.jsonl").write_text('{"id": "1", "title": "Zorblax replica sneakers"}\n', encoding="utf-8")
    return work


DEFAULT = ("data", "listguard", "listguard.db")


def default_db(home: Path) -> Path:
    return home.parent.joinpath(*DEFAULT)


def lg(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def history_runs(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return conn.execute("SELECT count(*) FROM history_runs").fetchone()[0] if "history_runs" in tables else 0
    finally:
        conn.close()


def marks_of(result) -> list[str]:
    return [json.loads(line)["mark"] for line in result.stdout.splitlines()]


def test_an_imported_mark_is_found_by_every_reading_command(home):
    imported = lg("marks", "import", "acme.csv")
    assert imported.exit_code == 0, imported.output
    db = default_db(home)
    assert db.is_file()
    before = digest(db)
    scan = lg("scan", "catalog.jsonl", "--format", "jsonl", "-s")
    assert scan.exit_code == EXIT_PROBLEMS and marks_of(scan) == ["Zorblax"]
    check = lg("check", "Zorblax replica sneakers", "--format", "jsonl")
    assert check.exit_code == EXIT_PROBLEMS and marks_of(check) == ["Zorblax"]
    explain = lg("explain", "Zorblax replica sneakers")
    assert "-> Zorblax (Zorblax Ltd)" in explain.stdout
    baseline = lg("baseline", "catalog.jsonl", "--who", "ops")
    assert baseline.exit_code == 0 and "1 entry added" in baseline.stderr
    # read, never written: no history recorded in the user's file, not a byte changed
    assert digest(db) == before and history_runs(db) == 0


def test_registry_writers_say_which_file_they_wrote(home):
    imported = lg("marks", "import", "acme.csv")
    assert f"into source 'acme' in {default_db(home)}" in imported.stderr


def test_an_authorization_recorded_without_db_is_honoured(home):
    assert lg("marks", "import", "acme.csv").exit_code == 0
    unauthorized = lg("check", "Zorblax sneakers", "--format", "jsonl")
    assert [json.loads(line)["mark"] for line in unauthorized.stdout.splitlines()] == ["Zorblax"]
    assert lg("authorize", "Zorblax", "--evidence", "authorization-letter", "--ref", "ZB-1").exit_code == 0
    result = lg("check", "Zorblax sneakers", "--format", "jsonl")
    assert result.exit_code == EXIT_OK and result.stdout == ""


def test_a_plain_scan_never_creates_or_writes_the_default_file(home):
    result = lg("scan", "catalog.jsonl", "-s")
    assert result.exit_code == EXIT_OK  # the bundled list knows no Zorblax
    assert not default_db(home).parent.exists()


@pytest.mark.parametrize("how", ["--db", "LISTGUARD_DB", "config file"])
def test_history_is_recorded_in_a_named_database(home, monkeypatch, how):
    named = home / "shop.db"
    args = ["scan", "catalog.jsonl", "--marks", "acme.csv"]
    if how == "--db":
        args += ["--db", str(named)]
    elif how == "LISTGUARD_DB":
        monkeypatch.setenv("LISTGUARD_DB", str(named))
    else:
        (home / ".listguard.cfg").write_text(f"[listguard]\ndb = {named}\n", encoding="utf-8")
    result = lg(*args)
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert f"recorded run 1 in {named}" in result.stderr
    assert history_runs(named) == 1
    assert not default_db(home).exists()


def test_the_named_database_wins_over_the_default_file(home):
    assert lg("marks", "import", "acme.csv").exit_code == 0  # into the default file
    other = home / "other.db"
    result = lg("scan", "catalog.jsonl", "--format", "jsonl", "-s", "--db", str(other))
    assert result.exit_code == EXIT_OK and result.stdout == ""  # other.db holds no Zorblax


def test_registry_listing_commands_read_the_default_file_without_writing_it(home):
    assert lg("marks", "import", "acme.csv").exit_code == 0
    db = default_db(home)
    before = digest(db)
    listed = lg("marks", "list", "--source", "acme")
    assert listed.stdout.splitlines() == ["mark\towner\tclasses\tsource\taliases", "Zorblax\tZorblax Ltd\t25\tacme"]
    assert lg("marks", "show", "Zorblax").exit_code == 0
    assert lg("marks", "stats").exit_code == 0
    assert lg("authorizations", "list").exit_code == 0
    assert digest(db) == before


def test_history_without_db_reads_the_default_file(home):
    assert lg("marks", "import", "acme.csv").exit_code == 0
    result = lg("history")
    assert result.exit_code == 0 and result.stderr.strip() == "no runs recorded yet"


def test_config_shows_which_database_reading_commands_use(home):
    line = next(line for line in lg("config").stdout.splitlines() if line.startswith("db "))
    assert str(default_db(home)) not in line  # nothing there yet: no database at all
    assert lg("marks", "import", "acme.csv").exit_code == 0
    line = next(line for line in lg("config").stdout.splitlines() if line.startswith("db "))
    assert str(default_db(home)) in line and "default file, read-only; history not recorded" in line


def test_environment_variable_is_honoured_by_registry_writers(home, monkeypatch):
    named = home / "env.db"
    monkeypatch.setenv("LISTGUARD_DB", str(named))
    assert lg("marks", "import", "acme.csv").exit_code == 0
    assert named.is_file() and not default_db(home).exists()
    assert os.path.getsize(named) > 0
