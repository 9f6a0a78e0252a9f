"""CLI commands for the CI / cron / pre-commit workflows: history, history diff, baseline,
config and report. Each is a thin shell over one library call; ``scanner.cli.main`` registers
them on the ``main`` group.
"""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

import click

from scanner.cli.errors import command, group
from scanner.cli.options import db_option, marks_options, rule_options, with_config
from scanner.core.models import Problem
from scanner.errors import UsageError
from scanner.workflows.baseline import read_problems_jsonl, scan_for_baseline, write_baseline
from scanner.workflows.complaints.points import points_exposure
from scanner.workflows.config import effective, existing_default_db, load_config, render, resolve_db, with_default_db
from scanner.workflows.history import Run, open_history
from scanner.workflows.output import open_output
from scanner.workflows.report import build_exposure, render_html, render_text
from scanner.workflows.suppressions import DEFAULT_FILE
from trademarks.complaints import read_complaints

# -- history -----------------------------------------------------------------------------

_RUN_COLUMNS = "{:>5}  {:<25}  {:>8}  {:>10}  {:>8}  {}"
RUNS_HEADER = _RUN_COLUMNS.format("id", "finished", "problems", "suppressed", "listings", "inputs, rules, lists")


def _run_line(run: Run) -> str:
    """One run under RUNS_HEADER: the counts line up in columns, the versions trail."""
    inputs = ", ".join(run.inputs) or "-"
    versions = f"rules {run.rules_version}" + (f"  lists {run.lists_version}" if run.lists_version else "")
    return _RUN_COLUMNS.format(run.id, run.finished, run.problems, run.suppressed, run.listings,
                               f"{inputs}  {versions}")


@group(invoke_without_command=True)
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
    with open_history(resolve_db(db), readonly=True) as store:
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
    with open_history(resolve_db(db), readonly=True) as store:
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

@command()
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
@marks_options
@rule_options
@db_option
def baseline(inputs: tuple[str, ...], from_jsonl: TextIO | None, ignore_file: str | None, who: str | None,
             reason: str, expires: Any, replace: bool, **options: Any) -> None:
    """Accept today's findings: write them to the suppression file so that only new problems
    fail from now on. Existing entries and comments are kept; new ones are appended.

    \b
    Example:
        listguard baseline catalog.csv --who "ops team"
        listguard scan catalog.csv --format jsonl | listguard baseline --from-jsonl -
    """
    if from_jsonl is not None:
        problems = read_problems_jsonl(from_jsonl, getattr(from_jsonl, "name", "<stdin>"))
    elif inputs:
        # the same marks, brands, rules and registry as `listguard scan` with these options,
        # so the fingerprints written here are the ones later scans meet
        config = with_config(click.get_current_context())
        problems = scan_for_baseline(
            list(inputs), lambda row: click.echo(f"listguard: bad row: {row.path}:{row.line}: {row.message}", err=True),
            marks_files=config["marks_files"], own_brands=config["own_brands"], select=config["select"],
            ignore=config["ignore"], registry_db=config["db"] or existing_default_db())
    else:
        raise UsageError("give listing files to scan, or --from-jsonl FILE")
    target = ignore_file or load_config().values.get("ignore-file") or DEFAULT_FILE
    result = write_baseline(target, problems, who=who or os.environ.get("USER") or "unknown",
                            reason=reason, replace=replace, expires=expires.date() if expires else None)
    click.echo(f"{result.path}: {result.added} entr{'y' if result.added == 1 else 'ies'} added, "
               f"{result.already_covered} already suppressed, {result.total_entries} in total", err=True)


# -- config ------------------------------------------------------------------------------

@command("config")
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
    file_config = load_config(path=config_path)
    settings = with_default_db(effective(file_config))
    click.echo(render(settings, file_config), nl=False)


# -- report ------------------------------------------------------------------------------

@command()
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
    With complaints on file (`listguard complaints`), their points now and at stake.

    \b
    Example:
        listguard report --db listguard.db
        listguard report --db listguard.db --format html -o exposure.html
    """
    with open_history(resolve_db(db), readonly=True) as store:
        run = store.run(run_ref)
        problems = store.problems(run.id)
        complaints = read_complaints(store.db.conn)  # None: the file holds no complaints table
    title = f"listguard exposure report: run {run.id} ({run.finished}) of {', '.join(run.inputs) or '-'}"
    exposure = build_exposure(problems, title)
    points = points_exposure(complaints) if complaints else None
    text = render_html(exposure, top, points) if fmt == "html" else render_text(exposure, top, points)
    with open_output(output) as out:
        out.write(text)


COMMANDS = (history, baseline, config_command, report)
