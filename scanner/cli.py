"""The command line: parse options, call the library, print. Nothing else lives here.

stdout carries results only; errors, bad rows and the summary go to stderr.
Exit codes (scanner/errors.py): 0 nothing at or above --fail-on, 1 problems at or above it,
2 usage or config error, 3 input or runtime error.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import sys
from typing import Any, Callable, Sequence

import click

from scanner import __version__
from scanner.engine import ScanSettings, Scanner
from scanner.errors import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, ListguardError
from scanner.explain import explain
from scanner.formatters import FORMATTERS, get_formatter
from scanner.models import Listing, Severity
from scanner.rules import RULES
from scanner.run import (CleanListings, FileError, ListingResult, ReadSettings, Tally, load_marks,
                         scan_items, summary_lines)
from scanner.sources import FORMATS, BadRow
from trademarks.nice import classes_for_category
from scanner.cli_workflows import (ScanWorkflow, marks_version, register as register_workflows, scan_config,
                                   scan_workflow_options)
from scanner.output import open_output
from scanner.parallel import scan_parallel
from scanner.progress import Progress
from scanner.cli_registry import (authorizations as registry_authorizations, authorize as registry_authorize,
                                  marks as registry_marks, registry_scanner)

FAIL_ON = ("error", "warning", "info", "never")


def _err(message: str) -> None:
    click.echo(message, err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ListguardError as err:
            _err(f"listguard: error: {err}")
            sys.exit(err.exit_code)

    return wrapper


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def marks_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--own-brand", "own_brands", multiple=True, metavar="NAME",
                        help="Your own brand (repeatable): never reported as unauthorized.")(func)
    func = click.option("--marks", "marks_files", multiple=True, metavar="FILE",
                        type=click.Path(dir_okay=True),
                        help="Trademark list (CSV/TSV/JSON/JSONL, repeatable); replaces the bundled list.")(func)
    return func


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--ignore", "ignore", multiple=True, metavar="CODES",
                        help="Skip rules whose code starts with these prefixes (comma-separated).")(func)
    func = click.option("--select", "select", multiple=True, metavar="CODES",
                        help="Only rules whose code starts with these prefixes (comma-separated).")(func)
    func = click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
                        help="Exit 1 when a problem at or above this severity is found.")(func)
    func = click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text",
                        show_default=True, help="Output format on stdout.")(func)
    return func


def build_scanner(marks_files: Sequence[str], own_brands: Sequence[str], select: Sequence[str],
                  ignore: Sequence[str], authorized: Sequence[str] = ()) -> Scanner:
    settings = ScanSettings(own_brands=tuple(own_brands), authorized=tuple(authorized),
                            select=_codes(select), ignore=_codes(ignore),
                            class_of_category=classes_for_category)
    return Scanner(load_marks(marks_files), settings)


class _WholeWrites:
    """Ctrl-C during a result's writing takes effect once it is written: stdout keeps whole lines
    (a blocked write to a full pipe would otherwise be cut mid-line)."""

    def __init__(self) -> None:
        self.writing = self.pending = False

    @contextlib.contextmanager
    def installed(self) -> Any:
        try:
            previous = signal.signal(signal.SIGINT, self._handler)
        except ValueError:  # not the main thread: leave signals alone
            yield self
            return
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)

    def _handler(self, signum: int, frame: Any) -> None:
        if self.writing:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def write(self) -> Any:
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


def _config_jobs() -> int | None:
    """The config file's `jobs` key, when it sets one (`--jobs` on the command line wins)."""
    from scanner.config import load_config

    value = load_config().values.get("jobs")
    return int(value) if value else None


def exit_code(worst: Severity | None, fail_on: str) -> int:
    if fail_on == "never" or worst is None:
        return EXIT_OK
    return EXIT_PROBLEMS if worst >= Severity.parse(fail_on) else EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="listguard")
def main() -> None:
    """listguard: find trademark misuse and disparaging text in product listings
    before a rights holder does.

    \b
    Example:
        listguard check "Nike同款 运动鞋"
        listguard scan catalog.jsonl --format jsonl
    """


