"""The command line: parse options, call the library, print. Nothing else lives here.

stdout carries results only; errors, bad rows and the summary go to stderr.
Exit codes (scanner/errors.py): 0 nothing at or above --fail-on, 1 problems at or above it,
2 usage or config error, 3 input or runtime error, 130 interrupted.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import TYPE_CHECKING, Any, Iterator

import click

from scanner import __version__, _build
from scanner.cli.errors import ListguardGroup
from scanner.cli.options import db_option, marks_options, output_options, with_config

if TYPE_CHECKING:
    from scanner.core.engine import Scanner

# Commands defined in other modules, imported when run (or listed): `listguard check` starts
# without the readers of every format, the process pool, the registry and history stores.
LAZY_COMMANDS = {
    "scan": "scanner.cli.scan:scan",
    "history": "scanner.cli.workflows:history",
    "baseline": "scanner.cli.workflows:baseline",
    "config": "scanner.cli.workflows:config_command",
    "report": "scanner.cli.workflows:report",
    "marks": "scanner.cli.registry:marks",
    "authorize": "scanner.cli.registry:authorize",
    "authorizations": "scanner.cli.registry:authorizations",
    "complaints": "scanner.cli.complaints:complaints",
}


def _err(message: str) -> None:
    click.echo(message, err=True)


def _scanner(config: dict[str, Any]) -> Scanner:
    """The scanner for a command's options: the registry read is the named database, else the
    default file if it exists (read-only; docs/registry.md)."""
    from scanner.workflows.config import existing_default_db
    from scanner.workflows.scanners import build_scanner, scanner_settings

    settings = scanner_settings(config["own_brands"], config.get("select", ()), config.get("ignore", ()))
    registry = config["db"] or existing_default_db()
    return build_scanner(settings, config["marks_files"], registry, not config.get("no_bundled", False),
                         cache=not config.get("no_cache", False))


class _LazyCommands(dict[str, Any]):
    """``main.commands``: a command of LAZY_COMMANDS is imported the first time it is looked
    up, or when all are listed (``--help``, tests walking every command)."""

    def _load(self, name: str) -> None:
        if name in LAZY_COMMANDS and not dict.__contains__(self, name):
            module, attr = LAZY_COMMANDS[name].split(":")
            dict.__setitem__(self, name, getattr(importlib.import_module(module), attr))

    def _load_all(self) -> None:
        for name in LAZY_COMMANDS:
            self._load(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return dict.get(self, name, default)

    def __getitem__(self, name: str) -> Any:
        self._load(name)
        return dict.__getitem__(self, name)

    def __contains__(self, name: object) -> bool:
        return name in LAZY_COMMANDS or dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load_all()
        return dict.__len__(self)

    def keys(self):
        self._load_all()
        return dict.keys(self)

    def values(self):
        self._load_all()
        return dict.values(self)

    def items(self):
        self._load_all()
        return dict.items(self)


@click.group(cls=ListguardGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="listguard", message="%(prog)s %(version)s, " + _build.describe())
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
    from scanner.core.models import Listing, ScanSummary
    from scanner.formatters import get_formatter
    from scanner.workflows.outcome import severity_exit_code

    config = with_config(click.get_current_context())
    scanner = _scanner(config)
    listing = Listing(listing_id, {"title": text, "description": description}, brand=brand, category=category,
                      source="command line")
    problems = scanner.check(listing)
    formatter = get_formatter(config["output_format"], sys.stdout)
    for problem in problems:
        formatter.write(problem)
    # The one listing's summary, counted as a scan's Tally counts it (scanner/workflows/run.py
    # is not imported: it brings the readers of every format).
    summary = ScanSummary(listings=1, fields=len(listing.text_fields()), inputs=["command line"])
    for problem in problems:
        summary.add(problem)
    formatter.close(summary)
    if not problems and config["output_format"] == "text":
        _err("listguard: no problems")
    sys.exit(severity_exit_code(max((p.severity for p in problems), default=None), config["fail_on"]))


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
    from scanner.core.rules import RULES
    from scanner.workflows.scanners import known_codes

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
    from scanner.core.explain import explain
    from scanner.core.models import Listing

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
    from scanner.sources import FORMATS

    for name, info in sorted(FORMATS.items()):
        click.echo(f"{name:<18} {info.description}")


main.commands = _LazyCommands(main.commands)
