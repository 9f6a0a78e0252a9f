"""Issue 14, fault 9: a typo in --select/--ignore is a usage error (exit 2), as it already is in
the config file, never a silent 'every rule off' that passes the catalog."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lg_paths import SMALL_MARKS
from scanner.cli import main
from scanner.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from scanner.workflows.scanners import scanner_settings


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


CASES = [
    # (why, options, exit code, stderr line or None)
    ("lower-case L for 1 turns every rule off today", ["--select", "TMl03"], EXIT_USAGE,
     "listguard: error: unknown rule code 'TMl03' in --select; use codes or prefixes of "),
    ("a typo in --ignore too", ["--ignore", "TM1O2"], EXIT_USAGE,
     "listguard: error: unknown rule code 'TM1O2' in --ignore; use codes or prefixes of "),
    ("one bad code among good ones", ["--select", "TM102,XX"], EXIT_USAGE,
     "listguard: error: unknown rule code 'XX' in --select; "),
    ("a prefix of real codes is fine", ["--select", "TM1"], EXIT_PROBLEMS, None),
    ("lower case is the same code", ["--select", "tm102"], EXIT_PROBLEMS, None),
    ("ignoring the one rule that fires passes", ["--ignore", "TM102"], EXIT_OK, None),
]


@pytest.mark.parametrize("why, options, code, line", CASES, ids=[c[0] for c in CASES])
def test_rule_codes_on_the_command_line(why, options, code, line):
    result = run("check", "Nike replica shoes", "--marks", str(SMALL_MARKS), *options)
    assert result.exit_code == code, why
    if line is not None:
        [only] = result.stderr.splitlines()
        assert only.startswith(line), only
        assert "TM100" in only and "DS201" in only


def test_scan_refuses_a_typo_before_reading(tmp_path):
    catalog = tmp_path / "c.jsonl"
    catalog.write_text('{"id": "1", "title": "Nike replica"}\n', encoding="utf-8")
    result = run("scan", str(catalog), "--select", "TMl03", "-s")
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""


def test_library_settings_refuse_unknown_codes():
    with pytest.raises(UsageError, match="unknown rule code 'TMX' in --select"):
        scanner_settings(select=["TMX"])
    assert scanner_settings(select=["tm10"]).select == ("TM10",)
