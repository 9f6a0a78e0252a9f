"""Scan with several worker processes: the same results, in the same order, as one process.

``scan_parallel(scanner, paths, settings, jobs)`` yields what
``scan_items(scanner, read_all(paths, settings))`` yields, in the same order, except that
listings scanned by a worker with no problems come back as ``CleanListings`` runs (counts of
listings and fields) rather than one record each. ``jobs=1`` *is* that plain in-process
path. With more jobs, forked workers inherit the Scanner built in the parent (the automaton is
never pickled: pyahocorasick 2.3.1 leaks on ``pickle.dumps``) and ignore SIGINT, so Ctrl-C
reaches only the parent, which stops, tears the pool down and keeps what it already yielded.

Two ways to fan out, chosen per file:

* **Byte ranges**, when the sources can plan them (``scanner/sources/ranges.py``: JSONL and
  the delimited presets in a byte-safe encoding). This module only schedules the ranges
  ``plan_ranges`` cuts and puts the results back in order; each worker reads its range with
  ``read_range``. A range that fails its proof of alignment is thrown away with everything
  after it and the rest of the file is read in the parent from that range's start.
* **Listing batches** (every other format, stdin): the parent reads as usual and workers scan
  batches of listings.

Results come back per task and are yielded strictly in task order; at most ``2 * jobs`` tasks
are in flight, so memory does not grow with the file.
"""

from __future__ import annotations

import collections
import multiprocessing
import signal
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Sequence

from scanner.core.engine import Scanner
from scanner.core.models import Listing
from scanner.errors import InputError
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
from scanner.sources import BadRow, watch_opens
from scanner.sources.ranges import CHUNK_BYTES, ByteRange, FilePlan, plan_ranges, read_range

BATCH_ITEMS = 500  # listings per task when the parent reads
POSITION_EVERY = 256  # items between two byte-position samples on the in-process paths

PositionCallback = Callable[[str, int], None]  # (path, bytes of that file consumed)

_SCANNER: Scanner | None = None  # set in the parent before the fork; workers inherit it


@dataclass(frozen=True)
class TaskResult:
    results: list[Result]
    aligned: bool = True
    end: int = 0  # byte offset reached (ranges), for progress


def scan_parallel(scanner: Scanner, paths: Sequence[str], settings: ReadSettings, jobs: int,
                  *, chunk_bytes: int = CHUNK_BYTES, on_position: PositionCallback | None = None) -> Iterator[Result]:
    """What ``scan_items(scanner, read_all(paths, settings))`` yields, using ``jobs`` processes
    (clean listings from workers as ``CleanListings`` runs; see the module docstring)."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from _sampled(scan_items(scanner, read_all(paths, settings)), on_position)
        return
    global _SCANNER
    _SCANNER = scanner
    # Workers are forked with SIGTERM and SIGHUP blocked, and unblock them once they have
    # taken the default action (_worker_init): a signal that reached a child before that,
    # under the parent's Python handler, could be lost (CPython clears pending signals in a
    # forked child), and the worker then outlived pool.terminate(), which waited for it forever.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _WORKER_SIGNALS)
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        for path in paths:
            yield from _scan_path(pool, jobs, scanner, path, settings, chunk_bytes, on_position)
    finally:
        pool.terminate()
        pool.join()
        _SCANNER = None


# -- the parent ------------------------------------------------------------------------------

def _scan_path(pool: Any, jobs: int, scanner: Scanner, path: str, settings: ReadSettings, chunk_bytes: int,
               on_position: PositionCallback | None) -> Iterator[Result]:
    plan = file_plan(path, settings)
    if plan is None:
        tasks = ((_scan_batch, batch) for batch in _batches(read_all([path], settings), BATCH_ITEMS))
        for task_result in _ordered(pool, jobs, tasks):
            yield from task_result.results
        return
    yield from plan.preamble
    ranges = plan_ranges(plan, chunk_bytes)
    submitted_ranges: collections.deque[ByteRange] = collections.deque()
    tail: list[ByteRange] = []  # the rest of the file, to read in the parent

    def submitted() -> Iterator[tuple[Callable[..., Any], Any]]:
        for byte_range in ranges:
            if byte_range.end is None:
                tail.append(byte_range)
                return
            submitted_ranges.append(byte_range)
            yield _scan_range_task, (plan, byte_range)

    for task_result in _ordered(pool, jobs, submitted()):
        byte_range = submitted_ranges.popleft()
        if not task_result.aligned:  # redo the rest in-process from a proven record start
            ranges.close()
            yield from _sampled_range(scanner, plan, ByteRange(byte_range.start, None, byte_range.first_line),
                                      on_position)
            return
        yield from task_result.results
        if on_position:
            on_position(path, task_result.end)
        if task_result.results and isinstance(task_result.results[-1], FileError):
            return
    if tail:
        yield from _sampled_range(scanner, plan, tail[0], on_position)


def _ordered(pool: Any, jobs: int, tasks: Iterable[tuple[Callable[..., Any], Any]]) -> Iterator[TaskResult]:
    """Run tasks on the pool, at most 2*jobs in flight, and yield their results in order."""
    pending: collections.deque[Any] = collections.deque()
    tasks = iter(tasks)
    try:
        for func, args in tasks:
            pending.append(pool.apply_async(func, (args,)))
            while len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        close = getattr(tasks, "close", None)
        if close:
            close()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sampled(results: Iterable[Result], on_position: PositionCallback | None) -> Iterator[Result]:
    """Pass results through, reporting the open input's byte position now and then."""
    if on_position is None:
        yield from results
        return
    current: list[tuple[str, BinaryIO]] = []
    stop = watch_opens(lambda path, binary: current.append((path, binary)))
    try:
        for count, result in enumerate(results, 1):
            if count % POSITION_EVERY == 0 and current:
                path, binary = current[-1]
                try:
                    on_position(path, binary.tell())
                except (ValueError, OSError):  # closed, or a pipe
                    pass
            yield result
    finally:
        stop()


def _sampled_range(scanner: Scanner, plan: FilePlan, byte_range: ByteRange,
                   on_position: PositionCallback | None) -> Iterator[Result]:
    """A range (usually the rest of the file) read and scanned in the parent."""
    reading = read_range(plan, byte_range)
    try:
        for count, result in enumerate(scan_items(scanner, reading), 1):
            if on_position and count % POSITION_EVERY == 0:
                on_position(plan.path, reading.position)
            yield result
    except InputError as err:
        yield FileError(plan.path, str(err))


# -- the workers -----------------------------------------------------------------------------

_WORKER_SIGNALS = {signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


def _worker_init() -> None:
    # Signals are the parent's to handle: it stops, tears the pool down (SIGTERM to each
    # worker, which must then simply die) and keeps what it already yielded. A worker
    # inherits the parent's handlers through fork, which would raise inside it instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _WORKER_SIGNALS)  # blocked since the fork


def _scan_batch(batch: list[Listing | BadRow | FileError]) -> TaskResult:
    assert _SCANNER is not None
    return TaskResult(compact_results(scan_items(_SCANNER, batch)))


def _scan_range_task(args: tuple[FilePlan, ByteRange]) -> TaskResult:
    plan, byte_range = args
    assert _SCANNER is not None
    results, aligned = scan_range(_SCANNER, plan, byte_range)
    return TaskResult(results, aligned, byte_range.end or plan.size)
