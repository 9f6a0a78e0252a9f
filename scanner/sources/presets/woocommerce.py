"""WooCommerce product CSV export.

UTF-8 with a BOM, comma-separated, one header row whose labels are translated into the store
admin's language; we map English plus German, French, Spanish and Chinese (Simplified) labels
(best effort from WooCommerce's translations). id = SKU, else ID; title = Name; fields
short_description and description (HTML reduced); keywords = Tags; brand = Brands;
category = Categories.

Exporter quirks undone: a leading ``'`` the exporter adds before ``= + - @`` is stripped; the
two characters ``\\n`` in descriptions become newlines; ``\\,`` in multi-value cells becomes ``,``.
Variation rows (Type = variation) are listings of their own only if they carry text (a
description or short description); their Name is generated ("Parent - Red") so it does not count.
"""

from __future__ import annotations

from scanner.core.models import Listing
from scanner.sources.base import BadRow
from scanner.sources.delimited import ColumnMap, ReadContext, TablePreset, first_value, norm

ID = ("id",)
SKU = ("sku", "artikelnummer", "ugs", "referencia", "货号", "sku 编号")
NAME = ("name", "nom", "nombre", "名称", "名字")
TYPE = ("type", "typ", "tipo", "类型")
SHORT = ("short description", "kurzbeschreibung", "description courte", "descripción corta", "简短描述", "简短说明")
DESCRIPTION = ("description", "beschreibung", "descripción", "描述")
TAGS = ("tags", "schlagwörter", "schlagworte", "étiquettes", "etiquetas", "标签")
BRANDS = ("brands", "marken", "marques", "marcas", "品牌")
CATEGORIES = ("categories", "kategorien", "catégories", "categorías", "分类", "类别")


class WooCommercePreset(TablePreset):
    name = "woocommerce"
    description = "WooCommerce product CSV export (English, German, French, Spanish, Chinese header labels)"
    detected_by = "header with ID, Type, SKU and Name (or their translations)"
    delimiter = ","
    id_names = SKU + ID
    text_names = (
        ("title", NAME, ""),
        ("short_description", SHORT, ""),
        ("description", DESCRIPTION, ""),
        ("keywords", TAGS, ", "),
    )
    brand_names = BRANDS
    category_names = CATEGORIES
    extra_names = {"type": TYPE}

    @staticmethod
    def sniff(rows: list[list[str]]) -> bool:
        header = {norm(c) for c in rows[0]} if rows else set()
        return all(header & set(names) for names in (ID, SKU, NAME, TYPE))

    def clean_cell(self, value: str) -> str:
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            value = value[1:]
        if "\\" in value:
            value = value.replace("\\n", "\n").replace("\\,", ",")
        return value

    def map_row(self, cells: list[str], line: int, cmap: ColumnMap, ctx: ReadContext) -> Listing | BadRow | None:
        if "variation" in first_value(cells, cmap.extra["type"]).casefold():
            text_columns = [idx for name, idx, _ in cmap.text if name in ("short_description", "description")]
            if not any(first_value(cells, idx) for idx in text_columns):
                return None
        return super().map_row(cells, line, cmap, ctx)


WOOCOMMERCE = WooCommercePreset()
