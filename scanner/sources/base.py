"""Records shared by every reader: BadRow, FormatInfo, ReadOptions and the Listing builder.

Field order in ``Listing.fields`` is always: ``title`` first, then the preset's text fields in
reading order (``subtitle``, ``short_description``, ``description``, ``bullets``, ``keywords``,
``seo_title``, ``seo_description``), and ``description.hidden`` last. ``title`` is present
(possibly empty) whenever the format has one; other fields only when they carry text. Every
field except ``title`` and ``keywords`` goes through
:func:`scanner.sources.html_text.reduce_html` when it looks like HTML; the visible text becomes the
field and everything hidden (``display:none`` text, ``alt``/``title`` attributes, ...) is joined
into ``description.hidden``, so the offsets the scanner reports are against exactly these strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from scanner.core.models import Listing
from scanner.sources.html_text import looks_like_html

try:  # libxml2 for long descriptions with real markup, where lxml (the fast extra) is installed
    from scanner.sources.html_fast import reduce_html
except ImportError:
    from scanner.sources.html_text import reduce_html

HIDDEN_FIELD = "description.hidden"
NO_HTML_FIELDS = frozenset({"title", "keywords"})


@dataclass(frozen=True)
class BadRow:
    """A record that could not be read; reported once, counted in the summary, reading goes on."""

    path: str
    line: int  # physical line where the record starts
    message: str  # one line: what is wrong and how to fix it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class FormatInfo:
    name: str
    description: str
    detected_by: str


@dataclass(frozen=True)
class ReadOptions:
    id_field: str | None = None
    fields: tuple[str, ...] | None = None
    brand_field: str | None = None

    @classmethod
    def make(cls, id_field: str | None, fields: Sequence[str] | None, brand_field: str | None) -> ReadOptions:
        return cls(id_field or None, tuple(fields) if fields else None, brand_field or None)


def display_path(path: str) -> str:
    return "<stdin>" if path == "-" else path


def clean(value: object) -> str:
    """Trimmed text with CRLF and CR line ends made LF (offsets are against this text)."""
    if value is None:
        return ""
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def build_listing(
    listing_id: str,
    parts: Iterable[tuple[str, str]],
    *,
    brand: str | None,
    category: str | None,
    source: str,
    hidden: Iterable[str] = (),
) -> Listing:
    """Assemble a Listing: reduce HTML fields, collect hidden text, keep title first."""
    fields: dict[str, str] = {}
    hidden_parts: list[str] = []
    for name, raw in parts:
        text = clean(raw)
        if name not in NO_HTML_FIELDS and looks_like_html(text):
            reduced = reduce_html(text)
            text = reduced.visible
            if reduced.hidden:
                hidden_parts.append(reduced.hidden)
        if text or name == "title":
            fields[name] = text
    hidden_parts.extend(h for h in (clean(x) for x in hidden) if h)
    if hidden_parts:
        fields[HIDDEN_FIELD] = "\n".join(hidden_parts)
    return Listing(
        id=listing_id,
        fields=fields,
        brand=clean(brand) or None,
        category=clean(category) or None,
        source=source,
    )
