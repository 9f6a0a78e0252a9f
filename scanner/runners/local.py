"""Scan with several worker processes: the same results, in the same order, as one process.

``scan_parallel(scanner, paths, settings, jobs)`` yields what
``scan_items(scanner, read_all(paths, settings))`` yields, in the same order, except that
listings scanned by a worker with no problems come back as ``CleanListings`` runs (counts of
listings and fields) rather than one record each. ``jobs=1`` *is* that plain in-process
path. With more jobs, forked workers inherit the Scanner built in the parent (the automaton is
never pickled: pyahocorasick 2.3.1 leaks on ``pickle.dumps``) and ignore SIGINT, so Ctrl-C
reaches only the parent, which stops, tears the pool down and keeps what it already yielded.

Two ways to fan out, chosen per file:

* **Byte ranges** (JSONL and the delimited presets in a byte-safe encoding: UTF-8, GB18030,
  cp1252, ASCII, Latin-1). The parent finds the header, then cuts the rest of the file at
  newlines (for CSV, where the count of quote characters before the newline is even). Each
  worker reads and parses its own range; line numbers start from the range's first line. The
  cut is *proved*, not trusted: a worker parsing from a record start that ends its range at a
  record end (csv never has to complete a record after the range's last line) shows the next
  range also starts at a record start, by induction from the header. A range that fails the
  proof (a quoted newline across the cut, a lone CR that would shift line numbers) is thrown
  away with everything after it and the rest of the file is scanned in the parent. Shopify
  continuation rows (variants adding image alt text to the listing above) are handled by cutting
  only before a row with a title; the worker checks the record after its range is one.
* **Listing batches** (every other format, stdin): the parent reads as usual and workers scan
  batches of listings.

Results come back per task and are yielded strictly in task order; at most ``2 * jobs`` tasks
are in flight, so memory does not grow with the file.
"""

from __future__ import annotations

import collections
import io
import multiprocessing
import os
import signal
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Generator, Iterable, Iterator, Sequence, TypeGuard

from scanner.core.engine import Scanner
from scanner.core.models import Listing
from scanner.errors import InputError, ListguardError
from scanner.runners.stream import CleanListings, FileError, ListingResult, ReadSettings, Result, read_all, scan_items
from scanner.sources import BadRow, watch_opens
from scanner.sources.base import ReadOptions, display_path
from scanner.sources.delimited import ColumnMap, ReadContext, TablePreset, first_value, iter_records, sniff_delimiter
from scanner.sources.detect import all_presets, detect_format
from scanner.sources.encoding import (
    ENCODING_HINT,
    HEAD_SIZE,
    UndecodableLine,
    checked_lines,
    choose_encoding,
    decode_head,
)
from scanner.sources.jsonl import JsonlPreset
from scanner.sources.presets.shopify import ShopifyPreset

CHUNK_BYTES = 256 * 1024  # target size of one byte range (a fraction of a second of work)
BATCH_ITEMS = 500  # listings per task when the parent reads
SAFE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii", "gb18030", "cp1252", "iso8859-1", "latin-1"})
MAX_RANGE_CHUNKS = 16  # a range that finds no safe cut in this many chunks ends the splitting
POSITION_EVERY = 256  # items between two byte-position samples on the in-process paths

PositionCallback = Callable[[str, int], None]  # (path, bytes of that file consumed)

_PRESETS = all_presets()
_SCANNER: Scanner | None = None  # set in the parent before the fork; workers inherit it


@dataclass(frozen=True)
class FilePlan:
    """How to read byte ranges of one file (everything a worker needs, small to pickle)."""

    path: str
    display: str
    encoding: str  # as chosen by the sources (named in decode errors)
    preset: str
    options: ReadOptions
    start: int  # byte offset of the first data line (after the header)
    first_line: int
    size: int
    header: list[str] | None = None  # delimited presets only
    cmap: ColumnMap | None = None
    delimiter: str = ","
    preamble: list[BadRow] = field(default_factory=list)  # bad rows before the header

    @property
    def table(self) -> bool:
        return self.header is not None

    @property
    def listing_starts(self) -> bool:
        """Ranges may only begin at a row that starts a listing (Shopify variants)."""
        return isinstance(_PRESETS[self.preset], ShopifyPreset)


