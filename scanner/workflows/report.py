"""The exposure report: a recorded run seen the way a Taobao/Tmall seller weighs risk.

* Problems are grouped by rights holder (the mark's owner): complaints filed by one rights
  holder within 3 days count as one complaint, so exposure is per holder, not per listing.
* Counterfeit-type findings (TM102 counterfeit-cue, TM110 counterfeit-vocabulary) are marked
  serious violations (selling counterfeits); everything else is a general violation, costing
  2 points per complaint if the rights holder complains.
* Info-level findings (TM100 nominative use, TM111 mentions, TM112 licensed or resold goods)
  are allowed uses and are left out.
* "Fix first" ranks listings: any serious finding first, then the number of rights holders
  involved, then the worst severity, then the number of findings.
* When the database holds received complaints, the report ends with their points exposure
  (scanner/workflows/complaints/points.py): points counted now and at stake, per complaint and
  per rights holder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from scanner.core.models import Problem, Severity
from scanner.formatters.html_report import esc, page, table

if TYPE_CHECKING:
    from scanner.workflows.complaints.points import PointsExposure

SERIOUS_CODES = frozenset({"TM102", "TM110"})
GENERAL_POINTS = 2
COMPLAINT_WINDOW_DAYS = 3
NO_HOLDER = "(no specific rights holder)"


@dataclass
class HolderExposure:
    owner: str
    marks: set[str] = field(default_factory=set)
    listings: set[str] = field(default_factory=set)
    serious: int = 0
    general: int = 0

    @property
    def if_complained(self) -> str:
        parts = []
        if self.serious:
            parts.append("serious violation (counterfeit)")
        if self.general:
            parts.append(f"general violation: {GENERAL_POINTS} points per complaint")
        return "; ".join(parts)


@dataclass
class ListingRisk:
    listing: str
    source: str
    serious: list[Problem] = field(default_factory=list)
    general: list[Problem] = field(default_factory=list)
    owners: set[str] = field(default_factory=set)

    def rank_key(self) -> tuple[int, int, int, int, int, str]:
        worst = max((p.severity for p in (*self.serious, *self.general)), default=Severity.INFO)
        return (-bool(self.serious), -len(self.owners), -int(worst), -len(self.serious), -len(self.general),
                self.listing)


@dataclass
class Exposure:
    title: str
    holders: list[HolderExposure]
    listings: list[ListingRisk]
    serious: int
    general: int


def is_serious(problem: Problem) -> bool:
    return problem.code in SERIOUS_CODES


def build_exposure(problems: Iterable[Problem], title: str = "Exposure report") -> Exposure:
    holders: dict[str, HolderExposure] = {}
    listings: dict[str, ListingRisk] = {}
    serious = general = 0
    for p in problems:
        if p.severity <= Severity.INFO:
            continue
        owner = p.owner or p.mark or NO_HOLDER
        holder = holders.setdefault(owner, HolderExposure(owner))
        risk = listings.setdefault(p.listing, ListingRisk(p.listing, p.source))
        holder.listings.add(p.listing)
        if p.mark:
            holder.marks.add(p.mark)
        if owner != NO_HOLDER:
            risk.owners.add(owner)
        if is_serious(p):
            holder.serious += 1
            risk.serious.append(p)
            serious += 1
        else:
            holder.general += 1
            risk.general.append(p)
            general += 1
    ordered = sorted(holders.values(), key=lambda h: (-h.serious, -len(h.listings), -h.general, h.owner))
    ranked = sorted(listings.values(), key=ListingRisk.rank_key)
    return Exposure(title, ordered, ranked, serious, general)


def _findings(problems: Sequence[Problem]) -> str:
    seen: dict[str, None] = {}
    for p in problems:
        seen[f"{p.code} {p.mark}" if p.mark else p.code] = None
    return ", ".join(seen)


def _explanation() -> list[str]:
    return [
        f"Complaints by one rights holder within {COMPLAINT_WINDOW_DAYS} days count as one complaint.",
        f"Counterfeit findings ({', '.join(sorted(SERIOUS_CODES))}) are serious violations; "
        f"the rest are general violations ({GENERAL_POINTS} points each if complained).",
    ]


def render_text(exposure: Exposure, top: int = 10, points: PointsExposure | None = None) -> str:
    n_listings = len(exposure.listings)
    lines = [
        exposure.title,
        f"{exposure.serious + exposure.general} problem(s) in {n_listings} listing(s); "
        f"{exposure.serious} serious, {exposure.general} general; "
        f"{sum(1 for h in exposure.holders if h.owner != NO_HOLDER)} rights holder(s)",
        *_explanation(),
        "",
        "By rights holder:",
    ]
    if not exposure.holders:
        lines.append("  nothing to report")
    for h in exposure.holders:
        marks = f" [{', '.join(sorted(h.marks))}]" if h.marks else ""
        lines.append(f"  {h.owner}{marks}: {len(h.listings)} listing(s), {h.serious} serious, "
                     f"{h.general} general -> if complained: {h.if_complained}")
    lines += ["", f"Fix first (top {min(top, n_listings)} of {n_listings}):"]
    for number, risk in enumerate(exposure.listings[:top], 1):
        where = f" ({risk.source})" if risk.source else ""
        parts = []
        if risk.serious:
            parts.append(f"SERIOUS {_findings(risk.serious)}")
        if risk.general:
            parts.append(f"general {_findings(risk.general)}")
        lines.append(f"  {number}. {risk.listing}{where}: {'; '.join(parts)}")
    if points is not None:
        from scanner.workflows.complaints.points import render_lines

        lines += ["", "Complaints received:", *render_lines(points)]
    return "\n".join(lines) + "\n"


def render_html(exposure: Exposure, top: int = 10, points: PointsExposure | None = None) -> str:
    body = [f"<h1>{esc(exposure.title)}</h1>"]
    body += [f"<p>{esc(line)}</p>" for line in _explanation()]
    body.append(f"<p><b>{exposure.serious}</b> serious and <b>{exposure.general}</b> general finding(s) in "
                f"{len(exposure.listings)} listing(s).</p>")
    body.append("<h2>By rights holder</h2>")
    body.append(table(
        ["rights holder", "marks", "listings", "serious", "general", "if complained"],
        [(h.owner, ", ".join(sorted(h.marks)), len(h.listings), h.serious, h.general, h.if_complained)
         for h in exposure.holders],
        [2, 3, 4],
    ))
    body.append("<h2>Fix first</h2>")
    rows = []
    for number, risk in enumerate(exposure.listings[:top], 1):
        css = " class=\"serious\"" if risk.serious else ""
        rows.append(
            f"<tr{css}><td class=\"n\">{number}</td><td>{esc(risk.listing)}</td><td>{esc(risk.source)}</td>"
            f"<td>{esc(_findings(risk.serious))}</td><td>{esc(_findings(risk.general))}</td></tr>"
        )
    body.append("<table>\n<tr><th>#</th><th>listing</th><th>source</th><th>serious</th><th>general</th></tr>\n"
                + "\n".join(rows) + "\n</table>")
    if points is not None:
        body += _points_html(points)
    return page(exposure.title, body)


def _points_html(points: PointsExposure) -> list[str]:
    total = points.points_now + points.points_at_stake
    return [
        "<h2>Complaints received</h2>",
        f"<p><b>{points.points_now}</b> point(s) counted now; <b>{total}</b> if every open complaint stands. "
        f"Serious violations: {points.serious_counted} counted, {points.serious_open} open.</p>",
        table(["rights holder", "complaints", "open", "serious", "points now", "points if they stand"],
              [(h.holder, h.complaints, h.open, h.serious, h.points_now, h.points_now + h.points_at_stake)
               for h in points.holders], [1, 2, 3, 4, 5]),
        table(["#", "received", "holder", "listing", "status", "points", "running", "why"],
              [(f"#{line.complaint.id}", f"{line.complaint.received:%Y-%m-%d %H:%M}", line.complaint.holder,
                line.complaint.listing, f"{line.complaint.status} ({line.state})", line.points, line.running,
                line.why) for line in points.lines], [5, 6]),
    ]
