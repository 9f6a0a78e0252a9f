"""Shopify product CSV, both header dialects.

Older layout: ``Handle, Title, Body (HTML), Vendor, Product Category, Type, Tags, ...,
Image Alt Text, ..., SEO Title, SEO Description``. 2024+ layout: ``Title, URL handle,
Description, Vendor, Product category, Type, Tags, ..., Image alt text, ..., SEO title,
SEO description``. id = handle; brand = Vendor; category = Product category, else Type.
Fields: title, description (HTML reduced), keywords (Tags), seo_title, seo_description;
image alt text goes to ``description.hidden``.

A product spans several rows: only the first row of a handle carries the text. Rows with a
blank Title are continuation rows (variants, extra images): their image alt text is merged into
the pending listing when the handle matches, otherwise they are skipped; never a BadRow. The
listing is emitted when the next product starts (one listing is buffered).
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.models import Listing
from scanner.sources.base import BadRow
from scanner.sources.delimited import ColumnMap, ReadContext, Record, TablePreset, first_value, norm


class ShopifyPreset(TablePreset):
    name = "shopify"
    description = "Shopify product CSV (Handle/Body (HTML) layout and the 2024+ URL handle/Description layout)"
    detected_by = "header with Handle + Body (HTML), or Title + URL handle"
    delimiter = ","
    id_names = ("handle", "url handle")
    text_names = (
        ("title", ("title",), ""),
        ("description", ("body (html)", "description"), ""),
        ("keywords", ("tags",), ", "),
        ("seo_title", ("seo title",), ""),
        ("seo_description", ("seo description",), ""),
    )
    brand_names = ("vendor",)
    category_names = ("product category", "type")
    hidden_names = ("image alt text",)
    extra_names = {"title": ("title",)}

    rows_continue_listings = True  # continuation rows: a byte range must start at a titled row

    def starts_listing(self, cells: list[str], cmap: ColumnMap) -> bool:
        width = max((i for i in cmap.extra["title"]), default=-1) + 1
        padded = cells + [""] * (width - len(cells))
        return not self.skip_row(cells) and bool(first_value(padded, cmap.extra["title"]))

    @staticmethod
    def sniff(rows: list[list[str]]) -> bool:
        header = {norm(c) for c in rows[0]} if rows else set()
        return ("handle" in header and "body (html)" in header) or ("url handle" in header and "title" in header)

    def map_rows(self, rows: Iterator[Record | BadRow], cmap: ColumnMap,
                 ctx: ReadContext) -> Iterator[Listing | BadRow]:
        pending: tuple[list[str], int, list[str]] | None = None  # cells, line, extra alt texts
        for row in rows:
            if isinstance(row, BadRow):
                yield row
                continue
            line, cells = row
            handle = first_value(cells, cmap.id)
            if not first_value(cells, cmap.extra["title"]):  # continuation row
                if pending and handle == first_value(pending[0], cmap.id):
                    pending[2].extend(cells[i] for i in cmap.hidden if cells[i].strip())
                continue
            if pending:
                yield self._emit(pending, cmap, ctx)
            pending = (cells, line, [])
        if pending:
            yield self._emit(pending, cmap, ctx)

    def _emit(self, pending: tuple[list[str], int, list[str]], cmap: ColumnMap,
              ctx: ReadContext) -> Listing | BadRow:
        cells, line, alts = pending
        mapped = self.map_row(cells, line, cmap, ctx)
        if isinstance(mapped, Listing) and alts:
            extra = ColumnMap(id=cmap.id, text=cmap.text, brand=cmap.brand, category=cmap.category,
                              hidden=cmap.hidden + list(range(len(cells), len(cells) + len(alts))))
            mapped = self.map_row(cells + alts, line, extra, ctx)
        # TablePreset.map_row, which Shopify keeps, never returns None (only the row-skipping
        # WooCommerce preset does)
        return mapped  # type: ignore[return-value]


SHOPIFY = ShopifyPreset()
