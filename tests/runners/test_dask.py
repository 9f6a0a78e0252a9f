"""A scan on a real Dask cluster (LocalCluster, two worker processes) gives what --jobs 1 gives,
byte for byte, also when a worker is killed mid-run; --output-dir parts and _SUMMARY.json."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_parallel import write_shopify, write_tricky_csv

from scanner.formatters import FORMATTERS, get_formatter
from scanner.runners.dask import DaskTarget
from scanner.workflows.run import RunOptions, run_scan
from scanner.workflows.scanners import build_scanner, scanner_settings

pytest.importorskip("distributed", reason="the dask extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
# Every format fixture a catalog reader accepts, and the sample catalogs.
INPUTS = [FIXTURES / "sample_catalog.jsonl", FIXTURES / "sample_catalog.csv",
          *sorted(p for p in (FIXTURES / "formats").iterdir()
                  if p.suffix in (".csv", ".tsv", ".txt", ".jsonl", ".xml") and p.name != "google_doctype.xml")]


@pytest.fixture(scope="module")
def scanner():
    return build_scanner(scanner_settings())


class Collected:
    def __init__(self) -> None:
        self.problems: list = []
        self.notices: list = []
        self.info: list[str] = []


def scan(paths, scanner, **options):
    got = Collected()
    report = run_scan([str(p) for p in paths], options=RunOptions(suppressions=False, **options), scanner=scanner,
                      on_problems=got.problems.extend, on_notice=got.notices.append, on_info=got.info.append)
    return report, got


def jsonl(problems) -> bytes:
    return "".join(p.to_json() + "\n" for p in problems).encode()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Multiline quoted fields, CRLF, bad rows; Shopify variant rows."""
    base = tmp_path_factory.mktemp("gen")
    tricky, shopify = base / "tricky.csv", base / "shopify.csv"
    write_tricky_csv(tricky, 1500)
    write_shopify(shopify, 400)
    return [tricky, shopify]


