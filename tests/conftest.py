"""Shared fixtures: paths, a small deterministic mark list, a scanner over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import ScanSettings, Scanner
from trademarks.lists import read_marks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
SMALL_MARKS = FIXTURES / "marks_small.csv"


@pytest.fixture(scope="session")
def small_marks():
    return read_marks(SMALL_MARKS)


@pytest.fixture(scope="session")
def small_scanner(small_marks):
    return Scanner(small_marks, ScanSettings())
