"""The registry commands, run through click against a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scanner.cli.registry import COMMANDS, authorizations, authorize, marks

from .conftest import snapshot

ROOT = Path(__file__).parents[2]
USPTO = ROOT / "fixtures/uspto/apc-daily-sample.xml"
WIKIDATA = ROOT / "fixtures/wikidata/brands.json"


@pytest.fixture
def run(db_path):
    def invoke(command, *args, env=None):
        runner = CliRunner()
        return runner.invoke(command, [*args, "--db", str(db_path)], env=env, catch_exceptions=False)
    return invoke


@pytest.fixture
def listfile(tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text("mark,aliases,owner,classes,case,famous\n"
                    "Nike,耐克|NIKE,\"Nike, Inc.\",18|25,fold,yes\n"
                    "Dove,多芬,Unilever,3,exact,\n", encoding="utf-8")
    return path


def test_import_list_show_stats(run, listfile, db_path):
    result = run(marks, "import", str(listfile))
    assert result.exit_code == 0
    assert result.stderr == f"imported 2 marks into source 'complaints' in {db_path} (0 replaced; the source holds 2)\n"
    assert result.stdout == ""
    listed = run(marks, "list", "--class", "3", "--no-bundled")
    assert listed.stdout == "mark\towner\tclasses\tsource\taliases\nDove\tUnilever\t3\tcomplaints\t多芬\n"
    shown = run(marks, "show", "耐克")
    assert "mark:         Nike\n" in shown.stdout and "classes:      18, 25\n" in shown.stdout
    stats = json.loads(run(marks, "stats", "--json").stdout)
    assert (stats["marks"], stats["aliases"], stats["sources"]) == (2, 3, {"complaints": 2})


def test_export_round_trips(run, listfile, tmp_path):
    run(marks, "import", str(listfile))
    out = tmp_path / "out.csv"
    assert run(marks, "export", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == listfile.read_text(encoding="utf-8").replace(",exact,\n", ",exact,,\n").replace(",yes\n", ",yes,\n").replace("famous\n", "famous,exceptions\n")
    again = run(marks, "import", str(out), "--source", "complaints", "--replace")
    assert again.exit_code == 0
    assert run(marks, "export").stdout == out.read_text(encoding="utf-8")


def test_add_remove(run, db_path):
    assert run(marks, "add", "Dove", "--alias", "多芬", "--owner", "Unilever", "--class", "3").exit_code == 0
    assert run(marks, "list", "--source", "manual").stdout.splitlines()[1:] == ["Dove\tUnilever\t3\tmanual\t多芬"]
    removed = run(marks, "remove", "dove")
    assert (removed.exit_code, removed.stderr) == (0, f"removed 1 mark named 'dove' from {db_path}\n")
    again = run(marks, "remove", "dove")
    assert again.exit_code == 3 and again.stderr == "listguard: error: nothing matched; the registry is unchanged\n"


def test_bad_import_is_one_line_exit_3_and_changes_nothing(run, listfile, tmp_path, db_path):
    run(marks, "import", str(listfile))
    before = snapshot(db_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("mark,classes\nAdidas,25\nPuma,99\n", encoding="utf-8")
    result = run(marks, "import", str(bad), "--source", "complaints", "--replace")
    assert result.exit_code == 3
    assert result.stderr == f"listguard: error: {bad}:3: Nice class out of range in '99' (Nice classes run from 1 to 45)\n"
    missing = run(marks, "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 3 and "no such file" in missing.stderr
    assert snapshot(db_path) == before


def test_import_uspto_and_wikidata(run, db_path):
    assert run(marks, "import", str(USPTO)).stderr == (
        f"imported 4 marks into source 'apc-daily-sample' in {db_path} (0 replaced; the source holds 4)\n")
    assert run(marks, "import", str(WIKIDATA), "--source", "wikidata").exit_code == 0
    shown = json.loads(run(marks, "show", "耐克", "--json").stdout)
    assert [(m["mark"], m["source"]) for m in shown] == [("Nike", "wikidata"), ("Nike", "bundled")]
    dove = json.loads(run(marks, "show", "DOVE", "--json", "--no-bundled").stdout)
    assert [(m["owner"], m["classes"]) for m in dove] == [
        ("Unilever IP Holdings B.V.", [3]), ("Mars, Incorporated", [30])]


def test_db_from_environment(db_path, listfile):
    runner = CliRunner()
    result = runner.invoke(marks, ["import", str(listfile)], env={"LISTGUARD_DB": str(db_path)})
    assert result.exit_code == 0 and db_path.exists()


def test_authorize_and_list_with_warnings(run):
    # recorded while valid (--today: the day they were recorded), listed later
    assert run(authorize, "Nike", "--evidence", "authorization-letter", "--ref", "NK-1",
               "--expires", "2024-06-20", "--today", "2024-04-01").exit_code == 0
    assert run(authorize, "Adidas", "--evidence", "invoice", "--ref", "INV-9",
               "--expires", "2024-05-01", "--today", "2024-04-01").exit_code == 0
    assert run(authorize, "MyBrand", "--evidence", "owner", "--ref", "TM-1").exit_code == 0
    listed = run(authorizations, "list", "--today", "2024-06-01")
    assert listed.stdout == ("brand\tevidence\tref\texpires\tstatus\n"
                             "Adidas\tinvoice\tINV-9\t2024-05-01\texpired\n"
                             "MyBrand\towner\tTM-1\t-\tactive\n"
                             "Nike\tauthorization-letter\tNK-1\t2024-06-20\texpiring\n")
    assert listed.stderr == (
        "warning: Adidas (invoice INV-9) expired on 2024-05-01 and no longer counts\n"
        "warning: Nike (authorization-letter NK-1) expires in 19 days on 2024-06-20; renew it within 30 days\n")
    assert run(authorizations, "remove", "Adidas").exit_code == 0


def test_receipt_is_refused_with_an_explanation(run, db_path):
    result = run(authorize, "Nike", "--evidence", "receipt", "--ref", "R-1")
    assert result.exit_code == 2
    assert result.stderr == ("listguard: error: evidence 'receipt' refused: a receipt does not count as evidence in a "
                             "marketplace appeal; use a verifiable purchase invoice (--evidence invoice) "
                             "or an authorization letter\n")
    bad = run(authorize, "Nike", "--evidence", "letter", "--ref", "R-1")
    assert bad.exit_code == 2 and "unknown evidence kind 'letter'" in bad.stderr
    assert not db_path.exists()


def test_not_a_database_is_exit_3(tmp_path):
    bad = tmp_path / "x.db"
    bad.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(marks, ["stats", "--db", str(bad)])
    assert result.exit_code == 3 and result.stderr.startswith(f"listguard: error: {bad}: cannot open the registry")


def _all_commands():
    for command in COMMANDS:
        yield command
        if isinstance(command, click.Group):
            yield from command.commands.values()


@pytest.mark.parametrize("command", list(_all_commands()), ids=lambda c: c.name)
def test_every_help_ends_with_an_example(command):
    text = CliRunner().invoke(command, ["--help"]).stdout
    tail = text.split("Options:")[0].rstrip()
    assert "Example:\n" in tail and "listguard " in tail.split("Example:")[1]
    if not isinstance(command, click.Group):
        assert "--db" in text
