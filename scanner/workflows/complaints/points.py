"""Points exposure: what the complaints on file cost now, and what each open one would add.

Taobao's rules for improper use of others' rights (trademark use other than counterfeiting,
copyright other than piracy, patents), a general violation:

* the first time, the listing is deleted and no points are deducted; after that, 2 points
  per violation;
* complaints of the same type by the same rights holder within 3 days count as one
  violation: listguard groups a complaint with the holder's earlier complaint of the same
  right when it was received within 72 hours of the first complaint of that group;
* counterfeiting and piracy are serious violations, with points under the serious-violation
  rules (listguard counts them apart and puts no number on them).

Assumptions, stated because the rules leave them open: the first-offence rule and the points
count per calendar year (Taobao clears general-violation points at the end of each year);
withdrawn and restored complaints count for nothing; a group counts once any of its
complaints is penalised, and is at stake while none is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from trademarks.complaints import CLOSED, Complaint
from trademarks.models import fold_key

GENERAL_POINTS = 2
GROUP_WINDOW = dt.timedelta(days=3)

COUNTED = "counted"
AT_STAKE = "at stake"
CLEARED = "cleared"


@dataclass(frozen=True)
class PointsLine:
    complaint: Complaint
    state: str  # COUNTED (penalised), AT_STAKE (still open), CLEARED (withdrawn, restored)
    counts_with: int | None  # the first complaint of its group, when that is another one
    points: int  # general points this complaint adds if it stands
    running: int  # general points of the year after it, if it and every earlier one stand
    why: str


@dataclass
class HolderPoints:
    holder: str
    complaints: int = 0
    open: int = 0
    points_now: int = 0
    points_at_stake: int = 0
    serious: int = 0


@dataclass
class PointsExposure:
    lines: list[PointsLine]
    holders: list[HolderPoints]
    points_now: int  # general points already counted (penalised violations)
    points_at_stake: int  # general points the open complaints would add if they all stand
    serious_counted: int = 0
    serious_open: int = 0
    years: list[int] = field(default_factory=list)


def _state(complaint: Complaint) -> str:
    if complaint.status in CLOSED:
        return CLEARED
    return COUNTED if complaint.last("penalised") else AT_STAKE


def group_key(complaint: Complaint) -> tuple[str, str, bool]:
    """Complaints of the same type by the same rights holder."""
    return fold_key(complaint.holder), complaint.right, complaint.serious


def group_firsts(complaints: Sequence[Complaint]) -> dict[int, Complaint]:
    """Each standing complaint's group: the first complaint of the same type by the same
    holder whose 3 days it falls within (itself when it opens a group)."""
    first_of: dict[int, Complaint] = {}
    open_groups: dict[tuple[str, str, bool], Complaint] = {}
    for complaint in sorted(complaints, key=lambda c: (c.received, c.id)):
        if _state(complaint) == CLEARED:
            continue
        key = group_key(complaint)
        head = open_groups.get(key)
        if head is None or complaint.received - head.received > GROUP_WINDOW:
            head = open_groups[key] = complaint
        first_of[complaint.id] = head
    return first_of


def window_end(complaint: Complaint, complaints: Sequence[Complaint]) -> dt.datetime:
    """Until when another complaint by the same holder, of the same type, counts with this one."""
    head = group_firsts(complaints).get(complaint.id, complaint)
    return head.received + GROUP_WINDOW


def points_exposure(complaints: Sequence[Complaint]) -> PointsExposure:
    ordered = sorted(complaints, key=lambda c: (c.received, c.id))
    firsts = group_firsts(ordered)
    groups: dict[int, list[Complaint]] = {}
    for complaint in ordered:
        if complaint.id in firsts:
            groups.setdefault(firsts[complaint.id].id, []).append(complaint)
    group_counted = {head: any(_state(c) == COUNTED for c in members) for head, members in groups.items()}
    lines: list[PointsLine] = []
    holders: dict[str, HolderPoints] = {}
    exposure = PointsExposure(lines, [], 0, 0)
    general_groups_in_year: dict[int, int] = {}
    running: dict[int, int] = {}
    for complaint in ordered:
        state = _state(complaint)
        holder = holders.setdefault(fold_key(complaint.holder), HolderPoints(complaint.holder))
        holder.complaints += 1
        holder.open += state == AT_STAKE
        year = complaint.received.year
        if year not in exposure.years:
            exposure.years.append(year)
        if state == CLEARED:
            lines.append(PointsLine(complaint, state, None, 0, running.get(year, 0),
                                    f"{complaint.status}: counts for nothing"))
            continue
        head = firsts[complaint.id]
        counted = group_counted[head.id]
        if complaint.serious:
            holder.serious += 1
            if head.id == complaint.id:
                if counted:
                    exposure.serious_counted += 1
                else:
                    exposure.serious_open += 1
            why = (f"serious violation ({complaint.allegation}): points under the serious-violation rules"
                   + (f"; counts with #{head.id} (same holder within 3 days)" if head.id != complaint.id else ""))
            lines.append(PointsLine(complaint, state, _other(head, complaint), 0, running.get(year, 0), why))
            continue
        if head.id != complaint.id:
            why = f"counts with #{head.id} (same holder, same type, within 3 days): no more points"
            points = 0
        else:
            nth = general_groups_in_year.get(year, 0)
            general_groups_in_year[year] = nth + 1
            points = 0 if nth == 0 else GENERAL_POINTS
            why = (f"first general violation of {year}: the listing is deleted, no points" if nth == 0
                   else f"general violation: {GENERAL_POINTS} points")
            if counted:
                exposure.points_now += points
                holder.points_now += points
            else:
                exposure.points_at_stake += points
                holder.points_at_stake += points
        running[year] = running.get(year, 0) + points
        lines.append(PointsLine(complaint, state, _other(head, complaint), points, running[year], why))
    exposure.holders = sorted(holders.values(), key=lambda h: (-(h.points_now + h.points_at_stake), -h.serious,
                                                             -h.open, h.holder))
    return exposure


def _other(head: Complaint, complaint: Complaint) -> int | None:
    return head.id if head.id != complaint.id else None


def render_lines(exposure: PointsExposure) -> list[str]:
    """The points section as text lines (complaints points, and listguard report)."""
    lines = [f"Points (general violations: the first of a year costs none, then {GENERAL_POINTS} each; one "
             "holder's complaints of one type within 3 days count as one; counterfeiting and piracy are "
             "serious violations):",
             f"  now: {exposure.points_now} point(s) counted; if every open complaint stands: "
             f"{exposure.points_now + exposure.points_at_stake} ({exposure.points_at_stake} at stake)"]
    if exposure.serious_counted or exposure.serious_open:
        lines.append(f"  serious violations: {exposure.serious_counted} counted, {exposure.serious_open} open")
    if not exposure.lines:
        lines.append("  no complaints on file")
        return lines
    lines.append("  By complaint (received order; running = general points of the year if it and every "
                 "earlier one stand):")
    for line in exposure.lines:
        c = line.complaint
        lines.append(f"    #{c.id} {c.received:%Y-%m-%d %H:%M} {c.holder} {c.listing} [{c.status}, {line.state}]: "
                     f"+{line.points} -> {line.running}; {line.why}")
    lines.append("  By rights holder:")
    for holder in exposure.holders:
        serious = f", {holder.serious} serious" if holder.serious else ""
        lines.append(f"    {holder.holder}: {holder.complaints} complaint(s), {holder.open} open{serious}; "
                     f"{holder.points_now} point(s) now, up to {holder.points_now + holder.points_at_stake}")
    return lines
