"""Stream marks out of a USPTO trademark daily XML file (``trademark-applications-daily``).

Each ``case-file`` gives one Mark: ``case-file-header/mark-identification`` is the name,
``classifications/classification/international-code`` the Nice classes, the first
``case-file-owners/case-file-owner/party-name`` the owner, ``registration-number`` (else
``serial-number``) the registration. Only live marks are kept (``is_live``).

Parsing is pyexpat over a stream, building each ``case-file`` with an ElementTree
``TreeBuilder`` and dropping it once read, so memory stays flat on a multi-gigabyte annual
file. The parser itself refuses an internal DTD subset and any entity declaration, through
its own handlers, wherever they fall in the file (no billion laughs, no external entities;
scanning read chunks for ``<!ENTITY`` missed a declaration split over a read boundary). A
DOCTYPE naming an external DTD, as the published files do, is allowed: expat never fetches it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO, Iterator, NoReturn
from xml.parsers import expat

from trademarks.errors import ListFormatError
from trademarks.models import Mark, too_short

ROOT = "trademark-applications-daily"
_READ = 64 * 1024

# Status codes of dead cases (USPTO TSDR status table): abandoned 600-618, cancelled
# 709-714, expired or cancelled 900-999. A case with an abandonment or cancellation date is
# dead whatever its code; a case with no status code is kept.
DEAD_RANGES = ((600, 618), (709, 714), (900, 999))


def is_live(status_code: str, abandonment_date: str = "", cancellation_date: str = "") -> bool:
    if abandonment_date.strip("0 ") or cancellation_date.strip("0 "):
        return False
    if not status_code.strip().isdigit():
        return True
    code = int(status_code)
    return not any(lo <= code <= hi for lo, hi in DEAD_RANGES)


class _Refused(Exception):
    """Raised from inside the parser's DTD handlers: the document declares a DTD subset."""


def _refuse_subset(_name: str, _system_id: str | None, _public_id: str | None, has_internal_subset: bool) -> None:
    if has_internal_subset:
        raise _Refused()


def _refuse(*_args: object) -> NoReturn:
    raise _Refused()


def _text(elem: ET.Element, path: str) -> str:
    found = elem.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _mark(case: ET.Element, source: str) -> Mark | None:
    header = case.find("case-file-header")
    if header is None:
        return None
    name = _text(header, "mark-identification")
    # A one-letter mark ('X') would match every standalone letter of every listing: skipped.
    if not name or too_short(name) or not is_live(_text(header, "status-code"), _text(header, "abandonment-date"),
                               _text(header, "cancellation-date")):
        return None
    classes = set()
    for code in case.iterfind("classifications/classification/international-code"):
        text = (code.text or "").strip()
        if text.isdigit() and 1 <= int(text) <= 45:
            classes.add(int(text))
    owners = [(o.text or "").strip() for o in case.iterfind("case-file-owners/case-file-owner/party-name")]
    serial = _text(case, "serial-number")
    registration = _text(case, "registration-number").lstrip("0") or ""
    return Mark(name=name, owner=next((o for o in owners if o), ""), classes=tuple(sorted(classes)),
                jurisdiction="US", registration=registration or f"sn{serial}",
                status=_text(header, "status-code") or "live", source=source,
                metadata={"serial-number": serial} if serial else {})


def iter_uspto(stream: IO[bytes], name: str, source: str = "uspto") -> Iterator[Mark]:
    """Yield the live marks of a trademark daily XML stream; ListFormatError on bad XML or on
    a DTD subset or entity declaration anywhere in it."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_subset
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    cases = _Cases(name, source)
    parser.StartElementHandler = cases.start
    parser.EndElementHandler = cases.end
    parser.CharacterDataHandler = cases.builder.data
    while True:
        chunk = stream.read(_READ)
        try:
            parser.Parse(chunk, not chunk)
        except _Refused:
            raise ListFormatError("XML entity declarations are refused", name, parser.CurrentLineNumber,
                                  "a trademark file never needs an internal DTD subset or entities "
                                  "(entity expansion attack?)") from None
        except expat.ExpatError as err:
            raise ListFormatError(f"malformed XML: {err}", name, err.lineno) from None
        yield from cases.drain()
        if not chunk:
            return


class _Cases:
    """Element handlers: build each case-file, turn it into a Mark, then drop it."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.builder = ET.TreeBuilder()
        self.stack: list[ET.Element] = []
        self.ready: list[Mark] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.stack and tag != ROOT:
            raise ListFormatError(f"root element <{tag}> is not <{ROOT}>", self.name, None,
                                  "this is not a USPTO trademark daily XML file")
        self.stack.append(self.builder.start(tag, attrs))

    def end(self, tag: str) -> None:
        elem = self.builder.end(tag)
        self.stack.pop()
        if tag == "case-file":
            mark = _mark(elem, self.source)
            elem.clear()
            if self.stack:
                self.stack[-1].remove(elem)  # drop the finished case: memory stays flat
            if mark is not None:
                self.ready.append(mark)

    def drain(self) -> list[Mark]:
        ready, self.ready = self.ready, []
        return ready
