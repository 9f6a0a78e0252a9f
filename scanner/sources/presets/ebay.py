"""eBay File Exchange and Seller Hub CSV.

File Exchange: first header cell ``*Action(SiteID=...)``, required columns prefixed ``*``
(``*Title``, ``*Description``), item specifics as ``C:<Name>`` (``C:Brand``), ``CustomLabel``.
Seller Hub: ``#INFO`` lines before the header (skipped, also after it), first header cell
``Action(SiteID=...|CC=UTF-8)``, ``Title``, ``Description``, ``Custom label (SKU)``; the active
listings download has ``Item number`` and no description.

Column names are matched without the leading ``*``. id = CustomLabel / Custom label (SKU), else
ItemID / Item number, else the record's line number. Fields: title, subtitle, description (HTML
reduced). brand = C:Brand (or Brand); category = Category / Category ID / eBay category 1 name.
Encoding: UTF-8, else cp1252.
"""

from __future__ import annotations

from scanner.sources.delimited import ColumnMap, TablePreset, first_value, norm


def _action_cell(cells: list[str]) -> bool:
    first = norm(cells[0]).lstrip("*") if cells else ""
    return first.startswith("action(") or first == "action"


class EbayPreset(TablePreset):
    name = "ebay"
    description = "eBay File Exchange (*Action(...), *Title, C:Brand) and Seller Hub CSV (#INFO lines, Action(...))"
    detected_by = "first header cell *Action( or Action(, or a #INFO line"
    delimiter = ","
    fallback_encoding = "cp1252"
    id_names = ("customlabel", "custom label (sku)", "custom label", "itemid", "item number", "item id")
    text_names = (
        ("title", ("title",), ""),
        ("subtitle", ("subtitle",), ""),
        ("description", ("description",), ""),
    )
    brand_names = ("c:brand", "brand", "cd:brand")
    category_names = ("category", "category id", "ebay category 1 name", "ebay category 1 number")
    header_hint = "the header is the first row whose first cell is Action(...) or *Action(...)"

    def normalize_header(self, cell: str) -> str:
        return norm(cell).lstrip("*")

    def is_header(self, cells: list[str]) -> bool:
        return _action_cell(cells) or "title" in {self.normalize_header(c) for c in cells}

    def skip_row(self, cells: list[str]) -> bool:
        return bool(cells) and cells[0].lstrip("\ufeff").startswith("#INFO")

    @staticmethod
    def sniff(rows: list[list[str]]) -> bool:
        return any(_action_cell(row) or (row and row[0].lstrip("\ufeff").startswith("#INFO")) for row in rows[:5])

    def check_columns(self, cmap: ColumnMap, header: list[str], ctx, line: int) -> None:
        return  # no id column is fine: the line number stands in

    def listing_id(self, cells: list[str], line: int, cmap: ColumnMap) -> str:
        return first_value(cells, cmap.id) or str(line)


EBAY = EbayPreset()
