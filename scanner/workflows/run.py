"""One run API: ``run_scan`` scans catalog files the way ``listguard scan`` does.

It builds the Scanner (unless given one), expands globs (local or object storage), streams
every input through a runner (in process, a local process pool with ``jobs``, or a Dask
cluster with ``dask``), applies suppressions and ``--new-only``, records the run in the
history, counts everything and stops cleanly on Ctrl-C. Nothing here writes to the terminal:
problems go to ``on_problems`` (or are collected in the report; or, with ``output_dir``, to
parts the Dask workers write: scanner/workflows/parts.py), bad rows and unreadable files to
``on_notice``, lines worth telling the user (the Dask dashboard) to ``on_info``, and the
caller prints.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol, Sequence

from scanner.core.engine import ScanSettings, Scanner
from scanner.core.models import Problem, ScanSummary, Severity
from scanner.errors import EXIT_INPUT, EXIT_INTERRUPTED, FAIL_ON, ListguardError, UsageError
from scanner.runners.stream import BadRow, CleanListings, FileError, ListingResult, ReadSettings, Result
from scanner.sources.ranges import CHUNK_BYTES
from scanner.workflows.outcome import severity_exit_code
from scanner.workflows.scanners import build_scanner, scanner_settings

if TYPE_CHECKING:
    from scanner.workflows.tracking import RunTracker

__all__ = ["FAIL_ON", "RunOptions", "ScanReport", "Tally", "run_scan", "severity_exit_code", "summary_lines"]


@dataclass(frozen=True)
class RunOptions:
    """How a run reads, fans out, filters and records (the scanner's own settings aside)."""

    read: ReadSettings = ReadSettings()
    jobs: int = 1
    # jobs is a default (the config file's, else all cores), not asked for on the command line:
    # small inputs then scan in-process (worth_forking)
    auto_jobs: bool = False
    marks_files: tuple[str, ...] = ()
    bundled: bool = True  # with db: the bundled list joins the registry's marks
    db: str | None = None  # history (and registry) file; None records nothing
    ignore_file: str | None = None
    suppressions: bool = True  # False: report what the suppression file would hide too
    show_suppressed: bool = False
    new_only: bool = False
    dask: str | None = None  # a scheduler address, or local[:N]: scan on a Dask cluster (jobs unused)
    output_dir: str | None = None  # with dask: problems as parts plus _SUMMARY.json (local or a URL)
    part_format: str = "jsonl"  # jsonl or parquet
    range_bytes: int = CHUNK_BYTES  # target size of one byte range (runners that cut files)


class ProgressSink(Protocol):
    def advance(self, rows: int = 1) -> None: ...
    def position(self, path: str, consumed: int) -> None: ...
    def ranges(self, done: int, total: int) -> None: ...


@dataclass
class ScanReport:
    """What a finished (or interrupted) run amounts to."""

    summary: ScanSummary
    worst: Severity | None = None
    file_errors: int = 0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)  # suppressions, history: lines for stderr
    errors: list[str] = field(default_factory=list)  # faults after the scan (history not recorded): exit 3
    problems: list[Problem] = field(default_factory=list)  # only when no on_problems was given

    def exit_code(self, fail_on: str = "error") -> int:
        """130 interrupted, 3 an input not read in full or the run not recorded, else 1 when a
        counted problem is at or above ``fail_on``, else 0."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.file_errors or self.summary.bad_rows or self.errors:
            return EXIT_INPUT
        return severity_exit_code(self.worst, fail_on)


def run_scan(inputs: Sequence[str], settings: ScanSettings | None = None, options: RunOptions = RunOptions(), *,
             scanner: Scanner | None = None,
             on_problems: Callable[[list[Problem]], None] | None = None,
             on_notice: Callable[[BadRow | FileError], None] | None = None,
             on_info: Callable[[str], None] | None = None,
             progress: ProgressSink | None = None) -> ScanReport:
    """Scan ``inputs`` (paths, URLs, globs; ``-`` for stdin) and return the report.

    ``on_problems`` receives each listing's problems to show, in input order (without it they
    are collected in ``report.problems``; with ``options.output_dir`` they go to the parts
    instead). Ctrl-C ends the run early with ``report.interrupted`` set; everything passed on
    before it is complete.
    """
    if options.output_dir and not options.dask:
        raise UsageError("--output-dir needs --dask (workers write the parts); for one file use --output FILE")
    if options.dask and "-" in inputs:
        raise UsageError("--dask reads files and URLs the workers can open, not stdin ('-'); name the files")
    inputs = options.read.storage.expand(inputs)
    from scanner.workflows.tracking import RunTracker, marks_version  # history, SQLite: only for a run

    if scanner is None:
        # no settings: as `listguard scan` without options (categories mapped to Nice classes)
        scanner = build_scanner(settings or scanner_settings(), options.marks_files, options.db, options.bundled)
    tracker = RunTracker(inputs, options.db, options.ignore_file, options.show_suppressed, options.new_only,
                         marks_version(options.marks_files), options.suppressions)
    report = ScanReport(ScanSummary(inputs=list(inputs)))
    sink = on_problems if on_problems is not None else report.problems.extend
    output = _OutputDir.make(options, tracker) if options.output_dir else None
    if output is not None:
        sink = output.owners.add
    tally = Tally(inputs)
    # Everything built so far (the marks, the key index) lives as long as the run: keep the
    # collector from walking it on every collection. Scanning and unpickling workers' results
    # allocate steadily, and those walks were half the cost of reading results back
    # (bench/bench_catalog.py); forked workers inherit the frozen heap.
    gc.freeze()
    try:
        with contextlib.ExitStack() as stack:
            results = _results(stack, scanner, inputs, options, progress, on_info, output)
            # Tear the runner down here and now, whatever stops the loop (an output error
            # too): left to the garbage collector, the local pool's generator could be
            # finalised in a pool thread, which cannot join itself.
            if hasattr(results, "close"):
                stack.callback(results.close)
            for result in results:
                if isinstance(result, ListingResult):
                    if progress is not None:
                        progress.advance()
                    if result.problems:  # most listings have none: nothing to filter or write
                        counted, shown = tracker.filter(result.problems)
                        if len(counted) != len(result.problems):
                            result = result._replace(problems=counted)
                        if output is not None:
                            sink(counted)
                        elif shown:
                            sink(shown)
                elif isinstance(result, CleanListings):
                    if progress is not None:
                        progress.advance(result.count)
                else:
                    if output is not None and isinstance(result, BadRow):
                        output.bad_row(result)
                    if on_notice is not None:
                        on_notice(result)
                tally.add(result)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        gc.unfreeze()
    report.summary = tally.finish()
    report.summary.suppressed = tracker.suppressed
    report.worst, report.file_errors = tally.worst, tally.file_errors
    complete = not report.interrupted and not tally.file_errors
    report.notes = tracker.finish(report.summary.listings, complete=complete)
    report.errors = tracker.errors
    if output is not None:
        report.notes.append(output.finish(report.summary, complete, marks_version(options.marks_files)))
    return report


def _results(stack: contextlib.ExitStack, scanner: Scanner, inputs: Sequence[str], options: RunOptions,
             progress: ProgressSink | None, on_info: Callable[[str], None] | None,
             output: _OutputDir | None) -> Iterator[Result]:
    """The runner's results: a Dask cluster's, or the local pool's (in process for jobs=1)."""
    on_position = progress.position if progress is not None else None
    if not options.dask:
        from scanner.runners.local import scan_parallel

        jobs = worth_forking(inputs, options.jobs) if options.auto_jobs else options.jobs
        return scan_parallel(scanner, inputs, options.read, jobs, chunk_bytes=options.range_bytes,
                             on_position=on_position)
    from scanner.core.spec import ScannerSpec
    from scanner.runners.dask import DaskRun, connect, dashboard_link

    client = stack.enter_context(connect(options.dask))
    link = dashboard_link(client)
    if link and on_info is not None:
        on_info(f"listguard: Dask dashboard: {link}")
    run = DaskRun(client, ScannerSpec.of(scanner), inputs, options.read, chunk_bytes=options.range_bytes,
                  sink=output.writer if output is not None else None, on_position=on_position,
                  on_ranges=getattr(progress, "ranges", None))
    if output is not None:
        output.run = run
    return _failing_cleanly(run.results())


