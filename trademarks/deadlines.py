"""Deadlines in Chinese working days (工作日), as Taobao/Tmall count them for complaints.

A deadline of N working days is the same time of day on the Nth working day after the day
the clock starts: a complaint received on Wednesday 2026-09-30 at 14:00 has its 3-working-day
appeal window end on Saturday 2026-10-10 at 14:00 (1-7 October are the National Day holiday;
Saturday 10 October is an adjusted working day, 调休).

Which days are working days comes from the ``chinesecalendar`` package (PyPI
``chinesecalendar``, import ``chinese_calendar``): it holds the State Council's yearly
arrangement (public holidays *and* the weekends turned into working days) and raises for a
year it does not hold yet instead of guessing. ``holidays`` (its CN calendar) was the other
candidate: it knows the 2026 arrangement too, but for a year whose arrangement it lacks
(2027 in holidays 0.109) it silently extrapolates from rules, with no adjusted working
weekends: a wrong date with no warning. It is also 14 MB against chinesecalendar's 220 kB.

A deadline that falls in (or counts through) a year the calendar does not know is never
given as certain: ``Deadline.certain`` is False, ``at`` counts Monday to Friday as working
days, ``earliest`` counts every day (the soonest the real deadline could be, were every
weekend an adjusted working day), and ``warning()`` says so in one line. Alerts use
``earliest``.

All times are China Standard Time (UTC+8, no daylight saving): a naive time given by the
user is read as CST.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from trademarks.errors import RegistryError

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
CALENDAR_PACKAGE = "chinesecalendar"


@dataclass(frozen=True)
class Deadline:
    """When a window of working days ends."""

    start: dt.datetime  # when the clock started (aware, CST)
    days: int  # working days counted
    at: dt.datetime  # the deadline (aware, CST); provisional when not ``certain``
    earliest: dt.datetime  # the soonest it can be (== at when certain)
    unknown_years: tuple[int, ...] = ()  # years counted through that the calendar does not know

    @property
    def certain(self) -> bool:
        return not self.unknown_years

    def warning(self) -> str:
        """One line for stderr when the date is provisional, else ''."""
        if self.certain:
            return ""
        years = ", ".join(map(str, self.unknown_years))
        return (f"warning: {calendar_name()} does not know China's {years} holidays and adjusted working days "
                f"yet; the deadline {iso(self.at)} counts Monday-Friday only and may be as early as "
                f"{iso(self.earliest)}: check the countdown in the seller centre, and upgrade the calendar "
                f"(pip install -U {CALENDAR_PACKAGE}) once it covers {years}")


def iso(moment: dt.datetime) -> str:
    """ISO 8601 to the minute with the UTC offset: 2026-10-10T14:00+08:00."""
    return moment.astimezone(CHINA_TZ).isoformat(timespec="minutes")


def shown(moment: dt.datetime) -> str:
    """For people: 2026-10-10 14:00 Sat (China time)."""
    local = moment.astimezone(CHINA_TZ)
    return local.strftime("%Y-%m-%d %H:%M %a")


WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def shown_zh(moment: dt.datetime) -> str:
    """For a Chinese text: 2026-10-10 14:00（周六）."""
    local = moment.astimezone(CHINA_TZ)
    return f"{local:%Y-%m-%d %H:%M}（{WEEKDAYS_ZH[local.weekday()]}）"


@lru_cache(maxsize=1)
def _calendar() -> Any:
    try:
        import chinese_calendar  # type: ignore[import-untyped]  # ships neither stubs nor py.typed
    except ImportError:
        raise RegistryError("the working-day calendar is not installed",
                            hint=f"pip install {CALENDAR_PACKAGE}") from None
    return chinese_calendar


def calendar_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{CALENDAR_PACKAGE} {version(CALENDAR_PACKAGE)}"
    except PackageNotFoundError:
        return CALENDAR_PACKAGE


@lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool | None:
    """True for a working day (adjusted working weekends included), False for a weekend or
    public holiday, None when the calendar does not know ``day``'s year."""
    try:
        return bool(_calendar().is_workday(day))
    except NotImplementedError:  # chinesecalendar's answer for a year it has no data for
        return None


def holiday_name(day: dt.date) -> str | None:
    """The holiday ``day`` belongs to (also for its adjusted working days), if the calendar knows."""
    try:
        return _calendar().get_holiday_detail(day)[1]
    except NotImplementedError:
        return None


def add_working_days(start: dt.datetime, days: int) -> Deadline:
    """The same time of day on the ``days``-th working day after ``start``'s day."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=CHINA_TZ)
    local = start.astimezone(CHINA_TZ)
    unknown: set[int] = set()
    day = local.date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        working = is_working_day(day)
        if working is None:
            unknown.add(day.year)
            working = day.weekday() < 5
        counted += working
    at = dt.datetime.combine(day, local.timetz())
    earliest = at
    if unknown:
        earliest = dt.datetime.combine(_earliest_day(local.date(), days), local.timetz())
    return Deadline(local, days, at, earliest, tuple(sorted(unknown)))


def _earliest_day(start: dt.date, days: int) -> dt.date:
    """Known days as the calendar says, unknown ones all counted as working days."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += is_working_day(day) is not False
    return day


def time_left(deadline: dt.datetime, now: dt.datetime) -> str:
    """'2 d 3 h', '45 min', or 'passed 1 d 2 h ago'."""
    seconds = int((deadline - now).total_seconds())
    text = _span(abs(seconds))
    return text if seconds >= 0 else f"passed {text} ago"


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
