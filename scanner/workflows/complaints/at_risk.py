"""What else is at risk: the seller's other listings that name the same rights holder's marks.

The findings come from the latest scan recorded in the history, or from scanning a catalog
file (``--catalog FILE``) with ``run_scan``; the registry's marks and authorizations count as
in ``listguard scan --db``. Suppressions do not apply: a rights holder does not read the
seller's suppression file. A listing's findings are matched to the holder by the mark's
owner, by the complained mark, or by the owner of that mark.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from scanner.core.models import Listing, Problem, Severity
from scanner.errors import InputError
from scanner.runners.stream import BadRow, FileError, ReadSettings, read_all
from trademarks.models import fold_key

FIXES = {
    "TM100": "allowed (compatibility): keep it to a plain 'compatible with' / 适用于 and keep proof of what it fits",
    "TM101": "remove the brand name, or record the authorization that allows it (listguard authorize)",
    "TM102": "remove the counterfeit wording (and the brand): selling counterfeits is a serious violation",
    "TM103": "remove the style reference (同款, -style, dupe...) and the brand name",
    "TM104": "remove the comparison with the brand",
    "TM105": "drop the brand name: 'not X' still uses the mark",
    "TM106": "keep only your own brand: remove the other brand names, in keywords and hidden text too",
    "TM107": "make the text's brand match the declared brand, or remove the other brand",
    "TM108": "remove the disguised brand name",
    "TM109": "remove the authenticity claim, or record the authorization that backs it",
    "TM110": "remove the counterfeit wording",
    "TM111": "keep the authorization letter or verifiable invoice for this brand on file (listguard authorize), "
             "or remove the brand name",
    "TM112": "keep the licence or the purchase invoice on file (listguard authorize)",
    "DS201": "remove what the listing says about other sellers or brands",
}


@dataclass(frozen=True)
class ListingAtRisk:
    listing: str
    source: str
    problems: tuple[Problem, ...]

    @property
    def worst(self) -> Severity:
        return max(p.severity for p in self.problems)


@dataclass
class Findings:
    """A scan's findings, and the listings it saw (None when only the findings are known)."""

    origin: str  # "scan run 7 (2026-10-01T...)" or "catalog.jsonl"
    problems: list[Problem]
    listing_ids: set[str] | None = None
    listings: dict[str, Listing] = field(default_factory=dict)  # only the ones asked for
    notices: list[str] = field(default_factory=list)  # bad rows: lines for stderr

    def knows(self, listing: str) -> bool | None:
        if self.listing_ids is not None:
            return listing in self.listing_ids
        return True if any(p.listing == listing for p in self.problems) else None


def from_history(db: str) -> Findings | None:
    """The latest recorded run's findings, or None when no run is recorded."""
    from scanner.workflows.history import open_history

    if not os.path.exists(db):
        return None
    with open_history(db, create=False) as store:
        run = store.latest_run()
        if run is None:
            return None
        problems = store.problems(run.id)
    return Findings(f"scan run {run.id} ({run.finished})", problems)


def from_catalog(path: str, db: str | None, keep: Iterable[str] = ()) -> Findings:
    """Scan ``path`` as ``listguard scan --db`` would (without recording a run); keep the
    listings whose ids are in ``keep`` (their text, for a complaint's snapshot). InputError
    when the file cannot be read in full."""
    from scanner.workflows.run import RunOptions, run_scan
    from scanner.workflows.scanners import build_scanner, scanner_settings

    notices: list[str] = []
    errors: list[str] = []

    def notice(item: BadRow | FileError) -> None:
        if isinstance(item, BadRow):
            notices.append(f"listguard: bad row: {item.path}:{item.line}: {item.message}")
        else:
            errors.append(item.message)

    scanner = build_scanner(scanner_settings(), db=db)
    report = run_scan([path], options=RunOptions(jobs=1, suppressions=False), scanner=scanner, on_notice=notice)
    if errors or report.file_errors:
        raise InputError(errors[0] if errors else f"{path}: cannot read the catalog in full")
    wanted = set(keep)
    ids: set[str] = set()
    listings: dict[str, Listing] = {}
    for item in read_all([path], ReadSettings()):
        if isinstance(item, Listing):
            ids.add(item.id)
            if item.id in wanted:
                listings[item.id] = item
    return Findings(path, report.problems, ids, listings, notices)


def holder_match(problems: Sequence[Problem], holder: str, mark: str = "",
                 owners: Iterable[str] = ()) -> Callable[[Problem], bool]:
    """A test for 'this finding names one of the holder's marks'."""
    holder_keys = {fold_key(holder), *(fold_key(o) for o in owners if o)}
    mark_key = fold_key(mark) if mark else ""
    if mark_key:  # the complained mark's owner, as the findings name it
        holder_keys |= {fold_key(p.owner) for p in problems if p.owner and p.mark and fold_key(p.mark) == mark_key}

    def matches(problem: Problem) -> bool:
        return bool((problem.owner and fold_key(problem.owner) in holder_keys)
                    or (mark_key and problem.mark and fold_key(problem.mark) == mark_key))

    return matches


def at_risk(findings: Findings, holder: str, mark: str = "", exclude: str = "",
            owners: Iterable[str] = ()) -> list[ListingAtRisk]:
    """The listings (other than ``exclude``) with findings naming the holder's marks, the
    worst first."""
    matches = holder_match(findings.problems, holder, mark, owners)
    by_listing: dict[str, list[Problem]] = {}
    for problem in findings.problems:
        if problem.listing != exclude and matches(problem):
            by_listing.setdefault(problem.listing, []).append(problem)
    found = [ListingAtRisk(listing, problems[0].source, tuple(problems)) for listing, problems in by_listing.items()]
    return sorted(found, key=lambda r: (-int(r.worst), r.listing))


def listing_problems(findings: Findings, listing: str) -> list[Problem]:
    return [p for p in findings.problems if p.listing == listing]


def render_lines(risks: Sequence[ListingAtRisk], origin: str, holder: str, window_end: dt.datetime,
                 now: dt.datetime) -> list[str]:
    """The 'what else is at risk' section as text lines."""
    from trademarks.deadlines import shown, time_left

    if not risks:
        return [f"No other listing names {holder}'s marks in {origin}."]
    lines = [f"Other listings naming {holder}'s marks ({origin}): {len(risks)}"]
    for risk in risks:
        lines.append(f"  {risk.listing} ({risk.source}):")
        for p in risk.problems:
            mark = f" [{p.mark}]" if p.mark else ""
            lines.append(f"    {p.code} {p.severity.label}{mark} {p.field} {p.text!r}: "
                         f"{FIXES.get(p.code, 'see listguard explain')}")
    if window_end > now:
        lines.append(f"A new complaint by {holder} before {shown(window_end)} ({time_left(window_end, now)} left) "
                     "counts with this one; after that, each complaint counts on its own.")
    else:
        lines.append(f"The 3 days in which {holder}'s complaints count as one ended {shown(window_end)}: "
                     "a new complaint counts on its own.")
    return lines
