"""Scan on a Dask cluster (``--dask ADDRESS`` or ``--dask local[:N]``): the results of
``scan_items(scanner, read_all(paths, settings))``, in the same order, with runs of clean
listings as ``CleanListings`` counts (as from the local process pool).

Nothing here parses or plans: per input, one task on a worker plans the file
(``scanner/sources/ranges.py``: header, record-aligned cuts; reading the file where it lives,
not through the client), then each byte range is one task, read and scanned on a worker. A file
the sources cannot cut (XML, UTF-16) is one task that reads it whole. The client only submits
range descriptors, puts the results back in input order (at most ``2 x`` the cluster's threads
in flight, across files) and, when a range fails its proof of alignment, drops it and what
follows and submits one task for the rest of that file from the range's start, as the local
pool does in its parent. Listings never travel through the client; results carry problems, bad
rows and counts only.

Every worker builds the Scanner once: the ``ScannerSpec`` (marks and settings, never the
automaton: pyahocorasick leaks on ``pickle.dumps``) is scattered to the workers once, and a
per-process cache keyed by the spec's hash keeps the built Scanner for every later task, also
across runs against the same cluster. A worker lost mid-run (killed, out of memory) is
replaced by its nanny and the scheduler runs its tasks again elsewhere; results are pure
functions of their range, and the client takes each range's result once, in order, so nothing
is lost or counted twice.

With a ``PartSink`` (``--output-dir``), each range task also writes the problems to show as a
part of the output directory (named by file index and byte offset, so a retried task rewrites
the same part) and returns its name.

dask and distributed are imported lazily: without the ``dask`` extra, ``--dask`` stops with one
line saying what to install.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import os
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Generator, Iterator, Protocol, Sequence

from scanner.core.engine import Scanner
from scanner.core.spec import ScannerSpec
from scanner.errors import UsageError
from scanner.runners.stream import (
    FileError,
    ReadSettings,
    Result,
    compact_results,
    file_plan,
    read_all,
    scan_items,
    scan_range,
)
from scanner.sources.ranges import CHUNK_BYTES, ByteRange, FilePlan, plan_ranges
from scanner.sources.storage import EXTRA_HINT

RETRIES = 2  # a task that raises (a storage hiccup) runs again this many times
PLAN_AHEAD = 2  # inputs planned ahead of the one being read, so the cluster never idles
DASHBOARD_NOTE = "listguard: Dask dashboard: {link}"


class PartSink(Protocol):
    """Writes one range's problems to show as a part of the output directory (picklable: it
    travels to the workers). Returns the part's name, or None when there was nothing to write."""

    def write(self, name: str, results: Sequence[Result]) -> str | None: ...


@dataclass(frozen=True)
class DaskTarget:
    address: str | None = None  # a scheduler address, or None for a LocalCluster
    workers: int | None = None  # LocalCluster workers (None: one per core)

    @classmethod
    def parse(cls, text: str) -> DaskTarget:
        """``local``, ``local:N``, or a scheduler address (``tcp://host:8786``, ``host:8786``)."""
        text = text.strip()
        if text == "local":
            return cls()
        if text.startswith("local:"):
            count = text.partition(":")[2]
            if not count.isdigit() or int(count) < 1:
                raise UsageError(f"--dask {text!r}: expected local:N with N workers of at least 1, e.g. local:2")
            return cls(workers=int(count))
        if not text:
            raise UsageError("--dask: expected a scheduler address (tcp://host:8786) or local[:N]")
        return cls(address=text)


