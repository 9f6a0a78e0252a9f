"""End to end through `listguard scan` (CliRunner and a real subprocess): history, new-only,
suppressions, baselines, config files, formats and --output on real files and databases."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.workflows.history import open_history

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
LISTINGS = [
    {"id": "SKU-1", "title": "Nike replica 1:1 running shoes AAA quality", "brand": "Acme"},
    {"id": "SKU-2", "title": "Breathable mesh running shoes", "brand": "Acme"},
    {"id": "=HYPERLINK(\"http://evil.example\")", "title": "Gucci同款 女包 <script>alert(1)</script>",
     "brand": "Acme"},
]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LISTGUARD_DB", raising=False)
    write_jsonl(tmp_path / "catalog.jsonl", LISTINGS)
    return tmp_path


def lg(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def jsonl_problems(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_scan_records_history_and_new_only(shop):
    first = lg("scan", "catalog.jsonl", "--db", "lg.db", "--format", "jsonl")
    assert first.exit_code == 1
    codes = sorted(p["code"] for p in jsonl_problems(first.stdout))
    assert codes == ["TM102", "TM103"]
    assert "recorded run 1 in lg.db" in first.stderr
    # reorder rows and edit another part of SKU-1: nothing is new
    edited = [LISTINGS[2], LISTINGS[1], {**LISTINGS[0], "description": "now with free shipping"}]
    write_jsonl(shop / "catalog.jsonl", edited)
    again = lg("scan", "catalog.jsonl", "--db", "lg.db", "--new-only", "--format", "jsonl")
    assert again.exit_code == 0 and jsonl_problems(again.stdout) == []
    assert "2 problem(s) already seen in the previous run not shown (--new-only)" in again.stderr
    write_jsonl(shop / "catalog.jsonl", [*edited, {"id": "SKU-4", "title": "Rolex replica watch", "brand": "Acme"}])
    third = lg("scan", "catalog.jsonl", "--db", "lg.db", "--new-only", "--format", "jsonl")
    assert third.exit_code == 1 and [p["listing"] for p in jsonl_problems(third.stdout)] == ["SKU-4"]
    diff = lg("history", "diff", "--db", "lg.db")
    assert diff.stdout.splitlines()[:2] == ["run 3 against run 2", "new: 1"]
    assert "resolved: 0" in diff.stdout and "still open: 2" in diff.stdout
    assert lg("history", "--db", "lg.db").stdout.count("catalog.jsonl") == 3
    report = lg("report", "--db", "lg.db")
    assert "  1. SKU-1 (catalog.jsonl:3): SERIOUS TM102 Nike" in report.stdout


def test_new_only_needs_a_db(shop):
    result = lg("scan", "catalog.jsonl", "--new-only")
    assert result.exit_code == 2 and "--new-only needs a history" in result.stderr


def test_suppressions_and_show_suppressed(shop):
    problems = jsonl_problems(lg("scan", "catalog.jsonl", "--format", "jsonl").stdout)
    nike = next(p for p in problems if p["code"] == "TM102")
    (shop / ".listguard-ignore").write_text(
        json.dumps({"fingerprint": nike["fingerprint"], "reason": "licensed", "who": "ops"}) + "\n"
        + json.dumps({"listing": LISTINGS[2]["id"], "code": "TM103", "reason": "old", "who": "ops",
                      "expires": "2000-01-01"}) + "\n"
        + json.dumps({"listing": "SKU-404", "code": "TM101", "reason": "gone", "who": "ops"}) + "\n",
        encoding="utf-8",
    )
    result = lg("scan", "catalog.jsonl", "--format", "jsonl")
    assert result.exit_code == 1  # the expired entry no longer hides TM103
    assert [p["code"] for p in jsonl_problems(result.stdout)] == ["TM103"]
    assert ".listguard-ignore:2: suppression expired on 2000-01-01 and still matches a problem" in result.stderr
    assert ".listguard-ignore:3: unused suppression: SKU-404 TM101 (gone; ops)" in result.stderr
    assert "1 problem(s) suppressed by .listguard-ignore" in result.stderr
    only_nike = lg("scan", "catalog.jsonl", "--select", "TM102")
    assert only_nike.exit_code == 0 and only_nike.stdout == ""
    shown = lg("scan", "catalog.jsonl", "--select", "TM102", "--show-suppressed", "--format", "sarif")
    assert shown.exit_code == 0
    (result_,) = json.loads(shown.stdout)["runs"][0]["results"]
    assert result_["suppressions"] == [{"kind": "external", "status": "accepted",
                                        "justification": "licensed (ops, .listguard-ignore:1)"}]
    missing = lg("scan", "catalog.jsonl", "--ignore-file", "nope.jsonl")
    assert missing.exit_code == 2 and "invalid config: nope.jsonl: suppression file not found" in missing.stderr


def test_baseline_then_only_new_problems_fail(shop):
    made = lg("baseline", "catalog.jsonl", "--who", "team")
    assert made.exit_code == 0, made.output
    assert ".listguard-ignore: 2 entries added" in made.stderr
    assert lg("scan", "catalog.jsonl").exit_code == 0
    write_jsonl(shop / "catalog.jsonl", [*LISTINGS, {"id": "SKU-5", "title": "Rolex replica", "brand": "Acme"}])
    after = lg("scan", "catalog.jsonl", "--format", "jsonl")
    assert after.exit_code == 1 and [p["listing"] for p in jsonl_problems(after.stdout)] == ["SKU-5"]


def test_formats_through_the_cli(shop):
    sarif = json.loads(lg("scan", "catalog.jsonl", "--format", "sarif").stdout)
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    assert not list(validator.iter_errors(sarif))
    assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["TM102", "TM103"]
    github = lg("scan", "catalog.jsonl", "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=catalog.jsonl,line=1,title=TM102 counterfeit-cue::SKU-1 title: ")
    rows = list(csv.DictReader(io.StringIO(lg("scan", "catalog.jsonl", "--format", "csv").stdout)))
    assert [r["listing"] for r in rows] == ["SKU-1", "'=HYPERLINK(\"http://evil.example\")"]
    page = lg("scan", "catalog.jsonl", "--format", "html").stdout
    assert "<script>" not in page and "女包 &lt;script&gt;alert(1)" in page
    assert "<mark>Gucci</mark>" in page


def test_output_file_is_written_atomically(shop):
    result = lg("scan", "catalog.jsonl", "--format", "sarif", "--output", "out.sarif")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((shop / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert sorted(os.listdir(shop)) == ["catalog.jsonl", "out.sarif"]
    bad = lg("scan", "catalog.jsonl", "--output", "no/such/dir/out.txt")
    assert bad.exit_code == 3 and "output directory does not exist" in bad.stderr


def test_config_file_defaults_and_cli_wins(shop):
    (shop / "setup.cfg").write_text("[listguard]\nformat = jsonl\nfail-on = never\ndb = data/lg.db\n"
                                    "select = TM102\n", encoding="utf-8")
    result = lg("scan", "catalog.jsonl")
    assert result.exit_code == 0
    assert [p["code"] for p in jsonl_problems(result.stdout)] == ["TM102"]
    assert (shop / "data" / "lg.db").exists()
    cli_wins = lg("scan", "catalog.jsonl", "--format", "csv", "--fail-on", "error", "--select", "TM103")
    assert cli_wins.exit_code == 1 and cli_wins.stdout.startswith("listing,field,code")
    shown = lg("config", "--config", "setup.cfg").stdout
    assert f"db             = {shop / 'data' / 'lg.db'}" in shown
    (shop / "setup.cfg").write_text("[listguard]\nfail-on = sometimes\n", encoding="utf-8")
    bad = lg("scan", "catalog.jsonl")
    assert bad.exit_code == 2
    assert f"invalid config: {shop / 'setup.cfg'} [listguard]: fail-on = 'sometimes': expected one of " \
           "error, warning, info, never" in bad.stderr


def test_interrupted_scan_records_no_run_and_leaves_output_alone(shop):
    """A real process, killed with SIGINT half way through a large catalog."""
    big = [{"id": f"SKU-{i}", "title": f"Nike replica {i} running shoes", "brand": "Acme"} for i in range(200_000)]
    write_jsonl(shop / "big.jsonl", big)
    (shop / "out.jsonl").write_text("previous report\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", "big.jsonl", "--db", "lg.db",
                             "--format", "jsonl", "--output", "out.jsonl"], cwd=shop, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (shop / "lg.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    # on a loaded machine the signal can land before the run has begun: nothing to record then
    assert "interrupted; results above are complete" in err and "run not recorded" in err \
        or err.strip().splitlines()[-1] == "listguard: interrupted", err
    with open_history(shop / "lg.db") as store:
        assert store.runs() == []
    assert (shop / "out.jsonl").read_text(encoding="utf-8") == "previous report\n"
    assert not [name for name in os.listdir(shop) if name.endswith(".tmp")]


def test_check_reads_the_config_file_too(shop):
    (shop / ".listguard.cfg").write_text("[listguard]\nformat = jsonl\nfail-on = never\n", encoding="utf-8")
    result = lg("check", "Nike replica 1:1 running shoes")
    assert result.exit_code == 0 and [p["code"] for p in jsonl_problems(result.stdout)] == ["TM102"]
    assert lg("check", "Nike replica 1:1 running shoes", "--fail-on", "error").exit_code == 1


def test_history_run_names_the_registry_generation(shop):
    assert lg("marks", "add", "Acmeo", "--owner", "Acmeo Ltd", "--db", "lg.db").exit_code == 0
    assert lg("scan", "catalog.jsonl", "--db", "lg.db").exit_code == 1
    with open_history(shop / "lg.db") as store:
        (run,) = store.runs()
    assert run.lists_version.startswith("bundled:") and run.lists_version.endswith(":1")
    assert "+registry:" in run.lists_version
