"""Issue 14, faults 1 and 2: what --output and stdout do when the destination is not a plain
file, when a signal arrives mid-scan, and when the disk is full or the reader goes away.

Every case runs the real command in a subprocess against real file-system objects: a
symlink, a FIFO read by `cat`, a character device, /dev/full, a file-size limit, a pipe
closed by the reader.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.errors import EXIT_INPUT, EXIT_PROBLEMS

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LINE = '{"id": "%d", "title": "Nike replica shoes %d"}\n'


def catalog(path: Path, rows: int) -> Path:
    path.write_text("".join(LINE % (i, i) for i in range(rows)), encoding="utf-8")
    return path


def scan(*args: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "scanner", "scan", *args], capture_output=True, cwd=ROOT,
                          env=ENV, timeout=120, **kwargs)


def leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


# -- fault 1: write through what is not a regular file ----------------------------------------

def test_output_onto_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    source = catalog(tmp_path / "c.jsonl", 3)
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "latest.jsonl"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    result = scan(str(source), "--format", "jsonl", "-o", str(link), "-s")
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [json.loads(line)["listing"] for line in target.read_text().splitlines()] == ["0", "1", "2"]
    assert leftovers(tmp_path) == leftovers(reports) == []


def test_output_onto_a_dangling_symlink_creates_its_target(tmp_path):
    source = catalog(tmp_path / "c.jsonl", 1)
    link = tmp_path / "out.jsonl"
    link.symlink_to(tmp_path / "made.jsonl")
    result = scan(str(source), "--format", "jsonl", "-o", str(link), "-s")
    assert result.returncode == EXIT_PROBLEMS
    assert link.is_symlink() and (tmp_path / "made.jsonl").read_text().count("\n") == 1


def test_output_onto_a_fifo_writes_through(tmp_path):
    source = catalog(tmp_path / "c.jsonl", 5)
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = scan(str(source), "--format", "jsonl", "-o", str(fifo), "-s")
        got, _ = reader.communicate(timeout=20)
    finally:
        reader.kill()
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    assert len(got.decode().splitlines()) == 5
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def test_output_onto_a_character_device_writes_through(tmp_path):
    """-o /dev/null as root replaced /dev/null with a regular file; this test makes its own
    null device so a failure cannot harm the machine."""
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot make a device node here (not root)")
    source = catalog(tmp_path / "c.jsonl", 2)
    result = scan(str(source), "--format", "jsonl", "-o", str(null), "-s")
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signum, jobs", [(signal.SIGTERM, "1"), (signal.SIGHUP, "1"), (signal.SIGTERM, "2")],
                         ids=["SIGTERM", "SIGHUP", "SIGTERM-jobs-2"])
def test_signal_mid_scan_leaves_no_temporary_file(tmp_path, signum, jobs):
    source = catalog(tmp_path / "big.jsonl", 400_000)
    out = tmp_path / "out" / "report.jsonl"
    out.parent.mkdir()
    out.write_text("previous report\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", str(source), "--format", "jsonl",
                             "-o", str(out), "--jobs", jobs], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, env=ENV)
    deadline = time.monotonic() + 60
    while not leftovers(out.parent):  # the report is being written
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the scan
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert leftovers(out.parent) == []
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert b"Traceback" not in err
    assert f"listguard: interrupted ({signal.Signals(signum).name})".encode() in err


# -- fault 2: full disk, closed pipe ----------------------------------------------------------

def test_stdout_on_a_full_disk_is_one_line_and_exit_3(tmp_path):
    source = catalog(tmp_path / "c.jsonl", 2000)
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "scanner", "scan", str(source), "--format", "jsonl"],
                                stdout=full, stderr=subprocess.PIPE, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == EXIT_INPUT
    assert result.stderr.decode().splitlines() == [
        "listguard: error: cannot write the results to stdout: No space left on device"]


def test_output_file_on_a_full_disk_is_one_line_exit_3_and_old_report_kept(tmp_path):
    """A file-size limit makes the kernel refuse the write just as a full disk does."""
    source = catalog(tmp_path / "c.jsonl", 2000)
    out = tmp_path / "report.jsonl"
    out.write_text("previous report\n", encoding="utf-8")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    result = scan(str(source), "--format", "jsonl", "-o", str(out), preexec_fn=limit)
    assert result.returncode == EXIT_INPUT
    assert result.stderr.decode().splitlines() == [
        f"listguard: error: {out}: cannot write the results: File too large"]
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert leftovers(tmp_path) == []


def test_output_onto_a_full_device_is_one_line_and_exit_3(tmp_path):
    """Like -o /dev/full, on a device node of the test's own: code that replaces the device
    with a regular file (the bug) must not be able to break the machine's /dev/full."""
    full = tmp_path / "full"
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("cannot make a device node here (not root)")
    source = catalog(tmp_path / "c.jsonl", 2000)
    result = scan(str(source), "--format", "jsonl", "-o", str(full))
    assert result.returncode == EXIT_INPUT
    assert result.stderr.decode().splitlines() == [
        f"listguard: error: {full}: cannot write the results: No space left on device"]
    assert stat.S_ISCHR(os.stat(full).st_mode)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_closed_pipe_ends_quietly_with_exit_3(tmp_path, jobs):
    """`listguard scan ... | head -1`: the reader went away, which is no error of ours to
    report (docs/usage.md, Exit codes), but the run did not finish: exit 3, never 1. With
    workers, the pool is torn down by the main thread (no 'cannot join current thread')."""
    source = catalog(tmp_path / "c.jsonl", 50_000)
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", str(source), "--format", "jsonl",
                             "--jobs", jobs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert json.loads(first)["listing"] == "0"
    assert proc.returncode == EXIT_INPUT
    assert err == b""