def require_dask() -> None:
    """UsageError (exit 2) in one line when the dask extra is not installed."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(f"--dask needs Dask and distributed: {EXTRA_HINT}") from None


@contextlib.contextmanager
def connect(target: str) -> Iterator[Any]:
    """A distributed.Client for ``target`` (see DaskTarget.parse), closed afterwards; a
    LocalCluster started here is shut down with it. One thread per worker process:
    pyahocorasick holds the GIL, so threads would only take turns."""
    parsed = DaskTarget.parse(target)
    require_dask()
    import logging

    from distributed import Client, LocalCluster

    if parsed.address is None:
        import dask

        workers = parsed.workers or os.cpu_count() or 1
        # The workers' statistical profiler samples the scanning thread every 10 ms: it cost
        # about 10% of a worker's CPU on bench/bench_dask.py's catalog. Off for the clusters
        # started here (docs/dask.md says how to turn it off on a real one).
        stack = contextlib.ExitStack()
        stack.enter_context(dask.config.set({"distributed.worker.profile.enabled": False}))
        with stack, LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(parsed.address, timeout="10s")
    except OSError as err:
        raise UsageError(f"--dask {parsed.address}: cannot reach the scheduler ({err}); check the address "
                         "and that the scheduler is running") from None
    with client:
        yield client


def dashboard_link(client: Any) -> str | None:
    try:
        return client.dashboard_link or None
    except Exception:  # no dashboard (bokeh missing): nothing to show
        return None


# -- the client ------------------------------------------------------------------------------

@dataclass
class _Unit:
    """One task's worth of an input, in input order."""

    file: int
    path: str
    plan: FilePlan | None = None
    byte_range: ByteRange | None = None  # None with a plan: the plan's preamble; without: whole file
    fallback: bool = False  # the rest of a file after a range that failed its proof
    future: Any = None
    ready: list[Result] | None = None  # results known without a task (a plan's preamble)


@dataclass(frozen=True)
class RangeOutcome:
    """What a task sends back."""

    results: list[Result]
    aligned: bool = True
    end: int = 0  # byte offset reached, for progress
    part: str | None = None  # the part written, with a PartSink


class DaskRun:
    """One scan of ``paths`` on ``client``; iterate ``results()`` for the ordered results."""

    def __init__(self, client: Any, spec: ScannerSpec, paths: Sequence[str], settings: ReadSettings, *,
                 chunk_bytes: int = CHUNK_BYTES, sink: PartSink | None = None,
                 on_position: Callable[[str, int], None] | None = None,
                 on_ranges: Callable[[int, int], None] | None = None) -> None:
        if "-" in paths:
            raise UsageError("--dask reads files and URLs the workers can open, not stdin ('-'); name the files")
        self.client = client
        self.paths = list(paths)
        self.settings = settings
        self.chunk_bytes = chunk_bytes
        self.on_position = on_position
        self.on_ranges = on_ranges
        self.run_id = uuid.uuid4().hex[:8]
        threads = sum(client.nthreads().values()) or 1
        self.window = max(4, 2 * threads)
        self.parts: list[str] = []
        self.ranges_done = self.ranges_total = 0
        self._spec = client.scatter(spec, broadcast=True, hash=False)
        self._sink = client.scatter(sink, broadcast=True, hash=False) if sink is not None else None
        self._plans: dict[int, Any] = {}
        self._keys = itertools.count()

    def results(self) -> Iterator[Result]:
        units = self._units()
        pending: collections.deque[_Unit] = collections.deque()
        dropped: set[int] = set()  # files whose remaining ranges are thrown away

        def fill() -> None:
            while sum(u.future is not None for u in pending) < self.window:
                unit = next(units, None)
                if unit is None:
                    return
                if unit.file in dropped:
                    continue
                self._submit(unit)
                pending.append(unit)

        try:
            fill()
            while pending:
                unit = pending.popleft()
                if unit.file in dropped and not unit.fallback:
                    self._release(unit)
                    fill()
                    continue
                outcome = RangeOutcome(unit.ready) if unit.ready is not None else unit.future.result()
                self._release(unit)
                if not outcome.aligned and not unit.fallback:  # a fallback reads to EOF: always whole
                    assert unit.plan is not None and unit.byte_range is not None
                    dropped.add(unit.file)
                    for other in pending:
                        if other.file == unit.file:
                            self._release(other)
                    rest = ByteRange(unit.byte_range.start, None, unit.byte_range.first_line)
                    fallback = _Unit(unit.file, unit.path, unit.plan, rest, fallback=True)
                    self._submit(fallback)
                    pending.appendleft(fallback)
                    continue
                yield from outcome.results
                if outcome.part:
                    self.parts.append(outcome.part)
                self._progress(unit, outcome)
                if outcome.results and isinstance(outcome.results[-1], FileError):
                    dropped.add(unit.file)
                fill()
        finally:
            for unit in pending:
                self._release(unit)
            units.close()
            for future in self._plans.values():
                future.release()

    def _units(self) -> Generator[_Unit, None, None]:
        for index, path in enumerate(self.paths):
            for ahead in range(index, min(index + 1 + PLAN_AHEAD, len(self.paths))):
                if ahead not in self._plans:
                    self._plans[ahead] = self.client.submit(
                        _plan_task, self.paths[ahead], self.settings, self.chunk_bytes, retries=RETRIES,
                        key=f"listguard-plan-{self.run_id}-{ahead}")
            plan, ranges = self._plans.pop(index).result()
            if plan is None:
                self.ranges_total += 1
                yield _Unit(index, path)
                continue
            self.ranges_total += len(ranges)
            if plan.preamble:
                yield _Unit(index, path, plan, ready=list(plan.preamble))
            for byte_range in ranges:
                yield _Unit(index, path, plan, byte_range)

    def _submit(self, unit: _Unit) -> None:
        if unit.ready is not None:
            return
        key = f"listguard-{self.run_id}-{unit.file}-{next(self._keys)}"
        if unit.byte_range is None:
            unit.future = self.client.submit(_scan_file_task, self._spec, unit.path, self.settings, self._sink,
                                             _part_name(unit.file, 0), key=key, retries=RETRIES)
        else:
            unit.future = self.client.submit(_scan_range_task, self._spec, unit.plan, unit.byte_range, self._sink,
                                             _part_name(unit.file, unit.byte_range.start), key=key,
                                             retries=RETRIES)

    @staticmethod
    def _release(unit: _Unit) -> None:
        if unit.future is not None:
            unit.future.cancel()
            unit.future = None

    def _progress(self, unit: _Unit, outcome: RangeOutcome) -> None:
        if unit.ready is not None:
            return
        self.ranges_done += 1
        if self.on_ranges:
            self.on_ranges(self.ranges_done, self.ranges_total)
        if self.on_position and outcome.end:
            self.on_position(unit.path, outcome.end)


