"""Dask benchmark: `listguard scan --jobs 1` against `--dask local:1` and `--dask local:2`.

    python bench/bench_dask.py                       # 100,000 and 1,000,000 rows
    python bench/bench_dask.py --rows 100000 --targets j1 local:2

The same Shopify-style catalog as bench/bench_catalog.py (its generator, its files under
bench/out/). Each scan runs in its own subprocess, one after the other in one run, so the ratios
compare runs taken under the same load:

* ``jobs 1``   ``python -m scanner scan FILE --format jsonl --fail-on never -s --jobs 1``;
* ``local:N``  the same with ``--dask local:N`` (a LocalCluster with N worker processes, one
  thread each, started and stopped by the command: its start-up is in the time);
* ``cluster start``: starting and closing a LocalCluster with N workers and doing nothing,
  the fixed cost inside each ``local:N`` figure.

Prints wall time, rows/s, the speedup over ``jobs 1``, the CPU seconds of the whole process
tree (what a loaded machine moves least) and, sampled from /proc every 50 ms, the
peak RSS of the largest single process other than the client (a Dask worker) and of the
client. Checks that every output is byte-identical to ``jobs 1``.
Targets (issue 16): local:2 >= 1.8x jobs 1; local:1 within 15% of jobs 1; worker peak memory
flat from 100k to 1M rows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_catalog import OUT, ROOT, digest, generate, process_rss  # noqa: E402

CLUSTER_START = """
import logging, sys, time
from distributed import Client, LocalCluster
t = time.perf_counter()
with LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True, dashboard_address=":0",
                  silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
    client.wait_for_workers(int(sys.argv[1]))
print(time.perf_counter() - t)
"""


def run(args: list[str], stdout_path: Path | None) -> dict[str, float]:
    out = stdout_path.open("wb") if stdout_path else subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    peaks: dict[int, int] = {}
    while True:
        for pid, rss in process_rss(proc.pid).items():
            peaks[pid] = max(peaks.get(pid, 0), rss)
        waited, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if waited:
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    # CPU of the command and every descendant it reaped (the Dask nannies reap their workers):
    # unlike wall time, hardly moved by other work on a shared machine.
    cpu = usage.ru_utime + usage.ru_stime
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{stderr}")
    client = peaks.pop(proc.pid, 0)
    return {"wall": wall, "cpu": cpu, "client_rss": client, "worker_rss": max(peaks.values(), default=0),
            "stdout": stdout}


def measure(rows: int, targets: list[str]) -> list[dict[str, object]]:
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"catalog_{rows}.csv"
    if not data.exists():
        generate(data, rows)
    results = []
    for target in targets:
        out = OUT / f"dask_{rows}_{target.replace(':', '')}.jsonl"
        runner = ["--jobs", "1"] if target == "j1" else ["--dask", target]
        r = run([sys.executable, "-m", "scanner", "scan", str(data), "--format", "jsonl", "--fail-on", "never", "-s",
                 "--ignore-file", os.devnull, *runner], out)
        results.append({"name": "jobs 1" if target == "j1" else target, "secs": r["wall"], "cpu": r["cpu"],
                        "digest": digest(out),
                        "client_rss": r["client_rss"], "worker_rss": r["worker_rss"]})
        if target != "j1":
            start = run([sys.executable, "-c", CLUSTER_START, target.partition(":")[2] or str(os.cpu_count())], None)
            results[-1]["cluster_start"] = float(str(start["stdout"]).strip())
    return results


def report(rows: int, results: list[dict[str, object]]) -> None:
    base = next((r for r in results if r["name"] == "jobs 1"), None)
    print(f"\n{rows:,} rows ({os.cpu_count()} cores; a shared machine: figures taken under whatever load there was)")
    print(f"{'run':<10} {'secs':>8} {'rows/s':>9} {'vs jobs 1':>10} {'CPU secs':>9} {'cluster start':>14} "
          f"{'worker RSS':>11} {'client RSS':>11}")
    for r in results:
        speed = f"{base['secs'] / r['secs']:.2f}x" if base else ""  # type: ignore[operator]
        start = f"{r['cluster_start']:.1f}s" if "cluster_start" in r else ""
        worker = f"{r['worker_rss'] / 2**20:.0f}MB" if r["worker_rss"] else "-"  # type: ignore[operator]
        print(f"{r['name']:<10} {r['secs']:>8.1f} {rows / r['secs']:>9,.0f} {speed:>10} {r['cpu']:>9.1f} "  # type: ignore
              f"{start:>14} {worker:>11} "
              f"{r['client_rss'] / 2**20:>9.0f}MB")  # type: ignore[operator]
    print(f"outputs identical to jobs 1: {len({r['digest'] for r in results}) == 1}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--targets", nargs="+", default=["j1", "local:1", "local:2"])
    args = parser.parse_args(argv)
    for rows in args.rows:
        report(rows, measure(rows, args.targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
