"""Start-up: the whole-process time of the commands users wait on, against their targets.

    python bench/bench_startup.py                 # best of 10 runs each
    python bench/bench_startup.py --runs 20 --callgrind

* ``check``: ``listguard check "Nike同款 运动鞋"`` (target 0.15 s);
* ``pre-commit``: ``listguard scan FILE`` as the pre-commit hook runs it (default ``--jobs``),
  over a 1,000-listing JSONL file with HTML descriptions (target 0.2 s);
* ``python``: ``python -c pass`` in the same environment, the floor.

Each command runs once untimed first (bytecode and the automaton cache warm, as on a
developer's machine after the first run), then ``--runs`` times, taking turns; the best and
the median wall time are printed. ``--callgrind`` also counts each command's instructions
(valgrind), which a shared, noisy machine does not change. Titles come from
../shared/data/titles when present, else are synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_catalog import CUES, FILLER, load_titles, mark_names  # noqa: E402

TARGETS = {"check": 0.15, "pre-commit": 0.2}


def listing_file(path: Path, rows: int = 1000, seed: int = 5) -> None:
    rng = random.Random(seed)
    titles, marks = load_titles(20_000), mark_names()
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            words = [rng.choice(FILLER) for _ in range(rng.randint(10, 30))]
            if rng.random() < 0.15:
                words.insert(rng.randrange(len(words)), rng.choice(CUES).format(m=rng.choice(marks)))
            record = {"id": f"sku-{i}", "title": rng.choice(titles),
                      "description": "<p>" + " ".join(words) + "</p>", "brand": rng.choice(("Acme", "", "小米"))}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def instructions(args: list[str], env: dict[str, str]) -> int | None:
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg", *args],
                             capture_output=True, text=True, env=env, cwd=ROOT)
    for line in out.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--callgrind", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="listguard-startup-"))
    data = work / "listings.jsonl"
    listing_file(data)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("LISTGUARD_CACHE_DIR", str(work / "cache"))
    lg = [sys.executable, "-m", "scanner"]
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "check": [*lg, "check", "Nike同款 运动鞋"],
        "pre-commit": [*lg, "scan", str(data)],
    }
    for argv in commands.values():  # warm: bytecode written, automaton cache filled
        subprocess.run(argv, capture_output=True, env=env, cwd=ROOT)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, capture_output=True, env=env, cwd=ROOT)
            times[name].append(time.perf_counter() - started)
    build = subprocess.run([*lg, "--version"], capture_output=True, text=True, env=env, cwd=ROOT).stdout.strip()
    print(f"{build}; best and median of {args.runs} runs, whole process")
    print(f"{'command':<12} {'best':>8} {'median':>8} {'target':>8} {'instructions':>14}")
    for name, argv in commands.items():
        target = TARGETS.get(name)
        count = instructions(argv, env) if args.callgrind else None
        print(f"{name:<12} {min(times[name]):>7.3f}s {statistics.median(times[name]):>7.3f}s "
              f"{f'{target:.2f}s' if target else '':>8} {f'{count / 1e6:,.0f}M' if count else '':>14}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
