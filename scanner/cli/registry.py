"""CLI commands for the trademark registry: ``marks`` (import, list, show, add, remove, export,
stats, fetch), ``authorize`` and ``authorizations`` (list, remove). Each is a thin shell over
one ``trademarks.store`` / ``trademarks.fetch`` call; ``scanner.cli.main`` registers them.
Results go to stdout, summaries and warnings to stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pathlib
from typing import Any, Iterator

import click

from scanner.cli.errors import CommandFailed, command, group
from scanner.cli.options import db_option
from scanner.errors import EXIT_PROBLEMS, UsageError
from scanner.workflows.config import named_db, reading_db, resolve_db
from scanner.workflows.output import open_output
from scanner.workflows.scanners import file_sha256
from trademarks.authorizations import WARN_DAYS, days_left, make_authorization, refuse_expired, status
from trademarks.errors import NoRegistry
from trademarks.fetch import FetchOptions, fetch_source
from trademarks.importers import FORMATS, iter_marks_from_file
from trademarks.lists import mark_to_record, write_marks
from trademarks.lookup import find_marks, iter_all_marks, known_brand
from trademarks.models import CASES, Mark
from trademarks.store import Registry, open_registry

MARKS_HEADER = "mark\towner\tclasses\tsource\taliases"
AUTHORIZATIONS_HEADER = "brand\tevidence\tref\texpires\tstatus"


@contextlib.contextmanager
def opened(db: str | None) -> Iterator[Registry]:
    """The registry a command that changes it writes: the named database, else the default
    file, created if needed (docs/registry.md, "Which database a command uses")."""
    registry = open_registry(resolve_db(db))
    try:
        yield registry
    finally:
        registry.close()


@contextlib.contextmanager
def reading(db: str | None) -> Iterator[Registry | None]:
    """The registry a command that only reads it uses: the named database (which must exist),
    else the default file if it exists, opened read-only; None when there is none."""
    path = reading_db(db)
    if path is None:
        yield None
        return
    try:
        registry = open_registry(path, readonly=True)
    except NoRegistry:
        yield None
        return
    try:
        yield registry
    finally:
        registry.close()


def require(registry: Registry | None, db: str | None) -> Registry:
    if registry is None:
        where = named_db(db)
        raise UsageError((f"{where} holds no trademark registry" if where else "no registry database yet")
                         + "; import marks first with `listguard marks import FILE`")
    return registry


filter_options = [
    click.option("--owner", default=None, help="Only marks of this owner (case-insensitive)."),
    click.option("--class", "klass", type=click.IntRange(1, 45), default=None, help="Only marks in this Nice class."),
    click.option("--source", default=None, help="Only marks from this source."),
]


def with_filters(function: Any) -> Any:
    for option in reversed(filter_options):
        function = option(function)
    return function


def say(message: str) -> None:
    click.echo(message, err=True)


def mark_line(mark: Mark) -> str:
    classes = ",".join(map(str, mark.classes)) or "-"
    aliases = "|".join(mark.aliases)
    return "\t".join([mark.name, mark.owner or "-", classes, mark.source, aliases]).rstrip("\t")


# -- marks ------------------------------------------------------------------------------
@group()
def marks() -> None:
    """Manage the trademark registry (the marks listguard scans for).

    \b
    Example:
      listguard marks import complaints.csv --source complaints --db shop.db
      listguard marks list --class 25 --db shop.db
    """


@marks.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--source", default=None, help="Source name (default: the file name without extension).")
@click.option("--replace", is_flag=True, help="Swap all of the source's marks for this file's, atomically.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "zip"]), default=None,
              help="Override format detection (USPTO XML is recognised by its root element).")
@db_option
def import_command(file: str, source: str | None, replace: bool, fmt: str | None, db: str | None) -> None:
    """Import a list file (CSV/TSV/JSON/JSONL), a USPTO trademark daily XML (or its .zip) or
    a Wikidata brand export. The import is one transaction: a bad row leaves the registry as it was.

    \b
    Example:
      listguard marks import complaints.csv --source complaints --db shop.db
      listguard marks import apc240501.zip --source uspto --replace --db shop.db
    """
    name = source or pathlib.Path(file).stem
    with opened(db) as registry:
        result = registry.import_marks(iter_marks_from_file(file, fmt, name), name, replace,
                                       checksum=file_sha256(file), kind=fmt or "file", location=file)
    say(f"imported {result.imported} marks into source '{name}' in {registry.path} "
        f"({result.replaced} replaced; the source holds {result.total})")


no_bundled_option = click.option("--no-bundled", is_flag=True,
                                 help="Only the registry's marks, not the bundled list's (source 'bundled').")


@marks.command("list")
@with_filters
@click.option("--json", "as_json", is_flag=True, help="One JSON object per mark (JSON Lines).")
@no_bundled_option
@db_option
def list_command(owner: str | None, klass: int | None, source: str | None, as_json: bool, no_bundled: bool,
                 db: str | None) -> None:
    """List the marks scans look for, the registry's then the bundled list's: name, owner,
    classes, source (the list it comes from), aliases; tab-separated under a header line.

    \b
    Example:
      listguard marks list --owner "Nike, Inc." --db shop.db
      listguard marks list --source uspto --class 3 --json --db shop.db
    """
    with reading(db) as registry:
        if not as_json:
            click.echo(MARKS_HEADER)
        for mark in iter_all_marks(registry, owner, klass, source, bundled=not no_bundled):
            click.echo(json.dumps(mark_to_record(mark), ensure_ascii=False) if as_json else mark_line(mark))


@marks.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the matching marks.")
@no_bundled_option
@db_option
def show_command(name: str, as_json: bool, no_bundled: bool, db: str | None) -> None:
    """Show every mark whose name or alias is NAME, from every source: the registry's and the
    bundled list's (`source: bundled`).

    \b
    Example:
      listguard marks show 耐克 --db shop.db
    """
    with reading(db) as registry:
        found = find_marks(name, registry, bundled=not no_bundled)
        if not found:
            raise CommandFailed(f"no mark named {name!r} (try `listguard marks list`)", EXIT_PROBLEMS)
    if as_json:
        click.echo(json.dumps([mark_to_record(m) for m in found], ensure_ascii=False, indent=2))
        return
    for mark in found:
        record = mark_to_record(mark)
        for key in ("mark", "aliases", "owner", "classes", "case", "famous", "exceptions",
                    "jurisdiction", "registration", "status", "source"):
            value = record[key]
            if isinstance(value, list):
                shown = ", ".join(map(str, value))
            else:
                shown = str(value).lower() if isinstance(value, bool) else value
            click.echo(f"{key + ':':<14}{shown}")
        click.echo("")


@marks.command("add")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, help="Another surface form (repeatable).")
@click.option("--owner", default="", help="The owner of the mark.")
@click.option("--class", "classes", type=click.IntRange(1, 45), multiple=True, help="Nice class (repeatable).")
@click.option("--case", type=click.Choice(CASES), default="fold", show_default=True)
@click.option("--famous", is_flag=True, help="Never lowered outside its classes.")
@click.option("--exception", "exceptions", multiple=True, help="A phrase containing the mark that is not it.")
@click.option("--source", default="manual", show_default=True)
@db_option
def add_command(name: str, aliases: tuple[str, ...], owner: str, classes: tuple[int, ...], case: str,
                famous: bool, exceptions: tuple[str, ...], source: str, db: str | None) -> None:
    """Add (or overwrite) one mark.

    \b
    Example:
      listguard marks add Dove --alias 多芬 --owner Unilever --class 3 --case exact --db shop.db
    """
    mark = Mark(name.strip(), tuple(a for a in aliases if a.strip()), owner.strip(),
                tuple(sorted(set(classes))), case, famous, tuple(exceptions), source=source)
    if not mark.name:
        raise UsageError("a mark name is required")
    with opened(db) as registry:
        registry.add(mark, source)
    say(f"added '{mark.name}' to source '{source}' in {registry.path}")


@marks.command("remove")
@click.argument("name")
@click.option("--source", default=None, help="Only from this source.")
@db_option
def remove_command(name: str, source: str | None, db: str | None) -> None:
    """Remove the marks named NAME (from every source, or only --source).

    \b
    Example:
      listguard marks remove Dove --source manual --db shop.db
    """
    with opened(db) as registry:
        removed = registry.remove(name, source)
    say(f"removed {removed} mark{'s' * (removed != 1)} named '{name}' from {registry.path}")


@marks.command("export")
@with_filters
@click.option("--tsv", is_flag=True, help="Tab-separated instead of CSV.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@db_option
def export_command(owner: str | None, klass: int | None, source: str | None, tsv: bool,
                   output: str | None, db: str | None) -> None:
    """Export the registry's marks in the list format (re-importable with `marks import`).

    \b
    Example:
      listguard marks export --source complaints -o complaints.csv --db shop.db
    """
    with reading(db) as found, open_output(output) as out:
        write_marks(require(found, db).iter_marks(owner, klass, source), out, "\t" if tsv else ",")


@marks.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@db_option
def stats_command(as_json: bool, db: str | None) -> None:
    """Count marks, names, aliases, owners and authorizations, per source.

    \b
    Example:
      listguard marks stats --db shop.db
    """
    with reading(db) as found:
        registry = require(found, db)
        stats = registry.stats()
        sources = {s.name: s for s in registry.sources()}
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    for key in ("marks", "names", "aliases", "owners", "famous", "authorizations"):
        click.echo(f"{key + ':':<16}{stats[key]}")
    for name, count in stats["sources"].items():
        info = sources[name]
        click.echo(f"source {name}: {count} marks, imported {info.imported_at}"
                   + (f" from {info.location}" if info.location else ""))


@marks.command("fetch")
@click.argument("url")
@click.option("--source", required=True, help="The source whose marks the download replaces.")
@click.option("--sha256", default=None, help="Refuse the download unless its SHA-256 is this.")
@click.option("--allow-http", is_flag=True, help="Accept plain http (a local mirror you trust).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=FetchOptions.max_bytes, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=FetchOptions.read_timeout,
              show_default=True, help="Read timeout in seconds (connect timeout: 10 s).")
@click.option("--retries", type=click.IntRange(min=0), default=FetchOptions.retries, show_default=True)
@click.option("--deadline", type=click.FloatRange(min=0.1), default=FetchOptions.deadline, show_default=True,
              help="Give up after this many seconds in all (attempts, redirects, waits, reading).")
@click.option("--min-ratio", type=click.FloatRange(0, 1), default=FetchOptions.min_ratio, show_default=True,
              help="Refuse a list smaller than this share of what the source held.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "zip"]), default=None, help="Override detection.")
@db_option
def fetch_command(url: str, source: str, sha256: str | None, allow_http: bool, max_bytes: int, timeout: float,
                  retries: int, deadline: float, min_ratio: float, fmt: str | None, db: str | None) -> None:
    """Download a published list and swap it in as SOURCE, only if it is complete and valid.

    Conditional (ETag/Last-Modified): an unchanged list costs one 304 and changes nothing.

    \b
    Example:
      listguard marks fetch https://example.com/marks.csv --source vendor --db shop.db
      listguard marks fetch http://mirror.local/apc.zip --source uspto --allow-http --db shop.db
    """
    opts = FetchOptions(read_timeout=timeout, retries=retries, max_bytes=max_bytes, sha256=sha256,
                        allow_http=allow_http, min_ratio=min_ratio, kind=fmt, deadline=deadline)
    with opened(db) as registry:
        result = fetch_source(registry, url, source, opts)
    if result.imported:
        say(f"fetched {result.bytes} bytes; source '{source}' in {registry.path} now holds "
            f"{result.imported.total} marks")
    else:
        say(f"source '{source}' is up to date ({result.status})")


# -- authorizations ----------------------------------------------------------------------
@command()
@click.argument("brand")
@click.option("--evidence", required=True, metavar="KIND",
              help="owner, authorization-letter, distribution-agreement, invoice, withdrawal-letter or "
                   "patent-certificate.")
@click.option("--ref", required=True, help="The document: letter number, contract id, invoice number.")
@click.option("--expires", default=None, metavar="YYYY-MM-DD", help="Last day the evidence is valid.")
@click.option("--note", default="", help="Free text kept with the record.")
@click.option("--supplier", default="", help="Who issued the invoice (the platform verifies it with them).")
@click.option("--holder", default="", help="The rights holder the document comes from (withdrawal letter, "
                                           "authorization; for a patent, who sold the goods).")
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="The document itself (repeatable): recorded by path and SHA-256, never copied.")
@click.option("--today", default=None, metavar="YYYY-MM-DD", hidden=True)
@db_option
def authorize(brand: str, evidence: str, ref: str, expires: str | None, note: str, db: str | None,
              supplier: str = "", holder: str = "", files: tuple[str, ...] = (), today: str | None = None) -> None:
    """Record that the shop owns BRAND or may sell it, with the evidence that wins an appeal.
    Silences TM101/TM107/TM109 for BRAND while valid; counterfeit cues still count.

    \b
    Example:
      listguard authorize Nike --evidence authorization-letter --ref NK-2024-118 --expires 2027-06-30 --db shop.db
      listguard authorize MyBrand --evidence owner --ref "CN TM 51234567" --db shop.db
      listguard authorize Nike --evidence invoice --ref 044031900111-00876543 --supplier "Pou Chen Trading" \\
          --file invoice.pdf --db shop.db
    """
    from trademarks.evidence import attach

    attached = tuple(attach(path) for path in files)  # a missing or oversized file records nothing
    auth = make_authorization(brand, evidence, ref, expires, note, supplier, holder, attached)
    refuse_expired(auth, dt.date.fromisoformat(today) if today else None)
    with opened(db) as registry:
        registry.authorize(auth)
        known = known_brand(auth.brand, registry)
    say(f"authorized '{auth.brand}' ({auth.evidence} {auth.ref}"
        + (f", until {auth.expires.isoformat()})" if auth.expires else ")") + f" in {registry.path}")
    if auth.evidence == "invoice" and not auth.supplier:
        say(f"warning: invoice {auth.ref} names no supplier: the platform verifies an invoice with the supplier "
            "who issued it; add --supplier NAME")
    for attachment in attached:
        say(f"attached {attachment.path} (sha256 {attachment.sha256})")
    if not known:
        say(f"warning: '{auth.brand}' is in no trademark list listguard scans for (the bundled list, the registry): "
            "recorded, but it silences nothing until the mark is added (`listguard marks add`)")


@group()
def authorizations() -> None:
    """The brands the shop owns or may sell, with their evidence.

    \b
    Example:
      listguard authorizations list --db shop.db
    """


@authorizations.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per authorization.")
@click.option("--today", default=None, metavar="YYYY-MM-DD", hidden=True)
@db_option
def authorizations_list(as_json: bool, today: str | None, db: str | None) -> None:
    """List authorizations; warn (stderr) about the expired and those expiring within 30 days.

    \b
    Example:
      listguard authorizations list --db shop.db
    """
    day = dt.date.fromisoformat(today) if today else dt.date.today()
    with reading(db) as registry:
        records = registry.authorizations() if registry is not None else []
    if not as_json:
        click.echo(AUTHORIZATIONS_HEADER)
    for auth in records:
        state, left = status(auth, day), days_left(auth, day)
        if as_json:
            click.echo(json.dumps({"brand": auth.brand, "evidence": auth.evidence, "ref": auth.ref,
                                   "expires": auth.expires.isoformat() if auth.expires else None,
                                   "status": state, "days_left": left, "note": auth.note,
                                   "supplier": auth.supplier, "holder": auth.holder,
                                   "files": [{"path": f.path, "sha256": f.sha256, "size": f.size}
                                             for f in auth.files]}, ensure_ascii=False))
        else:
            until = auth.expires.isoformat() if auth.expires else "-"
            click.echo("\t".join([auth.brand, auth.evidence, auth.ref, until, state]))
        if state == "expiring":
            say(f"warning: {auth.brand} ({auth.evidence} {auth.ref}) expires in {left} days on "
                f"{auth.expires}; renew it within {WARN_DAYS} days")
        elif state == "expired":
            say(f"warning: {auth.brand} ({auth.evidence} {auth.ref}) expired on {auth.expires} and no longer counts")


@authorizations.command("remove")
@click.argument("brand")
@click.option("--ref", default=None, help="Only the authorization with this reference.")
@db_option
def authorizations_remove(brand: str, ref: str | None, db: str | None) -> None:
    """Remove the authorizations of BRAND (or only --ref).

    \b
    Example:
      listguard authorizations remove Nike --ref NK-2024-118 --db shop.db
    """
    with opened(db) as registry:
        removed = registry.remove_authorization(brand, ref)
    say(f"removed {removed} authorization{'s' * (removed != 1)} of '{brand}' from {registry.path}")


COMMANDS = (marks, authorize, authorizations)
