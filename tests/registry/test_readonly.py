"""Issue 14, fault 4: a database file the user may only read (a cron user without write
permission). Commands that only read it work; commands that write say it is read-only, in one
line, exit 3; a scan with --db prints every finding and then says the run was not recorded.
SQLite failures are worded for what they are (read-only, full disk, locked), never as "is it a
listguard SQLite database?".

The commands run in a subprocess as a user without write permission: chmod takes it away; as
root, whom permissions do not stop, the subprocess also drops CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from its capability bounding set before it starts, so the kernel refuses
its writes as it would a normal user's.
"""

from __future__ import annotations

import ctypes
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS
from trademarks.authorizations import make_authorization
from trademarks.errors import DatabaseError, ReadOnlyDatabase
from trademarks.lists import read_marks
from trademarks.sqlite import describe
from trademarks.store import open_registry

from .conftest import snapshot

ROOT = Path(__file__).resolve().parents[2]
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _drop_root_powers() -> None:
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(97)  # reported below as a skip


def lg(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LISTGUARD_CACHE_DIR": str(cwd / "cache")}
    result = subprocess.run([sys.executable, "-m", "scanner", *args], capture_output=True, text=True, cwd=cwd,
                            env=env, timeout=120, preexec_fn=_drop_root_powers)
    if result.returncode == 97:
        pytest.skip("cannot drop root's file-permission override here")
    return result


@pytest.fixture(scope="module", params=["file read-only", "file and directory read-only"])
def shop(request, tmp_path_factory):
    """A registry with a mark, an authorization and one recorded run, then made read-only
    (one per module and variant: no test here may change it)."""
    shop = tmp_path_factory.mktemp("shop")
    (shop / "cache").mkdir()
    (shop / "acme.csv").write_text("mark,owner,classes\nZorblax,Zorblax Ltd,25\n", encoding="utf-8")
    (shop / "more.csv").write_text("mark,owner\nQuuxify,Quux Inc\n", encoding="utf-8")
    (shop / "catalog.jsonl").write_text('{"id": "1", "title": "Zorblax replica sneakers"}\n'
                                        '{"id": "2", "title": "Nike replica"}\n', encoding="utf-8")
    with open_registry(shop / "shop.db") as registry:
        registry.import_marks(read_marks(shop / "acme.csv"), "acme")
        registry.authorize(make_authorization("Acme", "owner", "TM-1"))
    recorded = CliRunner().invoke(main, ["scan", str(shop / "catalog.jsonl"), "--db", str(shop / "shop.db"), "-s"],
                                  env={"LISTGUARD_CACHE_DIR": str(shop / "cache")})
    assert recorded.exit_code == EXIT_PROBLEMS, recorded.output
    (shop / "shop.db").chmod(0o444)
    if request.param == "file and directory read-only":
        shop.chmod(0o555)
    yield shop
    shop.chmod(0o755)
    (shop / "shop.db").chmod(0o644)


def digest(shop: Path) -> bytes:
    """The database file itself (a reader may add the WAL index, -shm, beside it)."""
    return (shop / "shop.db").read_bytes()


def test_scan_prints_every_finding_then_says_the_run_was_not_recorded(shop):
    before = digest(shop)
    result = lg(shop, "scan", "catalog.jsonl", "--db", "shop.db", "--format", "jsonl", "-s")
    assert result.returncode == EXIT_INPUT  # a fault, never 1
    assert [json.loads(line)["mark"] for line in result.stdout.splitlines()] == ["Zorblax", "Nike"]
    assert result.stderr.splitlines() == [
        "listguard: error: shop.db: run not recorded: cannot write the scan history: the database is "
        "read-only (ask for write permission on the file and its directory, or use a writable copy with --db)"]
    assert digest(shop) == before


def test_new_only_reads_the_previous_run_of_a_read_only_history(shop):
    result = lg(shop, "scan", "catalog.jsonl", "--db", "shop.db", "--new-only", "--format", "jsonl", "-s")
    assert result.returncode == EXIT_INPUT and result.stdout == ""  # both seen in the recorded run
    assert "run not recorded" in result.stderr


@pytest.mark.parametrize("args", [
    ["marks", "import", "more.csv"],
    ["marks", "add", "Quuxify"],
    ["marks", "remove", "Zorblax"],
    ["authorize", "Zorblax", "--evidence", "invoice", "--ref", "INV-9"],
    ["authorizations", "remove", "Acme"],
], ids=lambda args: " ".join(args[:2]))
def test_writers_say_read_only_in_one_line(shop, args):
    before = digest(shop)
    result = lg(shop, *args, "--db", "shop.db")
    assert result.returncode == EXIT_INPUT
    [line] = result.stderr.splitlines()
    assert line.startswith("listguard: error: shop.db: ") and "the database is read-only" in line, line
    assert "Traceback" not in result.stderr and "is it a listguard" not in line
    assert digest(shop) == before


@pytest.mark.parametrize("args, expect", [
    (["marks", "list", "--source", "acme"], "Zorblax\tZorblax Ltd\t25\tacme"),
    (["marks", "show", "Zorblax"], "owner:        Zorblax Ltd"),
    (["marks", "stats"], "marks:          1"),
    (["marks", "export", "--source", "acme"], "Zorblax,,Zorblax Ltd,25,fold,,"),
    (["authorizations", "list"], "Acme\towner\tTM-1\t-\tactive"),
    (["history"], "catalog.jsonl"),
    (["report"], "listguard exposure report: run 1"),
    (["check", "Zorblax replica"], "TM102 error [Zorblax]"),
    (["explain", "Zorblax replica"], "-> Zorblax (Zorblax Ltd)"),
], ids=["marks list", "marks show", "marks stats", "marks export", "authorizations list", "history", "report",
        "check", "explain"])
def test_readers_work_on_a_read_only_file(shop, args, expect):
    before = digest(shop)
    result = lg(shop, *args, "--db", "shop.db")
    assert result.returncode in (EXIT_OK, EXIT_PROBLEMS), result.stderr
    assert expect in result.stdout, result.stdout
    assert digest(shop) == before


def test_sqlite_failures_are_worded_for_what_they_are(tmp_path):
    def error(name: str) -> sqlite3.Error:
        err = sqlite3.OperationalError("x")
        err.sqlite_errorname = name  # type: ignore[attr-defined]
        return err

    assert describe(error("SQLITE_FULL"))[0] == "the disk is full"
    assert describe(error("SQLITE_READONLY_DIRECTORY"))[0] == "the database is read-only"
    assert describe(error("SQLITE_BUSY"))[0] == "another process holds the database"
    assert describe(error("SQLITE_CANTOPEN"))[0] == "cannot open the file"
    assert describe(error("SQLITE_NOTADB"))[0].startswith("not a listguard SQLite database")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="not a listguard SQLite database"):
        open_registry(bad)
    with pytest.raises(DatabaseError, match="not a listguard SQLite database"):
        open_registry(bad, readonly=True)
    assert not issubclass(DatabaseError, ReadOnlyDatabase)


def test_a_write_the_disk_refuses_is_one_line_and_changes_nothing(tmp_path):
    """A file-size limit makes the kernel refuse SQLite's writes as a full disk would."""
    import resource
    import signal

    db = tmp_path / "r.db"
    with open_registry(db) as registry:
        registry.import_marks(read_marks(_write(tmp_path / "one.csv", 1)), "one")
    before = snapshot(db)
    big = _write(tmp_path / "big.csv", 20_000)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "scanner", "marks", "import", str(big), "--db", str(db)],
                            capture_output=True, text=True, env=env, timeout=120, preexec_fn=limit)
    assert result.returncode == EXIT_INPUT
    assert result.stderr == (f"listguard: error: {db}: cannot write the registry: the disk refused a write "
                             "(SQLITE_IOERR_WRITE) (is it full, or the file over a size limit? nothing was written)\n")
    assert snapshot(db) == before


def _write(path: Path, rows: int) -> Path:
    path.write_text("mark,owner\n" + "".join(f"Brandname{i},Owner {i}\n" for i in range(rows)), encoding="utf-8")
    return path