def test_every_fixture_and_format_like_jobs_one(dask_cluster, scanner, generated):
    paths = INPUTS + generated
    one, expected = scan(paths, scanner, jobs=1)
    many, got = scan(paths, scanner, dask=dask_cluster, range_bytes=2048)
    assert jsonl(got.problems) == jsonl(expected.problems)
    assert got.notices == expected.notices
    assert len(expected.problems) > 100 and any(n for n in expected.notices)
    assert (many.summary.listings, many.summary.fields, many.summary.bad_rows, many.summary.by_code) == (
        one.summary.listings, one.summary.fields, one.summary.bad_rows, one.summary.by_code)
    assert many.exit_code() == one.exit_code() == 3  # the fixtures hold bad rows
    assert [line for line in got.info if "dashboard" in line] == [line for line in got.info]
    assert len(got.info) == 1
    for name in FORMATTERS:  # every output format streams the same problems in the same order
        outputs = []
        for report, problems in ((one, expected.problems), (many, got.problems)):
            stream = io.StringIO()
            formatter = get_formatter(name, stream)
            for problem in problems:
                formatter.write(problem)
            report.summary.elapsed = 0.0
            formatter.close(report.summary)
            outputs.append(stream.getvalue())
        assert outputs[0] == outputs[1], name


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(dask_cluster, scanner, tmp_path):
    from distributed import Client

    path = tmp_path / "big.csv"
    write_tricky_csv(path, 3000, seed=8)
    _, expected = scan([path], scanner, jobs=1)
    with Client(dask_cluster) as client:
        before = client.run(os.getpid)
    killed: list[int] = []

    class KillOnFirstRange:
        def advance(self, rows: int = 1) -> None:
            pass

        def position(self, path: str, consumed: int) -> None:
            pass

        def ranges(self, done: int, total: int) -> None:
            if not killed and total > 20:  # tasks are in flight on both workers now
                pid = next(iter(before.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    got = Collected()
    report = run_scan([str(path)], options=RunOptions(suppressions=False, dask=dask_cluster, range_bytes=4096),
                      scanner=scanner, on_problems=got.problems.extend, on_notice=got.notices.append,
                      progress=KillOnFirstRange())
    assert killed
    assert jsonl(got.problems) == jsonl(expected.problems)
    assert got.notices == expected.notices and not report.interrupted
    with Client(dask_cluster) as client:
        client.wait_for_workers(2, timeout=30)
        assert killed[0] not in client.run(os.getpid).values()  # the nanny started a new one


def test_output_dir_parts_and_summary(dask_cluster, scanner, generated, tmp_path):
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    paths = [FIXTURES / "sample_catalog.csv", *generated]
    one, expected = scan(paths, scanner, jobs=1)
    for part_format in ("jsonl", "parquet"):
        out = tmp_path / part_format
        out.mkdir()
        (out / "part-99999-000000000000000.jsonl").write_text("stale\n")  # an earlier run's part
        report, got = scan(paths, scanner, dask=dask_cluster, output_dir=str(out), part_format=part_format,
                           range_bytes=4096)
        assert got.problems == []  # nothing streamed: the parts hold it
        summary = json.loads((out / "_SUMMARY.json").read_text())
        parts = sorted(p.name for p in out.iterdir() if p.name.startswith("part-"))
        assert parts == summary["parts"] and len(parts) > 3
        if part_format == "jsonl":
            data = b"".join((out / name).read_bytes() for name in parts)
        else:
            rows = [row for name in parts for row in pyarrow_parquet.read_table(out / name).to_pylist()]
            data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
            data = jsonl([type(expected.problems[0]).from_dict(json.loads(line)) for line in data.splitlines()])
        assert data == jsonl(expected.problems), part_format
        owners: dict[str, int] = {}
        for problem in expected.problems:
            owners[problem.owner or "(none)"] = owners.get(problem.owner or "(none)", 0) + 1
        assert summary["by_owner"] == dict(sorted(owners.items(), key=lambda kv: (-kv[1], kv[0])))
        assert (summary["listings"], summary["problems"], summary["by_code"], summary["bad_rows"]) == (
            one.summary.listings, one.summary.problems, dict(sorted(one.summary.by_code.items())),
            one.summary.bad_rows)
        assert len(summary["bad_row_lines"]) == one.summary.bad_rows > 0
        assert summary["inputs"] == [str(p) for p in paths] and summary["versions"]["distributed"]
        assert report.exit_code() == one.exit_code()


def test_a_run_that_fails_leaves_no_summary(dask_cluster, scanner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "_SUMMARY.json").write_text("{}")  # an earlier, finished run
    bad = tmp_path / "bad.jsonl"
    lines = [json.dumps({"id": str(i), "title": "Rolex replica"}) + "\n" for i in range(400)]
    bad.write_bytes("".join(lines).encode() + b'{"id": "x", "title": "caf\xe9"}\n')
    report, got = scan([FIXTURES / "sample_catalog.jsonl", bad], scanner, dask=dask_cluster, output_dir=str(out),
                       range_bytes=2048)
    assert report.file_errors == 1 and report.exit_code() == 3
    assert not (out / "_SUMMARY.json").exists()
    assert any("no " in note and "_SUMMARY.json" in note for note in report.notes)


def test_history_suppressions_and_new_only_on_a_cluster(dask_cluster, scanner, tmp_path):
    """The client applies suppressions and --new-only and records the history, as locally."""
    path = FIXTURES / "sample_catalog.csv"
    _, plain = scan([path], scanner, jobs=1)
    ignore = tmp_path / "ignore.jsonl"
    first_problem = plain.problems[0]
    ignore.write_text(json.dumps({"listing": first_problem.listing, "code": first_problem.code,
                                  "reason": "reviewed", "who": "qa"}) + "\n")
    outcomes = []
    for runner in ({"jobs": 1}, {"dask": dask_cluster}):
        db = tmp_path / f"h{len(outcomes)}.db"
        first = run_scan([str(path)], options=RunOptions(db=str(db), ignore_file=str(ignore), **runner),
                         scanner=scanner, on_problems=lambda _: None)
        shown: list = []
        second = run_scan([str(path)], options=RunOptions(db=str(db), ignore_file=str(ignore), new_only=True,
                                                          show_suppressed=True, **runner),
                          scanner=scanner, on_problems=shown.extend)
        outcomes.append((first.summary.suppressed, first.summary.problems, first.exit_code("warning"),
                         jsonl(shown), second.summary.problems,
                         [n.split(" in ")[0] for n in second.notes if "recorded" not in n]))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] > 0 and outcomes[0][4] == 0


@pytest.mark.parametrize("text, target, why", [
    ("local", DaskTarget(), "a LocalCluster with a worker per core"),
    ("local:3", DaskTarget(workers=3), "three local workers"),
    ("tcp://10.0.0.5:8786", DaskTarget(address="tcp://10.0.0.5:8786"), "a scheduler"),
])
def test_dask_targets(text, target, why):
    assert DaskTarget.parse(text) == target, why


def cli(*args: str, env_extra: dict[str, str] | None = None, prelude: str = ""):
    code = f"{prelude}\nfrom scanner.cli import main\nmain(prog_name='listguard')"
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.run([sys.executable, "-c", code, "scan", *args], capture_output=True, cwd=ROOT, env=env,
                          timeout=120)


def test_cli_stdout_is_byte_identical(dask_cluster, generated):
    paths = [str(FIXTURES / "sample_catalog.jsonl"), str(FIXTURES / "formats" / "shopify_legacy.csv"),
             str(generated[0])]
    one = cli(*paths, "--format", "jsonl", "--jobs", "1", "--ignore-file", os.devnull)
    many = cli(*paths, "--format", "jsonl", "--dask", dask_cluster, "--ignore-file", os.devnull)
    assert one.stdout and one.stdout == many.stdout
    assert one.returncode == many.returncode == 3
    bad = [line for line in one.stderr.splitlines() if b"bad row:" in line]
    assert len(bad) > 20 and bad == [line for line in many.stderr.splitlines() if b"bad row:" in line]
    assert many.stderr.count(b"Dask dashboard: http") == 1


@pytest.mark.parametrize("args, message, why", [
    (["--dask", "local:0"], b"expected local:N", "no workers"),
    (["--output-dir", "out"], b"--output-dir needs --dask", "parts are written by workers"),
    (["--dask", "local:1", "-"], b"not stdin", "workers cannot read the client's stdin"),
])
def test_usage_errors(args, message, why):
    done = cli(*(args if "-" in args else [str(FIXTURES / "sample_catalog.jsonl"), *args]))
    assert done.returncode == 2, why
    assert message in done.stderr and done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr


def test_without_the_extra_dask_says_what_to_install():
    blocked = "import sys\nsys.modules['dask'] = None\nsys.modules['distributed'] = None"
    done = cli(str(FIXTURES / "sample_catalog.jsonl"), "--dask", "local:2", prelude=blocked)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr == b"listguard: error: --dask needs Dask and distributed: pip install 'listguard[dask]'\n"
