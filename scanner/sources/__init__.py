"""Reading listings from catalog exports: the one entry point is :func:`read_listings`.

``read_listings(path)`` detects the format (``detect.py``), chooses the encoding
(``encoding.py``), and streams ``Listing`` objects, or ``BadRow`` for records that cannot be
read, one record at a time: memory does not grow with the file. File-level failures raise
``InputError`` (exit code 3): before anything is yielded when the file is missing, a directory,
a workbook, or undecodable in its head; at the point of failure when a later byte cannot be
decoded or an XML feed breaks, so the caller keeps what was already yielded.
An unknown ``input_format`` name or encoding name is a ``UsageError`` (exit 2): the option, not
the file, is wrong.
"""

from __future__ import annotations

import itertools
import sys
from typing import BinaryIO, Callable, Iterator, Sequence

from scanner.core.models import Listing
from scanner.errors import InputError, UsageError
from scanner.sources.base import HIDDEN_FIELD, BadRow, FormatInfo, ReadOptions, display_path
from scanner.sources.delimited import ReadContext
from scanner.sources.detect import all_presets, detect_format
from scanner.sources.encoding import (
    ENCODING_HINT,
    HEAD_SIZE,
    UndecodableLine,
    check_codec,
    choose_encoding,
    decode_head,
    locate_decode_error,
    text_stream,
)
from scanner.sources.storage import LOCAL, Storage, is_url, local_path
from trademarks.streams import with_head

__all__ = ["BadRow", "FORMATS", "FormatInfo", "HIDDEN_FIELD", "detect_format", "read_listings", "watch_opens"]

_OPEN_LISTENERS: list[Callable[[str, BinaryIO], None]] = []


def watch_opens(listener: Callable[[str, BinaryIO], None]) -> Callable[[], None]:
    """Call listener(path, binary) for every input read_listings opens (progress reporting
    samples ``binary.tell()``); returns a function that stops the watch."""
    _OPEN_LISTENERS.append(listener)
    return lambda: _OPEN_LISTENERS.remove(listener) if listener in _OPEN_LISTENERS else None

_PRESETS = all_presets()
FORMATS: dict[str, FormatInfo] = {
    name: FormatInfo(name, preset.description, preset.detected_by) for name, preset in _PRESETS.items()
}


def read_listings(
    path: str,
    *,
    input_format: str | None = None,
    encoding: str | None = None,
    id_field: str | None = None,
    fields: Sequence[str] | None = None,
    brand_field: str | None = None,
    storage: Storage = LOCAL,
) -> Iterator[Listing | BadRow]:
    """Stream listings from one file ('-' = stdin, or a URL opened through ``storage``: see
    scanner/sources/storage.py); see the module docstring for errors."""
    if input_format is not None and input_format not in _PRESETS:
        raise UsageError(f"unknown format {input_format!r}; use one of: {', '.join(sorted(_PRESETS))}")
    display = display_path(path)
    binary = sys.stdin.buffer if path == "-" else storage.open(path)
    for listener in _OPEN_LISTENERS:
        listener(path, binary)
    try:
        head = binary.read(HEAD_SIZE)
        name = input_format or detect_format(display, head)
        preset = _PRESETS[name]
        if getattr(preset, "binary", False):  # XML: the parser reads the declaration itself
            chosen = check_codec(encoding) if encoding else ""
        else:
            chosen = choose_encoding(display, head, preset.fallback_encoding, encoding)
        binary = _rewind(binary, head)
    except BaseException:
        _close(binary, path)
        raise
    ctx = ReadContext(path, display, decode_head(head), ReadOptions.make(id_field, fields, brand_field))
    if not head.strip():
        _close(binary, path)
        return iter(())
    stream = _stream(preset, binary, chosen, ctx)
    try:  # reach the first record now, so header and head errors raise at call time
        first = next(stream)
    except StopIteration:
        return iter(())
    return itertools.chain((first,), stream)


def _rewind(binary: BinaryIO, head: bytes) -> BinaryIO:
    if binary.seekable():
        binary.seek(0)
        return binary
    return with_head(head, binary)


def _close(binary: BinaryIO, path: str) -> None:
    if path != "-":
        binary.close()


def _stream(preset, binary: BinaryIO, encoding: str, ctx: ReadContext) -> Iterator[Listing | BadRow]:
    if getattr(preset, "binary", False):
        try:
            yield from preset.read_binary(binary, ctx, encoding)
        finally:
            _close(binary, ctx.path)
        return
    stream = text_stream(binary, encoding)
    try:
        yield from preset.read(stream, ctx)
    except UndecodableLine as err:
        raise InputError(f"cannot decode as {encoding}", ctx.display, err.line, hint=ENCODING_HINT) from None
    except UnicodeDecodeError:
        line = None if is_url(ctx.path) else locate_decode_error(local_path(ctx.path), encoding)
        raise InputError(f"cannot decode as {encoding}", ctx.display, line, hint=ENCODING_HINT) from None
    finally:
        if ctx.path == "-":
            stream.detach()
        else:
            stream.close()
