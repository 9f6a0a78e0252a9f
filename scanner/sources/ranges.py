"""Byte ranges of one catalog file: plan them, cut them, read one.

A runner (the local process pool, Dask) schedules the ranges cut here and puts what each
yields back in file order; it never parses. Three calls:

* ``plan_file(path, ...)`` -> ``FilePlan`` or None. The file is read in ranges when its preset
  says how (``range_kind``: ``"lines"`` for JSONL, ``"records"`` for the delimited presets) and
  its encoding is byte-safe (UTF-8, GB18030, cp1252, ASCII, Latin-1: a newline byte is always a
  newline). The plan holds what a worker needs, small to pickle: the header and column map
  found here exactly as the reader finds them (``TablePreset.find_header``), and where the
  first data record starts. None means: read the file in one stream (stdin, XML, UTF-16, a
  header that cannot be found or placed, any doubt), where the normal reader reports errors.
* ``plan_ranges(plan, chunk_bytes)`` -> ``ByteRange`` after ``ByteRange``, lazily: the rest of
  the file cut at newlines (for CSV, where the count of quote characters since the range start
  is even; for presets whose listings span rows, only before a row that starts a listing). A
  range whose ``end`` is None is the rest of the file, to read in one stream: no safe cut was
  found in ``MAX_RANGE_CHUNKS`` chunks, or a lone CR would shift line numbers.
* ``read_range(plan, byte_range)`` -> a ``RangeRead``: its listings and bad rows in order (line
  numbers are the file's), then ``.aligned``.

The cut is *proved*, not trusted: a range read from a record start that ends at a record end
(csv never has to complete a record after the range's last line; for presets whose listings
span rows, the record after the range starts a listing) shows the next range also starts at a
record start, by induction from the header. A range that fails the proof (a quoted newline
across the cut) reports ``aligned = False``: its results and everything after it must be
thrown away and the rest of the file read from that range's start as one stream
(``ByteRange(start, None, line)``), which is always right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Generator, Iterable, Iterator, Protocol, Sequence

from scanner.core.models import Listing
from scanner.errors import InputError, ListguardError
from scanner.sources.base import BadRow, ReadOptions, display_path
from scanner.sources.delimited import ColumnMap, ReadContext, Record, iter_records, sniff_delimiter
from scanner.sources.detect import all_presets, detect_format
from scanner.sources.encoding import (
    ENCODING_HINT,
    HEAD_SIZE,
    UndecodableLine,
    checked_lines,
    choose_encoding,
    decode_head,
)
from scanner.sources.storage import LOCAL, Storage

CHUNK_BYTES = 256 * 1024  # target size of one range (a fraction of a second of work)
SAFE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii", "gb18030", "cp1252", "iso8859-1", "latin-1"})
MAX_RANGE_CHUNKS = 16  # a range that finds no safe cut in this many chunks ends the splitting

_PRESETS = all_presets()


class LinePreset(Protocol):
    """A format with one record per physical line (``range_kind = "lines"``): JSONL."""

    range_kind: str

    def parse_line(self, line: str, number: int, ctx: ReadContext) -> Listing | BadRow: ...


class RecordPreset(Protocol):
    """A delimited format with a header (``range_kind = "records"``): the table presets."""

    range_kind: str
    delimiter: str | None
    rows_continue_listings: bool

    def find_header(self, records: Iterator[Record | BadRow], preamble: list[BadRow]) -> Record | None: ...
    def resolve(self, header: list[str], ctx: ReadContext, line: int) -> ColumnMap: ...
    def read_rows(self, records: Iterator[Record | BadRow], header: list[str], cmap: ColumnMap, delimiter: str,
                  ctx: ReadContext) -> Iterator[Listing | BadRow]: ...
    def starts_listing(self, cells: list[str], cmap: ColumnMap) -> bool: ...


@dataclass(frozen=True)
class TableLayout:
    """What the header of a delimited file says, found once when planning."""

    header: list[str]
    cmap: ColumnMap
    delimiter: str
    listing_starts: bool  # ranges may begin only at a row that starts a listing


@dataclass(frozen=True)
class FilePlan:
    """How to read byte ranges of one file: everything a worker needs, small to pickle."""

    path: str
    display: str
    encoding: str  # as chosen by the sources (named in decode errors)
    preset: str
    options: ReadOptions
    start: int  # byte offset of the first data record (after the header)
    first_line: int
    size: int
    table: TableLayout | None = None  # None: one record per line (JSONL)
    preamble: tuple[BadRow, ...] = ()  # bad rows before the header: reported before any range
    storage: Storage = LOCAL


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int | None  # None: to the end of the file, in one stream
    first_line: int  # physical line of the range's first byte


_DEFAULT_OPTIONS = ReadOptions()


def plan_file(path: str, *, input_format: str | None = None, encoding: str | None = None,
              options: ReadOptions = _DEFAULT_OPTIONS, storage: Storage = LOCAL) -> FilePlan | None:
    """A plan to read path in byte ranges, or None to read it in one stream (see the module
    docstring). Never raises for a bad file: the one-stream reader reports it."""
    if path == "-" or (input_format is not None and input_format not in _PRESETS):
        return None
    display = display_path(path)
    try:
        size = storage.size(path)
        if size is None:
            return None
        with storage.open(path) as binary:
            head = binary.read(HEAD_SIZE)
        if not head.strip():
            return None
        name = input_format or detect_format(display, head)
        preset: Any = _PRESETS[name]
        kind = getattr(preset, "range_kind", None)
        if kind is None:
            return None
        chosen = choose_encoding(display, head, preset.fallback_encoding, encoding)
    except (ListguardError, OSError):
        return None
    if chosen not in SAFE_ENCODINGS:
        return None
    if kind == "lines":
        if b"\r" in head:  # line numbers come from counting LF; keep CR files on one stream
            return None
        return FilePlan(path, display, chosen, name, options, 0, 1, size, storage=storage)
    return _plan_table(path, display, chosen, name, preset, options, head, size, storage)


def _plan_table(path: str, display: str, encoding: str, name: str, preset: RecordPreset, options: ReadOptions,
                head: bytes, size: int, storage: Storage) -> FilePlan | None:
    """Find the header the way the preset's reader does, and where the first data record starts."""
    head_text = decode_head(head)
    delimiter = preset.delimiter or sniff_delimiter(head_text)
    ctx = ReadContext(path, display, head_text, options)
    preamble: list[BadRow] = []
    try:
        with storage.open(path) as binary:
            stream = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
            records = iter_records(stream, display, delimiter)
            found = preset.find_header(records, preamble)
            if found is None:
                return None
            cmap = preset.resolve(found[1], ctx, found[0])
            following = next(records, None)
    except (ListguardError, UndecodableLine, UnicodeDecodeError, OSError):
        return None
    layout = TableLayout(found[1], cmap, delimiter, preset.rows_continue_listings)
    if following is None:  # header only
        return FilePlan(path, display, encoding, name, options, size, 1, size, layout, tuple(preamble), storage)
    first_line = following.line if isinstance(following, BadRow) else following[0]
    start = _line_offset(storage, path, first_line)
    if start is None:
        return None
    return FilePlan(path, display, encoding, name, options, start, first_line, size, layout, tuple(preamble), storage)