@main.command()
@click.argument("text")
@click.option("--description", default="", help="The listing's description.")
@click.option("--brand", default=None, help="The listing's declared brand.")
@click.option("--category", default=None, help="The listing's category (free text or Google category).")
@click.option("--id", "listing_id", default="-", show_default=True, help="A listing id to report.")
@marks_options
@output_options
@handle_errors
def check(text: str, description: str, brand: str | None, category: str | None, listing_id: str,
          marks_files: tuple[str, ...], own_brands: tuple[str, ...], output_format: str,
          fail_on: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Check one listing typed on the command line (a pre-publish check).

    \b
    Example:
        listguard check "Rolex replica 1:1 watch"
        listguard check "Phone case" --description "compatible with iPhone 15"
    """
    config = scan_config(click.get_current_context())
    marks_files, own_brands, select, ignore = (config[k] for k in ("marks_files", "own_brands", "select", "ignore"))
    output_format, fail_on = config["output_format"], config["fail_on"]
    scanner = build_scanner(marks_files, own_brands, select, ignore)
    fields = {"title": text, "description": description}
    listing = Listing(listing_id, fields, brand=brand, category=category, source="command line")
    tally = Tally(["command line"])
    formatter = get_formatter(output_format, sys.stdout)
    for result in scan_items(scanner, [listing]):
        tally.add(result)
        for problem in result.problems:  # type: ignore[union-attr]
            formatter.write(problem)
    formatter.close(tally.finish())
    sys.exit(exit_code(tally.worst, fail_on))


@main.command()
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
@handle_errors
def scan(paths: tuple[str, ...], input_format: str | None, encoding: str | None, id_field: str | None,
         text_fields: str | None, brand_field: str | None, silent: bool, jobs: int | None, no_bundled: bool,
         marks_files: tuple[str, ...], own_brands: tuple[str, ...], output_format: str, fail_on: str,
         select: tuple[str, ...], ignore: tuple[str, ...], output: str | None, db: str | None,
         ignore_file: str | None, show_suppressed: bool, new_only: bool) -> None:
    """Scan catalog files (JSONL, CSV/TSV, platform exports; '-' reads stdin).

    Bad rows are reported on stderr by line and counted; the run goes on. Exit 3 when any
    input could not be read in full, else 1 when problems at or above --fail-on were found.

    \b
    Example:
        listguard scan fixtures/sample_catalog.jsonl
        listguard scan export.csv --format jsonl --fail-on warning
        listguard scan export.csv --db listguard.db --new-only --format sarif -o listguard.sarif
    """
    config = scan_config(click.get_current_context())
    marks_files, own_brands, select, ignore = (config[k] for k in ("marks_files", "own_brands", "select", "ignore"))
    output_format, fail_on, db, ignore_file = (config[k] for k in ("output_format", "fail_on", "db", "ignore_file"))
    if db:  # the registry's marks (+ bundled unless --no-bundled, + --marks), cached automaton
        scanner = registry_scanner(db, marks_files, own_brands, _codes(select), _codes(ignore), not no_bundled)
    else:
        scanner = build_scanner(marks_files, own_brands, select, ignore)
    # Everything built so far (the marks, the key index) lives as long as the run: keep the
    # collector from walking it on every collection. Scanning and unpickling workers' results
    # allocate steadily, and those walks were half the cost of reading results back
    # (bench/bench_catalog.py); forked workers inherit the frozen heap. Unfrozen when the
    # command ends, for callers that run it in-process again.
    gc.freeze()
    click.get_current_context().call_on_close(gc.unfreeze)
    workflow = ScanWorkflow(paths, db, ignore_file, show_suppressed, new_only, marks_version(marks_files))
    fields = tuple(f.strip() for f in text_fields.split(",") if f.strip()) if text_fields else None
    settings = ReadSettings(input_format, encoding, id_field, fields, brand_field)
    jobs = jobs or _config_jobs() or os.cpu_count() or 1
    progress = Progress.for_run(sys.stderr, paths, silent)
    tally = Tally(paths)
    interrupted = False
    whole = _WholeWrites()
    try:
        with whole.installed(), open_output(output) as out:  # --output FILE: complete or untouched
            formatter = get_formatter(output_format, out)
            try:
                for result in scan_parallel(scanner, paths, settings, jobs,
                                            on_position=progress.position if progress.enabled else None):
                    if isinstance(result, CleanListings):
                        progress.advance(result.count)
                    elif isinstance(result, ListingResult):
                        progress.advance()
                        if result.problems:  # most listings have none: nothing to filter or write
                            counted, shown = workflow.filter(result.problems)
                            if len(counted) != len(result.problems):
                                result = result._replace(problems=counted)
                            if shown:
                                with whole.write():
                                    for problem in shown:
                                        formatter.write(problem)
                    tally.add(result)
                    if isinstance(result, BadRow):
                        progress.close()
                        _err(f"listguard: bad row: {result.path}:{result.line}: {result.message}")
                    elif isinstance(result, FileError):
                        progress.close()
                        _err(f"listguard: error: {result.message}")
            except KeyboardInterrupt:
                interrupted = True
            summary = tally.finish()
            summary.suppressed = workflow.suppressed
            if interrupted and output not in (None, "-"):
                raise KeyboardInterrupt
            formatter.close(summary)
    except KeyboardInterrupt:
        interrupted = True
        summary = tally.finish()
    progress.close()
    workflow_lines = workflow.finish(summary.listings, complete=not interrupted and not tally.file_errors)
    if not silent:
        for line in summary_lines(summary) + workflow_lines:
            _err(line)
    if interrupted:
        _err("listguard: interrupted; results above are complete up to the last listing shown")
        sys.exit(130)
    if tally.file_errors or summary.bad_rows:
        sys.exit(EXIT_INPUT)
    sys.exit(exit_code(tally.worst, fail_on))


@main.command()
@handle_errors
def rules() -> None:
    """List every rule: code, name, default severity and explanation.

    \b
    Example:
        listguard rules
    """
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.name}  [{rule.severity.label}]  {rule.summary}")
        for line in rule.explanation.splitlines()[1:]:
            click.echo(f"    {line}".rstrip())
        click.echo()


@main.command(name="explain")
@click.argument("text")
@click.option("--description", default="", help="The listing's description.")
@click.option("--brand", default=None, help="The listing's declared brand.")
@click.option("--category", default=None, help="The listing's category (free text or Google category).")
@marks_options
@handle_errors
def explain_command(text: str, description: str, brand: str | None, category: str | None,
                    marks_files: tuple[str, ...], own_brands: tuple[str, ...]) -> None:
    """Show each normalised view and why each match was or was not reported.

    \b
    Example:
        listguard explain "N-i-k-e 同款 running shoes"
    """
    scanner = build_scanner(marks_files, own_brands, (), ())
    listing = Listing("-", {"title": text, "description": description}, brand=brand, category=category)
    result = explain(scanner, listing)
    for fe in result.fields:
        click.echo(f"{fe.name}: {fe.text!r}")
        for kind, view_text in fe.views:
            click.echo(f"  {kind} view: {view_text!r}")
        for kind, matched, start, end in fe.cues:
            click.echo(f"  cue {kind} {matched!r} at {start}-{end}")
    for hit in result.hits:
        cues = ", ".join(f"{k}={v!r}" for k, v in hit.cues.items()) or "none"
        flags = ", ".join(hit.flags) or "none"
        click.echo(f"{hit.field}:{hit.start}-{hit.end} {hit.text!r} -> {hit.mark} ({hit.owner})")
        click.echo(f"  cues: {cues}; flags: {flags}")
        click.echo(f"  reported: {', '.join(hit.reported)}" if hit.reported else f"  not reported: {hit.why_not}")
    for problem in result.problems:
        click.echo(f"{problem.code} {problem.severity.label} {problem.field}:{problem.start}-{problem.end} "
                   f"{problem.message}")


@main.command(name="formats")
def formats_command() -> None:
    """List the input formats `scan` reads and how each is detected.

    \b
    Example:
        listguard formats
    """
    for name, info in sorted(FORMATS.items()):
        click.echo(f"{name:<18} {info.description}")


register_workflows(main)  # history, history diff, baseline, config, report
main.add_command(registry_marks)  # marks import/list/show/add/remove/export/stats/fetch
main.add_command(registry_authorize)
main.add_command(registry_authorizations)


if __name__ == "__main__":  # pragma: no cover
    main()