@dataclass
class RangeState:
    aligned: bool = True
    # The range runs to the end of the file: a record the reader completes after the last
    # line (an unclosed quote running to EOF) is the file's last record, not a cut one.
    to_eof: bool = False


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
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init)
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
    plan = plan_file(path, settings)
    if plan is None:
        tasks = ((_scan_batch, batch) for batch in _batches(read_all([path], settings), BATCH_ITEMS))
        for task_result in _ordered(pool, jobs, tasks):
            yield from task_result.results
        return
    yield from plan.preamble
    ranges = _ranges(plan, chunk_bytes)
    starts: collections.deque[tuple[int, int]] = collections.deque()
    tail: list[tuple[int, int]] = []  # (start, line) of a rest to read in the parent

    def submitted() -> Iterator[tuple[Callable[..., Any], Any]]:
        for start, end, line in ranges:
            if end is None:
                tail.append((start, line))
                return
            starts.append((start, line))
            yield _scan_range_task, (plan, start, end, line)

    for task_result in _ordered(pool, jobs, submitted()):
        start, line = starts.popleft()
        if not task_result.aligned:  # redo the rest in-process from a proven record start
            ranges.close()
            yield from _sampled_range(scanner, plan, start, line, on_position)
            return
        yield from task_result.results
        if on_position:
            on_position(path, task_result.end)
        if task_result.results and isinstance(task_result.results[-1], FileError):
            return
    if tail:
        yield from _sampled_range(scanner, plan, *tail[0], on_position)


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


def _sampled_range(scanner: Scanner, plan: FilePlan, start: int, line: int,
                   on_position: PositionCallback | None) -> Iterator[Result]:
    with open(plan.path, "rb") as binary:
        binary.seek(start)
        state = RangeState(to_eof=True)
        for count, result in enumerate(_range_results(scanner, plan, binary, line, state, None), 1):
            if on_position and count % POSITION_EVERY == 0:
                on_position(plan.path, binary.tell())
            yield result


# -- planning byte ranges --------------------------------------------------------------------

def plan_file(path: str, settings: ReadSettings) -> FilePlan | None:
    """A plan to read path in byte ranges, or None when it must be read in one stream (stdin,
    XML, UTF-16, any doubt: the normal reader then reports errors exactly as without jobs)."""
    if path == "-" or not os.path.isfile(path):
        return None
    if settings.input_format is not None and settings.input_format not in _PRESETS:
        return None
    display = display_path(path)
    try:
        with open(path, "rb") as binary:
            head = binary.read(HEAD_SIZE)
        if not head.strip():
            return None
        name = settings.input_format or detect_format(display, head)
        preset = _PRESETS[name]
        if getattr(preset, "binary", False):
            return None
        encoding = choose_encoding(display, head, preset.fallback_encoding, settings.encoding)
    except (ListguardError, OSError):
        return None
    if encoding not in SAFE_ENCODINGS:
        return None
    options = ReadOptions.make(settings.id_field, settings.fields, settings.brand_field)
    size = os.path.getsize(path)
    if isinstance(preset, JsonlPreset):
        if b"\r" in head:  # line numbers come from counting LF; keep CR files on one stream
            return None
        return FilePlan(path, display, encoding, name, options, 0, 1, size)
    if not _splittable_table(preset):
        return None
    return _plan_table(path, display, encoding, name, preset, options, head, size)


def _splittable_table(preset: object) -> TypeGuard[TablePreset]:
    if not isinstance(preset, TablePreset) or type(preset).read is not TablePreset.read:
        return False
    return type(preset).map_rows is TablePreset.map_rows or isinstance(preset, ShopifyPreset)


def _plan_table(path: str, display: str, encoding: str, name: str, preset: TablePreset, options: ReadOptions,
                head: bytes, size: int) -> FilePlan | None:
    """Find the header the way TablePreset.read does, and where the first data record starts."""
    head_text = decode_head(head)
    delimiter = preset.delimiter or sniff_delimiter(head_text)
    ctx = ReadContext(path, display, head_text, options)
    preamble: list[BadRow] = []
    try:
        with open(path, "rb") as binary:
            stream = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
            records = iter_records(stream, display, delimiter)
            header = cmap = None
            for seen, record in enumerate(records, 1):
                if isinstance(record, BadRow):
                    preamble.append(record)
                    continue
                if preset.is_header(record[1]):
                    header, cmap = record[1], preset.resolve(record[1], ctx, record[0])
                    break
                if seen >= 50:
                    break
            if header is None:
                return None
            following = next(records, None)
    except (ListguardError, UndecodableLine, UnicodeDecodeError, OSError):
        return None
    if following is None:  # header only
        return FilePlan(path, display, encoding, name, options, size, 1, size, header, cmap, delimiter, preamble)
    first_line = following.line if isinstance(following, BadRow) else following[0]
    start = _line_offset(path, first_line)
    if start is None:
        return None
    return FilePlan(path, display, encoding, name, options, start, first_line, size, header, cmap, delimiter, preamble)


