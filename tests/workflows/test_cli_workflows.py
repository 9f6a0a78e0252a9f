"""history, history diff, baseline, config and report through click, on real files."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.cli.workflows import COMMANDS
from scanner.workflows.history import open_history
from wf_helpers import make_problem

NIKE = make_problem("SKU-1", "TM102", "Nike", source="c.csv:2")
LV = make_problem("SKU-2", "TM101", "LV", mark="Louis Vuitton", owner="LVMH", source="c.csv:3")
GUCCI = make_problem("SKU-3", "TM103", "Gucci", mark="Gucci", owner="Gucci", source="c.csv:4")


@pytest.fixture
def cli():
    return main


@pytest.fixture
def run(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LISTGUARD_DB", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "lg.db"
    with open_history(path) as store:
        store.record_run([NIKE, LV], inputs=["c.csv"], listings=3)
        store.record_run([LV, GUCCI], inputs=["c.csv"], listings=3)
    return str(path)


def test_every_command_has_help_with_an_example(run):
    for command in COMMANDS:
        assert "Example:" in (command.help or ""), command.name
    assert "Example:" in run("history", "diff", "--help").output


def test_history_lists_runs(run, db):
    result = run("history", "--db", db)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["id", "finished", "problems", "suppressed", "listings"]
    assert lines[1].split()[0] == "2" and lines[2].split()[0] == "1"
    # id, finished, problems, suppressed, listings, inputs: each value under its heading
    assert lines[1].split()[2:6] == ["2", "0", "3", "c.csv"]
    for heading in ("problems", "suppressed", "listings"):  # counts end where their heading ends
        end = lines[0].index(heading) + len(heading)
        assert all(line[end - 1].isdigit() and line[end] == " " for line in lines[1:3]), heading
    records = [json.loads(line) for line in run("history", "--db", db, "--json").output.splitlines()]
    assert [r["id"] for r in records] == [2, 1] and records[0]["inputs"] == ["c.csv"]


def test_history_uses_listguard_db_env(run, db, monkeypatch):
    monkeypatch.setenv("LISTGUARD_DB", db)
    assert run("history").output.count("c.csv") == 2


def test_history_diff(run, db):
    result = run("history", "diff", "--db", db)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "run 2 against run 1",
        "new: 1", "  TM103 error SKU-3 title [Gucci] 'Gucci'  c.csv:4",
        "resolved: 1", "  TM102 error SKU-1 title [Nike] 'Nike'  c.csv:2",
        "still open: 1", "  TM101 warning SKU-2 title [Louis Vuitton] 'LV'  c.csv:3",
    ]
    data = json.loads(run("history", "diff", "1", "2", "--db", db, "--json").output)
    assert [p["listing"] for p in data["new_problems"]] == ["SKU-3"]
    assert data["resolved"][0]["fingerprint"] == NIKE.fingerprint
    assert run("history", "--db", db, "diff", "1").output.startswith("run 2 against run 1")


def test_history_errors_exit_2_and_3(run, db, tmp_path):
    bad = run("history", "diff", "9", "--db", db)
    assert bad.exit_code == 2 and "no run 9" in bad.output
    missing = run("history", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 3 and "no such database" in missing.output


def test_report_text_and_html(run, db, tmp_path):
    text = run("report", "--db", db)
    assert text.exit_code == 0
    assert text.output.startswith("listguard exposure report: run 2 (")
    assert "  1. SKU-3 (c.csv:4): general TM103 Gucci" in text.output
    first = run("report", "--db", db, "--run", "1")
    assert "SERIOUS TM102 Nike" in first.output
    out = tmp_path / "exposure.html"
    assert run("report", "--db", db, "--format", "html", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_baseline_from_jsonl_then_config_shows_it(run, tmp_path):
    jsonl = "\n".join(json.dumps(p.to_dict()) for p in (NIKE, LV)) + "\n"
    result = run("baseline", "--from-jsonl", "-", "--who", "ops", input=jsonl)
    assert result.exit_code == 0, result.output
    assert ".listguard-ignore: 2 entries added, 0 already suppressed, 2 in total" in result.output
    lines = (tmp_path / ".listguard-ignore").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["fingerprint"] == LV.fingerprint and json.loads(lines[-1])["who"] == "ops"
    again = run("baseline", "--from-jsonl", "-", "--who", "ops", input=jsonl)
    assert "0 entries added, 2 already suppressed" in again.output


def test_baseline_rejects_bad_input(run):
    result = run("baseline", "--from-jsonl", "-", input='{"listing": 1}\n')
    assert result.exit_code == 2 and "<stdin>:1: not a listguard JSONL problem record" in result.output
    assert run("baseline").exit_code == 2


def test_config_command(run, tmp_path):
    (tmp_path / "setup.cfg").write_text("[listguard]\nfail-on = warning\nformat = github\n", encoding="utf-8")
    result = run("config")
    assert result.exit_code == 0
    origin = f"{tmp_path / 'setup.cfg'} [listguard]"
    assert result.output.splitlines()[0] == f"# config file: {origin}"
    assert f"fail-on        = warning                  # {origin}" in result.output.splitlines()
    assert f"jobs           = {os.cpu_count()!s:<24} # default" in result.output.splitlines()
    (tmp_path / "setup.cfg").write_text("[listguard]\nformat = pdf\n", encoding="utf-8")
    bad = run("config")
    assert bad.exit_code == 2
    assert f"listguard: error: invalid config: {origin}: format = 'pdf': expected one of text," in bad.output
