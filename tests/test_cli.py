"""The command line as a user meets it: exact findings, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from lg_paths import FIXTURES, ROOT, SMALL_MARKS
from scanner.cli import main
from scanner.errors import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

CONTRACT_KEYS = ["listing", "field", "code", "rule", "severity", "mark", "owner", "start", "end",
                 "text", "message", "source", "fingerprint"]


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_sample_catalog_exact_findings():
    result = run("scan", str(FIXTURES / "sample_catalog.jsonl"), str(FIXTURES / "sample_catalog.csv"),
                 "--format", "jsonl")
    assert result.exit_code == EXIT_PROBLEMS
    got = []
    for line in result.stdout.splitlines():
        p = json.loads(line)
        assert list(p) == CONTRACT_KEYS
        got.append("\t".join(str(x) for x in (p["listing"], p["field"], p["code"], p["start"], p["end"],
                                              p["mark"] or "-", p["text"])))
    expected = [line for line in (FIXTURES / "sample_catalog.expected.tsv").read_text(encoding="utf-8").splitlines()
                if not line.startswith("#")]
    assert got == expected
    assert "50 listings, 89 fields" in result.stderr


def test_summary_counts_fields_with_parallel_workers():
    args = ["scan", str(FIXTURES / "sample_catalog.jsonl"), str(FIXTURES / "sample_catalog.csv"),
            "--format", "jsonl"]
    one, two = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert one.stdout == two.stdout
    assert "50 listings, 89 fields" in one.stderr and "50 listings, 89 fields" in two.stderr


def test_check_jsonl_contract_and_exit_code():
    result = run("check", "高仿LV包", "--marks", str(SMALL_MARKS), "--format", "jsonl")
    assert result.exit_code == EXIT_PROBLEMS
    [problem] = [json.loads(line) for line in result.stdout.splitlines()]
    assert problem == {**problem, "code": "TM102", "rule": "counterfeit-cue", "severity": "error",
                       "mark": "Louis Vuitton", "owner": "Louis Vuitton Malletier", "start": 2, "end": 4,
                       "text": "LV", "field": "title", "listing": "-"}
    assert list(problem) == CONTRACT_KEYS and len(problem["fingerprint"]) == 24


def test_check_clean_listing_exits_zero_and_prints_nothing():
    result = run("check", "Organic cotton T-shirt", "--marks", str(SMALL_MARKS))
    assert (result.exit_code, result.stdout) == (EXIT_OK, "")


def test_text_format_marks_the_match():
    result = run("check", "Nike同款 运动鞋", "--marks", str(SMALL_MARKS))
    assert result.stdout.splitlines() == [
        "-: - title:0-4 TM103 error [Nike] 'Nike', a mark of Nike, Inc. used as a style reference ('同款')".replace("-: -", "command line: -"),
        "    [[Nike]]同款 运动鞋",
    ]


@pytest.mark.parametrize("args, code, why", [
    (["--fail-on", "warning"], EXIT_PROBLEMS, "TM109 is a warning"),
    (["--fail-on", "error"], EXIT_OK, "no error-level finding"),
    (["--fail-on", "never"], EXIT_OK, "never fails"),
    (["--fail-on", "warning", "--ignore", "TM109"], EXIT_OK, "the only finding is ignored"),
    (["--fail-on", "warning", "--select", "TM1", "--ignore", "TM10"], EXIT_PROBLEMS, "TM109 is under TM10: longest prefix wins... TM10 ignores it"),
])
def test_fail_on_and_selection(args, code, why):
    result = run("check", "正品 Gucci 腰带", "--marks", str(SMALL_MARKS), *args)
    expected = EXIT_OK if "--ignore" in args and "TM10" in args else code
    assert result.exit_code == expected, why


def test_own_brand_decides_whether_a_product_brand_is_evidence():
    # nothing declared: the product's brand is a mention (info); declared brands make any
    # other product brand a warning (TM101), and the declared one itself nothing at all
    assert run("check", "Nike running shoes", "--marks", str(SMALL_MARKS), "--fail-on", "warning").exit_code == 0
    assert run("check", "Nike running shoes", "--marks", str(SMALL_MARKS), "--fail-on", "warning",
               "--own-brand", "Acme").exit_code == 1
    result = run("check", "Nike running shoes", "--marks", str(SMALL_MARKS), "--fail-on", "info", "--own-brand", "耐克")
    assert result.exit_code == 0 and result.stdout == ""


def test_bad_jsonl_line_is_reported_and_the_rest_scanned(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id":"a","title":"Rolex replica"}\n["not", "an", "object"]\n{"id":"b","title":"高仿LV"}\n',
                    encoding="utf-8")
    result = run("scan", str(path), "--marks", str(SMALL_MARKS), "--format", "jsonl")
    assert result.exit_code == EXIT_INPUT
    assert [json.loads(line)["listing"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert f"{path}:2:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("make, needle, why", [
    (lambda d: str(d / "missing.jsonl"), "missing.jsonl: no such file", "missing file"),
    (lambda d: str(d), "is a directory", "a directory"),
])
def test_unreadable_inputs(tmp_path, make, needle, why):
    result = run("scan", make(tmp_path), "--marks", str(SMALL_MARKS))
    assert result.exit_code == EXIT_INPUT, why
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_invalid_utf8_names_file_and_line_and_keeps_earlier_findings(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes('{"id":"a","title":"高仿LV"}\n'.encode() + b'{"id":"b","title":"\xff\xfe bad"}\n')
    result = run("scan", str(path), "--marks", str(SMALL_MARKS), "--format", "jsonl")
    assert result.exit_code == EXIT_INPUT
    assert [json.loads(line)["listing"] for line in result.stdout.splitlines()] == ["a"]
    assert f"{path}:2" in result.stderr and "--encoding" in result.stderr


@pytest.mark.parametrize("content, needle, why", [
    ("name,owner\nNike,Nike Inc\n", "no 'mark' column", "marks file without a mark column"),
    ("", "empty", "empty marks file"),
    ("mark,case\nNike,sometimes\n", ":2: bad 'case' value", "bad value names the line"),
])
def test_bad_marks_files(tmp_path, content, needle, why):
    marks = tmp_path / "marks.csv"
    marks.write_text(content, encoding="utf-8")
    result = run("check", "Nike shoes", "--marks", str(marks))
    assert result.exit_code == EXIT_INPUT, why
    assert needle in result.stderr and str(marks) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_option_is_a_usage_error():
    assert run("scan", "x.jsonl", "--fail-on", "sometimes").exit_code == EXIT_USAGE


def test_stdin_dash(tmp_path):
    result = run("scan", "-", "--marks", str(SMALL_MARKS), "--format", "jsonl",
                 input='{"id":"s1","title":"Chanel-style bag"}\n')
    assert [json.loads(line)["code"] for line in result.stdout.splitlines()] == ["TM103"]


def test_rules_lists_every_code():
    out = run("rules").stdout
    for code in ["TM100", "TM101", "TM102", "TM103", "TM104", "TM105", "TM106", "TM107", "TM108",
                 "TM109", "TM110", "DS201"]:
        assert f"{code}  " in out
    assert "[error]" in out and "[info]" in out


def test_explain_shows_views_and_reasons():
    out = run("explain", "N-i-k-e 同款 shoes 苹果", "--marks", str(SMALL_MARKS)).stdout
    assert "evasion view: 'nike 同款 shoes 苹果'" in out
    assert "reported: TM103, TM108" in out
    assert "not reported: TM111 silenced by doubtful (an ordinary-word mark" in out


def test_explain_takes_the_category_scan_would_use():
    # 苹果 alone is an ordinary word; in an electronics listing it is Apple's mark.
    alone = run("explain", "苹果 特价 5斤", "--marks", str(SMALL_MARKS)).stdout
    assert "doubtful" in alone and "\n  reported: TM111" not in alone
    cables = run("explain", "苹果 特价 5斤", "--category", "Electronics > Cables", "--marks", str(SMALL_MARKS)).stdout
    assert "doubtful" not in cables and "\n  reported: TM111" in cables


def test_every_command_documents_an_example():
    def walk(group, prefix=()):
        for name, cmd in group.commands.items():
            yield prefix + (name,), cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, prefix + (name,))
    for path, cmd in walk(main):
        assert "Example:" in (cmd.help or ""), " ".join(path)


def test_python_dash_m_real_process():
    proc = subprocess.run([sys.executable, "-m", "scanner", "check", "Rolex replica 1:1",
                           "--marks", str(SMALL_MARKS), "--format", "jsonl"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == EXIT_PROBLEMS
    assert json.loads(proc.stdout)["code"] == "TM102"


def test_a_scan_never_imports_sqlite_utils(tmp_path):
    # Importing sqlite-utils costs about as much as the rest of start-up; only commands
    # that open a database (the registry, --db history) may pay for it.
    listing = tmp_path / "one.jsonl"
    listing.write_text('{"id": "1", "title": "Nike同款 运动鞋"}\n', encoding="utf-8")
    code = ("import sys\nfrom scanner.cli import main\n"
            "try:\n    main(['scan', sys.argv[1], '-s', '--fail-on', 'never'], prog_name='listguard')\n"
            "except SystemExit:\n    pass\n"
            "print('sqlite_utils' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, str(listing)], capture_output=True, text=True, check=True)
    assert "TM103" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False"
