"""Google Merchant Center product feeds: RSS 2.0 / Atom XML, and TAB-separated text feeds.

XML: items are ``<item>`` (RSS) or ``<entry>`` (Atom); their direct children are read, with
or without the ``g:`` prefix (namespace ``http://base.google.com/ns/1.0``): id = ``g:id``;
title = ``title``/``g:title``; description = ``description``/``g:description`` (Atom also
``summary``) HTML reduced; brand = ``g:brand``; category = ``g:google_product_category``, else
``g:product_type``. Nested blocks (``g:shipping``, ``g:tax``) are ignored. An item without id
or title is a BadRow at the line of its start tag.

Safety: the feed is parsed with pyexpat directly, streaming, and ANY document type declaration
is refused (``InputError``): that rules out external entities and entity-expansion bombs
without an extra dependency. Well-formedness errors are an ``InputError`` at their line, raised
where they occur, so the items before are kept (those completed in the same read chunk too:
junk after the root element once dropped every item of a small feed). The XML declaration
decides the encoding unless ``--encoding`` is given.

TSV: header ``id, title, description, brand, google_product_category, ...`` (``g:`` prefixes
allowed), one item per row.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO, Iterator, NoReturn
from xml.parsers import expat

from scanner.core.models import Listing
from scanner.errors import InputError
from scanner.sources.base import BadRow, build_listing
from scanner.sources.delimited import ReadContext, TablePreset, norm

G_NS = "http://base.google.com/ns/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
_ITEMS = {"item", f"{ATOM_NS} entry"}
_KEYS = {
    "id": ("g id", "id"),
    "title": ("g title", "title", f"{ATOM_NS} title"),
    "description": ("g description", "description", f"{ATOM_NS} summary", f"{ATOM_NS} content"),
    "brand": ("g brand",),
    "category": ("g google_product_category", "g product_type"),
}
GOOGLE_ATTRIBUTES = ("google_product_category", "product_type", "link", "image_link", "availability", "gtin", "mpn")


class _Refused(Exception):
    pass


class GoogleXmlPreset:
    name = "google-xml"
    description = "Google Merchant Center feed, RSS 2.0 or Atom XML (g: namespace); DTDs refused"
    detected_by = "first non-blank character '<'"
    fallback_encoding = None
    binary = True

    def read_binary(self, binary: BinaryIO, ctx: ReadContext, encoding: str) -> Iterator[Listing | BadRow]:
        parser = expat.ParserCreate(namespace_separator=" ")
        state = _FeedState(ctx, parser)
        parser.StartElementHandler = state.start
        parser.EndElementHandler = state.end
        parser.CharacterDataHandler = state.data
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.ExternalEntityRefHandler = _refuse
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        decoder = codecs.getincrementaldecoder(encoding)("strict") if encoding else None
        while True:
            chunk = binary.read(1 << 16)
            data = decoder.decode(chunk, final=not chunk) if decoder else chunk
            try:
                parser.Parse(data, not chunk)
            except _Refused:
                yield from state.drain()
                raise InputError(
                    "XML with a DOCTYPE/ENTITY declaration is refused (entities can fetch files or explode)",
                    ctx.display, parser.CurrentLineNumber, hint="remove the <!DOCTYPE ...> block from the feed",
                ) from None
            except expat.ExpatError as err:
                # The items completed in this chunk before the error (junk after the root
                # element, a truncated tail) are whole: keep them, then report the error.
                yield from state.drain()
                raise InputError(
                    f"malformed XML ({expat.ErrorString(err.code)})", ctx.display, err.lineno,
                    hint="fix the feed or export it again",
                ) from None
            yield from state.drain()
            if not chunk:
                return


def _refuse(*_args: object) -> NoReturn:
    raise _Refused()


class _FeedState:
    def __init__(self, ctx: ReadContext, parser: expat.XMLParserType) -> None:
        self.ctx = ctx
        self.parser = parser
        self.depth = 0
        self.item_depth = 0  # depth of the open item, 0 = outside
        self.item_line = 0
        self.values: dict[str, str] = {}
        self.child: str | None = None
        self.text: list[str] = []
        self.ready: list[Listing | BadRow] = []

    def start(self, tag: str, _attrs: dict[str, str]) -> None:
        self.depth += 1
        if not self.item_depth and tag in _ITEMS:
            self.item_depth, self.item_line, self.values = self.depth, self.parser.CurrentLineNumber, {}
        elif self.item_depth and self.depth == self.item_depth + 1:
            self.child, self.text = tag.replace(G_NS, "g"), []

    def data(self, text: str) -> None:
        if self.child is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if self.item_depth and self.depth == self.item_depth + 1 and self.child is not None:
            self.values.setdefault(self.child, "".join(self.text).strip())
            self.child = None
        elif self.item_depth and self.depth == self.item_depth:
            self.ready.append(self._item())
            self.item_depth = 0
        self.depth -= 1

    def _get(self, key: str) -> str:
        return next((self.values[k] for k in _KEYS[key] if self.values.get(k)), "")

    def _item(self) -> Listing | BadRow:
        item_id, title = self._get("id"), self._get("title")
        if not item_id or not title:
            missing = "g:id" if not item_id else "title"
            return BadRow(self.ctx.display, self.item_line, f"item without {missing}; every item needs g:id and title")
        return build_listing(
            item_id, [("title", title), ("description", self._get("description"))],
            brand=self._get("brand"), category=self._get("category"),
            source=f"{self.ctx.display}:{self.item_line}",
        )

    def drain(self) -> list[Listing | BadRow]:
        ready, self.ready = self.ready, []
        return ready


class GoogleTsvPreset(TablePreset):
    name = "google-tsv"
    description = "Google Merchant Center TAB-separated feed (id, title, description, brand, google_product_category)"
    detected_by = "TAB header with id, title and a Google attribute (google_product_category, link, ...)"
    delimiter = "\t"
    id_names = ("id",)
    text_names = (("title", ("title",), ""), ("description", ("description",), ""))
    brand_names = ("brand",)
    category_names = ("google_product_category", "product_type")

    def normalize_header(self, cell: str) -> str:
        name = norm(cell)
        return name[2:] if name.startswith("g:") else name

    @classmethod
    def sniff(cls, rows: list[list[str]]) -> bool:
        if not rows or len(rows[0]) < 2:
            return False
        # normalize_header reads no instance state: the class stands in for self
        header = {cls.normalize_header(cls, c) for c in rows[0]}  # type: ignore[arg-type]
        return {"id", "title"} <= header and any(a in header for a in GOOGLE_ATTRIBUTES)


GOOGLE_XML = GoogleXmlPreset()
GOOGLE_TSV = GoogleTsvPreset()
