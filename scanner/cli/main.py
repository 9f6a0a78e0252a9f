"""The command line: parse options, call the library, print. Nothing else lives here.

stdout carries results only; errors, bad rows and the summary go to stderr.
Exit codes (scanner/errors.py): 0 nothing at or above --fail-on, 1 problems at or above it,
2 usage or config error, 3 input or runtime error, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
from typing import Any, Iterator

import click

from scanner import __version__
from scanner.cli.complaints import COMMANDS as COMPLAINT_COMMANDS
from scanner.cli.errors import TERMINATING, ListguardGroup, Terminated, interrupted_line
from scanner.cli.options import (
    cluster_options,
    db_option,
    marks_options,
    output_options,
    scan_workflow_options,
    with_config,
)
from scanner.cli.progress import Progress
from scanner.cli.registry import COMMANDS as REGISTRY_COMMANDS
from scanner.cli.workflows import COMMANDS as WORKFLOW_COMMANDS
from scanner.core.engine import Scanner
from scanner.core.explain import explain
from scanner.core.models import Listing, Problem
from scanner.core.rules import RULES
from scanner.formatters import get_formatter
from scanner.runners.dask import require_dask
from scanner.runners.stream import BadRow, FileError, ListingResult, ReadSettings
from scanner.sources import FORMATS
from scanner.sources.storage import Storage, parse_options
from scanner.workflows.config import existing_default_db
from scanner.workflows.output import open_output
from scanner.workflows.run import RunOptions, Tally, run_scan, severity_exit_code, summary_lines
from scanner.workflows.scanners import build_scanner, known_codes, scanner_settings


def _err(message: str) -> None:
    click.echo(message, err=True)


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


def _scanner(config: dict[str, Any]) -> Scanner:
    """The scanner for a command's options: the registry read is the named database, else the
    default file if it exists (read-only; docs/registry.md)."""
    settings = scanner_settings(config["own_brands"], config.get("select", ()), config.get("ignore", ()))
    registry = config["db"] or existing_default_db()
    return build_scanner(settings, config["marks_files"], registry, not config.get("no_bundled", False))


@click.group(cls=ListguardGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@db_option
def check(text: str, description: str, brand: str | None, category: str | None, listing_id: str,
          **options: Any) -> None:
    """Check one listing typed on the command line (a pre-publish check).

    \b
    Example:
        listguard check "Rolex replica 1:1 watch"
        listguard check "Phone case" --description "compatible with iPhone 15"
    """
    config = with_config(click.get_current_context())
    scanner = _scanner(config)
    listing = Listing(listing_id, {"title": text, "description": description}, brand=brand, category=category,
                      source="command line")
    problems = scanner.check(listing)
    formatter = get_formatter(config["output_format"], sys.stdout)
    for problem in problems:
        formatter.write(problem)
    tally = Tally(["command line"])
    tally.add(ListingResult(listing, problems))
    formatter.close(tally.finish())
    if not problems and config["output_format"] == "text":
        _err("listguard: no problems")
    sys.exit(severity_exit_code(tally.worst, config["fail_on"]))


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
    config = with_config(click.get_current_context())
    output = config["output"]
    fields = tuple(f.strip() for f in text_fields.split(",") if f.strip()) if text_fields else None
    if config["dask"]:
        require_dask()  # before any work: one line saying what to install
    storage = Storage(parse_options(config["storage_options"]))
    run = RunOptions(read=ReadSettings(input_format, encoding, id_field, fields, brand_field, storage),
                     jobs=config["jobs"], marks_files=tuple(config["marks_files"]),
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


@main.command()
@click.argument("codes", nargs=-1, metavar="[CODE]...")
def rules(codes: tuple[str, ...]) -> None:
    """List the rules (all, or those whose code starts with a CODE): code, name, default
    severity and explanation.

    \b
    Example:
        listguard rules
        listguard rules TM102
        listguard rules TM10 DS
    """
    wanted = known_codes(codes, "`listguard rules`")
    for rule in RULES:
        if wanted and not any(rule.code.startswith(code) for code in wanted):
            continue
        click.echo(f"{rule.code}  {rule.name}  [{rule.severity.label}]  {plain(rule.summary)}")
        for line in rule.explanation.splitlines()[1:]:
            click.echo(f"    {plain(line)}".rstrip())
        click.echo()


_LITERAL = re.compile(r"``(.+?)``")


def plain(text: str) -> str:
    """Docstring text for a terminal: ``--own-brand`` (reStructuredText literal) shown bare."""
    return _LITERAL.sub(r"\1", text) if "``" in text else text


@main.command(name="explain")
@click.argument("text")
@click.option("--description", default="", help="The listing's description.")
@click.option("--brand", default=None, help="The listing's declared brand.")
@click.option("--category", default=None, help="The listing's category (free text or Google category).")
@marks_options
@db_option
def explain_command(text: str, description: str, brand: str | None, category: str | None, **options: Any) -> None:
    """Show each normalised view and why each match was or was not reported.

    \b
    Example:
        listguard explain "N-i-k-e 同款 running shoes"
    """
    config = with_config(click.get_current_context())
    scanner = _scanner(config)
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


for _command in (*WORKFLOW_COMMANDS, *REGISTRY_COMMANDS, *COMPLAINT_COMMANDS):
    main.add_command(_command)
