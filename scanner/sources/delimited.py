"""Delimited (CSV/TSV) reading shared by the generic reader and the platform presets.

Robustness decisions, all per record (a record may span several physical lines when a quoted
field holds newlines; its line number is the physical line where it starts):

* NUL bytes are removed before parsing: spreadsheet and database dumps pad with them and they
  never carry text. (Python 3.11's csv accepts them, so they would otherwise reach the scanner.)
* Fields up to ``FIELD_LIMIT`` (64 MiB) are accepted (Python's default is 128 KiB, too small for
  real HTML descriptions).
* An unclosed quote must not swallow the listings after it. A record that spans several
  physical lines (a quoted cell holding newlines) is checked strictly: its quoted cells must
  close, and a closing quote must be followed by the delimiter or the end of the line. If
  not (a quote that runs to the end of the file, or is "closed" by the opening quote of a
  later row: ``3,"Gucci" fake``), or if csv cannot read the record at all (a field over the
  limit), the record is a ``BadRow`` at its first line and reading resumes on the line after
  it: every listing after the stray quote is still read. (A stray quote closed by a quote
  that happens to end a later line, ``4,a 12" screen``, stays one record: csv cannot tell.)
* More cells than the header: a ``BadRow`` if any extra cell has text (an unquoted delimiter
  inside a value shifted the columns), silently trimmed if they are all empty (Excel pads rows
  with trailing delimiters). Fewer cells: padded with empty cells.
* Rows whose cells are all empty are skipped silently.
* Duplicate header names: every column of a text field is scanned (``id,title,title`` scans
  both titles, one line each, in column order); for the id, brand and category the first
  column wins.
* Header names match case-insensitively with whitespace collapsed (``norm``); a leading BOM
  or spaces never matter.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence, TextIO

from scanner.core.models import Listing
from scanner.errors import InputError
from scanner.sources.base import BadRow, ReadOptions, build_listing
from scanner.sources.encoding import check_line

FIELD_LIMIT = 64 * 1024 * 1024
MAX_PREAMBLE_ROWS = 50  # rows searched for the header before giving up

csv.field_size_limit(FIELD_LIMIT)

Record = tuple[int, list[str]]


@dataclass(frozen=True)
class ReadContext:
    path: str  # as given ('-' for stdin)
    display: str  # path used in messages and Listing.source
    head_text: str  # decoded head, for sniffing only
    options: ReadOptions


def norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def sniff_delimiter(head_text: str) -> str:
    """TAB if most of the first lines that hold a TAB or comma hold more TABs, else comma."""
    votes = 0
    for line in head_text.splitlines()[:10]:
        tabs, commas = line.count("\t"), line.count(",")
        if tabs or commas:
            votes += 1 if tabs >= commas else -1
    return "\t" if votes > 0 else ","


UNCLOSED_QUOTE = ("unclosed quote: the quoted cell that starts on this line never ends properly; "
                  "the record is skipped and reading resumes on the next line")


class _RecordLines:
    """The physical lines under a csv reader, remembering those of the record being read, so
    that a broken record can be skipped and the lines after its first read again."""

    __slots__ = ("_lines", "_number", "replay", "taken")

    def __init__(self, stream: Iterable[str]) -> None:
        self._lines = iter(stream)
        self._number = 0  # physical lines read from the stream
        self.replay: list[str] = []  # lines to read again, the next one last
        self.taken: list[str] = []  # lines of the record being read

    def __iter__(self) -> _RecordLines:
        return self

    def __next__(self) -> str:
        # checked_lines (encoding.py) inlined: this runs once a physical line
        if self.replay:
            line = self.replay.pop()
        else:
            line = next(self._lines)
            self._number += 1
            if not line.isascii():
                check_line(line, self._number)
            if "\0" in line:
                line = line.replace("\0", "")
        self.taken.append(line)
        return line


def _lenient(line: str, delimiter: str) -> list[str] | None:
    """One physical line read with csv's usual leniency (``1,"Nike" shoes``), None if even
    that fails."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None


