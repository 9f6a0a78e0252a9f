"""The appeal pack: a folder (and a zip beside it) with everything an appeal needs.

``DIR/index.html``       a self-contained summary (no scripts, no outside assets; every text
                         from a listing or a complaint escaped): the complaint's facts, the
                         deadlines, the listing as it was and as it is now with what listguard
                         reports for it, the evidence with its SHA-256, what is missing, and the
                         counter-notice drafts
``DIR/counter-notice.zh.txt``, ``DIR/counter-notice.en.txt``   the drafts as plain text
``DIR/complaint.json``   the same facts for a script
``DIR/evidence/``        copies of the evidence files, each hash checked against the one
                         recorded when it was attached, named ``NN-kind-<sanitised name>``
``DIR.zip``              the folder, zipped

Nothing is half-written: the pack is built in a temporary folder beside DIR and moved into
place at the end, and an existing DIR or DIR.zip is never written over. Every evidence file is
checked before anything is written, so a missing or changed one stops the pack at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from scanner.core.models import Problem
from scanner.errors import InputError, UsageError
from scanner.formatters.html_report import esc, highlight_spans, page, table
from scanner.workflows.complaints.at_risk import FIXES, Findings, from_catalog, from_history, listing_problems
from scanner.workflows.complaints.counter_notice import draft_en, draft_zh
from scanner.workflows.complaints.desk import evidence_review
from trademarks.complaints import Complaint, Timeline, open_complaints, timeline
from trademarks.deadlines import CHINA_TZ, Deadline, calendar_name, iso, shown, time_left
from trademarks.evidence import ACCEPTED, SUPPORT, Attachment, Review, check, sha256_of

_UNSAFE = set('<>:"/\\|?*')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(name: str, limit: int = 80) -> str:
    """A file name that is safe on Windows, macOS and Linux and inside a zip: no separators,
    reserved or control characters, no leading dots, no reserved device names, at most
    ``limit`` characters with the extension kept. Letters of any script stay."""
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if ch in _UNSAFE or unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = "_".join(text.split())  # no spaces, tabs or newlines
    text = text.strip(". _") or "file"
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10 or not stem:
        stem, ext = text, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    ext = f".{ext}" if ext else ""
    return stem[: max(1, limit - len(ext))] + ext


@dataclass(frozen=True)
class PackResult:
    folder: Path
    zip: Path
    copies: tuple[tuple[str, str], ...]  # (path inside the pack, sha256)
    warnings: tuple[str, ...] = ()


def make_pack(complaint_id: int, db: str, output: str | os.PathLike[str], catalog: str | None = None,
              now: dt.datetime | None = None) -> PackResult:
    now = now or dt.datetime.now(CHINA_TZ)
    target = Path(output)
    archive = target.with_name(target.name + ".zip")
    _check_destination(target, archive)
    with open_complaints(db) as store:
        complaint = store.get(complaint_id)
    line = timeline(complaint, now)
    evidence = evidence_review(complaint, db, now.date())
    attachments = _attachments(evidence)
    for attachment in attachments:
        check(attachment)  # before anything is written
    current = from_catalog(catalog, db, keep=[complaint.listing]) if catalog else from_history(db)
    warnings = [d.warning() for d in line.deadlines() if not d.certain]
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    zip_tmp = None
    try:
        copies = _copy_evidence(attachments, evidence, workdir / "evidence")
        names = {digest: rel for rel, digest in copies}
        zh = draft_zh(complaint, line, evidence.verdicts, names)
        en = draft_en(complaint, line, evidence.verdicts, names)
        (workdir / "counter-notice.zh.txt").write_text(zh, encoding="utf-8")
        (workdir / "counter-notice.en.txt").write_text(en, encoding="utf-8")
        facts = _facts(complaint, line, evidence, names, current, now)
        (workdir / "complaint.json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
        html = render_html(complaint, line, evidence, names, current, zh, en, now)
        (workdir / "index.html").write_text(html, encoding="utf-8")
        fd, name = tempfile.mkstemp(prefix=f".{archive.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        zip_tmp = Path(name)
        _zip(workdir, zip_tmp, target.name)
        _check_destination(target, archive)
        os.chmod(workdir, 0o777 & ~_umask())  # mkdtemp made it private; a pack is an ordinary folder
        os.rename(workdir, target)
        os.replace(zip_tmp, archive)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        if zip_tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                zip_tmp.unlink()
        raise
    return PackResult(target, archive, tuple(copies), tuple(dict.fromkeys(warnings)))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_destination(target: Path, archive: Path) -> None:
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("the folder for the pack does not exist", str(parent), hint="create it first")
    for path in (target, archive):
        if path.exists():
            raise UsageError(f"{path}: already exists; a pack is never written over (choose another --output, "
                             "or move the old pack away)")


IN_PACK = (ACCEPTED, SUPPORT)  # what an appeal submits; a receipt or an expired letter only weakens it


def _attachments(evidence: Review) -> list[Attachment]:
    """The files of the documents worth submitting (accepted or supporting), once each."""
    seen: dict[str, Attachment] = {}
    for verdict in evidence.verdicts:
        if verdict.state in IN_PACK:
            for attachment in verdict.item.files:
                seen.setdefault(attachment.sha256, attachment)
    return list(seen.values())


def _copy_evidence(attachments: Sequence[Attachment], evidence: Review, folder: Path) -> list[tuple[str, str]]:
    kinds = {a.sha256: v.item.kind for v in evidence.verdicts if v.state in IN_PACK for a in v.item.files}
    copies = []
    if attachments:
        folder.mkdir()
    for number, attachment in enumerate(attachments, 1):
        name = safe_name(f"{number:02d}-{kinds[attachment.sha256]}-{attachment.name}")
        destination = folder / name
        shutil.copyfile(attachment.path, destination)
        if sha256_of(destination) != attachment.sha256:  # changed while it was being copied
            raise InputError("evidence file changed while the pack was being made", attachment.path,
                             hint="make the pack again")
        copies.append((f"evidence/{name}", attachment.sha256))
    return copies


def _zip(folder: Path, archive: Path, top: str) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(folder).as_posix()}")


# -- contents ----------------------------------------------------------------------------

def _deadline_rows(line: Timeline, now: dt.datetime) -> list[tuple[str, Deadline]]:
    rows = []
    if line.first_appeal:
        rows.append(("appeal before the penalty (3 working days from receipt)", line.first_appeal))
    if line.second_appeal:
        rows.append(("appeal after the penalty (3 working days)", line.second_appeal))
    if line.holder_response:
        rows.append(("rights holder's response to the appeal (3 working days)", line.holder_response))
    if line.review:
        rows.append(("platform review, earliest (3 working days)", line.review[0]))
        rows.append(("platform review, latest (5 working days)", line.review[1]))
    return rows


def _problem_dicts(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    return [{**p.to_dict(), "fix": FIXES.get(p.code, "")} for p in problems]


def _facts(complaint: Complaint, line: Timeline, evidence: Review, names: dict[str, str],
           current: Findings | None, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": complaint.id, "listing": complaint.listing, "holder": complaint.holder, "right": complaint.right,
        "allegation": complaint.allegation, "mark": complaint.mark or None, "received": iso(complaint.received),
        "stage": complaint.stage, "status": complaint.status, "note": complaint.note,
        "events": [{"status": e.status, "at": iso(e.at), "note": e.note} for e in complaint.events],
        "deadlines": [{"what": what, "at": iso(d.at), "certain": d.certain, "earliest": iso(d.earliest)}
                      for what, d in _deadline_rows(line, now)],
        "next": line.action,
        "evidence": [{"kind": v.item.kind, "ref": v.item.ref, "brand": v.item.brand, "holder": v.item.holder,
                      "supplier": v.item.supplier, "expires": v.item.expires.isoformat() if v.item.expires else None,
                      "origin": v.item.origin, "verdict": v.state, "why": v.why,
                      "files": [{"original": a.path, "copy": names.get(a.sha256), "sha256": a.sha256, "size": a.size}
                                for a in v.item.files]} for v in evidence.verdicts],
        "missing": list(evidence.missing),
        "listing_then": complaint.snapshot,
        "listing_now": _now_view(complaint, current),
        "made": iso(now), "calendar": calendar_name(),
    }


def _now_view(complaint: Complaint, current: Findings | None) -> dict[str, Any] | None:
    if current is None:
        return None
    item = current.listings.get(complaint.listing)
    return {"origin": current.origin, "fields": dict(item.fields) if item else None,
            "problems": _problem_dicts(listing_problems(current, complaint.listing))}


def _fields_html(fields: dict[str, str] | None, problems: Sequence[dict[str, Any]], missing: str) -> str:
    if not fields:
        return f"<p class=\"muted\">{esc(missing)}</p>"
    rows = []
    for name, text in fields.items():
        spans = [(p["start"], p["end"]) for p in problems if p.get("field") == name]
        rows.append(f"<tr><th>{esc(name)}</th><td class=\"ctx\">{highlight_spans(str(text or ''), spans)}</td></tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _problems_html(problems: Sequence[dict[str, Any]]) -> str:
    if not problems:
        return "<p>listguard reports nothing for it.</p>"
    return table(["code", "severity", "field", "text", "mark", "message", "fix"],
                 [(p["code"], p["severity"], p["field"], p["text"], p.get("mark") or "", p["message"],
                   FIXES.get(p["code"], "")) for p in problems])


def render_html(complaint: Complaint, line: Timeline, evidence: Review, names: dict[str, str],
                current: Findings | None, zh: str, en: str, now: dt.datetime) -> str:
    title = f"Appeal pack: complaint #{complaint.id} about {complaint.listing}"
    body = [f"<h1>{esc(title)}</h1>",
            f"<p class=\"muted\">Made {esc(shown(now))} (China time) with {esc(calendar_name())}.</p>",
            "<h2>The complaint</h2>",
            table(["fact", "value"], [("listing", complaint.listing), ("rights holder", complaint.holder),
                             ("right", complaint.right), ("allegation", complaint.allegation),
                             ("mark", complaint.mark or "-"), ("received", shown(complaint.received)),
                             ("stage", complaint.stage), ("status", complaint.status),
                             ("note", complaint.note or "-")]),
            "<h2>Deadlines</h2>",
            table(["window", "ends (China time)", "left", "certain"],
                  [(what, shown(d.at), time_left(d.at, now), "yes" if d.certain else
                    f"no: may be as early as {shown(d.earliest)}") for what, d in _deadline_rows(line, now)]),
            f"<p><b>Next:</b> {esc(line.action)}</p>"]
    body += [f"<p class=\"error\">{esc(d.warning())}</p>" for d in line.deadlines() if not d.certain]
    then = complaint.snapshot or {}
    then_problems = then.get("problems") or []
    body += ["<h2>The listing when the complaint came in</h2>",
             f"<p class=\"muted\">{esc(then.get('origin') or 'no scan or catalog at the time')}</p>",
             _fields_html(then.get("fields"), then_problems,
                          "Its text was not captured (pass --catalog FILE to `complaints add`)."),
             "<h3>What listguard reported then</h3>", _problems_html(then_problems)]
    now_view = _now_view(complaint, current)
    body += ["<h2>The listing now</h2>"]
    if now_view is None:
        body.append("<p class=\"muted\">No catalog given and no scan recorded (pass --catalog FILE to "
                    "`complaints pack`).</p>")
    else:
        body += [f"<p class=\"muted\">{esc(now_view['origin'])}</p>",
                 _fields_html(now_view["fields"], now_view["problems"], "Its text is not in that source."),
                 "<h3>What listguard reports now</h3>", _problems_html(now_view["problems"])]
    body += ["<h2>Evidence</h2>", _evidence_html(evidence, names)]
    if evidence.missing:
        body += ["<h2>What is missing</h2>", "<ul>" + "".join(f"<li>{esc(m)}</li>" for m in evidence.missing) + "</ul>"]
    body += ["<h2>Counter-notice draft (中文)</h2>", f"<pre class=\"ctx\">{esc(zh)}</pre>",
             "<h2>Counter-notice draft (English)</h2>", f"<pre class=\"ctx\">{esc(en)}</pre>"]
    return page(title, body)


def _evidence_html(evidence: Review, names: dict[str, str]) -> str:
    if not evidence.verdicts:
        return "<p>Nothing on file for this brand or rights holder.</p>"
    rows = []
    for v in evidence.verdicts:
        item = v.item
        files = "<br>".join(
            (f"<a href=\"{esc(names[a.sha256])}\">{esc(names[a.sha256])}</a>" if a.sha256 in names
             else f"{esc(a.name)} (not in the pack)")
            + f"<br><code>{esc(a.sha256)}</code>" for a in item.files) or "-"
        css = " class=\"serious\"" if v.state != "accepted" and v.state != "supporting" else ""
        cells = [item.kind, item.ref, item.supplier or item.holder or "-",
                 item.expires.isoformat() if item.expires else "-", f"{v.state}: {v.why}", item.origin]
        rows.append(f"<tr{css}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + f"<td>{files}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("kind", "ref", "supplier / holder", "expires", "verdict", "on file",
                                              "files (SHA-256)"))
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(rows) + "\n</table>"