def _line_offset(storage: Storage, path: str, line: int) -> int | None:
    """Byte offset where physical line ``line`` starts; None if a lone CR makes it ambiguous."""
    offset, newlines = 0, 0
    with storage.open(path) as binary:
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


# -- cutting ---------------------------------------------------------------------------------

def plan_ranges(plan: FilePlan, chunk_bytes: int = CHUNK_BYTES) -> Generator[ByteRange, None, None]:
    """The ranges of the file after its header, cut at likely record starts, lazily (see the
    module docstring). Reads the file once, sequentially, without parsing it."""
    if plan.start >= plan.size:
        return
    start, line = plan.start, plan.first_line
    buffer = b""
    with plan.storage.open(plan.path) as binary:
        binary.seek(start)
        while True:
            block = binary.read(chunk_bytes)
            buffer += block
            if not block:
                if buffer:
                    yield ByteRange(start, start + len(buffer), line)
                return
            if len(buffer) < chunk_bytes:
                continue
            # A lone CR would shift line numbers between ranges; only a buffer holding a CR
            # at all (a CRLF export) needs counting, and most hold none.
            if ((b"\r" in buffer and buffer.count(b"\r") != buffer.count(b"\r\n") + buffer.endswith(b"\r"))
                    or len(buffer) > MAX_RANGE_CHUNKS * chunk_bytes):
                yield ByteRange(start, None, line)  # lone CR or no safe cut: the rest in one stream
                return
            cut = _cut(buffer, plan)
            if cut is None:
                continue
            yield ByteRange(start, start + cut, line)
            line += buffer.count(b"\n", 0, cut)
            start += cut
            buffer = buffer[cut:]


