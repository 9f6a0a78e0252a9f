"""Appeal deadlines in Chinese working days: exact dates across the Spring Festival, Labour
Day and National Day holidays and their adjusted working weekends (调休), and a clear
provisional answer for a year the calendar does not know."""

from __future__ import annotations

import datetime as dt

import pytest

from trademarks.deadlines import add_working_days, iso, time_left

from .conftest import cst

# (received, working days, expected deadline, why)
CASES = [
    ("2026-09-30 14:00", 3, "2026-10-10T14:00+08:00",
     "Wednesday before National Day: 1-7 Oct off, 8 and 9 Oct, then Saturday 10 Oct is an adjusted working day"),
    ("2026-10-01 10:00", 3, "2026-10-10T10:00+08:00", "received on a holiday: the count starts on 8 Oct"),
    ("2026-10-08 16:00", 3, "2026-10-12T16:00+08:00", "Thursday after the holiday: Fri 9, Sat 10 (adjusted), Mon 12"),
    ("2026-10-08 16:00", 5, "2026-10-14T16:00+08:00", "the platform's 5-working-day review window"),
    ("2026-09-18 09:15", 3, "2026-09-22T09:15+08:00", "Sunday 20 Sep is the adjusted working day before National Day"),
    ("2026-02-13 10:00", 3, "2026-02-25T10:00+08:00",
     "Friday before Spring Festival: Sat 14 Feb (adjusted), 15-23 Feb off, Tue 24, Wed 25"),
    ("2026-02-12 23:59", 3, "2026-02-24T23:59+08:00", "Thursday: Fri 13, Sat 14 (adjusted), Tue 24"),
    ("2026-02-14 08:30", 3, "2026-02-26T08:30+08:00", "received on the adjusted Saturday itself: the count starts after it"),
    ("2026-02-26 18:00", 3, "2026-03-02T18:00+08:00", "Sat 28 Feb is the adjusted working day after the holiday"),
    ("2025-01-24 11:00", 3, "2025-02-05T11:00+08:00",
     "2025 Spring Festival: Sun 26 Jan (adjusted), Mon 27, 28 Jan-4 Feb off, Wed 5 Feb"),
    ("2026-05-08 12:00", 3, "2026-05-12T12:00+08:00", "Labour Day: Saturday 9 May is an adjusted working day"),
    ("2026-11-18 11:00", 3, "2026-11-23T11:00+08:00", "an ordinary week: the weekend does not count"),
]


@pytest.mark.parametrize("received, days, expected, why", CASES, ids=[c[3][:40] for c in CASES])
def test_deadline(received, days, expected, why):
    deadline = add_working_days(cst(received), days)
    assert iso(deadline.at) == expected, why
    assert deadline.certain and deadline.earliest == deadline.at and deadline.warning() == ""


def test_a_naive_time_is_china_time_and_an_offset_is_honoured():
    utc = dt.datetime(2026, 9, 30, 6, 0, tzinfo=dt.UTC)  # 14:00 in China
    assert iso(add_working_days(utc, 3).at) == "2026-10-10T14:00+08:00"
    assert iso(add_working_days(dt.datetime(2026, 9, 30, 14, 0), 3).at) == "2026-10-10T14:00+08:00"


def test_a_year_the_calendar_does_not_know_is_provisional_with_a_warning(calendar_until):
    calendar_until(2026)
    deadline = add_working_days(cst("2026-12-30 09:30"), 3)
    # Thu 31 Dec is known; 2027 is counted Monday-Friday (Fri 1 Jan, Mon 4 Jan) and, at the
    # earliest, every day (1 and 2 Jan)
    assert (iso(deadline.at), iso(deadline.earliest)) == ("2027-01-04T09:30+08:00", "2027-01-02T09:30+08:00")
    assert not deadline.certain and deadline.unknown_years == (2027,)
    warning = deadline.warning()
    assert warning.startswith("warning: chinesecalendar ") and "\n" not in warning
    assert "does not know China's 2027 holidays and adjusted working days yet" in warning
    assert "counts Monday-Friday only and may be as early as 2027-01-02T09:30+08:00" in warning
    assert "pip install -U chinesecalendar" in warning


def test_a_year_far_ahead_is_unknown_to_the_installed_calendar():
    deadline = add_working_days(cst("2099-03-06 10:00"), 3)  # a Friday
    assert (iso(deadline.at), iso(deadline.earliest)) == ("2099-03-11T10:00+08:00", "2099-03-09T10:00+08:00")
    assert deadline.unknown_years == (2099,)


@pytest.mark.parametrize("minutes, expected", [
    (0, "0 min"), (59, "59 min"), (61, "1 h 1 min"), (60 * 24 * 2 + 180, "2 d 3 h"), (-90, "passed 1 h 30 min ago"),
])
def test_time_left(minutes, expected):
    now = cst("2026-10-01 00:00")
    assert time_left(now + dt.timedelta(minutes=minutes), now) == expected
