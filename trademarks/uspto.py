"""Stream marks out of a USPTO trademark daily XML file (``trademark-applications-daily``).

Each ``case-file`` gives one Mark: ``case-file-header/mark-identification`` is the name,
``classifications/classification/international-code`` the Nice classes, the first
``case-file-owners/case-file-owner/party-name`` the owner, ``registration-number`` (else
``serial-number``) the registration. Only live marks are kept (``is_live``).

Parsing is ``iterparse`` over a stream with every finished ``case-file`` cleared, so memory
stays flat on a multi-gigabyte annual file. Entity declarations are refused before parsing
(no billion laughs, no external entities); a DOCTYPE naming an external DTD, as the published
files do, is allowed because expat never fetches it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import IO, Iterator

from trademarks.errors import ListFormatError
from trademarks.models import Mark

ROOT = "trademark-applications-daily"
_HEAD = 64 * 1024

# Status codes of dead cases (USPTO TSDR status table): abandoned 600-618, cancelled
# 709-714, expired or cancelled 900-999. A case with an abandonment or cancellation date is
# dead whatever its code; a case with no status code is kept.
DEAD_RANGES = ((600, 618), (709, 714), (900, 999))
_ENTITY = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.I)


def is_live(status_code: str, abandonment_date: str = "", cancellation_date: str = "") -> bool:
    if abandonment_date.strip("0 ") or cancellation_date.strip("0 "):
        return False
    if not status_code.strip().isdigit():
        return True
    code = int(status_code)
    return not any(lo <= code <= hi for lo, hi in DEAD_RANGES)


class _Guarded:
    """A file wrapper that refuses ENTITY declarations and internal DTD subsets in the prolog."""

    def __init__(self, stream: IO[bytes], name: str):
        self._stream, self._name, self._checked = stream, name, False

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size and size > 0 else _HEAD)
        if not self._checked:
            self._checked = True
            head = data
            while len(head) < _HEAD and b"<case-file" not in head:
                more = self._stream.read(_HEAD)
                if not more:
                    break
                head += more
            if _ENTITY.search(head):
                raise ListFormatError("XML entity declarations are refused", self._name, None,
                                      "a trademark file never needs them (entity expansion attack?)")
            data = head
        elif _ENTITY.search(data):
            raise ListFormatError("XML entity declarations are refused", self._name, None)
        return data


def _text(elem: ET.Element, path: str) -> str:
    found = elem.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _mark(case: ET.Element, source: str) -> Mark | None:
    header = case.find("case-file-header")
    if header is None:
        return None
    name = _text(header, "mark-identification")
    if not name or not is_live(_text(header, "status-code"), _text(header, "abandonment-date"),
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
    """Yield the live marks of a trademark daily XML stream; ListFormatError on bad XML."""
    stack: list[ET.Element] = []
    try:
        for event, elem in ET.iterparse(_Guarded(stream, name), events=("start", "end")):
            if event == "start":
                if not stack and elem.tag != ROOT:
                    raise ListFormatError(f"root element <{elem.tag}> is not <{ROOT}>", name, None,
                                          "this is not a USPTO trademark daily XML file")
                stack.append(elem)
                continue
            stack.pop()
            if elem.tag == "case-file":
                mark = _mark(elem, source)
                elem.clear()
                if stack:
                    stack[-1].remove(elem)  # drop the finished case: memory stays flat
                if mark is not None:
                    yield mark
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise ListFormatError(f"malformed XML: {err}", name, line) from None