def _cut(buffer: bytes, plan: FilePlan) -> int | None:
    """Length of the first range in buffer: just after a newline that likely ends a record."""
    table = plan.table
    quote = b'"'
    total_quotes = buffer.count(quote) if table else 0
    end = len(buffer)
    for _ in range(64):
        newline = buffer.rfind(b"\n", 0, end)
        if newline < 0:
            return None
        end = newline
        if table and (total_quotes - buffer.count(quote, newline)) % 2:
            continue
        if table and table.listing_starts and not _starts_listing(buffer, newline + 1, plan):
            continue
        return newline + 1
    return None


def _starts_listing(buffer: bytes, at: int, plan: FilePlan) -> bool:
    """A guess (the proof comes when the range is read): the line at ``at`` starts a listing."""
    assert plan.table is not None
    stop = buffer.find(b"\n", at)
    if stop < 0:
        return False
    try:
        cells = next(csv.reader([buffer[at:stop].decode(plan.encoding, "replace")], delimiter=plan.table.delimiter), [])
    except csv.Error:
        return False
    return _preset(plan).starts_listing(cells, plan.table.cmap)


# -- reading one range -----------------------------------------------------------------------

def read_range(plan: FilePlan, byte_range: ByteRange) -> RangeRead:
    """The listings and bad rows of one range, in order (see ``RangeRead``)."""
    return RangeRead(plan, byte_range)


