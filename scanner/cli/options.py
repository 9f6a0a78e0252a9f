"""Option bundles shared by commands (a flag means the same in every command), and the
merge of the config file into a command's parameters (the command line wins)."""

from __future__ import annotations

from typing import Any, Callable

import click

from scanner.errors import FAIL_ON
from scanner.formatters import FORMATTERS

# trademarks.store.DB_ENV, spelled out so that a command's options are made without importing
# the SQLite store (start-up); tests/test_startup.py holds the two equal.
DB_ENV = "LISTGUARD_DB"

F = Callable[..., Any]

db_option = click.option(
    "--db", "db", envvar=DB_ENV, type=click.Path(dir_okay=False),
    help=f"SQLite file holding the registry and the scan history (default: ${DB_ENV}, the config file's db, "
         "or ~/.local/share/listguard/listguard.db).")


def marks_options(func: F) -> F:
    func = click.option("--no-cache", is_flag=True,
                        help="Build the automaton from the marks instead of loading it from the cache "
                             "(and write no cache entry).")(func)
    func = click.option("--own-brand", "own_brands", multiple=True, metavar="NAME",
                        help="Your own brand (repeatable): never reported as unauthorized.")(func)
    func = click.option("--marks", "marks_files", multiple=True, metavar="FILE",
                        type=click.Path(dir_okay=True),
                        help="Trademark list (CSV/TSV/JSON/JSONL, repeatable); replaces the bundled list "
                             "(with --db: adds to the registry's marks).")(func)
    return func


def rule_options(func: F) -> F:
    func = click.option("--ignore", "ignore", multiple=True, metavar="CODES",
                        help="Skip rules whose code starts with these prefixes (comma-separated).")(func)
    func = click.option("--select", "select", multiple=True, metavar="CODES",
                        help="Only rules whose code starts with these prefixes (comma-separated).")(func)
    return func


def output_options(func: F) -> F:
    func = rule_options(func)
    func = click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
                        help="Exit 1 when a problem at or above this severity is found.")(func)
    func = click.option("--format", "output_format", type=click.Choice(sorted(FORMATTERS)), default="text",
                        show_default=True, help="Output format on stdout.")(func)
    return func


def scan_workflow_options(func: F) -> F:
    """--output, --db, --ignore-file, --show-suppressed, --new-only for `scan`."""
    from scanner.workflows.suppressions import DEFAULT_FILE

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


def cluster_options(func: F) -> F:
    """--dask, --storage-option, --output-dir, --part-format for `scan` (docs/dask.md)."""
    func = click.option("--part-format", type=click.Choice(("jsonl", "parquet")), default="jsonl",
                        show_default=True, help="Format of the parts --output-dir holds.")(func)
    func = click.option("--output-dir", default=None, metavar="DIR",
                        help="With --dask: workers write the problems as parts to DIR (a path or URL), "
                             "plus _SUMMARY.json when the run completes; nothing on stdout.")(func)
    func = click.option("--storage-option", "storage_options", multiple=True, metavar="KEY=VALUE",
                        help="Option for object-storage URLs (repeatable), e.g. endpoint_url=http://...")(func)
    func = click.option("--dask", default=None, metavar="ADDRESS",
                        help="Scan on a Dask cluster: a scheduler address (tcp://host:8786) or local[:N] "
                             "for N local worker processes. Needs pip install 'listguard[dask]'.")(func)
    return func


# config key -> click parameter name, for the commands that read the config file
CONFIG_PARAMS = {
    "marks": "marks_files", "own-brand": "own_brands", "fail-on": "fail_on", "select": "select",
    "ignore": "ignore", "format": "output_format", "db": "db", "ignore-file": "ignore_file", "jobs": "jobs",
    "dask": "dask", "storage-option": "storage_options",
}


def explicit_options(ctx: click.Context, names: dict[str, str]) -> dict[str, Any]:
    """The options the user really gave on the command line, keyed by config key."""
    given = {}
    for key, param in names.items():
        source = ctx.get_parameter_source(param)
        if source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT", "PROMPT"):
            given[key] = ctx.params.get(param)
    return given


def with_config(ctx: click.Context) -> dict[str, Any]:
    """The command's parameters, every option the user did not give taken from the config
    file, else its real default (the command line and LISTGUARD_DB win). ConfigError on a bad
    file."""
    from scanner.workflows.config import COMMAND_LINE, effective, load_config

    names = {k: v for k, v in CONFIG_PARAMS.items() if v in ctx.params}
    file_config = load_config()
    settings = effective(file_config, cli=explicit_options(ctx, names), environ={})
    values = dict(ctx.params)
    for key, param in names.items():
        setting = settings[key]
        # jobs has a real default that click cannot know (the cores there are); for the other
        # keys, a value the user did not give stays the command's own default
        if setting.origin != COMMAND_LINE and (key in file_config.values or (key == "jobs" and values[param] is None)):
            values[param] = setting.value
    return values
