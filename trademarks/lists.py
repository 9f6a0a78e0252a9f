"""Read and write trademark list files: CSV/TSV with a header, JSON arrays and JSON Lines.

Columns: ``mark`` (required), ``aliases`` (``|``-separated), ``owner``, ``classes`` (Nice
classes, ``|``- or ``,``-separated), ``case`` (``fold`` or ``exact``), ``famous``,
``exceptions`` (``|``-separated phrases that contain the mark but are not it). Other columns
are kept as metadata. Every error names ``path:line``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

from trademarks.errors import ListFormatError
from trademarks.models import CASES, CASE_FOLD, SHORT_FORM_HINT, Mark, fold_key, short_form_problem, split_form

KNOWN_COLUMNS = ("mark", "aliases", "owner", "classes", "case", "famous", "exceptions",
                 "jurisdiction", "registration", "status", "source")
WRITE_COLUMNS = ("mark", "aliases", "owner", "classes", "case", "famous", "exceptions")
_TRUE = {"1", "true", "yes", "y", "famous"}
_FALSE = {"", "0", "false", "no", "n"}


def _split(value: Any, seps: str = "|") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        text = str(value)
        for sep in seps[1:]:
            text = text.replace(sep, seps[0])
        items = text.split(seps[0])
    return tuple(item.strip() for item in items if item and item.strip())


def mark_from_record(record: Mapping[str, Any], path: str, line: int, source: str = "") -> Mark:
    """Build a Mark from one row; raise ListFormatError naming path:line on a bad value."""
    row = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    name = str(row.get("mark") or "").strip()
    if not name:
        raise ListFormatError("empty 'mark' value", path, line, "every row needs a mark name")
    try:
        classes = tuple(sorted({int(c) for c in _split(row.get("classes"), "|,; ")}))
    except ValueError:
        raise ListFormatError(f"bad 'classes' value {row.get('classes')!r}", path, line,
                              "use Nice class numbers 1-45 separated by '|'") from None
    if any(not 1 <= c <= 45 for c in classes):
        raise ListFormatError(f"Nice class out of range in {row.get('classes')!r}", path, line,
                              "Nice classes run from 1 to 45")
    case = str(row.get("case") or CASE_FOLD).strip().lower()
    if case not in CASES:
        raise ListFormatError(f"bad 'case' value {case!r}", path, line, "use 'fold' or 'exact'")
    famous_raw = row.get("famous")
    famous_text = str(famous_raw).strip().lower() if famous_raw is not None else ""
    if isinstance(famous_raw, bool):
        famous = famous_raw
    elif famous_text in _TRUE:
        famous = True
    elif famous_text in _FALSE:
        famous = False
    else:
        raise ListFormatError(f"bad 'famous' value {famous_raw!r}", path, line, "use yes or no")
    metadata = {k: str(v) for k, v in row.items() if k not in KNOWN_COLUMNS and v not in (None, "")}
    for alias in _split(row.get("aliases")):
        if alias.endswith("}") and "{" in alias and split_form(alias)[1] is None:
            raise ListFormatError(f"unknown form annotation in {alias!r}", path, line,
                                  "use {fold}, {exact}, {ordinary} or {nickname} after an alias")
    mark = Mark(
        name=name,
        aliases=tuple(a for a in _split(row.get("aliases")) if a != name),
        owner=str(row.get("owner") or "").strip(),
        classes=classes,
        case=case,
        famous=famous,
        exceptions=_split(row.get("exceptions")),
        jurisdiction=str(row.get("jurisdiction") or "").strip(),
        registration=str(row.get("registration") or "").strip(),
        status=str(row.get("status") or "live").strip() or "live",
        source=str(row.get("source") or source).strip(),
        metadata=metadata,
    )
    problem = short_form_problem(mark)
    if problem:
        raise ListFormatError(problem, path, line, SHORT_FORM_HINT)
    return mark


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ListFormatError("not valid UTF-8", path, line, "save the list as UTF-8") from None


def _sniff_kind(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix == ".csv":
        return "csv"
    head = text.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        return "jsonl"
    first = text.split("\n", 1)[0]
    return "tsv" if first.count("\t") > first.count(",") else "csv"


def parse_marks(text: str, path: str, kind: str | None = None, source: str = "") -> list[Mark]:
    """Parse list text; ``kind`` is csv, tsv, json or jsonl (sniffed from path/content if None)."""
    kind = kind or _sniff_kind(path, text)
    if kind in ("csv", "tsv"):
        marks = list(_iter_delimited(text, path, "\t" if kind == "tsv" else ",", source))
    elif kind == "json":
        marks = list(_iter_json(text, path, source))
    elif kind == "jsonl":
        marks = list(_iter_jsonl(text, path, source))
    else:
        raise ListFormatError(f"unknown list format {kind!r}", path, None, "use csv, tsv, json or jsonl")
    if not marks:
        raise ListFormatError("the list holds no marks", path, None,
                              "add rows under a header with a 'mark' column")
    return marks


def read_marks(path: str | os.PathLike[str], kind: str | None = None, source: str = "") -> list[Mark]:
    """Read a list file. Raises ListFormatError (missing file, directory, bad row, empty list)."""
    name = os.fspath(path)
    if os.path.isdir(name):
        raise ListFormatError("is a directory, not a list file", name, None, "name a CSV, TSV, JSON or JSONL file")
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise ListFormatError("no such file", name, None, "check the path to the trademark list") from None
    except OSError as err:
        raise ListFormatError(f"cannot read: {err.strerror}", name, None) from None
    return parse_marks(_decode(data, name), name, kind, source)


def _iter_delimited(text: str, path: str, delimiter: str, source: str) -> Iterator[Mark]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row) or row[0].startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if "mark" not in header:
                raise ListFormatError("no 'mark' column in the header", path, line,
                                      "the first row must name the columns, with 'mark' among them")
            continue
        if len(row) > len(header):
            raise ListFormatError(f"{len(row)} cells but the header has {len(header)}", path, line,
                                  "quote cells that contain the delimiter")
        # a short row leaves its last columns empty
        yield mark_from_record(dict(zip(header, row, strict=False)), path, line, source)
    if header is None:
        raise ListFormatError("the list is empty", path, None, "add a header row with a 'mark' column")


def _iter_json(text: str, path: str, source: str) -> Iterator[Mark]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ListFormatError(f"invalid JSON: {err.msg}", path, err.lineno) from None
    if not isinstance(data, list):
        raise ListFormatError("expected a JSON array of objects", path, 1)
    for index, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise ListFormatError(f"item {index} is not an object", path, None)
        yield mark_from_record(item, path, index, source)


def _iter_jsonl(text: str, path: str, source: str) -> Iterator[Mark]:
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise ListFormatError(f"invalid JSON: {err.msg}", path, line_no) from None
        if not isinstance(item, dict):
            raise ListFormatError("line is not a JSON object", path, line_no)
        yield mark_from_record(item, path, line_no, source)


def mark_to_record(mark: Mark) -> dict[str, Any]:
    """Every field of a Mark, typed (lists, a bool, the metadata as an object): what
    ``listguard marks list --json`` and ``marks show`` print, and what a list file row holds."""
    return {"mark": mark.name, "aliases": list(mark.aliases), "owner": mark.owner,
            "classes": list(mark.classes), "case": mark.case, "famous": mark.famous,
            "exceptions": list(mark.exceptions), "jurisdiction": mark.jurisdiction,
            "registration": mark.registration, "status": mark.status, "source": mark.source,
            "metadata": dict(mark.metadata)}


def _list_row(mark: Mark) -> dict[str, str]:
    """The record as a row of the list format: lists joined with '|', famous as 'yes' or '',
    metadata as columns of their own (round-trips through read_marks)."""
    record = mark_to_record(mark)
    row = {key: _cell(record[key]) for key in WRITE_COLUMNS}
    row.update({k: v for k, v in mark.metadata.items() if k not in row})
    return row


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return "|".join(map(str, value))
    return str(value)


def write_marks(marks: Iterable[Mark], out: IO[str], delimiter: str = ",") -> None:
    """Write marks in the list format (round-trips through read_marks)."""
    rows = [_list_row(m) for m in marks]
    extra = sorted({k for r in rows for k in r} - set(WRITE_COLUMNS))
    writer = csv.DictWriter(out, fieldnames=[*WRITE_COLUMNS, *extra], delimiter=delimiter,
                            lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


BUNDLED_LIST = Path(__file__).with_name("data") / "marks.csv"


def bundled_marks() -> list[Mark]:
    """The list shipped with listguard (trademarks/data/marks.csv)."""
    return read_marks(BUNDLED_LIST, source="bundled")


def merge_marks(groups: Iterable[Iterable[Mark]]) -> list[Mark]:
    """One Mark per (name, owner), folded: aliases, classes and exceptions are unioned, famous
    if any says so; the first occurrence keeps its spelling and case. Same name, different
    owners (DOVE soap, DOVE chocolate) stay separate marks."""
    merged: dict[tuple[str, str], Mark] = {}
    for group in groups:
        for mark in group:
            key = (fold_key(mark.name), fold_key(mark.owner))
            seen = merged.get(key)
            if seen is None:
                merged[key] = mark
                continue
            merged[key] = dataclasses.replace(
                seen,
                aliases=tuple(dict.fromkeys(a for a in (*seen.aliases, mark.name, *mark.aliases) if a != seen.name)),
                classes=tuple(sorted({*seen.classes, *mark.classes})),
                exceptions=tuple(dict.fromkeys((*seen.exceptions, *mark.exceptions))),
                famous=seen.famous or mark.famous)
    return list(merged.values())