def iter_records(stream: Iterable[str], display: str, delimiter: str) -> Iterator[Record | BadRow]:
    """(start line, cells) per non-blank record, or a BadRow for a record csv cannot parse or
    whose quote never closes properly; after a BadRow, reading resumes on the line after its
    first (see the module docstring)."""
    # csv's strict mode finds a quoted cell that never closes properly, at no cost to the
    # records that are fine; a one-line record it refuses is read again leniently, as before.
    lines = _RecordLines(stream)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line = 1  # physical line where the next record starts
    while True:
        lines.taken.clear()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            taken = lines.taken
            lenient = _lenient(taken[0], delimiter) if len(taken) == 1 else None
            if lenient is not None:
                cells = lenient
            else:
                strict_only = len(taken) > 1 and "field limit" not in str(err)
                yield BadRow(display, line, UNCLOSED_QUOTE if strict_only else
                             f"unreadable record ({err}); check for an unclosed quote")
                line += 1
                if len(taken) > 1:  # read the record's other lines again, from a clean csv state
                    lines.replay.extend(reversed(taken[1:]))
                    reader = csv.reader(lines, delimiter=delimiter, strict=True)
                continue
        start, line = line, line + len(lines.taken)
        if any(cell.strip() for cell in cells):
            yield start, cells


def fit_row(cells: list[str], width: int, display: str, line: int, delimiter: str) -> list[str] | BadRow:
    if len(cells) > width:
        if any(cell.strip() for cell in cells[width:]):
            name = "TAB" if delimiter == "\t" else repr(delimiter)
            return BadRow(
                display, line,
                f"{len(cells)} cells but the header has {width} columns; quote values that contain {name}",
            )
        return cells[:width]
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    return cells


