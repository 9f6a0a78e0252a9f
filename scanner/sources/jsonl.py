"""JSON Lines listings: one object per line, UTF-8 only.

Keys: ``id`` and ``title`` required; ``description``, ``brand``, ``category`` optional strings;
``bullets`` (a string, or a list joined with newlines) and ``keywords`` (a string, or a list
joined with ", ") optional; other keys are ignored. ``--id-field``/``--fields``/``--brand-field``
name other keys. A line that is not JSON, not an object, or lacks id/title becomes a BadRow with
its line number; blank lines are skipped; NUL characters are removed first (as for CSV). A line
nested deeper than the JSON parser's recursion limit (``[[[[...``) is a BadRow like any other:
Python's json raises RecursionError for it, not a ValueError.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator, TextIO

from scanner.core.models import Listing
from scanner.sources.base import BadRow, build_listing
from scanner.sources.delimited import ReadContext
from scanner.sources.encoding import checked_lines

TEXT_KEYS = (("title", "\n"), ("description", "\n"), ("bullets", "\n"), ("keywords", ", "))


def _stdlib_loads(line: str) -> Any:
    return json.loads(line)


def _fast_loads() -> Callable[[str], Any]:
    """orjson.loads (the ``fast`` extra) where installed: a JSONL row costs about a third of
    json.loads' time in it. Anything orjson refuses is parsed again by json.loads, which decides:
    the same record, or the same error message, whichever parser runs (orjson refuses some
    things json accepts: NaN, lone-surrogate escapes; and nests no deeper than 1024, where
    json recurses until RecursionError). A line holding 19 digits in a row goes to json
    directly: orjson reads an integer below -2**63 as a float."""
    try:
        import orjson
    except ImportError:
        return _stdlib_loads
    fast, error = orjson.loads, orjson.JSONDecodeError
    long_number = re.compile(r"\d{19}").search

    def loads(line: str) -> Any:
        if long_number(line):  # orjson reads an integer past 64 bits as a float; json keeps it exact
            return json.loads(line)
        try:
            return fast(line)
        except error:
            return json.loads(line)

    return loads


_loads = _fast_loads()


class JsonlPreset:
    name = "jsonl"
    description = "JSON Lines: one object per line with id, title, description, bullets, keywords, brand, category"
    detected_by = "first non-blank byte is '{'"
    fallback_encoding = None
    range_kind = "lines"  # one record per physical line: any newline is a cut (sources/ranges.py)

    def read(self, stream: TextIO, ctx: ReadContext) -> Iterator[Listing | BadRow]:
        for number, line in enumerate(checked_lines(stream), 1):
            if not line.strip():
                continue
            yield self.parse_line(line, number, ctx)

    def parse_line(self, line: str, number: int, ctx: ReadContext) -> Listing | BadRow:
        def bad(message: str) -> BadRow:
            return BadRow(ctx.display, number, message)

        try:
            record = _loads(line.rstrip("\r\n"))  # columns in errors count on this line
        except ValueError as err:
            # a JSONDecodeError has msg and colno; a bare ValueError (an integer of more than
            # 4300 digits) has neither
            where = f" at column {err.colno}" if isinstance(err, json.JSONDecodeError) else ""
            return bad(f"not valid JSON ({getattr(err, 'msg', err)}{where}); write one object per line")
        except RecursionError:
            return bad("nested too deeply to read; write one flat object per line")
        if not isinstance(record, dict):
            return bad(f"a JSON {type(record).__name__} where an object was expected; write one object per line")
        return self.parse_record(record, number, ctx, "\\u" in line)

    def parse_record(self, record: dict[str, Any], number: int, ctx: ReadContext,
                     escapes: bool = True) -> Listing | BadRow:
        """A Listing (or BadRow) from one decoded object starting on line ``number``;
        ``escapes``: the raw text held a ``\\u`` escape (a lone surrogate is possible)."""
        def bad(message: str) -> BadRow:
            return BadRow(ctx.display, number, message)

        opts = ctx.options
        id_key = opts.id_field or "id"
        raw_id = record.get(id_key)
        if isinstance(raw_id, bool | dict | list):
            return bad(f"{id_key!r} must be a string or a number, not a JSON {type(raw_id).__name__}")
        listing_id = _scalar(raw_id)
        if not listing_id:
            return bad(f"missing {id_key!r}; every listing needs an id (or use --id-field KEY)")
        keys = [(k, "\n") for k in opts.fields] if opts.fields else TEXT_KEYS
        if not opts.fields and not isinstance(record.get("title"), str | int | float):
            return bad("missing 'title'; every listing needs a title string")
        parts = []
        for key, joiner in keys:
            value = record.get(key)
            text = _text(value, joiner)
            if text is None:
                return bad(f"{key!r} must be a string or a list of strings, not a JSON {type(value).__name__}")
            parts.append((key, text))
        brand = _scalar(record.get(opts.brand_field or "brand"))
        category = _scalar(record.get("category"))
        if escapes:
            # A "\ud800" escape decodes to a lone surrogate, which no UTF-8 output can hold:
            # it becomes U+FFFD, one character for one, so offsets do not move.
            listing_id, brand, category = (_whole(v) for v in (listing_id, brand, category))
            parts = [(key, _whole(text)) for key, text in parts]
        return build_listing(
            listing_id, parts, brand=brand, category=category,
            source=f"{ctx.display}:{number}",
        )


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _whole(text: str) -> str:
    return _SURROGATE_RE.sub("\ufffd", text)


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _text(value: Any, joiner: str) -> str | None:
    """Text of a field value; None when the value has the wrong type."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or isinstance(value, dict):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        items = [_text(item, joiner) for item in value]
        if any(item is None or isinstance(v, list) for item, v in zip(items, value, strict=True)):
            return None
        return joiner.join(item.strip() for item in items if item and item.strip())
    return None


JSONL = JsonlPreset()
