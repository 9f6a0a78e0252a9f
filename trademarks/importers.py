"""Turn a file or a downloaded body into marks, whatever published format it is in.

Formats: ``csv``, ``tsv``, ``json``, ``jsonl`` (the list format of ``trademarks.lists``),
``uspto`` (trademark daily XML, also inside a ``.zip`` as published), ``wikidata`` (entity
JSON). ``detect_format`` looks at the content first (an XML root, a zip header, Wikidata
labels) and the file name second.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import IO, Iterator

from trademarks.errors import ListFormatError
from trademarks.lists import _decode, parse_marks
from trademarks.models import Mark
from trademarks.streams import with_head
from trademarks.uspto import ROOT as USPTO_ROOT, iter_uspto
from trademarks.wikidata import iter_wikidata, looks_like_wikidata

FORMATS = ("csv", "tsv", "json", "jsonl", "uspto", "wikidata")


def looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in start[:256]


def detect_format(head: bytes, name: str) -> str | None:
    """``uspto``/``wikidata``/``zip`` from the content, else None (the list reader sniffs)."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        if looks_like_html(start):
            raise ListFormatError("this is an HTML page, not a trademark list", name, None,
                                  "check the URL or path: a login or error page came back")
        if USPTO_ROOT.encode() in start[:8192]:
            return "uspto"
        raise ListFormatError("XML that is not a USPTO trademark daily file", name, None,
                              f"expected a <{USPTO_ROOT}> root")
    if start[:1] in (b"[", b"{") and looks_like_wikidata(start[:4000].decode("utf-8", "replace")):
        return "wikidata"
    return None


def _zip_member(data: IO[bytes], name: str) -> tuple[IO[bytes], str]:
    try:
        archive = zipfile.ZipFile(data)
    except zipfile.BadZipFile:
        raise ListFormatError("a damaged or truncated zip archive", name, None) from None
    members = [i for i in archive.infolist() if not i.is_dir()]
    if len(members) != 1:
        raise ListFormatError(f"the zip holds {len(members)} files, expected one", name, None)
    return archive.open(members[0]), f"{name}!{members[0].filename}"


def iter_marks_from_stream(stream: IO[bytes], name: str, kind: str | None = None,
                           source: str = "") -> Iterator[Mark]:
    """Yield marks from a binary stream; USPTO XML streams, the other formats are read whole."""
    head = stream.read(8192)
    if looks_like_html(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        raise ListFormatError("this is an HTML page, not a trademark list", name, None,
                              "check the URL or path: a login or error page came back")
    if kind == "uspto":  # named by the user: only a zip around it is detected
        detected = "zip" if head.startswith(b"PK\x03\x04") else None
    else:
        detected = detect_format(head, name) if kind in (None, "zip") else None
    if detected == "zip" or kind == "zip":
        if not stream.seekable():
            stream = io.BytesIO(head + stream.read())
        member, inner = _zip_member(stream, name)
        yield from iter_marks_from_stream(member, inner, None, source)
        return
    rest = with_head(head, stream)
    kind = kind or detected
    if kind == "uspto":
        yield from iter_uspto(rest, name, source or "uspto")
        return
    text = _decode(rest.read(), name)
    if not text.strip():
        raise ListFormatError("the file is empty", name, None, "nothing to import")
    if kind == "wikidata":
        yield from iter_wikidata(text, name, source or "wikidata")
        return
    if kind not in (None, "csv", "tsv", "json", "jsonl"):
        raise ListFormatError(f"unknown format {kind!r}", name, None, "use " + ", ".join(FORMATS))
    yield from parse_marks(text, name, kind, source)


def iter_marks_from_file(path: str | os.PathLike[str], kind: str | None = None,
                         source: str = "") -> Iterator[Mark]:
    name = os.fspath(path)
    if os.path.isdir(name):
        raise ListFormatError("is a directory, not a list file", name, None)
    try:
        stream = open(name, "rb")
    except FileNotFoundError:
        raise ListFormatError("no such file", name, None, "check the path") from None
    except OSError as err:
        raise ListFormatError(f"cannot read: {err.strerror}", name, None) from None
    with stream:
        if kind is None and Path(name).suffix.lower() == ".zip":
            kind = "zip"
        yield from iter_marks_from_stream(stream, name, kind, source)