def _line_offset(path: str, line: int) -> int | None:
    """Byte offset where physical line ``line`` starts; None if a lone CR makes it ambiguous."""
    offset, newlines = 0, 0
    with open(path, "rb") as binary:
        while newlines < line - 1:
            block = binary.read(1 << 20)
            if not block:
                return None
            count = block.count(b"\n")
            if newlines + count >= line - 1:
                cut = -1
                for _ in range(line - 1 - newlines):
                    cut = block.index(b"\n", cut + 1)
                block = block[: cut + 1]
                count = line - 1 - newlines
            if block.count(b"\r") != block.count(b"\r\n"):
                return None
            offset += len(block)
            newlines += count
    return offset


def _ranges(plan: FilePlan, chunk_bytes: int) -> Generator[tuple[int, int | None, int], None, None]:
    """(start, end, first line) of each range, cut at likely record starts; lazily. An end of
    None means: read from start to the end of the file in one stream."""
    if plan.start >= plan.size:
        return
    quote = b'"'
    title_col = plan.cmap.extra.get("title", []) if plan.cmap and plan.listing_starts else []
    start, line = plan.start, plan.first_line
    buffer = b""
    with open(plan.path, "rb") as binary:
        binary.seek(start)
        while True:
            block = binary.read(chunk_bytes)
            buffer += block
            if not block:
                if buffer:
                    yield start, start + len(buffer), line
                return
            if len(buffer) < chunk_bytes:
                continue
            # A lone CR would shift line numbers between ranges; only a buffer holding a CR
            # at all (a CRLF export) needs counting, and most hold none.
            if ((b"\r" in buffer and buffer.count(b"\r") != buffer.count(b"\r\n") + buffer.endswith(b"\r"))
                    or len(buffer) > MAX_RANGE_CHUNKS * chunk_bytes):
                yield start, None, line  # lone CR or no safe cut: the rest is read in the parent
                return
            cut = _cut(buffer, plan.table, quote, title_col, plan.delimiter)
            if cut is None:
                continue
            piece = buffer[:cut]
            yield start, start + cut, line
            start += cut
            line += piece.count(b"\n")
            buffer = buffer[cut:]


def _cut(buffer: bytes, table: bool, quote: bytes, title_col: list[int], delimiter: str) -> int | None:
    """Length of the first range in buffer: just after a newline that likely ends a record."""
    total_quotes = buffer.count(quote) if table else 0
    end = len(buffer)
    for _ in range(64):
        newline = buffer.rfind(b"\n", 0, end)
        if newline < 0:
            return None
        end = newline
        if table and (total_quotes - buffer.count(quote, newline)) % 2:
            continue
        if title_col and not _starts_listing(buffer, newline + 1, title_col, delimiter):
            continue
        return newline + 1
    return None


def _starts_listing(buffer: bytes, at: int, title_col: list[int], delimiter: str) -> bool:
    stop = buffer.find(b"\n", at)
    if stop < 0:
        return False
    import csv

    try:
        cells = next(csv.reader([buffer[at:stop].decode("utf-8", "replace")], delimiter=delimiter), [])
    except csv.Error:
        return False
    return any(i < len(cells) and cells[i].strip() for i in title_col)


# -- the workers -----------------------------------------------------------------------------

def _slim(result: Result) -> Result:
    # Sending listings' texts back to the parent cost more than scanning them (pickling).
    # The JSON form of each problem is made here, in parallel, rather than in the parent,
    # whose share of the work is what limits --jobs N (bench/bench_catalog.py).
    if not isinstance(result, ListingResult):
        return result
    for problem in result.problems:
        problem.to_json()
    return result.slim()


def _compact(results: Iterable[Result]) -> list[Result]:
    """A task's results as they travel to the parent: runs of listings with no problems
    become one CleanListings record each (see scanner/workflows/run.py)."""
    out: list[Result] = []
    count = fields = 0
    for result in results:
        if isinstance(result, ListingResult) and not result.problems:
            count += 1
            fields += result.field_count()
            continue
        if count:
            out.append(CleanListings(count, fields))
            count = fields = 0
        out.append(_slim(result))
    if count:
        out.append(CleanListings(count, fields))
    return out


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _scan_batch(batch: list[Listing | BadRow | FileError]) -> TaskResult:
    assert _SCANNER is not None
    return TaskResult(_compact(scan_items(_SCANNER, batch)))


