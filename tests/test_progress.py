"""The progress line: stderr only, only on a terminal, never with -s, cheap to update."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from scanner.cli import main
from scanner.cli.progress import Progress

SAMPLE = str(Path(__file__).resolve().parents[1] / "fixtures" / "sample_catalog.jsonl")


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_draws_rows_rate_and_eta_at_most_five_times_a_second():
    stream, clock = FakeTty(), Clock()
    progress = Progress(stream, total_bytes=1000, clock=clock)
    progress.position("a.csv", 250)
    for _ in range(640):
        progress.advance()
    assert stream.getvalue() == ""  # no time has passed
    clock.now += 2
    for _ in range(64):
        progress.advance()
    assert stream.getvalue().count("\r") == 1
    assert "704 rows, 352 rows/s, 25%, ETA 0:06" in stream.getvalue()
    for _ in range(640):  # same instant: no redraw
        progress.advance()
    assert stream.getvalue().count("\r") == 1
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_eta_counts_finished_files():
    progress = Progress(FakeTty(), total_bytes=300)
    progress._sizes = {"a": 100, "b": 200}
    progress.position("a", 50)
    progress.position("b", 100)
    assert progress.bytes_done() == 200


def test_no_eta_without_a_size():
    progress = Progress(FakeTty(), total_bytes=None, clock=Clock())
    assert "ETA" not in progress.line(101.0)


def test_silent_or_not_a_terminal_writes_nothing(tmp_path):
    for stream, silent in ((FakeTty(), True), (io.StringIO(), False)):
        progress = Progress.for_run(stream, [SAMPLE], silent)
        assert not progress.enabled
        for _ in range(10_000):
            progress.advance()
        progress.draw()
        progress.close()
        assert stream.getvalue() == ""
    assert Progress.for_run(FakeTty(), [SAMPLE, "-"], False).total is None
    assert Progress.for_run(FakeTty(), [SAMPLE], False).enabled


def test_cli_never_writes_progress_to_stdout():
    for extra in ([], ["-s"]):
        result = CliRunner().invoke(main, ["scan", SAMPLE, "--format", "jsonl", "--jobs", "1", *extra])
        assert "\r" not in result.stdout and "rows/s" not in result.stdout
        assert "\r" not in result.stderr  # stderr is not a terminal here
        assert ("listings" in result.stderr) is (not extra)
