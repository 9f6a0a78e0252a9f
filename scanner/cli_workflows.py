"""CLI commands for the CI / cron / pre-commit workflows: history, history diff, baseline,
config and report. Each is a thin shell over one library call; ``scanner.cli`` registers them
on the ``main`` group.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence, TextIO

import click

from scanner.baseline import write_baseline
from scanner.cli_errors import CommandFailed
from scanner.config import COMMAND_LINE, effective, load_config, render
from scanner.errors import InputError, ListguardError, UsageError
from scanner.history import History, Run, files_version, open_history, problem_key
from scanner.models import Problem, Severity
from scanner.output import open_output
from scanner.report import build_exposure, render_html, render_text
from scanner.suppressions import DEFAULT_FILE, Suppression, SuppressionSet
from trademarks.store import DB_ENV


class CommandError(CommandFailed):
    """A ListguardError on its way out: message on stderr, the error's exit code."""

    def __init__(self, err: ListguardError) -> None:
        super().__init__(str(err), err.exit_code)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    try:
        yield
    except ListguardError as err:
        raise CommandError(err) from None


def resolve_db(db: str | None) -> str:
    """--db (or LISTGUARD_DB, which click fills in), else the config file's db, else the
    registry's default path."""
    if db:
        return db
    configured = load_config().values.get("db")
    if configured:
        return str(configured)
    from trademarks.store import default_db_path

    return str(default_db_path())


db_option = click.option(
    "--db", "db", envvar=DB_ENV, type=click.Path(dir_okay=False),
    help=f"SQLite file holding the registry and the scan history (default: ${DB_ENV}, the config file's db, "
         "or ~/.local/share/listguard/listguard.db).",
)


def problem_from_dict(record: dict[str, Any]) -> Problem:
    """The inverse of ``Problem.to_dict`` (the JSONL contract)."""
    return Problem(
        listing=str(record["listing"]), field=str(record["field"]), start=int(record["start"]),
        end=int(record["end"]), code=str(record["code"]), rule=str(record.get("rule") or ""),
        severity=Severity.parse(str(record["severity"])), mark=record.get("mark"), owner=record.get("owner"),
        text=str(record.get("text") or ""), message=str(record.get("message") or ""),
        source=str(record.get("source") or ""), fingerprint=str(record.get("fingerprint") or ""),
    )


