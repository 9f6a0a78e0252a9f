"""Run as a separate process by test_concurrency.py: ``writer DB N ROUNDS`` or ``reader DB N SECONDS``."""

from __future__ import annotations

import sys
import time

from trademarks.models import Mark
from trademarks.store import open_registry


def writer(db: str, n: int, rounds: int) -> None:
    for r in range(rounds):
        version = "AB"[r % 2]
        marks = [Mark(f"{version}{i}", (f"{version}alias{i}",), "Owner", (25,)) for i in range(n)]
        with open_registry(db) as reg:
            reg.import_marks(marks, "shared", replace=True)
    print("ok")


def reader(db: str, n: int, seconds: float) -> None:
    reads = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open_registry(db) as reg:
            marks = reg.marks(source="shared")
        versions = {m.name[0] for m in marks}
        assert len(marks) in (0, n), len(marks)
        assert len(versions) <= 1, versions  # never a mix of two imports
        assert all(m.aliases == (m.name[0] + "alias" + m.name[1:],) for m in marks)
        reads += 1
    print(reads)


if __name__ == "__main__":
    role, db, n, arg = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    writer(db, n, int(arg)) if role == "writer" else reader(db, n, float(arg))
