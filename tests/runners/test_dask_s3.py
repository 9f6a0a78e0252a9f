"""Catalogs in object storage: an S3 API on 127.0.0.1 (moto in server mode) read with s3fs, on the
LocalCluster and in one process; results identical to the same files read locally."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_parallel import write_tricky_csv

pytest.importorskip("s3fs", reason="the dask extra is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
BUCKET = "catalogs"
WORKER_CREDENTIALS = ("--storage-option", "key=testing", "--storage-option", "secret=testing")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on 127.0.0.1 holding exports/ (three CSVs and a JSONL); yields
    (endpoint, local copies by name)."""
    import s3fs

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    local = tmp_path_factory.mktemp("s3")
    write_tricky_csv(local / "2026-12-02.csv", 1200, seed=21)
    copies = {"2026-12-01.csv": FIXTURES / "sample_catalog.csv", "2026-12-02.csv": local / "2026-12-02.csv",
              "2026-12-03.csv": FIXTURES / "formats" / "shopify_legacy.csv",
              "2026-12-01.jsonl": FIXTURES / "sample_catalog.jsonl"}
    fs = s3fs.S3FileSystem(key="testing", secret="testing", endpoint_url=endpoint)
    fs.mkdir(BUCKET)
    for name, path in copies.items():
        fs.pipe_file(f"{BUCKET}/exports/{name}", path.read_bytes())
    yield endpoint, copies
    server.stop()


def cli(*args: str):
    # The client's environment holds the credentials; the cluster's workers (started by the
    # test process) do not: they get them as storage options, which travel with each task.
    env = {**os.environ, "PYTHONPATH": str(ROOT), **CREDENTIALS}
    return subprocess.run([sys.executable, "-m", "scanner", "scan", *args, "--ignore-file", os.devnull],
                          capture_output=True, cwd=ROOT, env=env, timeout=120)


def test_glob_on_s3_to_an_output_dir_on_s3(s3, dask_cluster):
    """The worked example of docs/dask.md, against moto: parts and summary on S3."""
    import s3fs

    endpoint, copies = s3
    option = f"endpoint_url={endpoint}"
    pattern = f"s3://{BUCKET}/exports/2026-12-*.csv"
    one = cli(pattern, "--format", "jsonl", "--jobs", "1", "--storage-option", option)
    done = cli(pattern, "--dask", dask_cluster, "--output-dir", f"s3://{BUCKET}/out/", "--storage-option", option,
               *WORKER_CREDENTIALS)
    assert done.returncode == one.returncode == 3, done.stderr  # the generated CSV holds bad rows
    assert done.stdout == b"" and one.stdout.count(b"\n") > 100
    fs = s3fs.S3FileSystem(key="testing", secret="testing", endpoint_url=endpoint)
    summary = json.loads(fs.cat_file(f"{BUCKET}/out/_SUMMARY.json"))
    assert summary["inputs"] == [f"s3://{BUCKET}/exports/{n}" for n in sorted(copies) if n.endswith(".csv")]
    parts = b"".join(fs.cat_file(f"{BUCKET}/out/{name}") for name in summary["parts"])
    assert parts == one.stdout
    bad = [line for line in one.stderr.splitlines() if b"bad row:" in line]
    assert bad and bad == [line for line in done.stderr.splitlines() if b"bad row:" in line]
    assert summary["bad_rows"] == len(bad)


def test_s3_reads_exactly_like_local_files(s3, dask_cluster):
    """Same listings, problems, bad rows and line numbers as the local copies (only the path in
    each problem's source differs), on the cluster and in one process."""
    endpoint, copies = s3
    names = sorted(copies)
    urls = [f"s3://{BUCKET}/exports/{n}" for n in names]
    local = cli(*(str(copies[n]) for n in names), "--format", "jsonl", "--jobs", "1")
    for runner in (["--jobs", "1"], ["--dask", dask_cluster]):
        remote = cli(*urls, "--format", "jsonl", *runner, "--storage-option", f"endpoint_url={endpoint}",
                     *WORKER_CREDENTIALS)
        assert remote.returncode == local.returncode
        text = remote.stdout.decode()
        for name in names:
            text = text.replace(f"s3://{BUCKET}/exports/{name}", str(copies[name]))
        assert text.encode() == local.stdout, runner


@pytest.mark.parametrize("target, message, why", [
    (f"s3://{BUCKET}/exports/nothing-*.csv", "no file matches this pattern", "an empty glob"),
    (f"s3://{BUCKET}/exports/missing.csv", "no such file", "a missing object"),
])
def test_missing_inputs_are_one_line_errors(s3, target, message, why):
    endpoint, _ = s3
    done = cli(target, "--storage-option", f"endpoint_url={endpoint}", "--jobs", "1")
    assert done.returncode == 3, why
    assert message in done.stderr.decode() and b"Traceback" not in done.stderr, why
