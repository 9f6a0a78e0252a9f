from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from trademarks.models import Mark
from trademarks.store import open_registry


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "registry.db"


@pytest.fixture
def registry(db_path: Path):
    reg = open_registry(db_path)
    yield reg
    reg.close()


NIKE = Mark("Nike", ("耐克", "NIKE"), "Nike, Inc.", (18, 25), famous=True)
DOVE = Mark("Dove", ("多芬",), "Unilever", (3,), case="exact")
APPLE = Mark("Apple", ("苹果",), "Apple Inc.", (9,), case="exact", famous=True)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every registry table, via a separate plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("marks", "mark_aliases", "mark_sources", "authorizations", "registry_meta")}
    finally:
        conn.close()