def _failing_cleanly(results: Iterator[Result]) -> Iterator[Result]:
    """A cluster's failures (a task that kept failing, a lost scheduler) as one-line errors."""
    try:
        yield from results
    except (ListguardError, KeyboardInterrupt, GeneratorExit):
        raise
    except Exception as err:
        text = " ".join(str(err).split())[:300] or type(err).__name__
        raise ListguardError(f"the Dask run failed: {type(err).__name__}: {text}") from None


class _OutputDir:
    """--output-dir: the parts' writer (for the workers), and what _SUMMARY.json adds up."""

    def __init__(self, options: RunOptions, writer: Any) -> None:
        from scanner.workflows.parts import OwnerTally

        self.options = options
        self.writer = writer
        self.owners = OwnerTally()
        self.bad_rows: list[BadRow] = []
        self.bad_row_count = 0
        self.run: Any = None

    @classmethod
    def make(cls, options: RunOptions, tracker: RunTracker) -> _OutputDir:
        from scanner.workflows.parts import OutputDir, PartWriter, check_part_format

        check_part_format(options.part_format)
        assert options.output_dir is not None
        directory = OutputDir(options.output_dir, options.read.storage)
        directory.prepare()
        return cls(options, PartWriter(directory, options.part_format, tracker.shown_filter()))

    def bad_row(self, row: BadRow) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < 1000:
            self.bad_rows.append(row)

    def finish(self, summary: ScanSummary, complete: bool, lists_version: str) -> str:
        from scanner.workflows.parts import summary_record, versions, write_summary

        parts = self.run.parts if self.run is not None else []
        directory = self.writer.directory
        if not complete:
            return f"listguard: no {directory.join('_SUMMARY.json')} written: the run did not complete"
        record = summary_record(summary, parts=parts, part_format=self.options.part_format,
                                by_owner=Counter(self.owners.by_owner), bad_rows=self.bad_rows,
                                bad_row_count=self.bad_row_count, versions=versions(lists_version))
        path = write_summary(directory, record)
        return f"listguard: wrote {len(parts)} part(s) and {path}"