def _part_name(file: int, start: int) -> str:
    return f"part-{file:05d}-{start:015d}"


# -- the workers -----------------------------------------------------------------------------

_SCANNERS: dict[str, Scanner] = {}  # per worker process: built once per spec
_BUILDING = threading.Lock()


def worker_scanner(spec: ScannerSpec) -> Scanner:
    """The Scanner for spec, built on first use in this process and kept."""
    scanner = _SCANNERS.get(spec.key)
    if scanner is None:
        with _BUILDING:
            scanner = _SCANNERS.get(spec.key)
            if scanner is None:
                scanner = _SCANNERS[spec.key] = spec.build()
                # The Scanner lives as long as the worker: keep the cyclic collector from
                # walking it (and the worker's own state) on every collection, as the local
                # pool's forked workers inherit a frozen heap (scanner/workflows/run.py).
                gc.freeze()
    return scanner


def _plan_task(path: str, settings: ReadSettings, chunk_bytes: int) -> tuple[FilePlan | None, list[ByteRange]]:
    plan = file_plan(path, settings)
    return plan, (list(plan_ranges(plan, chunk_bytes)) if plan is not None else [])


def _scan_range_task(spec: ScannerSpec, plan: FilePlan, byte_range: ByteRange, sink: PartSink | None,
                     part: str) -> RangeOutcome:
    results, aligned = scan_range(worker_scanner(spec), plan, byte_range)
    written = sink.write(part, results) if sink is not None and aligned else None
    return RangeOutcome(results, aligned, byte_range.end or plan.size, written)


def _scan_file_task(spec: ScannerSpec, path: str, settings: ReadSettings, sink: PartSink | None,
                    part: str) -> RangeOutcome:
    results = compact_results(scan_items(worker_scanner(spec), read_all([path], settings)))
    written = sink.write(part, results) if sink is not None else None
    return RangeOutcome(results, True, 0, written)