@dataclass
class RangeRead:
    """Iterate for the range's listings and bad rows; afterwards ``aligned`` tells whether it
    ended at a record end (False: throw it and what follows away, and read the rest of the
    file from this range's start in one stream). An undecodable byte raises ``InputError``
    naming its line, after everything before it was yielded, as the one-stream reader does."""

    plan: FilePlan
    byte_range: ByteRange
    aligned: bool = True
    position: int = 0  # bytes of the file consumed so far (progress)
    _exhausted: bool = field(default=False, repr=False)

    def __iter__(self) -> Iterator[Listing | BadRow]:
        plan, rng = self.plan, self.byte_range
        self.position = rng.start
        # A range that runs to the end of the file may end in a record the reader completes
        # after the last line (an unclosed quote running to EOF): that is the file's last
        # record, not a cut one.
        to_eof = rng.end is None or rng.end >= plan.size
        with plan.storage.open(plan.path, block_size=_block_size(rng)) as binary:
            binary.seek(rng.start)
            if rng.end is None:
                source: BinaryIO = io.BufferedReader(_Counted(binary, self, rng.start))
            else:
                data = binary.read(rng.end - rng.start)
                self.position = rng.end
                source = io.BytesIO(data)
            yield from self._items(source, to_eof)
            if rng.end is not None and self.aligned and plan.table and plan.table.listing_starts and not to_eof:
                binary.seek(rng.end)
                self.aligned = _listing_follows(plan, binary)

    def _items(self, source: BinaryIO, to_eof: bool) -> Iterator[Listing | BadRow]:
        plan, first_line = self.plan, self.byte_range.first_line
        # A BOM belongs to the file's first bytes; a later range never starts with one.
        encoding = "utf-8" if plan.encoding == "utf-8-sig" and first_line > 1 else plan.encoding
        stream = io.TextIOWrapper(source, encoding=encoding, errors="surrogateescape", newline="")
        ctx = ReadContext(plan.path, plan.display, "", plan.options)
        try:
            if plan.table is None:
                preset: Any = _PRESETS[plan.preset]
                for number, line in enumerate(checked_lines(stream), first_line):
                    if line.strip():
                        yield preset.parse_line(line, number, ctx)
                return
            lines = _Watched(stream)
            records = self._shifted(iter_records(lines, plan.display, plan.table.delimiter), lines, to_eof)
            yield from _preset(plan).read_rows(records, plan.table.header, plan.table.cmap, plan.table.delimiter, ctx)
        except UndecodableLine as err:
            raise InputError(f"cannot decode as {plan.encoding}", plan.display, first_line + err.line - 1,
                             hint=ENCODING_HINT) from None
        except UnicodeDecodeError:
            self.aligned = False

    def _shifted(self, records: Iterator[Record | BadRow], lines: _Watched, to_eof: bool) -> Iterator[Record | BadRow]:
        """Records with file line numbers; stops (misaligned) if csv completes a record after
        the range's last line: the range then ended inside a record."""
        offset = self.byte_range.first_line - 1
        for record in records:
            if lines.exhausted and not to_eof:
                self.aligned = False
                return
            if isinstance(record, BadRow):
                yield BadRow(record.path, record.line + offset, record.message)
            else:
                yield record[0] + offset, record[1]


def _block_size(rng: ByteRange) -> int | None:
    """Remote reads fetch about the range (plus the record after it), not a default 5-50 MiB."""
    return None if rng.end is None else max(rng.end - rng.start + (64 << 10), 1 << 16)


def _preset(plan: FilePlan) -> RecordPreset:
    return _PRESETS[plan.preset]  # type: ignore[return-value]


class _Watched:
    """Lines of a stream, remembering when they ran out."""

    def __init__(self, stream: Iterable[str]) -> None:
        self.stream = stream
        self.exhausted = False

    def __iter__(self) -> Iterator[str]:
        yield from self.stream
        self.exhausted = True


class _Counted(io.RawIOBase):
    """A file read to its end, telling the RangeRead how far it got (progress)."""

    def __init__(self, binary: BinaryIO, read: RangeRead, start: int) -> None:
        self._binary = binary
        self._read = read
        self._read.position = start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._binary.read(len(buffer))
        buffer[: len(data)] = data
        self._read.position += len(data)
        return len(data)


def _listing_follows(plan: FilePlan, binary: BinaryIO) -> bool:
    """For presets whose listings span rows: the record after this range (binary is
    positioned there) starts a listing, so no continuation row of our last listing lies in
    the next range. EOF counts as yes."""
    assert plan.table is not None
    stream = io.TextIOWrapper(binary, encoding=plan.encoding, errors="surrogateescape", newline="")
    try:
        record = next(iter_records(stream, plan.display, plan.table.delimiter), None)
    except (UndecodableLine, UnicodeDecodeError):
        return False
    finally:
        stream.detach()
    if record is None:
        return True
    if isinstance(record, BadRow):
        return False
    return _preset(plan).starts_listing(record[1], plan.table.cmap)


def range_count_hint(plans: Sequence[FilePlan], chunk_bytes: int = CHUNK_BYTES) -> int:
    """About how many ranges these plans cut into (progress shows ``ranges done/total``)."""
    return sum(max(1, -(-(p.size - p.start) // chunk_bytes)) for p in plans if p.size > p.start)
