"""``--output-dir DIR``: problems written by the workers as parts, plus ``_SUMMARY.json``.

A Dask run writes, per byte range (or per file read whole), one part holding the problems that
range shows (after suppressions and ``--new-only``, exactly what stdout would have carried),
named ``part-<input index:05>-<byte offset:015>.jsonl`` (or ``.parquet``): sorted by name, the
parts are in input order. A range with nothing to show writes no part. JSONL parts hold one
problem per line, as ``--format jsonl``; Parquet parts hold the same keys as columns.

``_SUMMARY.json`` is written last, by the client, only when the run completed (not
interrupted, every input read in full), and atomically (a temporary file renamed into place
locally; one PUT on object storage): a directory without it holds no finished run. It lists
the parts; read those, not whatever else ``part-*`` files the directory may hold. Starting a
run removes the directory's ``_SUMMARY.json`` first, then the parts of an earlier run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import platform
import tempfile
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from scanner.core.models import Problem, ScanSummary
from scanner.errors import InputError, UsageError
from scanner.runners.stream import ListingResult, Result
from scanner.sources.base import BadRow
from scanner.sources.storage import EXTRA_HINT, Storage, is_url, local_path

SUMMARY = "_SUMMARY.json"
PART_FORMATS = ("jsonl", "parquet")
PARQUET_COLUMNS = ("listing", "field", "code", "rule", "severity", "mark", "owner", "start", "end", "text",
                   "message", "source", "fingerprint")
MAX_BAD_ROWS_LISTED = 1000


@dataclass(frozen=True)
class OutputDir:
    """A local or remote directory the workers and the client write to."""

    url: str
    storage: Storage = Storage()

    def join(self, name: str) -> str:
        return self.url.rstrip("/") + "/" + name

    def write(self, name: str, data: bytes) -> str:
        """Write ``name`` whole or not at all; returns its full path."""
        target = self.join(name)
        if is_url(target):
            fs, inner = self.storage.filesystem(target)
            fs.pipe_file(inner, data)  # one PUT: an object appears whole or not at all
            return target
        local = local_path(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=os.path.dirname(local) or ".")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, local)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return target

    def prepare(self) -> None:
        """Create the directory; remove an earlier run's summary (first) and parts."""
        try:
            if is_url(self.url):
                fs, inner = self.storage.filesystem(self.url)
                names = [p for p in fs.ls(inner, detail=False)] if fs.exists(inner) else []
                old = [p for p in names if p.rstrip("/").rsplit("/", 1)[-1] == SUMMARY]
                old += [p for p in names if p.rstrip("/").rsplit("/", 1)[-1].startswith("part-")]
                for path in old:
                    fs.rm_file(path)
                return
            local = local_path(self.url)
            os.makedirs(local, exist_ok=True)
            names = sorted(os.listdir(local))
            for name in [n for n in names if n == SUMMARY] + [n for n in names if n.startswith("part-")]:
                os.unlink(os.path.join(local, name))
        except (OSError, ValueError) as err:
            raise InputError(f"cannot prepare the output directory ({err})", self.url) from None


@dataclass(frozen=True)
class PartWriter:
    """The PartSink of a Dask run (scanner/runners/dask.py): runs on the workers."""

    directory: OutputDir
    part_format: str
    shown: Callable[[list[Problem]], list[Problem]]  # which of a listing's problems to show

    def write(self, name: str, results: Sequence[Result]) -> str | None:
        problems = [p for r in results if isinstance(r, ListingResult) and r.problems for p in self.shown(r.problems)]
        if not problems:
            return None
        data = encode_jsonl(problems) if self.part_format == "jsonl" else encode_parquet(problems)
        return self.directory.write(f"{name}.{self.part_format}", data)


def encode_jsonl(problems: Iterable[Problem]) -> bytes:
    return "".join(p.to_json() + "\n" for p in problems).encode("utf-8")


def encode_parquet(problems: Sequence[Problem]) -> bytes:
    pa, pq = _pyarrow()
    rows = [p.to_dict() for p in problems]
    table = pa.table({name: [row[name] for row in rows] for name in PARQUET_COLUMNS}, schema=_schema(pa))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _schema(pa: Any) -> Any:
    ints = {"start", "end"}
    return pa.schema([(name, pa.int64() if name in ints else pa.string()) for name in PARQUET_COLUMNS])


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(f"--part-format parquet needs pyarrow: {EXTRA_HINT}") from None
    return pa, pq


def check_part_format(part_format: str) -> None:
    if part_format not in PART_FORMATS:
        raise UsageError(f"--part-format {part_format!r}: use one of {', '.join(PART_FORMATS)}")
    if part_format == "parquet":
        _pyarrow()


class OwnerTally:
    """Counted problems by rights holder (the summary's ``by_owner``)."""

    def __init__(self) -> None:
        self.by_owner: Counter[str] = Counter()

    def add(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.by_owner[problem.owner or "(none)"] += 1


def summary_record(summary: ScanSummary, *, parts: Sequence[str], part_format: str, by_owner: Counter[str],
                   bad_rows: Sequence[BadRow], bad_row_count: int, versions: dict[str, str]) -> dict[str, Any]:
    return {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "inputs": list(summary.inputs),
        "listings": summary.listings,
        "fields": summary.fields,
        "problems": summary.problems,
        "by_code": dict(sorted(summary.by_code.items())),
        "by_severity": dict(sorted(summary.by_severity.items())),
        "by_owner": dict(sorted(by_owner.items(), key=lambda kv: (-kv[1], kv[0]))),
        "suppressed": summary.suppressed,
        "bad_rows": bad_row_count,
        "bad_row_lines": [str(row) for row in bad_rows[:MAX_BAD_ROWS_LISTED]],
        "part_format": part_format,
        "parts": [part.rstrip("/").rsplit("/", 1)[-1] for part in parts],
        "elapsed_seconds": round(summary.elapsed, 3),
        "versions": versions,
    }


def versions(lists_version: str) -> dict[str, str]:
    from importlib import metadata

    from scanner import __version__
    from scanner.workflows.history import rules_version

    found = {"listguard": __version__, "python": platform.python_version(), "rules": rules_version(),
             "marks": lists_version}
    for package in ("dask", "distributed", "fsspec", "s3fs", "pyarrow", "pyahocorasick"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def write_summary(directory: OutputDir, record: dict[str, Any]) -> str:
    data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return directory.write(SUMMARY, data)