# Below this many bytes of input, a run with ``auto_jobs`` scans in-process: starting and
# stopping a pool of forked workers costs more than scanning a few thousand listings
# (docs/performance.md: a pre-commit hook's 1,000-listing file). Output is identical either way.
SMALL_INPUT_BYTES = 2 * 1024 * 1024


def worth_forking(inputs: Sequence[str], jobs: int) -> int:
    """``jobs``, or 1 when every input is a regular file and together they are small."""
    if jobs <= 1:
        return jobs
    total = 0
    for path in inputs:
        try:
            if path == "-" or not os.path.isfile(path):
                return jobs
            total += os.path.getsize(path)
        except OSError:
            return jobs
    return jobs if total >= SMALL_INPUT_BYTES else 1


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


def counted(number: int, noun: str) -> str:
    """'1 problem', '2 problems', '0 problems'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary_lines(summary: ScanSummary) -> list[str]:
    """The end-of-run summary, for stderr."""
    rate = summary.listings / summary.elapsed if summary.elapsed > 0 else 0.0
    lines = [f"listguard: {counted(summary.listings, 'listing')}, {counted(summary.fields, 'field')}, "
             f"{counted(summary.problems, 'problem')}, {counted(summary.bad_rows, 'bad row')} in "
             f"{summary.elapsed:.2f}s ({rate:,.0f} listings/s)"]
    if summary.by_severity:
        order = ("error", "warning", "info")
        lines.append("  by severity: " + ", ".join(
            f"{k} {summary.by_severity[k]}" for k in order if k in summary.by_severity))
    if summary.by_code:
        lines.append("  by code: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_code.items())))
    return lines
