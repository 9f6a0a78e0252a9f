"""Registry benchmark: generate N marks, import them, build the scan automaton from the registry.

    python bench/registry_bench.py              # 1,000,000 marks
    python bench/registry_bench.py -n 100000 --db /tmp/r.db

Prints: list generation, import (one transaction), reading the marks back, the key index
built from them (the scan-time cost without a cache), then a scan's start as `listguard scan
--db` does it (build_scanner): cold (the cache is filled) and warm (best of --warm runs: the
cached index verified and loaded, nothing read from SQLite but the fingerprint and the
authorizations), and the first 1,000 listings scanned after a warm start. Warm-start target:
3 s at 1M marks. Peak RSS of the process is printed last.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trademarks.models import Mark  # noqa: E402
from trademarks.store import open_registry  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ze", "ra", "to", "vin", "bel", "sor", "qua", "nix", "dor", "tex", "ly", "pra"]
HANZI = "安宝川达迪恩飞富高光海华佳金凯康乐力龙美明诺欧派奇瑞森斯泰天威新雅英云泽"


def generate(n: int, seed: int = 7) -> list[Mark]:
    rng = random.Random(seed)
    marks = []
    for i in range(n):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title() + f" {i}"
        aliases = ("".join(rng.choice(HANZI) for _ in range(rng.randint(2, 3))) + str(i),) if i % 3 == 0 else ()
        marks.append(Mark(name, aliases, f"Owner {i % 50_000}", (rng.randint(1, 45),),
                          registration=str(1_000_000 + i)))
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--warm", type=int, default=3, help="warm starts to time (the best counts)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="listguard-bench-"))
    db = Path(args.db) if args.db else workdir / "bench.db"
    timings: dict[str, float] = {}

    started = time.perf_counter()
    marks = generate(args.n)
    timings["generate"] = time.perf_counter() - started

    with open_registry(db) as registry:
        started = time.perf_counter()
        result = registry.import_marks(marks, "bench", replace=True)
        timings["import"] = time.perf_counter() - started
        del marks
        started = time.perf_counter()
        loaded = registry.marks()
        timings["read back"] = time.perf_counter() - started

    from scanner.core.index import build_index
    from scanner.core.models import Listing
    from scanner.runners.stream import scan_items
    from scanner.workflows.scanners import build_scanner, scanner_settings

    started = time.perf_counter()
    index = build_index(loaded)
    timings["key index build (no cache)"] = time.perf_counter() - started
    keys = len(index.matcher)
    del index, loaded

    os.environ["LISTGUARD_CACHE_DIR"] = str(workdir / "cache")
    settings = scanner_settings()
    started = time.perf_counter()
    build_scanner(settings, db=str(db))
    timings["cold scan start (cache filled)"] = time.perf_counter() - started
    warm = []
    for _ in range(args.warm):
        started = time.perf_counter()
        scanner = build_scanner(settings, db=str(db))
        warm.append(time.perf_counter() - started)
    timings[f"warm scan start (best of {args.warm})"] = min(warm)
    rng = random.Random(3)
    listings = [Listing(str(i), {"title": f"{rng.choice(SYLLABLES).title()}{rng.choice(SYLLABLES)} {i} 新款 "
                                          f"{rng.choice(HANZI)}{rng.choice(HANZI)} replica"}, brand="Acme")
                for i in range(1000)]
    started = time.perf_counter()
    problems = sum(len(r.problems) for r in scan_items(scanner, listings))
    timings[f"first 1,000 listings ({problems} problems)"] = time.perf_counter() - started

    print(f"marks imported: {result.total:,}  automaton keys: {keys:,}  db: {db.stat().st_size / 1e6:.0f} MB")
    for name, seconds in timings.items():
        print(f"{name:<44}{seconds:8.2f} s")
    import resource

    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