def index_of(header: Sequence[str], names: Iterable[str], every: bool = False) -> list[int]:
    """Indexes of the first column carrying each name (names already normalised), in name
    order; with ``every``, of every column carrying it (a duplicated header name)."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(name, []).append(index)
    found: list[int] = []
    for name in names:
        for index in columns.get(name, [])[: None if every else 1]:
            if index not in found:
                found.append(index)
    return found


def first_value(cells: Sequence[str], indexes: Sequence[int]) -> str:
    for index in indexes:
        value = cells[index].strip()
        if value:
            return value
    return ""


def joined(cells: Sequence[str], indexes: Sequence[int], joiner: str) -> str:
    if len(indexes) == 1:  # nearly every field has one column: no generator per row
        return cells[indexes[0]].strip()
    return joiner.join(v for v in (cells[i].strip() for i in indexes) if v)


@dataclass
class ColumnMap:
    """Which columns feed which part of a Listing (indexes into the row)."""

    id: list[int]
    text: list[tuple[str, list[int], str]]  # field name, columns, joiner
    brand: list[int] = field(default_factory=list)
    category: list[int] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    extra: dict[str, list[int]] = field(default_factory=dict)


def describe_header(header: Sequence[str]) -> str:
    text = ", ".join(h.strip() for h in header)
    return text if len(text) <= 160 else text[:157] + "..."


class TablePreset:
    """A delimited format: find the header, map columns, turn each row into a Listing.

    Subclasses set the class attributes and override the hooks they need.
    """

    name = ""
    description = ""
    detected_by = ""
    delimiter: str | None = None  # None: sniff from the head
    fallback_encoding: str | None = None
    id_names: tuple[str, ...] = ("id",)
    text_names: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    brand_names: tuple[str, ...] = ("brand",)
    category_names: tuple[str, ...] = ("category",)
    hidden_names: tuple[str, ...] = ()
    extra_names: dict[str, tuple[str, ...]] = {}
    header_hint = "the first non-empty row must be the header"

    # ----- hooks
    def normalize_header(self, cell: str) -> str:
        return norm(cell)

    def is_header(self, cells: list[str]) -> bool:
        return True

    def skip_row(self, cells: list[str]) -> bool:
        return False

    def clean_cell(self, value: str) -> str:
        return value

    # ----- column resolution
    def resolve(self, header: list[str], ctx: ReadContext, line: int) -> ColumnMap:
        names = [self.normalize_header(cell) for cell in header]
        opts = ctx.options
        cmap = ColumnMap(
            id=index_of(names, self.id_names),
            text=[(f, index_of(names, aliases, every=True), joiner) for f, aliases, joiner in self.text_names],
            brand=index_of(names, self.brand_names),
            category=index_of(names, self.category_names),
            hidden=index_of(names, self.hidden_names, every=True),
            extra={key: index_of(names, aliases) for key, aliases in self.extra_names.items()},
        )
        cmap.text = [(f, idx, j) for f, idx, j in cmap.text if idx or f == "title"]
        if opts.id_field:
            cmap.id = self._option_column(names, header, opts.id_field, "--id-field", ctx, line)
        if opts.brand_field:
            cmap.brand = self._option_column(names, header, opts.brand_field, "--brand-field", ctx, line)
        if opts.fields:
            cmap.text = [
                (f.strip(), self._option_column(names, header, f, "--fields", ctx, line, every=True), "")
                for f in opts.fields
            ]
        # Two columns of one field (a duplicated header, or two alias columns) are scanned
        # one line each, never glued into one word.
        cmap.text = [(f, idx, "\n" if len(idx) > 1 and not joiner else joiner) for f, idx, joiner in cmap.text]
        self.check_columns(cmap, header, ctx, line)
        return cmap

    def _option_column(self, names: list[str], header: list[str], wanted: str, flag: str,
                       ctx: ReadContext, line: int, every: bool = False) -> list[int]:
        found = index_of(names, [self.normalize_header(wanted)], every)
        if not found:
            raise InputError(
                f"{flag} {wanted!r} is not a column of the header [{describe_header(header)}]",
                ctx.display, line, hint=f"use one of the header names with {flag}",
            )
        return found

    def check_columns(self, cmap: ColumnMap, header: list[str], ctx: ReadContext, line: int) -> None:
        if not cmap.id:
            raise InputError(
                f"no id column in the header [{describe_header(header)}]",
                ctx.display, line, hint="use --id-field COLUMN to name the column that identifies a listing",
            )

    # ----- rows
    def read(self, stream: TextIO, ctx: ReadContext) -> Iterator[Listing | BadRow]:
        delimiter = self.delimiter or sniff_delimiter(ctx.head_text)
        records = iter_records(stream, ctx.display, delimiter)
        preamble: list[BadRow] = []
        found = self.find_header(records, preamble)
        yield from preamble
        if found is None:
            raise InputError(f"no {self.name} header row found", ctx.display, hint=self.header_hint)
        header = found[1]
        yield from self.read_rows(records, header, self.resolve(header, ctx, found[0]), delimiter, ctx)

    def find_header(self, records: Iterator[Record | BadRow], preamble: list[BadRow]) -> Record | None:
        """Consume records up to the header and return it; bad rows before it go to preamble.
        None when no header is among the first MAX_PREAMBLE_ROWS rows."""
        seen = 0
        for record in records:
            if isinstance(record, BadRow):
                preamble.append(record)
                continue
            seen += 1
            if self.is_header(record[1]):
                return record
            if seen >= MAX_PREAMBLE_ROWS:
                return None
        return None

    def read_rows(self, records: Iterator[Record | BadRow], header: list[str], cmap: ColumnMap, delimiter: str,
                  ctx: ReadContext) -> Iterator[Listing | BadRow]:
        """Listings and bad rows of the records after the header (a whole file's, or a byte
        range's: scanner/sources/ranges.py)."""
        return self.map_rows(self._rows(records, header, delimiter, ctx), cmap, ctx)

    # ----- byte ranges (scanner/sources/ranges.py)
    range_kind = "records"  # a file may be cut at record boundaries and its ranges read apart
    # True when map_rows joins several rows into one listing (Shopify variants): a range may
    # then begin only at a row for which starts_listing holds.
    rows_continue_listings = False

    def starts_listing(self, cells: list[str], cmap: ColumnMap) -> bool:
        """Whether a data row (as parsed, before fitting) begins a new listing."""
        return True

    def _rows(self, records: Iterator[Record | BadRow], header: list[str], delimiter: str,
              ctx: ReadContext) -> Iterator[Record | BadRow]:
        identity = type(self).clean_cell is TablePreset.clean_cell  # no list of cleaned cells per row
        for record in records:
            if isinstance(record, BadRow):
                yield record
                continue
            line, cells = record
            if self.skip_row(cells):
                continue
            fitted = fit_row(cells, len(header), ctx.display, line, delimiter)
            if isinstance(fitted, BadRow):
                yield fitted
            elif identity:
                yield line, fitted
            else:
                yield line, [self.clean_cell(c) for c in fitted]

    def map_rows(self, rows: Iterator[Record | BadRow], cmap: ColumnMap,
                 ctx: ReadContext) -> Iterator[Listing | BadRow]:
        for row in rows:
            if isinstance(row, BadRow):
                yield row
                continue
            mapped = self.map_row(row[1], row[0], cmap, ctx)
            if mapped is not None:
                yield mapped

    def listing_id(self, cells: list[str], line: int, cmap: ColumnMap) -> str:
        return first_value(cells, cmap.id)

    def map_row(self, cells: list[str], line: int, cmap: ColumnMap, ctx: ReadContext) -> Listing | BadRow | None:
        listing_id = self.listing_id(cells, line, cmap)
        if not listing_id:
            return BadRow(ctx.display, line, "empty id; fill it in or choose another column with --id-field")
        return build_listing(
            listing_id,
            [(name, joined(cells, idx, joiner)) for name, idx, joiner in cmap.text],
            brand=first_value(cells, cmap.brand),
            category=first_value(cells, cmap.category),
            source=f"{ctx.display}:{line}",
            hidden=[cells[i] for i in cmap.hidden],
        )
