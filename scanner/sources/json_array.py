"""A JSON file holding one array of listing objects (``[{"id": ..., "title": ...}, ...]``).

Each element is read like a JSON Lines record (``jsonl.py``: same keys, same checks) and
reported at the line where it starts, so a listing's ``source`` and a bad element's line point
into the file. Elements are decoded one at a time from a buffer that is refilled as needed,
so a large array never has to be held as one Python object; the text still up to the
element being read is kept. An element that is not an object is a BadRow; text that is not
JSON is an ``InputError`` at its line, raised where it occurs (the elements before it are
kept), because after a syntax error no element boundary can be trusted.
"""

from __future__ import annotations

import json
from typing import Callable, Iterator, TextIO

from scanner.core.models import Listing
from scanner.errors import InputError
from scanner.sources.base import BadRow
from scanner.sources.delimited import ReadContext
from scanner.sources.encoding import checked_lines
from scanner.sources.jsonl import JSONL

_READ = 64 * 1024
_SPACE = " \t\r\n"
_DECODER = json.JSONDecoder()


class _Text:
    """The file's text from the element being read on, refilled on demand, with the line
    number of every position."""

    def __init__(self, stream: TextIO) -> None:
        self._lines = checked_lines(stream)
        self.buf = ""
        self.pos = 0
        self.line = 1  # line number at self.pos
        self.eof = False

    def more(self, at_least: int) -> bool:
        """Append at least ``at_least`` characters (fewer at the end); False at the end."""
        if self.eof:
            return False
        # Drop what is behind pos first, so the buffer holds one element plus a read.
        self.buf, self.pos = self.buf[self.pos:], 0
        parts, size = [], 0
        for line in self._lines:
            parts.append(line)
            size += len(line)
            if size >= at_least:
                break
        else:
            self.eof = True
        self.buf += "".join(parts)
        return size > 0

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def skip_space(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            end = len(self.buf)
            at = self.pos
            while at < end and self.buf[at] in _SPACE:
                at += 1
            self.advance(at)
            if at < end:
                return self.buf[at]
            if not self.more(_READ):
                return ""


class JsonArrayPreset:
    name = "json"
    description = "a JSON array of listing objects (the keys of JSON Lines), e.g. catalog.json"
    detected_by = "first non-blank byte is '['"
    fallback_encoding = None

    def read(self, stream: TextIO, ctx: ReadContext) -> Iterator[Listing | BadRow]:
        text = _Text(stream)

        def fail(message: str, line: int | None = None) -> InputError:
            return InputError(message, ctx.display, line or text.line,
                              hint="a .json catalog must be one array of listing objects")

        if text.skip_space() != "[":
            raise fail("not a JSON array")
        text.advance(text.pos + 1)
        first = True
        while True:
            char = text.skip_space()
            if char == "]":
                text.advance(text.pos + 1)
                if text.skip_space():
                    raise fail("text after the end of the array")
                return
            if not first:
                if char != ",":
                    raise fail(f"not valid JSON (expected ',' or ']', found {char or 'the end of the file'!r})")
                text.advance(text.pos + 1)
                text.skip_space()
            first = False
            yield self._element(text, ctx, fail)

    def _element(self, text: _Text, ctx: ReadContext, fail: Callable[..., InputError]) -> Listing | BadRow:
        start_line = text.line
        want = _READ
        while True:
            try:
                value, end = _DECODER.raw_decode(text.buf, text.pos)
                if end < len(text.buf) or text.eof or not text.more(want):  # a number may go on
                    break
                want *= 2
            except json.JSONDecodeError as err:
                # The element may only be cut off by the end of the buffer: read more and try
                # again, doubling the read so a huge element costs linear time.
                line = start_line + text.buf.count("\n", text.pos, err.pos)
                if text.more(want):
                    want *= 2
                    continue
                raise fail(f"not valid JSON ({err.msg})", line) from None
            except RecursionError:
                raise fail("nested too deeply to read", start_line) from None
        raw_has_escape = "\\u" in text.buf[text.pos:end]
        text.advance(end)
        if not isinstance(value, dict):
            return BadRow(ctx.display, start_line,
                          f"a JSON {type(value).__name__} where an object was expected; write an array of objects")
        return JSONL.parse_record(value, start_line, ctx, raw_has_escape)


JSON_ARRAY = JsonArrayPreset()
