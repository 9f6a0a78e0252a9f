"""Paths the top-level tests share (a module of its own: `conftest` is ambiguous when
pytest also imports tests/workflows/conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
SMALL_MARKS = FIXTURES / "marks_small.csv"
