"""CLI for the complaint desk: ``listguard complaints`` (open complaints by deadline, ``--due``
for cron) and its commands add, list, show, update, attach, evidence, at-risk, points, export
and pack. Each is a thin shell over scanner.workflows.complaints / trademarks.complaints.
Results go to stdout; warnings (a provisional deadline, an unknown listing) to stderr.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

import click

from scanner.cli.errors import group
from scanner.cli.options import db_option
from scanner.errors import EXIT_PROBLEMS, UsageError
from scanner.formatters.csv_format import neutralise
from scanner.workflows.complaints import at_risk as risk
from scanner.workflows.complaints.desk import (
    add_complaint,
    complaint_record,
    due_within,
    evidence_review,
    open_by_deadline,
    parse_within,
)
from scanner.workflows.complaints.pack import make_pack
from scanner.workflows.complaints.points import points_exposure, render_lines, window_end
from scanner.workflows.config import resolve_db
from scanner.workflows.output import open_output
from trademarks.complaints import (
    ALLEGATIONS,
    FILE_KINDS,
    RIGHTS,
    STAGES,
    STATUSES,
    Complaint,
    open_complaints,
    parse_time,
    timeline,
)
from trademarks.deadlines import CHINA_TZ, Deadline, calendar_name, shown, time_left
from trademarks.evidence import attach

now_option = click.option("--now", "now_text", default=None, metavar="YYYY-MM-DD HH:MM",
                          help="Take this as the current time (China time), to replay an example or see what "
                               "a later day brings; default: the clock.")


def say(message: str) -> None:
    click.echo(message, err=True)


def current_time(now_text: str | None) -> dt.datetime:
    if not now_text:
        return dt.datetime.now(CHINA_TZ)
    return parse_time(now_text, "--now", now=dt.datetime.max.replace(tzinfo=CHINA_TZ) - dt.timedelta(days=1))


def warn_provisional(deadlines: list[Deadline]) -> None:
    for warning in dict.fromkeys(d.warning() for d in deadlines if not d.certain):
        say(warning)


def load(db: str | None) -> tuple[str, list[Complaint]]:
    path = resolve_db(db)
    with open_complaints(path) as store:
        return path, store.all()


def get(db: str | None, complaint_id: int) -> tuple[str, Complaint, list[Complaint]]:
    path = resolve_db(db)
    with open_complaints(path) as store:
        return path, store.get(complaint_id), store.all()


_OPEN_COLUMNS = "{:>4}  {:<22}  {:<11}  {:<24}  {:<10}  {}"
OPEN_HEADER = _OPEN_COLUMNS.format("id", "deadline (China time)", "left", "holder", "listing", "next")


@group(invoke_without_command=True)
@click.option("--due", "due", default=None, metavar="24h",
              help="Only complaints whose appeal deadline falls within this time (m, h or d); exit 1 if any.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per complaint.")
@db_option
@now_option
@click.pass_context
def complaints(ctx: click.Context, due: str | None, as_json: bool, db: str | None, now_text: str | None) -> None:
    """Track complaints received from rights holders: the open ones by appeal deadline
    (3 Chinese working days, holidays and adjusted working weekends counted), with the time left.

    \b
    Example:
        listguard complaints add --listing SKU-1001 --holder "Nike, Inc." --right trademark \\
            --allegation improper-use --mark Nike --received "2026-09-30 14:00" --stage before-penalty --db shop.db
        listguard complaints --db shop.db
        listguard complaints --due 24h --db shop.db     # cron: exit 1 when an appeal is due within 24 hours
    """
    if ctx.invoked_subcommand is not None:
        return
    now = current_time(now_text)
    within = parse_within(due) if due else None
    _path, everything = load(db)
    rows = open_by_deadline(everything, now)
    if within is not None:
        rows = due_within(rows, now, within)
    warn_provisional([t.due for _, t in rows if t.due is not None])
    if as_json:
        for complaint, line in rows:
            click.echo(json.dumps(complaint_record(complaint, line), ensure_ascii=False))
    elif rows:
        click.echo(OPEN_HEADER)
        for complaint, line in rows:
            when = shown(line.due.at) if line.due else "-"
            left = time_left(line.due.at, now) if line.due else "-"
            click.echo(_OPEN_COLUMNS.format(complaint.id, when, left, complaint.holder, complaint.listing,
                                            line.action))
    else:
        say(f"no complaint due within {due}" if within is not None else "no open complaints")
    if within is not None and rows:
        ctx.exit(EXIT_PROBLEMS)


@complaints.command("add")
@click.option("--listing", required=True, help="The id of the listing complained about.")
@click.option("--holder", required=True, help="The rights holder named in the complaint.")
@click.option("--right", required=True, metavar="|".join(RIGHTS), help="The right invoked.")
@click.option("--allegation", required=True, metavar="|".join(ALLEGATIONS), help="What the complaint alleges.")
@click.option("--mark", default="", help="The mark (or work, or patent) the complaint names.")
@click.option("--received", required=True, metavar="YYYY-MM-DD HH:MM", help="When it arrived (China time).")
@click.option("--stage", required=True, metavar="|".join(STAGES),
              help="before-penalty: the first appeal window; after-penalty: the penalty is already applied.")
@click.option("--note", default="", help="Free text kept with the complaint.")
@click.option("--catalog", type=click.Path(dir_okay=False), default=None,
              help="Scan this catalog for the listing's text and the holder's other marks (default: the "
                   "latest scan recorded in --db).")
@db_option
@now_option
def add_command(listing: str, holder: str, right: str, allegation: str, mark: str, received: str, stage: str,
                note: str, catalog: str | None, db: str | None, now_text: str | None) -> None:
    """Record a complaint; print its deadlines and the other listings that name the same
    holder's marks (with the rule that reports each and the fix).

    \b
    Example:
        listguard complaints add --listing SKU-1001 --holder "Nike, Inc." --right trademark \\
            --allegation improper-use --mark Nike --received "2026-09-30 14:00" \\
            --stage before-penalty --catalog catalog.jsonl --db shop.db
    """
    now = current_time(now_text)
    when = parse_time(received, "--received", now)
    added = add_complaint(resolve_db(db), listing, holder, right, allegation, when, stage, mark, note, catalog, now)
    for warning in added.warnings:
        say(warning)
    complaint = added.complaint
    line = timeline(complaint, now)
    warn_provisional(line.deadlines())
    say(f"recorded complaint #{complaint.id}")
    click.echo(f"complaint #{complaint.id}: {complaint.listing}, {complaint.holder} ({complaint.right}, "
               f"{complaint.allegation}), received {shown(complaint.received)}")
    click.echo(f"next: {line.action}" + (f" ({time_left(line.due.at, now)} left)" if line.due else ""))
    if added.findings is not None:
        for text in risk.render_lines(added.risks, added.findings.origin, complaint.holder, added.window_end, now):
            click.echo(text)


@complaints.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object per line.")
@db_option
@now_option
def list_command(fmt: str, db: str | None, now_text: str | None) -> None:
    """List every complaint, open or closed, in the order received.

    \b
    Example:
        listguard complaints list --db shop.db
        listguard complaints list --format json --db shop.db
    """
    now = current_time(now_text)
    _path, everything = load(db)
    lines = [(c, timeline(c, now)) for c in everything]
    warn_provisional([d for _, t in lines for d in ([t.appeal_deadline] if t.appeal_deadline else [])])
    if fmt == "json":
        for complaint, line in lines:
            click.echo(json.dumps(complaint_record(complaint, line), ensure_ascii=False))
        return
    columns = "{:>4}  {:<16}  {:<10}  {:<24}  {:<10}  {:<12}  {:<10}  {}"
    click.echo(columns.format("id", "received", "listing", "holder", "right", "allegation", "status",
                              "appeal deadline"))
    for complaint, line in lines:
        deadline = line.appeal_deadline
        click.echo(columns.format(complaint.id, f"{complaint.received:%Y-%m-%d %H:%M}", complaint.listing,
                                  complaint.holder, complaint.right, complaint.allegation, complaint.status,
                                  (shown(deadline.at) + ("" if deadline.certain else " (provisional)"))
                                  if deadline else "-"))


@complaints.command("show")
@click.argument("complaint_id", type=int)
@db_option
@now_option
def show_command(complaint_id: int, db: str | None, now_text: str | None) -> None:
    """Everything about one complaint: facts, events, deadlines, evidence on file, points.

    \b
    Example:
        listguard complaints show 1 --db shop.db
    """
    now = current_time(now_text)
    path, complaint, everything = get(db, complaint_id)
    line = timeline(complaint, now)
    warn_provisional(line.deadlines())
    for key, value in (("complaint", f"#{complaint.id}"), ("listing", complaint.listing),
                       ("holder", complaint.holder), ("right", complaint.right),
                       ("allegation", complaint.allegation), ("mark", complaint.mark or "-"),
                       ("received", shown(complaint.received)), ("stage", complaint.stage),
                       ("status", complaint.status), ("note", complaint.note or "-")):
        click.echo(f"{key + ':':<12}{value}")
    for event in complaint.events:
        click.echo(f"{'event:':<12}{event.status} {shown(event.at)}" + (f" ({event.note})" if event.note else ""))
    click.echo("deadlines:")
    for what, deadline in _deadlines(line):
        left = time_left(deadline.at, now)
        click.echo(f"  {what}: {shown(deadline.at)} ({left})" + ("" if deadline.certain else " provisional"))
    click.echo(f"next: {line.action}")
    _print_evidence(complaint, path, now)
    group_end = window_end(complaint, everything)
    if group_end > now:
        click.echo(f"same-holder window: another complaint by {complaint.holder} before {shown(group_end)} "
                   f"({time_left(group_end, now)} left) counts with this one")


def _deadlines(line: Any) -> list[tuple[str, Deadline]]:
    rows = [("appeal before the penalty", line.first_appeal), ("appeal after the penalty", line.second_appeal),
            ("holder's response", line.holder_response)]
    if line.review:
        rows += [("platform review from", line.review[0]), ("platform review by", line.review[1])]
    return [(what, d) for what, d in rows if d is not None]


def _print_evidence(complaint: Complaint, path: str, now: dt.datetime) -> None:
    evidence = evidence_review(complaint, path, now.date())
    click.echo("evidence on file:" + ("" if evidence.verdicts else " none"))
    for verdict in evidence.verdicts:
        item = verdict.item
        extra = ", ".join(x for x in (f"supplier {item.supplier}" if item.supplier else "",
                                      f"from {item.holder}" if item.holder else "",
                                      f"expires {item.expires}" if item.expires else "",
                                      f"{len(item.files)} file(s)" if item.files else "no file") if x)
        named = " ".join(x for x in (item.kind, item.ref) if x)
        click.echo(f"  {named} ({extra}; {item.origin}): {verdict.state}: {verdict.why}")
        for attachment in item.files:
            click.echo(f"    {attachment.path} sha256 {attachment.sha256}")
    if evidence.sufficient:
        click.echo("verdict: the platform accepts at least one document on file")
    else:
        click.echo("verdict: nothing on file that the platform accepts")
    if evidence.missing:
        click.echo("missing:")
        for advice in evidence.missing:
            click.echo(f"  - {advice}")


@complaints.command("update")
@click.argument("complaint_id", type=int)
@click.option("--status", required=True, metavar="|".join(STATUSES), help="What happened.")
@click.option("--at", "at_text", default=None, metavar="YYYY-MM-DD HH:MM",
              help="When it happened (China time; default: now).")
@click.option("--note", default="", help="Free text kept with the event.")
@db_option
@now_option
def update_command(complaint_id: int, status: str, at_text: str | None, note: str, db: str | None,
                   now_text: str | None) -> None:
    """Record what happened to a complaint: appealed, intervened (the holder asked the platform
    to step in), withdrawn, restored, upheld or penalised.

    \b
    Example:
        listguard complaints update 1 --status appealed --at "2026-10-09 10:00" --db shop.db
        listguard complaints update 1 --status penalised --at "2026-10-12 09:00" --db shop.db
    """
    now = current_time(now_text)
    at = parse_time(at_text, "--at", now) if at_text else now
    with open_complaints(resolve_db(db)) as store:
        complaint = store.update(complaint_id, status, at, note)
    line = timeline(complaint, now)
    warn_provisional(line.deadlines())
    say(f"complaint #{complaint.id}: {complaint.status} at {shown(at)}")
    click.echo(f"next: {line.action}" + (f" ({time_left(line.due.at, now)} left)" if line.due else ""))


@complaints.command("attach")
@click.argument("complaint_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", required=True, metavar="KIND", help="One of: " + ", ".join(FILE_KINDS) + ".")
@click.option("--ref", default="", help="The document's number or name.")
@db_option
def attach_command(complaint_id: int, file: str, kind: str, ref: str, db: str | None) -> None:
    """Keep a document with a complaint (the notice, a screenshot, the complainant's
    certificate, or what the seller has: a receipt is kept and listed as not accepted).
    Recorded by path and SHA-256; never copied.

    \b
    Example:
        listguard complaints attach 1 notice.png --kind complaint-notice --db shop.db
    """
    attachment = attach(file)
    with open_complaints(resolve_db(db)) as store:
        store.attach(complaint_id, kind, ref, attachment)
    say(f"attached {attachment.path} ({attachment.size} bytes, sha256 {attachment.sha256}) to complaint "
        f"#{complaint_id}")


@complaints.command("evidence")
@click.argument("complaint_id", type=int)
@db_option
@now_option
def evidence_command(complaint_id: int, db: str | None, now_text: str | None) -> None:
    """What is on file for the complaint's brand and holder, judged against what the platform
    accepts, and what is missing with how to get it. Exit 1 when nothing on file is accepted.

    \b
    Example:
        listguard complaints evidence 1 --db shop.db
    """
    now = current_time(now_text)
    path, complaint, _everything = get(db, complaint_id)
    _print_evidence(complaint, path, now)
    if not evidence_review(complaint, path, now.date()).sufficient:
        click.get_current_context().exit(EXIT_PROBLEMS)


@complaints.command("at-risk")
@click.argument("complaint_id", type=int)
@click.option("--catalog", type=click.Path(dir_okay=False), default=None,
              help="Scan this catalog (default: the latest scan recorded in --db).")
@db_option
@now_option
def at_risk_command(complaint_id: int, catalog: str | None, db: str | None, now_text: str | None) -> None:
    """The seller's other listings that name the complaint's holder's marks, with the rule and
    the fix, and the time left in which the holder's complaints count as one.

    \b
    Example:
        listguard complaints at-risk 1 --catalog catalog.jsonl --db shop.db
    """
    from scanner.workflows.complaints.desk import holder_names

    now = current_time(now_text)
    path, complaint, everything = get(db, complaint_id)
    findings = risk.from_catalog(catalog, path) if catalog else risk.from_history(path)
    if findings is None:
        raise UsageError(f"{path}: no scan recorded (record one with `listguard scan FILE --db {path}`, "
                         "or pass --catalog FILE)")
    for notice in findings.notices:
        say(notice)
    _names, owners = holder_names(path, complaint.holder, complaint.mark)
    risks = risk.at_risk(findings, complaint.holder, complaint.mark, exclude=complaint.listing, owners=owners)
    for text in risk.render_lines(risks, findings.origin, complaint.holder, window_end(complaint, everything), now):
        click.echo(text)


@complaints.command("points")
@db_option
def points_command(db: str | None) -> None:
    """The points the complaints cost now and would cost if the open ones stand, per
    complaint and per rights holder.

    \b
    Example:
        listguard complaints points --db shop.db
    """
    _path, everything = load(db)
    for text in render_lines(points_exposure(everything)):
        click.echo(text)


EXPORT_COLUMNS = ("id", "listing", "holder", "right", "allegation", "mark", "received", "stage", "status",
                  "appeal_deadline", "appeal_deadline_certain", "due", "next", "note")


@complaints.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@db_option
@now_option
def export_command(fmt: str, output: str | None, db: str | None, now_text: str | None) -> None:
    """Export every complaint (CSV, safe to open in a spreadsheet, or a JSON array).

    \b
    Example:
        listguard complaints export -o complaints.csv --db shop.db
        listguard complaints export --format json --db shop.db
    """
    now = current_time(now_text)
    _path, everything = load(db)
    records = [complaint_record(c, timeline(c, now)) for c in everything]
    with open_output(output) as out:
        if fmt == "json":
            out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
            return
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for record in records:
            writer.writerow([neutralise("" if record[k] is None else record[k]) for k in EXPORT_COLUMNS])


@complaints.command("pack")
@click.argument("complaint_id", type=int)
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="The folder to create (DIR.zip is written beside it); never written over.")
@click.option("--catalog", type=click.Path(dir_okay=False), default=None,
              help="The catalog as it is now: the listing's current text and findings.")
@db_option
@now_option
def pack_command(complaint_id: int, output: str, catalog: str | None, db: str | None, now_text: str | None) -> None:
    """Write an appeal pack: an HTML summary, counter-notice drafts (中文, English), the facts
    as JSON and copies of the evidence files (hashes checked), as a folder and a zip.

    \b
    Example:
        listguard complaints pack 1 --output appeal-1 --catalog catalog.jsonl --db shop.db
    """
    now = current_time(now_text)
    result = make_pack(complaint_id, resolve_db(db), output, catalog, now)
    for warning in result.warnings:
        say(warning)
    click.echo(f"{result.folder}/index.html")
    for rel, digest in result.copies:
        click.echo(f"{result.folder}/{rel}  sha256 {digest}")
    click.echo(str(result.zip))
    say(f"calendar: {calendar_name()}")


COMMANDS = (complaints,)
