"""Points exposure: first offence, 2 points per general violation, one holder's complaints of
one type within 3 days counted once, counterfeiting as a serious violation."""

from __future__ import annotations

import pytest

from scanner.workflows.complaints.points import points_exposure, render_lines, window_end
from trademarks.complaints import open_complaints

from .conftest import cst


def _record(db, rows):
    """rows: (holder, right, allegation, received, [(status, at)...])"""
    with open_complaints(db) as store:
        for number, (holder, right, allegation, received, events) in enumerate(rows, 1):
            c = store.add(f"SKU-{number}", holder, right, allegation, cst(received), "before-penalty")
            for status, at in events:
                store.update(c.id, status, cst(at))
        return store.all()


NIKE, LV, CANON = "Nike, Inc.", "Louis Vuitton Malletier", "Canon Inc."
PEN = [("penalised", "2026-12-01 09:00")]

# (rows, points now, points at stake, per-complaint (points, counts_with, running), why)
SCENARIOS = [
    ([(NIKE, "trademark", "improper-use", "2026-09-01 10:00", PEN),
      (CANON, "trademark", "improper-use", "2026-09-10 10:00", PEN)],
     2, 0, [(0, None, 0), (2, None, 2)], "first offence free, the second violation 2 points"),
    ([(NIKE, "trademark", "improper-use", "2026-09-01 10:00", []),
      (NIKE, "trademark", "improper-use", "2026-09-04 09:59", []),
      (NIKE, "trademark", "improper-use", "2026-09-04 10:01", [])],
     0, 2, [(0, None, 0), (0, 1, 0), (2, None, 2)], "within 72 hours of the first counts with it; a minute later not"),
    ([(NIKE, "trademark", "improper-use", "2026-09-01 10:00", []),
      (NIKE, "copyright", "improper-use", "2026-09-01 11:00", [])],
     0, 2, [(0, None, 0), (2, None, 2)], "another type of complaint by the same holder counts on its own"),
    ([(NIKE, "trademark", "improper-use", "2026-09-01 10:00", [("withdrawn", "2026-09-02 10:00")]),
      (CANON, "patent", "improper-use", "2026-09-10 10:00", [])],
     0, 0, [(0, None, 0), (0, None, 0)], "a withdrawn complaint counts for nothing: the next is the first"),
    ([(LV, "trademark", "counterfeit", "2026-09-01 10:00", PEN),
      (NIKE, "trademark", "improper-use", "2026-09-02 10:00", [])],
     0, 0, [(0, None, 0), (0, None, 0)], "counterfeit is serious: apart from the general points"),
    ([(NIKE, "trademark", "improper-use", "2025-12-30 10:00", PEN),
      (CANON, "trademark", "improper-use", "2026-01-05 10:00", [])],
     0, 0, [(0, None, 0), (0, None, 0)], "the first offence of each calendar year"),
    ([(NIKE, "trademark", "improper-use", "2026-09-01 10:00", []),
      (NIKE, "trademark", "improper-use", "2026-09-02 10:00", []),
      (CANON, "trademark", "improper-use", "2026-09-03 10:00", PEN)],
     2, 0, [(0, None, 0), (0, 1, 0), (2, None, 2)], "a group at stake, a later penalised one counted"),
]


@pytest.mark.parametrize("rows, now, at_stake, lines, why", SCENARIOS, ids=[s[4] for s in SCENARIOS])
def test_points(db, rows, now, at_stake, lines, why):
    exposure = points_exposure(_record(db, rows))
    assert (exposure.points_now, exposure.points_at_stake) == (now, at_stake), why
    assert [(line.points, line.counts_with, line.running) for line in exposure.lines] == lines, why


def test_serious_and_per_holder(db):
    complaints = _record(db, [
        (LV, "trademark", "counterfeit", "2026-09-01 10:00", PEN),
        (NIKE, "trademark", "improper-use", "2026-09-02 10:00", PEN),
        (NIKE, "trademark", "improper-use", "2026-09-20 10:00", []),
        (LV, "trademark", "counterfeit", "2026-09-21 10:00", []),
    ])
    exposure = points_exposure(complaints)
    assert (exposure.serious_counted, exposure.serious_open) == (1, 1)
    holders = [(h.holder, h.complaints, h.open, h.points_now, h.points_at_stake, h.serious) for h in exposure.holders]
    assert holders == [(NIKE, 2, 1, 0, 2, 0), (LV, 2, 1, 0, 0, 2)]
    text = render_lines(exposure)
    assert text[1] == "  now: 0 point(s) counted; if every open complaint stands: 2 (2 at stake)"
    assert text[2] == "  serious violations: 1 counted, 1 open"
    assert ("    #3 2026-09-20 10:00 Nike, Inc. SKU-3 [open, at stake]: +2 -> 2; general violation: 2 points"
            in text)
    assert "    Nike, Inc.: 2 complaint(s), 1 open; 0 point(s) now, up to 2" in text


def test_window_end_is_three_days_after_the_first_of_the_group(db):
    complaints = _record(db, [(NIKE, "trademark", "improper-use", "2026-09-30 14:00", []),
                              (NIKE, "trademark", "improper-use", "2026-10-02 10:00", [])])
    assert [window_end(c, complaints) for c in complaints] == [cst("2026-10-03 14:00")] * 2
