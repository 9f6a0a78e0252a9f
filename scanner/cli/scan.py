"""``listguard scan``: catalog files through the run API (scanner/workflows/run.py).

Its own module so that the other commands start without importing the readers of every
format, the process pool, Dask and the history store (start-up, docs/performance.md).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import Any

import click

from scanner.cli.errors import TERMINATING, Terminated, command, interrupted_line
from scanner.cli.main import _err, _scanner
from scanner.cli.options import cluster_options, marks_options, output_options, scan_workflow_options, with_config
from scanner.cli.progress import Progress
from scanner.core.models import Problem
from scanner.formatters import get_formatter
from scanner.runners.dask import require_dask
from scanner.runners.stream import BadRow, FileError, ReadSettings
from scanner.sources import FORMATS
from scanner.sources.storage import Storage, parse_options
from scanner.workflows.output import open_output
from scanner.workflows.run import RunOptions, run_scan, summary_lines


class _WholeWrites:
    """Ctrl-C, SIGTERM or SIGHUP during a result's writing takes effect once it is written:
    stdout keeps whole lines (a blocked write to a full pipe would otherwise be cut mid-line).
    SIGTERM and SIGHUP raise ``Terminated``, a KeyboardInterrupt, so the run stops the way
    Ctrl-C stops it and a half-written --output file is removed; ``signum`` remembers which."""

    def __init__(self) -> None:
        self.writing = self.pending = False
        self.signum: int = signal.SIGINT

    @contextlib.contextmanager
    def installed(self) -> Iterator[_WholeWrites]:
        previous = {}
        try:
            for signum in (signal.SIGINT, *TERMINATING):
                if signal.getsignal(signum) in (signal.SIG_IGN, None):  # nohup: stays ignored
                    continue
                previous[signum] = signal.signal(signum, self._handler)
        except ValueError:  # not the main thread: leave signals alone
            pass
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _handler(self, signum: int, frame: Any) -> None:
        self.signum = signum
        if self.writing:
            self.pending = True
        else:
            self._raise()

    def _raise(self) -> None:
        raise KeyboardInterrupt if self.signum == signal.SIGINT else Terminated(self.signum)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            self.pending = False
            self._raise()



@command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="Input format; detected from the file when omitted (see `listguard formats`).")
@click.option("--encoding", default=None, help="Input encoding; detected when omitted (BOM, UTF-8, GB18030...).")
@click.option("--id-field", default=None, help="Column or key holding the listing id (CSV/TSV/JSONL).")
@click.option("--fields", "text_fields", default=None, metavar="A,B",
              help="Columns to scan, comma-separated, in order (generic CSV/TSV).")
@click.option("--brand-field", default=None, help="Column holding the listing's declared brand.")
@click.option("-s", "--silent", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: config key jobs, else all cores); 1 scans in-process. "
                   "Output is identical whatever the number.")
@click.option("--no-bundled", is_flag=True,
              help="With --db: scan for the registry's marks (and --marks files) without the bundled list.")
@marks_options
@output_options
@scan_workflow_options
@cluster_options
def scan(paths: tuple[str, ...], input_format: str | None, encoding: str | None, id_field: str | None,
         text_fields: str | None, brand_field: str | None, silent: bool, **options: Any) -> None:
    """Scan catalog files (JSONL, CSV/TSV, platform exports; '-' reads stdin).

    Bad rows are reported on stderr by line and counted; the run goes on. Exit 3 when any
    input could not be read in full, else 1 when problems at or above --fail-on were found.

    \b
    Example:
        listguard scan fixtures/sample_catalog.jsonl
        listguard scan export.csv --format jsonl --fail-on warning
        listguard scan export.csv --db listguard.db --new-only --format sarif -o listguard.sarif
        listguard scan 's3://bucket/exports/*.csv' --dask local:2 --output-dir out/
    """
    ctx = click.get_current_context()
    auto_jobs = ctx.params.get("jobs") is None  # not given on the command line
    config = with_config(ctx)
    output = config["output"]
    fields = tuple(f.strip() for f in text_fields.split(",") if f.strip()) if text_fields else None
    if config["dask"]:
        require_dask()  # before any work: one line saying what to install
    storage = Storage(parse_options(config["storage_options"]))
    run = RunOptions(read=ReadSettings(input_format, encoding, id_field, fields, brand_field, storage),
                     jobs=config["jobs"], auto_jobs=auto_jobs, marks_files=tuple(config["marks_files"]),
                     bundled=not config["no_bundled"], db=config["db"], ignore_file=config["ignore_file"],
                     show_suppressed=config["show_suppressed"], new_only=config["new_only"], dask=config["dask"],
                     output_dir=config["output_dir"], part_format=config["part_format"])
    scanner = _scanner(config)
    progress = Progress.for_run(sys.stderr, paths, silent)
    whole = _WholeWrites()

    def notice(item: BadRow | FileError) -> None:
        progress.close()
        if isinstance(item, BadRow):
            _err(f"listguard: bad row: {item.path}:{item.line}: {item.message}")
        else:
            _err(f"listguard: error: {item.message}")

    def info(line: str) -> None:
        progress.close()
        _err(line)

    report = None
    try:
        with whole.installed(), open_output(output) as out:  # --output FILE: complete or untouched
            formatter = get_formatter(config["output_format"], out)

            def write(problems: list[Problem]) -> None:
                with whole.write():
                    for problem in problems:
                        formatter.write(problem)

            report = run_scan(paths, options=run, scanner=scanner, on_problems=write, on_notice=notice,
                              on_info=None if silent else info, progress=progress if progress.enabled else None)
            if report.interrupted and output not in (None, "-"):
                raise KeyboardInterrupt  # the output file stays untouched
            if not report.interrupted and not run.output_dir:
                formatter.close(report.summary)
    except KeyboardInterrupt:
        if report is None:
            progress.close()
            _err(interrupted_line(whole.signum))
            sys.exit(128 + whole.signum)
        report.interrupted = True
    finally:
        progress.close()
    if not silent:
        for line in summary_lines(report.summary) + report.notes:
            _err(line)
    for line in report.errors:
        _err(line)
    if report.interrupted:
        _err(f"{interrupted_line(whole.signum)}; results above are complete up to the last listing shown")
        sys.exit(128 + whole.signum)  # 130 for Ctrl-C, 143 SIGTERM, 129 SIGHUP: as a shell reports them
    sys.exit(report.exit_code(config["fail_on"]))
