"""Drive whole runs: load the marks, read every input, scan, and count.

The CLI prints what this yields; nothing here writes to the terminal. A file-level error
(missing file, bad encoding half-way) becomes a FileError record so the run goes on with the
other inputs and nothing already found is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple, Sequence

from scanner.engine import Scanner
from scanner.errors import InputError
from scanner.models import Listing, Problem, ScanSummary, Severity
from scanner.sources import BadRow, read_listings
from trademarks.errors import ListFormatError
from trademarks.lists import bundled_marks, read_marks
from trademarks.models import Mark


class ListingResult(NamedTuple):
    """One listing and its problems. A named tuple rather than a frozen dataclass: one is
    made for every listing of a run, and the dataclass's __init__ cost a tenth of a scan."""

    listing: Listing
    problems: list[Problem]
    fields: int = -1  # text fields scanned, when the listing travels without its texts

    def field_count(self) -> int:
        return self.fields if self.fields >= 0 else len(self.listing.text_fields())

    def slim(self) -> "ListingResult":
        """The same result without the listing's texts: what a worker process sends back."""
        listing = self.listing
        bare = Listing(listing.id, {}, listing.brand, listing.category, listing.source)
        return ListingResult(bare, self.problems, self.field_count())


@dataclass(frozen=True)
class FileError:
    path: str
    message: str


@dataclass(frozen=True)
class ReadSettings:
    input_format: str | None = None
    encoding: str | None = None
    id_field: str | None = None
    fields: tuple[str, ...] | None = None
    brand_field: str | None = None


@dataclass(frozen=True)
class CleanListings:
    """Consecutive listings with no problems, as worker processes report them
    (scanner/parallel.py): the run's summary and progress need only how many listings and
    fields there were, and one record per clean listing was most of what the parent unpickled."""

    count: int
    fields: int


Result = ListingResult | CleanListings | BadRow | FileError


def load_marks(files: Sequence[str] = (), bundled: bool = True) -> list[Mark]:
    """The bundled list unless files are given (they replace it); errors name path:line."""
    try:
        if not files:
            return bundled_marks() if bundled else []
        marks: list[Mark] = []
        for path in files:
            marks.extend(read_marks(path, source=path))
        return marks
    except ListFormatError as err:
        raise InputError(str(err)) from None


def read_all(paths: Sequence[str], settings: ReadSettings) -> Iterator[Listing | BadRow | FileError]:
    for path in paths:
        try:
            yield from read_listings(path, input_format=settings.input_format, encoding=settings.encoding,
                                     id_field=settings.id_field, fields=settings.fields,
                                     brand_field=settings.brand_field)
        except InputError as err:
            yield FileError(path, str(err))


BATCH = 256  # listings the prefilter sees at once: large enough to amortise its setup


def scan_items(scanner: Scanner, items: Iterable[Listing | BadRow | FileError],
               batch: int = BATCH) -> Iterator[Result]:
    """Results in input order; listings are judged in batches (see scanner/prefilter.py)."""
    pending: list[Listing | BadRow | FileError] = []
    count = 0
    try:
        for item in items:
            pending.append(item)
            if isinstance(item, Listing):
                count += 1
                if count >= batch:
                    yield from _flush(scanner, pending)
                    pending, count = [], 0
            elif count == 0:
                yield from _flush(scanner, pending)  # nothing to wait for: report it now
                pending = []
    except Exception:
        # The source failed part-way (a bad byte, broken XML): what it read before still
        # counts, then the error goes on to the caller.
        yield from _flush(scanner, pending)
        raise
    yield from _flush(scanner, pending)


def _flush(scanner: Scanner, pending: list[Listing | BadRow | FileError]) -> Iterator[Result]:
    listings = [item for item in pending if isinstance(item, Listing)]
    if len(listings) == len(pending):
        yield from map(ListingResult, listings, scanner.check_batch(listings))
        return
    problems = iter(scanner.check_batch(listings))
    for item in pending:
        yield ListingResult(item, next(problems)) if isinstance(item, Listing) else item


class Tally:
    """Counts a run's results into a ScanSummary as they stream past."""

    def __init__(self, inputs: Sequence[str]) -> None:
        self.summary = ScanSummary(inputs=list(inputs))
        self.file_errors = 0
        self.worst: Severity | None = None
        self._started = time.monotonic()

    def add(self, result: Result) -> None:
        s = self.summary
        if isinstance(result, ListingResult):
            s.listings += 1
            s.fields += result.field_count()
            for problem in result.problems:
                s.add(problem)
                if self.worst is None or problem.severity > self.worst:
                    self.worst = problem.severity
        elif isinstance(result, CleanListings):
            s.listings += result.count
            s.fields += result.fields
        elif isinstance(result, BadRow):
            s.bad_rows += 1
        else:
            self.file_errors += 1

    def finish(self) -> ScanSummary:
        self.summary.elapsed = time.monotonic() - self._started
        return self.summary


def summary_lines(summary: ScanSummary) -> list[str]:
    """The end-of-run summary, for stderr."""
    rate = summary.listings / summary.elapsed if summary.elapsed > 0 else 0.0
    lines = [f"listguard: {summary.listings} listings, {summary.fields} fields, "
             f"{summary.problems} problems, {summary.bad_rows} bad rows in {summary.elapsed:.2f}s "
             f"({rate:,.0f} listings/s)"]
    if summary.by_severity:
        order = ("error", "warning", "info")
        lines.append("  by severity: " + ", ".join(
            f"{k} {summary.by_severity[k]}" for k in order if k in summary.by_severity))
    if summary.by_code:
        lines.append("  by code: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.by_code.items())))
    return lines
