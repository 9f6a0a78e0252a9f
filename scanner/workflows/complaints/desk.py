"""The complaint desk: adding a complaint (with a snapshot of the listing and what else is at
risk), the open complaints by deadline, and the evidence on file for each.

Everything here is a library call; ``scanner/cli/complaints.py`` only parses and prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from scanner.errors import UsageError
from scanner.workflows.complaints.at_risk import (
    Findings,
    ListingAtRisk,
    at_risk,
    from_catalog,
    from_history,
    listing_problems,
)
from scanner.workflows.complaints.points import window_end
from trademarks.complaints import CLOSED, Complaint, Timeline, open_complaints, timeline
from trademarks.deadlines import CHINA_TZ
from trademarks.evidence import EvidenceItem, Review, relevant, review
from trademarks.store import open_registry


@dataclass
class Added:
    complaint: Complaint
    findings: Findings | None
    risks: list[ListingAtRisk]
    window_end: dt.datetime
    warnings: list[str] = field(default_factory=list)


def holder_names(db: str, holder: str, mark: str) -> tuple[list[str], list[str]]:
    """(names the holder's documents may be filed under, owners of the complained mark) from
    the registry: the mark, its aliases, the holder and the marks the holder owns."""
    names, owners = [holder, mark], []
    with open_registry(db) as registry:
        if mark:
            for found in registry.find(mark):
                names += [found.name, *found.aliases]
                owners.append(found.owner)
        for owned in registry.iter_marks(owner=holder):
            names += [owned.name, *owned.aliases]
    return [n for n in dict.fromkeys(names) if n], [o for o in dict.fromkeys(owners) if o]


def snapshot_of(listing: str, findings: Findings | None, now: dt.datetime) -> dict[str, Any]:
    """What the listing was when the complaint came in: its text (when a catalog was scanned)
    and its findings."""
    if findings is None:
        return {"taken": now.isoformat(timespec="minutes")}
    item = findings.listings.get(listing)
    return {
        "taken": now.isoformat(timespec="minutes"),
        "origin": findings.origin,
        "fields": dict(item.fields) if item is not None else None,
        "brand": item.brand if item is not None else None,
        "problems": [p.to_dict() for p in listing_problems(findings, listing)],
    }


def add_complaint(db: str, listing: str, holder: str, right: str, allegation: str, received: dt.datetime,
                  stage: str, mark: str = "", note: str = "", catalog: str | None = None,
                  now: dt.datetime | None = None) -> Added:
    """Record a complaint. The catalog is scanned first, so a catalog that cannot be read
    records nothing. An id that the catalog (or the latest scan) does not know is recorded
    with a warning."""
    now = now or dt.datetime.now(CHINA_TZ)
    from trademarks.complaints import validate

    listing, holder, right, allegation, stage = validate(listing, holder, right, allegation, stage)
    warnings: list[str] = []
    findings = from_catalog(catalog, db, keep=[listing]) if catalog else from_history(db)
    if findings is not None:
        warnings += findings.notices
    known = findings.knows(listing) if findings is not None else None
    if findings is None:
        warnings.append(f"warning: cannot check listing {listing!r}: no scan recorded in {db} and no --catalog; "
                        "recorded as given")
    elif known is False:
        warnings.append(f"warning: listing {listing!r} is not in {findings.origin}; recorded anyway: check the id")
    elif known is None:
        warnings.append(f"warning: listing {listing!r} has no findings in {findings.origin}; recorded anyway: check "
                        "the id, or pass --catalog FILE to look it up")
    names, owners = holder_names(db, holder, mark)
    with open_complaints(db) as store:
        complaint = store.add(listing, holder, right, allegation, received, stage, mark, note,
                              snapshot_of(listing, findings, now))
        everything = store.all()
    risks = at_risk(findings, holder, mark, exclude=listing, owners=owners) if findings else []
    return Added(complaint, findings, risks, window_end(complaint, everything), warnings)


def is_open(complaint: Complaint, line: Timeline) -> bool:
    """Not withdrawn or restored, and not past every step the seller could still take."""
    if complaint.status in CLOSED:
        return False
    return not line.action.startswith(("the appeal window after the penalty closed", "upheld after the penalty",
                                       "appealed after the penalty"))


def open_by_deadline(complaints: Sequence[Complaint], now: dt.datetime) -> list[tuple[Complaint, Timeline]]:
    """Open complaints, the ones with an appeal deadline first (soonest first), then the rest
    in the order they were received."""
    rows = [(c, timeline(c, now)) for c in complaints]
    rows = [(c, t) for c, t in rows if is_open(c, t)]
    far = dt.datetime.max.replace(tzinfo=CHINA_TZ)
    return sorted(rows, key=lambda row: (row[1].due.earliest if row[1].due else far, row[0].received, row[0].id))


_WITHIN = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$", re.IGNORECASE)


def parse_within(text: str) -> dt.timedelta:
    """'24h', '90m', '2d'; UsageError otherwise."""
    found = _WITHIN.match(text)
    if not found:
        raise UsageError(f"bad --due {text!r} (use a number with m, h or d: 24h, 90m, 2d)")
    amount, unit = int(found.group(1)), found.group(2).lower()
    return {"m": dt.timedelta(minutes=amount), "min": dt.timedelta(minutes=amount),
            "h": dt.timedelta(hours=amount), "d": dt.timedelta(days=amount)}[unit]


def due_within(rows: Sequence[tuple[Complaint, Timeline]], now: dt.datetime,
               within: dt.timedelta) -> list[tuple[Complaint, Timeline]]:
    """Rows whose appeal deadline (its earliest possible time, for a provisional one) is
    between now and now + within."""
    return [(c, t) for c, t in rows if t.due is not None and now <= t.due.earliest <= now + within]


def evidence_items(complaint: Complaint, db: str) -> list[EvidenceItem]:
    """The registry's documents about the complaint's mark or holder, then the files kept
    with the complaint."""
    names, _owners = holder_names(db, complaint.holder, complaint.mark)
    with open_registry(db) as registry:
        auths = registry.authorizations()
    items = [EvidenceItem(a.evidence, a.ref, a.brand, a.holder, a.supplier, a.expires, a.files) for a in auths]
    chosen = relevant(items, names, complaint.holder)
    chosen += [EvidenceItem(f.kind, f.ref, complaint.mark, "", "", None, (f.file,), f"complaint #{complaint.id}")
               for f in complaint.files]
    return chosen


def evidence_review(complaint: Complaint, db: str, today: dt.date) -> Review:
    return review(evidence_items(complaint, db), complaint.right, complaint.allegation, complaint.holder,
                  complaint.mark or complaint.holder, today)


def complaint_record(complaint: Complaint, line: Timeline) -> dict[str, Any]:
    """One complaint as ``complaints list --format json`` and ``export`` write it (ISO 8601
    times with the +08:00 offset; keys are never renamed or removed)."""
    from trademarks.deadlines import iso

    deadline = line.appeal_deadline
    return {
        "id": complaint.id, "listing": complaint.listing, "holder": complaint.holder, "right": complaint.right,
        "allegation": complaint.allegation, "mark": complaint.mark or None, "received": iso(complaint.received),
        "stage": complaint.stage, "status": complaint.status,
        "appeal_deadline": iso(deadline.at) if deadline else None,
        "appeal_deadline_certain": deadline.certain if deadline else None,
        "due": iso(line.due.at) if line.due else None,
        "next": line.action, "note": complaint.note,
    }