def read_problems_jsonl(stream: TextIO, name: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            problems.append(problem_from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise UsageError(f"{name}:{number}: not a listguard JSONL problem record ({err}); "
                             "produce one with `listguard scan FILE --format jsonl`") from None
    return problems


# -- history -----------------------------------------------------------------------------

_RUN_COLUMNS = "{:>5}  {:<25}  {:>8}  {:>10}  {:>8}  {}"
RUNS_HEADER = _RUN_COLUMNS.format("id", "finished", "problems", "suppressed", "listings", "inputs, rules, lists")


def _run_line(run: Run) -> str:
    """One run under RUNS_HEADER: the counts line up in columns, the versions trail."""
    inputs = ", ".join(run.inputs) or "-"
    versions = f"rules {run.rules_version}" + (f"  lists {run.lists_version}" if run.lists_version else "")
    return _RUN_COLUMNS.format(run.id, run.finished, run.problems, run.suppressed, run.listings,
                               f"{inputs}  {versions}")


@click.group(invoke_without_command=True)
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many runs to list.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per run.")
@click.pass_context
def history(ctx: click.Context, db: str | None, limit: int, as_json: bool) -> None:
    """List recorded scan runs, newest first (record them with `listguard scan --db FILE`).

    \b
    Example:
        listguard history --db listguard.db
        listguard history diff --db listguard.db          # latest against the run before
        listguard history diff 3 7 --db listguard.db
    """
    ctx.ensure_object(dict)
    ctx.obj["history_db"] = db
    if ctx.invoked_subcommand is not None:
        return
    with cli_errors(), open_history(resolve_db(db), create=False) as store:
        runs = store.runs(limit=limit)
    if as_json:
        for run in runs:
            click.echo(json.dumps({**run.__dict__, "inputs": list(run.inputs)}, ensure_ascii=False))
    elif not runs:
        click.echo("no runs recorded yet", err=True)
    else:
        click.echo(RUNS_HEADER)
        for run in runs:
            click.echo(_run_line(run))


def _diff_section(title: str, problems: list[Problem]) -> list[str]:
    lines = [f"{title}: {len(problems)}"]
    for p in problems:
        mark = f" [{p.mark}]" if p.mark else ""
        lines.append(f"  {p.code} {p.severity.label} {p.listing} {p.field}{mark} {p.text!r}  {p.source}")
    return lines


@history.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON object with new, resolved and still_open records.")
@click.pass_context
def history_diff(ctx: click.Context, old: str | None, new: str | None, db: str | None, as_json: bool) -> None:
    """Show new, resolved and still-open problems between two runs.

    OLD and NEW are run ids from `listguard history`, or `latest` / `previous`. With no
    arguments: the latest run against the one before it; with one: that run against the latest.

    \b
    Example:
        listguard history diff --db listguard.db
        listguard history diff 12 --db listguard.db --json
    """
    db = db or (ctx.obj or {}).get("history_db")
    if old is not None and new is None:
        new = "latest"
    with cli_errors(), open_history(resolve_db(db), create=False) as store:
        diff = store.diff(old, new)
    if as_json:
        click.echo(json.dumps({
            "old": diff.old.id if diff.old else None, "new": diff.new.id,
            "new_problems": [p.to_dict() for p in diff.added],
            "resolved": [p.to_dict() for p in diff.resolved],
            "still_open": [p.to_dict() for p in diff.still_open],
        }, ensure_ascii=False, indent=2))
        return
    against = f"run {diff.old.id}" if diff.old else "nothing (first run)"
    lines = [f"run {diff.new.id} against {against}"]
    lines += _diff_section("new", diff.added)
    lines += _diff_section("resolved", diff.resolved)
    lines += _diff_section("still open", diff.still_open)
    click.echo("\n".join(lines))


# -- baseline ----------------------------------------------------------------------------

@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--from-jsonl", "from_jsonl", type=click.File("r", encoding="utf-8"),
              help="Take the findings from `listguard scan --format jsonl` output (- for stdin) "
                   "instead of scanning INPUTS.")
@click.option("--ignore-file", type=click.Path(dir_okay=False), default=None,
              help=f"Suppression file to write (default: the config file's ignore-file, or {DEFAULT_FILE}).")
@click.option("--who", default=None, help="Recorded as `who` (default: $USER).")
@click.option("--reason", default="baseline", show_default=True, help="Recorded as `reason`.")
@click.option("--expires", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Expiry date (YYYY-MM-DD) for the new entries.")
@click.option("--replace", is_flag=True, help="Rewrite the file with only the current findings.")
def baseline(inputs: tuple[str, ...], from_jsonl: TextIO | None, ignore_file: str | None, who: str | None,
             reason: str, expires: Any, replace: bool) -> None:
    """Accept today's findings: write them to the suppression file so that only new problems
    fail from now on. Existing entries and comments are kept; new ones are appended.

    \b
    Example:
        listguard baseline catalog.csv --who "ops team"
        listguard scan catalog.csv --format jsonl | listguard baseline --from-jsonl -
    """
    with cli_errors():
        if from_jsonl is not None:
            problems = read_problems_jsonl(from_jsonl, getattr(from_jsonl, "name", "<stdin>"))
        elif inputs:
            problems = scan_for_baseline(list(inputs))
        else:
            raise UsageError("give listing files to scan, or --from-jsonl FILE")
        target = ignore_file or load_config().values.get("ignore-file") or DEFAULT_FILE
        result = write_baseline(target, problems, who=who or os.environ.get("USER") or "unknown",
                                reason=reason, replace=replace, expires=expires.date() if expires else None)
    click.echo(f"{result.path}: {result.added} entr{'y' if result.added == 1 else 'ies'} added, "
               f"{result.already_covered} already suppressed, {result.total_entries} in total", err=True)


def scan_for_baseline(inputs: list[str]) -> list[Problem]:
    """Scan ``inputs`` with the config file's marks, own brands and rule selection."""
    from scanner.cli import build_scanner
    from scanner.run import FileError, ListingResult, ReadSettings, read_all, scan_items
    from scanner.sources import BadRow

    values = load_config().values
    scanner = build_scanner(values.get("marks", ()), values.get("own-brand", ()), values.get("select", ()),
                            values.get("ignore", ()))
    problems: list[Problem] = []
    for result in scan_items(scanner, read_all(inputs, ReadSettings())):
        if isinstance(result, ListingResult):
            problems.extend(result.problems)
        elif isinstance(result, FileError):
            raise InputError(f"{result.message}; no baseline written")
        elif isinstance(result, BadRow):
            click.echo(f"listguard: bad row: {result.path}:{result.line}: {result.message}", err=True)
    return problems


# -- config ------------------------------------------------------------------------------

@click.command("config")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Read this file instead of searching upward from the working directory.")
def config_command(config_path: str | None) -> None:
    """Print the effective configuration and where each value came from (default, config
    file, environment).

    Looked for upward from the working directory: .listguard.cfg, setup.cfg or tox.ini with a
    [listguard] section, or pyproject.toml with [tool.listguard]; keys are spelled like the long
    flags of `listguard scan` and the command line wins.

    \b
    Example:
        listguard config
        listguard config --config ci/listguard.cfg
    """
    with cli_errors():
        file_config = load_config(path=config_path)
        settings = effective(file_config)
    click.echo(render(settings, file_config), nl=False)


# -- report ------------------------------------------------------------------------------

@click.command()
@db_option
@click.option("--run", "run_ref", default="latest", show_default=True, help="Run id, latest or previous.")
@click.option("--format", "fmt", type=click.Choice(["text", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Listings in `fix first`.")
def report(db: str | None, run_ref: str, fmt: str, output: str | None, top: int) -> None:
    """Exposure report of a recorded run: problems by rights holder (one holder's complaints
    within 3 days count as one), counterfeit findings (TM102, TM110) as serious violations,
    the rest as general violations (2 points each if complained), and the listings to fix first.

    \b
    Example:
        listguard report --db listguard.db
        listguard report --db listguard.db --format html -o exposure.html
    """
    with cli_errors():
        with open_history(resolve_db(db), create=False) as store:
            run = store.run(run_ref)
            problems = store.problems(run.id)
        title = f"listguard exposure report: run {run.id} ({run.finished}) of {', '.join(run.inputs) or '-'}"
        exposure = build_exposure(problems, title)
        text = render_html(exposure, top) if fmt == "html" else render_text(exposure, top)
        with open_output(output) as out:
            out.write(text)


WORKFLOW_COMMANDS = (history, baseline, config_command, report)


def register(group: click.Group) -> None:
    """Add the workflow commands to the ``listguard`` group."""
    for command in WORKFLOW_COMMANDS:
        group.add_command(command)


def explicit_options(ctx: click.Context, names: dict[str, str]) -> dict[str, Any]:
    """The options the user really gave on the command line, keyed by config key:
    ``names`` maps config keys to click parameter names."""
    given = {}
    for key, param in names.items():
        source = ctx.get_parameter_source(param)
        if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT", "PROMPT"):
            given[key] = ctx.params.get(param)
    return given


def history_store(db: str) -> History:
    """Open (creating) the history for `scan --db`."""
    return open_history(db, create=True)


def apply_config_defaults(ctx: click.Context, names: dict[str, str]) -> dict[str, Any]:
    """For `scan`: fill every option the user did not give from the config file. Returns the
    effective values keyed by click parameter name; raises ConfigError on a bad file."""
    file_config = load_config()
    cli = explicit_options(ctx, names)
    settings = effective(file_config, cli={k: v for k, v in cli.items()}, environ={})
    values = dict(ctx.params)
    for key, param in names.items():
        setting = settings[key]
        if setting.origin != COMMAND_LINE and key in file_config.values:
            values[param] = setting.value
    return values



# -- the scan command's workflow options -------------------------------------------------

# config key -> `scan` parameter name
SCAN_CONFIG_PARAMS = {
    "marks": "marks_files", "own-brand": "own_brands", "fail-on": "fail_on", "select": "select",
    "ignore": "ignore", "format": "output_format", "db": "db", "ignore-file": "ignore_file",
}


def scan_workflow_options(func: Any) -> Any:
    """--output, --db, --ignore-file, --show-suppressed, --new-only for `scan`."""
    func = click.option("--new-only", is_flag=True,
                        help="Report only problems not seen in the previous run recorded in --db.")(func)
    func = click.option("--show-suppressed", is_flag=True,
                        help="Also show suppressed problems (marked; they never fail the run).")(func)
    func = click.option("--ignore-file", type=click.Path(dir_okay=False), default=None,
                        help=f"Suppression file (default: {DEFAULT_FILE} in the working directory, if present).")(func)
    func = db_option(func)
    func = click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                        help="Write results to FILE atomically (complete or untouched) instead of stdout.")(func)
    return func


def scan_config(ctx: click.Context) -> dict[str, Any]:
    """`scan`'s parameters with every option the user did not give taken from the config
    file (the command line and LISTGUARD_DB win). ConfigError on a bad file."""
    names = {k: v for k, v in SCAN_CONFIG_PARAMS.items() if v in ctx.params}
    return apply_config_defaults(ctx, names)


class ScanWorkflow:
    """Suppressions, --new-only and history recording around one `scan` run."""

    def __init__(self, inputs: Sequence[str], db: str | None, ignore_file: str | None,
                 show_suppressed: bool, new_only: bool, lists_version: str = "") -> None:
        if new_only and not db:
            raise UsageError("--new-only needs a history: pass --db FILE (or set LISTGUARD_DB)")
        self.suppressions = SuppressionSet.load(ignore_file or DEFAULT_FILE, required=ignore_file is not None)
        self.show_suppressed = show_suppressed
        self.store = open_history(db) if db else None
        if self.store:
            registry = registry_generation(self.store)
            lists_version = f"{lists_version}+registry:{registry}" if registry else lists_version
        self.recorder = self.store.start_run(inputs, lists_version) if self.store else None
        self.seen: set[str] | None = None
        if new_only and self.store:
            latest = self.store.latest_run()
            self.seen = self.store.fingerprints(latest.id) if latest else set()
        self.suppressed = 0
        self.not_new = 0

    def filter(self, problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
        """For one listing: (the problems that count toward the exit code and summary, the
        problems to write in order: those plus, with --show-suppressed, suppressed ones)."""
        counted, shown = [], []
        for problem in problems:
            entry = self.suppressions.match(problem)
            if self.recorder:
                self.recorder.add(problem, suppressed=entry is not None)
            if entry is not None:
                self.suppressed += 1
                if self.show_suppressed:
                    shown.append(mark_suppressed(problem, entry))
            elif self.seen is not None and problem_key(problem) in self.seen:
                self.not_new += 1
            else:
                counted.append(problem)
                shown.append(problem)
        return counted, shown

    def finish(self, listings: int, complete: bool) -> list[str]:
        """Record the run (only if it is complete) and return lines for stderr."""
        lines = [f"listguard: suppression: {line}" for line in self.suppressions.report()]
        if self.suppressed:
            lines.append(f"listguard: {self.suppressed} problem(s) suppressed by {self.suppressions.path}")
        if self.seen is not None:
            lines.append(f"listguard: {self.not_new} problem(s) already seen in the previous run not shown (--new-only)")
        if self.store and self.recorder:
            if complete:
                run = self.recorder.commit(listings)
                lines.append(f"listguard: recorded run {run.id} in {self.store.path}")
            else:
                lines.append(f"listguard: run not recorded in {self.store.path}: not every input was read")
            self.store.close()
        return lines


def registry_generation(store: History) -> str:
    """The registry's fingerprint (id:generation) in the same file, if it has one (read only)."""
    try:
        rows = dict(store.db.execute("SELECT key, value FROM registry_meta").fetchall())
    except sqlite3.Error:
        return ""
    return f"{rows.get('registry_id', '')}:{rows.get('generation', '')}"


def mark_suppressed(problem: Problem, entry: Suppression) -> Problem:
    """The problem as shown by --show-suppressed: message says so, extra carries the entry."""
    note = f" (suppressed: {entry.reason}; {entry.who}; {entry.source})"
    extra = {**dict(problem.extra or {}), "suppression": {"reason": entry.reason, "who": entry.who,
                                                           "source": entry.source}}
    return dataclasses.replace(problem, message=problem.message + note, extra=extra)


def marks_version(marks_files: Sequence[str]) -> str:
    """``lists_version`` for the history: a digest of the list files, or the bundled list's."""
    if marks_files:
        files = [f for f in marks_files if os.path.isfile(f)]
        return files_version(files) if files else ""
    bundled = Path(__file__).resolve().parent.parent / "trademarks" / "data"
    return "bundled:" + files_version(sorted(bundled.glob("*.csv")) + sorted(bundled.glob("*.tsv")))
