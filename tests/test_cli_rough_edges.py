"""Issue 14, "a new user's rough edges" in the main commands: `rules CODE`, rule texts without
raw markup, "no problems" on a clean check, counts that agree with their number, and Ctrl-C
or a closed pipe in any command ending the documented way (never click's exit 1)."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from lg_paths import SMALL_MARKS
from scanner.cli import main
from scanner.core.rules import RULES
from scanner.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("why, codes, shown", [
    ("one code", ["TM102"], ["TM102"]),
    ("lower case", ["tm102"], ["TM102"]),
    ("a prefix", ["TM10"], [f"TM10{i}" for i in range(10)]),
    ("two codes", ["DS201", "TM110"], ["TM110", "DS201"]),
    ("none: every rule", [], [rule.code for rule in RULES]),
])
def test_rules_takes_codes(why, codes, shown):
    result = run("rules", *codes)
    assert result.exit_code == EXIT_OK, why
    headings = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert headings == shown, why


def test_rules_refuses_an_unknown_code():
    result = run("rules", "TMl02")
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.startswith("listguard: error: unknown rule code 'TMl02' in `listguard rules`; ")


def test_rule_texts_carry_no_raw_markup():
    from scanner.cli.main import plain

    text = run("rules").stdout
    assert "``" not in text
    assert plain("the seller's own brand (``--own-brand``, the listing's declared ``brand``)") == (
        "the seller's own brand (--own-brand, the listing's declared brand)")


def test_clean_check_says_no_problems_on_stderr_only():
    result = run("check", "Organic cotton T-shirt", "--marks", str(SMALL_MARKS))
    assert result.exit_code == EXIT_OK
    assert (result.stdout, result.stderr) == ("", "listguard: no problems\n")
    quiet = run("check", "Organic cotton T-shirt", "--marks", str(SMALL_MARKS), "--format", "jsonl")
    assert (quiet.stdout, quiet.stderr) == ("", "")  # machine formats stay silent


@pytest.mark.parametrize("rows, first_line", [
    (['{"id": "1", "title": "Nike replica"}'], "listguard: 1 listing, 1 field, 1 problem, 0 bad rows in "),
    (['{"id": "1", "title": "Nike replica"}', '{"id": "2", "title": "Gucci fake"}', "{bad"],
     "listguard: 2 listings, 2 fields, 2 problems, 1 bad row in "),
])
def test_summary_counts_agree_with_their_number(tmp_path, rows, first_line):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("scan", str(path), "--marks", str(SMALL_MARKS))
    summary = [line for line in result.stderr.splitlines() if line.endswith("listings/s)")]
    assert summary and summary[0].startswith(first_line), result.stderr


def test_ctrl_c_in_any_command_is_exit_130_not_aborted(monkeypatch, tmp_path):
    import trademarks.store

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(trademarks.store.Registry, "import_marks", interrupted)
    listfile = tmp_path / "m.csv"
    listfile.write_text("mark\nZorblax\n", encoding="utf-8")
    result = run("marks", "import", str(listfile), "--db", str(tmp_path / "r.db"))
    assert result.exit_code == EXIT_INTERRUPTED
    assert result.stderr == "listguard: interrupted\n"


def test_a_closed_pipe_in_any_command_is_quiet_exit_3(monkeypatch):
    def closed(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", closed)
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == EXIT_INPUT
    assert result.output == ""


def test_check_jsonl_still_one_record_per_problem():
    result = run("check", "Nike replica", "--marks", str(SMALL_MARKS), "--format", "jsonl")
    assert [json.loads(line)["code"] for line in result.stdout.splitlines()] == ["TM102"]
