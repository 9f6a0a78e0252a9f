"""Two real processes writing and one reading the same registry file at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trademarks.store import open_registry

WORKER = Path(__file__).with_name("concurrent_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_concurrent_imports_and_reads_never_corrupt(db_path):
    procs = [_start("writer", str(db_path), "3000", "8"),
             _start("writer", str(db_path), "3000", "8"),
             _start("reader", str(db_path), "3000", "4")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    assert outputs[0][0].strip() == "ok" and outputs[1][0].strip() == "ok"
    assert int(outputs[2][0]) > 0
    with open_registry(db_path) as reg:
        assert reg.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        marks = reg.marks()
        assert len(marks) == 3000 and len({m.name[0] for m in marks}) == 1
        assert reg.stats()["aliases"] == 3000
        # 16 imports by 2 processes, each one bump of the generation
        assert reg.fingerprint().endswith(":16")
