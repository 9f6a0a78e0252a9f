"""Stream listings through a Scanner: the results every runner yields, in input order.

A file-level error (missing file, bad encoding half-way) becomes a FileError record so the
run goes on with the other inputs and nothing already found is lost. Runners (this in-process
stream, the local process pool, Dask) all yield these records; workflows count and print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, NamedTuple, Sequence

from scanner.core.engine import Scanner
from scanner.core.models import Listing, Problem
from scanner.errors import InputError
from scanner.sources import BadRow, read_listings
from scanner.sources.base import ReadOptions
from scanner.sources.ranges import ByteRange, FilePlan, plan_file, read_range
from scanner.sources.storage import LOCAL, Storage


class ListingResult(NamedTuple):
    """One listing and its problems. A named tuple rather than a frozen dataclass: one is
    made for every listing of a run, and the dataclass's __init__ cost a tenth of a scan."""

    listing: Listing
    problems: list[Problem]
    fields: int = -1  # text fields scanned, when the listing travels without its texts

    def field_count(self) -> int:
        return self.fields if self.fields >= 0 else len(self.listing.text_fields())

    def slim(self) -> ListingResult:
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
    storage: Storage = LOCAL  # how URLs are opened (--storage-option); local paths need none


@dataclass(frozen=True)
class CleanListings:
    """Consecutive listings with no problems, as worker processes report them
    (scanner/runners/local.py): the run's summary and progress need only how many listings and
    fields there were, and one record per clean listing was most of what the parent unpickled."""

    count: int
    fields: int


Result = ListingResult | CleanListings | BadRow | FileError


def read_all(paths: Sequence[str], settings: ReadSettings) -> Iterator[Listing | BadRow | FileError]:
    for path in paths:
        try:
            yield from read_listings(path, input_format=settings.input_format, encoding=settings.encoding,
                                     id_field=settings.id_field, fields=settings.fields,
                                     brand_field=settings.brand_field, storage=settings.storage)
        except InputError as err:
            yield FileError(path, str(err))


BATCH = 256  # listings the prefilter sees at once: large enough to amortise its setup


def scan_items(scanner: Scanner, items: Iterable[Listing | BadRow | FileError],
               batch: int = BATCH) -> Iterator[Result]:
    """Results in input order; listings are judged in batches (see scanner/core/prefilter.py)."""
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


def file_plan(path: str, settings: ReadSettings) -> FilePlan | None:
    """The sources' plan to read path in byte ranges (None: read it in one stream)."""
    return plan_file(path, input_format=settings.input_format, encoding=settings.encoding,
                     options=ReadOptions.make(settings.id_field, settings.fields, settings.brand_field),
                     storage=settings.storage)


def scan_range(scanner: Scanner, plan: FilePlan, byte_range: ByteRange) -> tuple[list[Result], bool]:
    """One range read and scanned, as a worker (process or Dask) returns it: compacted
    results (a FileError last when a byte could not be decoded) and whether the range proved
    aligned (False: discard it and everything after it; see scanner/sources/ranges.py)."""
    reading = read_range(plan, byte_range)
    results: list[Result] = []
    try:
        results = compact_results(scan_items(scanner, reading), results)
    except InputError as err:
        results.append(FileError(plan.path, str(err)))
    return results, reading.aligned


def slim_result(result: Result) -> Result:
    """A result as it travels between processes. Sending listings' texts back cost more than
    scanning them (pickling), and the JSON form of each problem is made here, in the worker,
    rather than in the parent, whose share of the work is what limits parallel runs."""
    if not isinstance(result, ListingResult):
        return result
    for problem in result.problems:
        problem.to_json()
    return result.slim()


def compact_results(results: Iterable[Result], out: list[Result] | None = None) -> list[Result]:
    """Results as they travel back from a worker: runs of listings with no problems become one
    CleanListings record each (see scanner/workflows/run.py). Appends to ``out`` as it goes,
    so a caller keeps what came before an error."""
    out = [] if out is None else out
    count = fields = 0
    try:
        for result in results:
            if isinstance(result, ListingResult) and not result.problems:
                count += 1
                fields += result.field_count()
                continue
            if count:
                out.append(CleanListings(count, fields))
                count = fields = 0
            out.append(slim_result(result))
    finally:
        if count:
            out.append(CleanListings(count, fields))
    return out
