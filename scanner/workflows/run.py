"""One run API: ``run_scan`` scans catalog files the way ``listguard scan`` does.

It builds the Scanner (unless given one), streams every input through a runner (in process,
or a local process pool with ``jobs``), applies suppressions and ``--new-only``, records the
run in the history, counts everything and stops cleanly on Ctrl-C. Nothing here writes to the
terminal: problems go to ``on_problems`` (or are collected in the report), bad rows and
unreadable files to ``on_notice``, and the caller prints.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from scanner.core.engine import ScanSettings, Scanner
from scanner.core.models import Problem, ScanSummary, Severity
from scanner.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS
from scanner.runners.stream import BadRow, CleanListings, FileError, ListingResult, ReadSettings, Result
from scanner.workflows.scanners import build_scanner, scanner_settings
from scanner.workflows.tracking import RunTracker, marks_version

FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class RunOptions:
    """How a run reads, fans out, filters and records (the scanner's own settings aside)."""

    read: ReadSettings = ReadSettings()
    jobs: int = 1
    marks_files: tuple[str, ...] = ()
    bundled: bool = True  # with db: the bundled list joins the registry's marks
    db: str | None = None  # history (and registry) file; None records nothing
    ignore_file: str | None = None
    suppressions: bool = True  # False: report what the suppression file would hide too
    show_suppressed: bool = False
    new_only: bool = False


class ProgressSink(Protocol):
    def advance(self, rows: int = 1) -> None: ...
    def position(self, path: str, consumed: int) -> None: ...


@dataclass
class ScanReport:
    """What a finished (or interrupted) run amounts to."""

    summary: ScanSummary
    worst: Severity | None = None
    file_errors: int = 0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)  # suppressions, history: lines for stderr
    problems: list[Problem] = field(default_factory=list)  # only when no on_problems was given

    def exit_code(self, fail_on: str = "error") -> int:
        """130 interrupted, 3 an input not read in full, else 1 when a counted problem is at
        or above ``fail_on``, else 0."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.file_errors or self.summary.bad_rows:
            return EXIT_INPUT
        return severity_exit_code(self.worst, fail_on)


def severity_exit_code(worst: Severity | None, fail_on: str) -> int:
    if fail_on == "never" or worst is None:
        return EXIT_OK
    return EXIT_PROBLEMS if worst >= Severity.parse(fail_on) else EXIT_OK


def run_scan(inputs: Sequence[str], settings: ScanSettings | None = None, options: RunOptions = RunOptions(), *,
             scanner: Scanner | None = None,
             on_problems: Callable[[list[Problem]], None] | None = None,
             on_notice: Callable[[BadRow | FileError], None] | None = None,
             progress: ProgressSink | None = None) -> ScanReport:
    """Scan ``inputs`` (paths, ``-`` for stdin) and return the report.

    ``on_problems`` receives each listing's problems to show, in input order (without it they
    are collected in ``report.problems``). Ctrl-C ends the run early with
    ``report.interrupted`` set; everything passed on before it is complete.
    """
    from scanner.runners.local import scan_parallel

    if scanner is None:
        # no settings: as `listguard scan` without options (categories mapped to Nice classes)
        scanner = build_scanner(settings or scanner_settings(), options.marks_files, options.db, options.bundled)
    tracker = RunTracker(inputs, options.db, options.ignore_file, options.show_suppressed, options.new_only,
                         marks_version(options.marks_files), options.suppressions)
    report = ScanReport(ScanSummary(inputs=list(inputs)))
    sink = on_problems if on_problems is not None else report.problems.extend
    tally = Tally(inputs)
    # Everything built so far (the marks, the key index) lives as long as the run: keep the
    # collector from walking it on every collection. Scanning and unpickling workers' results
    # allocate steadily, and those walks were half the cost of reading results back
    # (bench/bench_catalog.py); forked workers inherit the frozen heap.
    gc.freeze()
    try:
        results = scan_parallel(scanner, inputs, options.read, options.jobs,
                                on_position=progress.position if progress is not None else None)
        for result in results:
            if isinstance(result, ListingResult):
                if progress is not None:
                    progress.advance()
                if result.problems:  # most listings have none: nothing to filter or write
                    counted, shown = tracker.filter(result.problems)
                    if len(counted) != len(result.problems):
                        result = result._replace(problems=counted)
                    if shown:
                        sink(shown)
            elif isinstance(result, CleanListings):
                if progress is not None:
                    progress.advance(result.count)
            elif on_notice is not None:
                on_notice(result)
            tally.add(result)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        gc.unfreeze()
    report.summary = tally.finish()
    report.summary.suppressed = tracker.suppressed
    report.worst, report.file_errors = tally.worst, tally.file_errors
    report.notes = tracker.finish(report.summary.listings, complete=not report.interrupted and not tally.file_errors)
    return report


class Tally:
    """Counts a run's results into a ScanSummary as they stream past."""

    def __init__(self, inputs: Sequence[str]) -> None:
        self.summary = ScanSummary(inputs=list(inputs))
        self.file_errors = 0
        self.worst: Severity | None = None
        self._started = time.monotonic()

    def add(self, result: Result) -> None:
        s = self.summary
        if isinstance(result, ListingResult):
            s.listings += 1
            s.fields += result.field_count()
            for problem in result.problems:
                s.add(problem)
                if self.worst is None or problem.severity > self.worst:
                    self.worst = problem.severity
        elif isinstance(result, CleanListings):
            s.listings += result.count
            s.fields += result.fields
        elif isinstance(result, BadRow):
            s.bad_rows += 1
        else:
            self.file_errors += 1

    def finish(self) -> ScanSummary:
        self.summary.elapsed = time.monotonic() - self._started
        return self.summary


def summary_lines(summary: ScanSummary) -> list[str]:
    """The end-of-run summary, for stderr."""
    rate = summary.listings / summary.elapsed if summary.elapsed > 0 else 0.0
    lines = [f"listguard: {summary.listings} listings, {summary.fields} fields, "
             f"{summary.problems} problems, {summary.bad_rows} bad rows in {summary.elapsed:.2f}s "
             f"({rate:,.0f} listings/s)"]
    if summary.by_severity:
        order = ("error", "warning", "info")
        lines.append("  by severity: " + ", ".join(
            f"{k} {summary.by_severity[k]}" for k in order if k in summary.by_severity))
    if summary.by_code:
        lines.append("  by code: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_code.items())))
    return lines
