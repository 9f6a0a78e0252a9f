"""Issue 14, "a new user's rough edges" in the registry commands and baseline: `marks show`
and `marks list` see the bundled list and say which list a mark comes from; `marks list` and
`authorizations list` have a header; `authorize` refuses evidence that has already expired and
warns about a brand in no list; `baseline` takes --db, --marks and --own-brand (and honours
LISTGUARD_DB) like `scan`, so its fingerprints are the ones a scan meets."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import EXIT_OK, EXIT_USAGE


@pytest.fixture(autouse=True)
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def lg(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_marks_show_finds_a_bundled_mark_without_any_database():
    result = lg("marks", "show", "耐克")
    assert result.exit_code == EXIT_OK, result.output
    assert "mark:         Nike\n" in result.stdout and "source:       bundled\n" in result.stdout


def test_marks_show_says_which_list_each_mark_comes_from(workdir):
    db = str(workdir / "shop.db")
    assert lg("marks", "add", "Nike", "--owner", "Nike, Inc.", "--alias", "耐吉", "--source", "complaints",
              "--db", db).exit_code == 0
    shown = json.loads(lg("marks", "show", "nike", "--json", "--db", db).stdout)
    assert [(m["mark"], m["source"]) for m in shown] == [("Nike", "complaints"), ("Nike", "bundled")]
    only = json.loads(lg("marks", "show", "nike", "--json", "--db", db, "--no-bundled").stdout)
    assert [m["source"] for m in only] == ["complaints"]


def test_marks_list_has_a_header_and_the_bundled_list():
    result = lg("marks", "list", "--owner", "Nike, Inc.")
    lines = result.stdout.splitlines()
    assert lines[0] == "mark\towner\tclasses\tsource\taliases"
    assert any(line.startswith("Nike\tNike, Inc.\t") for line in lines[1:])
    assert all(line.split("\t")[3] == "bundled" for line in lines[1:])
    as_json = lg("marks", "list", "--owner", "Nike, Inc.", "--json").stdout.splitlines()
    assert len(as_json) == len(lines) - 1 and "Nike" in {json.loads(line)["mark"] for line in as_json}  # no header


def test_authorizations_list_has_a_header(workdir):
    db = str(workdir / "shop.db")
    assert lg("authorize", "Nike", "--evidence", "invoice", "--ref", "INV-1", "--db", db).exit_code == 0
    assert lg("authorizations", "list", "--db", db).stdout.splitlines() == [
        "brand\tevidence\tref\texpires\tstatus", "Nike\tinvoice\tINV-1\t-\tactive"]


def test_authorize_refuses_evidence_that_has_already_expired(workdir):
    db = workdir / "shop.db"
    result = lg("authorize", "Nike", "--evidence", "authorization-letter", "--ref", "NK-1",
                "--expires", "2024-06-30", "--today", "2024-07-01", "--db", str(db))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == ("listguard: error: the evidence for 'Nike' expired on 2024-06-30 (today is 2024-07-01) "
                             "and would count for nothing (record the renewed document with its new --expires date)\n")
    assert not db.exists()
    same_day = lg("authorize", "Nike", "--evidence", "authorization-letter", "--ref", "NK-1",
                  "--expires", "2024-06-30", "--today", "2024-06-30", "--db", str(db))
    assert same_day.exit_code == EXIT_OK  # valid through its last day


def test_authorize_warns_about_a_brand_in_no_list(workdir):
    db = str(workdir / "shop.db")
    unknown = lg("authorize", "Zorblax", "--evidence", "owner", "--ref", "TM-1", "--db", db)
    assert unknown.exit_code == EXIT_OK
    assert unknown.stderr.splitlines()[1] == (
        "warning: 'Zorblax' is in no trademark list listguard scans for (the bundled list, the registry): "
        "recorded, but it silences nothing until the mark is added (`listguard marks add`)")
    assert "Zorblax\towner\tTM-1" in lg("authorizations", "list", "--db", db).stdout
    known = lg("authorize", "耐克", "--evidence", "owner", "--ref", "TM-2", "--db", db)
    assert known.exit_code == EXIT_OK and "in no trademark list" not in known.stderr


@pytest.fixture
def zorblax(workdir):
    (workdir / "acme.csv").write_text("mark,owner\nZorblax,Zorblax Ltd\n", encoding="utf-8")
    (workdir / "catalog.jsonl").write_text('{"id": "1", "title": "Zorblax replica"}\n'
                                           '{"id": "2", "title": "Nike sneakers"}\n', encoding="utf-8")
    return workdir


def baseline_entries(workdir) -> list[str]:
    """'listing:code' of each entry (its 'about' reads "<listing> <field> <code> ...")."""
    lines = (workdir / ".listguard-ignore").read_text(encoding="utf-8").splitlines()
    abouts = [json.loads(line)["about"].split() for line in lines if line.startswith("{")]
    return sorted(f"{about[0]}:{about[2]}" for about in abouts)


@pytest.mark.parametrize("how", ["--marks", "--db", "LISTGUARD_DB"])
def test_baseline_sees_the_marks_a_scan_sees(zorblax, how):
    env = None
    if how == "--marks":
        extra = ["--marks", "acme.csv"]
    else:
        assert lg("marks", "import", "acme.csv", "--db", "shop.db").exit_code == 0
        extra = ["--db", "shop.db"] if how == "--db" else []
        env = {"LISTGUARD_DB": "shop.db"} if how == "LISTGUARD_DB" else None
    result = lg("baseline", "catalog.jsonl", "--who", "ops", *extra, env=env)
    assert result.exit_code == EXIT_OK, result.output
    entries = baseline_entries(zorblax)
    assert "1:TM102" in entries  # the registry's (or file's) Zorblax with its counterfeit cue
    # and the scan with the same options now finds nothing new
    scan = lg("scan", "catalog.jsonl", "--format", "jsonl", *extra, env=env)
    assert scan.stdout == ""


def test_baseline_own_brand(zorblax):
    assert lg("baseline", "catalog.jsonl", "--who", "ops", "--own-brand", "Nike").exit_code == EXIT_OK
    assert not any(entry.startswith("2:") for entry in baseline_entries(zorblax))