def _scan_range_task(args: tuple[FilePlan, int, int, int]) -> TaskResult:
    plan, start, end, line = args
    assert _SCANNER is not None
    with open(plan.path, "rb") as binary:
        binary.seek(start)
        data = io.BytesIO(binary.read(end - start))
        state = RangeState(to_eof=binary.read(1) == b"")
        binary.seek(end)
        results = _compact(_range_results(_SCANNER, plan, data, line, state, binary if plan.listing_starts else None))
    return TaskResult(results, state.aligned, end)


def _range_results(scanner: Scanner, plan: FilePlan, binary: BinaryIO, first_line: int, state: RangeState,
                   after: BinaryIO | None) -> Iterator[Result]:
    """Scan one range (binary positioned at its start; it ends at the stream's end)."""
    encoding = "utf-8" if plan.encoding == "utf-8-sig" and first_line > 1 else plan.encoding
    stream = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
    ctx = ReadContext(plan.path, plan.display, "", plan.options)
    try:
        yield from scan_items(scanner, _range_items(plan, stream, first_line, ctx, state))
        if after is not None and state.aligned:
            state.aligned = _listing_follows(plan, after)
    except UndecodableLine as err:
        message = InputError(f"cannot decode as {plan.encoding}", plan.display, first_line + err.line - 1,
                             hint=ENCODING_HINT)
        yield FileError(plan.path, str(message))
    except UnicodeDecodeError:
        state.aligned = False


def _range_items(plan: FilePlan, stream: io.TextIOWrapper, first_line: int, ctx: ReadContext,
                 state: RangeState) -> Iterator[Listing | BadRow]:
    if not plan.table:
        jsonl = _PRESETS[plan.preset]
        assert isinstance(jsonl, JsonlPreset)  # a plan without a table is made only for JSONL
        for number, line in enumerate(checked_lines(stream), first_line):
            if line.strip():
                yield jsonl.parse_line(line, number, ctx)
        return
    # a table plan is made only for a TablePreset (_splittable_table)
    preset: TablePreset = _PRESETS[plan.preset]  # type: ignore[assignment]
    assert plan.header is not None and plan.cmap is not None
    lines = _Watched(stream)
    records = _shifted(iter_records(lines, plan.display, plan.delimiter), first_line - 1, lines, state)
    yield from preset.map_rows(preset._rows(records, plan.header, plan.delimiter, ctx), plan.cmap, ctx)


class _Watched:
    """Lines of a stream, remembering when they ran out."""

    def __init__(self, stream: Iterable[str]) -> None:
        self.stream = stream
        self.exhausted = False

    def __iter__(self) -> Iterator[str]:
        yield from self.stream
        self.exhausted = True


def _shifted(records: Iterator[Any], offset: int, lines: _Watched, state: RangeState) -> Iterator[Any]:
    """Records with file line numbers; stops (misaligned) if csv completes a record after the
    range's last line: the range then ended inside a record."""
    for record in records:
        if lines.exhausted and not state.to_eof:
            state.aligned = False
            return
        if isinstance(record, BadRow):
            yield BadRow(record.path, record.line + offset, record.message)
        else:
            yield record[0] + offset, record[1]


def _listing_follows(plan: FilePlan, binary: BinaryIO) -> bool:
    """Shopify: the record after this range (binary is positioned there) starts a listing, so
    no continuation row of our last listing lies in the next range. EOF counts as yes."""
    stream = io.TextIOWrapper(binary, encoding=plan.encoding, errors="surrogateescape", newline="")
    try:
        record = next(iter_records(stream, plan.display, plan.delimiter), None)
    except (UndecodableLine, UnicodeDecodeError):
        return False
    finally:
        stream.detach()
    if record is None:
        return True
    if isinstance(record, BadRow) or plan.cmap is None:
        return False
    # a table plan is made only for a TablePreset (_splittable_table)
    preset: TablePreset = _PRESETS[plan.preset]  # type: ignore[assignment]
    return not preset.skip_row(record[1]) and bool(first_value(record[1] + [""] * len(plan.header or ()),
                                                             plan.cmap.extra["title"]))
