"""Fixtures for the complaint desk: a real database file, the CLI run through click, a
calendar that knows only up to a given year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli.main import main
from trademarks import deadlines
from trademarks.deadlines import CHINA_TZ

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "fixtures" / "sample_catalog.jsonl"


def cst(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "shop.db"


@pytest.fixture
def cli(db: Path):
    """Run `listguard ARGS --db DB`; returns the click Result (stdout and stderr apart)."""
    def invoke(*args: str):
        return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)
    return invoke


@pytest.fixture
def calendar_until(monkeypatch):
    """Make the calendar know nothing after ``year`` (as an installed chinesecalendar that
    predates a year's State Council arrangement), whatever version is installed."""
    real = deadlines._calendar()

    class Partial:
        def __init__(self, last: int) -> None:
            self.last = last

        def is_workday(self, day: dt.date) -> bool:
            if day.year > self.last:
                raise NotImplementedError(f"no available data for year {day.year}")
            return real.is_workday(day)

        def get_holiday_detail(self, day: dt.date):
            if day.year > self.last:
                raise NotImplementedError(f"no available data for year {day.year}")
            return real.get_holiday_detail(day)

    def install(year: int) -> None:
        deadlines.is_working_day.cache_clear()
        monkeypatch.setattr(deadlines, "_calendar", lambda: Partial(year))

    yield install
    deadlines.is_working_day.cache_clear()
