"""Shared fixtures: paths, a small deterministic mark list, a scanner over it."""

from __future__ import annotations

import pytest

from lg_paths import SMALL_MARKS
from scanner.core.engine import ScanSettings, Scanner
from trademarks.lists import read_marks


@pytest.fixture(scope="session")
def small_marks():
    return read_marks(SMALL_MARKS)


@pytest.fixture(scope="session")
def small_scanner(small_marks):
    return Scanner(small_marks, ScanSettings())
