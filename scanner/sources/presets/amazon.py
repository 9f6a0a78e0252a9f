"""Amazon inventory flat file (tab-delimited ``.txt``), and the All Listings Report.

Flat files start with a ``TemplateType=...`` row and a row of localized labels ("Seller SKU",
"Verkäufer-SKU", ...); we never read the labels: the header is the first row holding
``item_sku`` (or, in newer templates, attribute paths such as ``item_name#1.value``, whose
``[marketplace_id=...]`` qualifiers are stripped; or ``seller-sku`` in the All Listings Report).
Rows before it are skipped.

id = item_sku; title = item_name; brand = brand_name; description = product_description (HTML
reduced); bullets = bullet_point1..5 joined by newlines; keywords = generic_keywords and
generic_keywords1..5 joined by ", "; category = item_type, else feed_product_type.
Encoding: UTF-8, else cp1252 (US/EU text exports). Shift-JIS (amazon.co.jp) needs
``--encoding shift_jis``.
"""

from __future__ import annotations

import re

from scanner.sources.delimited import TablePreset, norm

_QUALIFIER = re.compile(r"\[[^\]]*\]")
_ATTRIBUTE_PATH = re.compile(r"^(?P<name>[a-z0-9_]+)#(?P<n>\d+)\.value$")
_PATH_NAMES = {
    "item_name": "item_name",
    "brand": "brand_name",
    "product_description": "product_description",
    "rtip_product_description": "product_description",
    "bullet_point": "bullet_point",
    "generic_keyword": "generic_keywords",
    "contribution_sku": "item_sku",
    "item_type_keyword": "item_type",
    "product_type": "feed_product_type",
}
_HEADER_MARKERS = ("item_sku", "seller-sku")
BULLETS = tuple(f"bullet_point{n}" for n in range(1, 6))
KEYWORDS = ("generic_keywords",) + tuple(f"generic_keywords{n}" for n in range(1, 6))


def amazon_name(cell: str) -> str:
    """``item_name[marketplace_id=X][language_tag=it_IT]#1.value`` -> ``item_name``;
    ``bullet_point#3.value`` -> ``bullet_point3``; plain names are normalised."""
    name = _QUALIFIER.sub("", norm(cell))
    match = _ATTRIBUTE_PATH.match(name)
    if not match:
        return name
    base = _PATH_NAMES.get(match["name"], match["name"])
    if base in ("bullet_point", "generic_keywords"):
        return f"{base}{match['n']}"
    return base if match["n"] == "1" else f"{base}{match['n']}"


class AmazonPreset(TablePreset):
    name = "amazon"
    description = "Amazon inventory flat file (tab-delimited, header row with item_sku) or All Listings Report"
    detected_by = "a row holding item_sku / item_name#1.value / seller-sku, or a first cell TemplateType="
    delimiter = "\t"
    fallback_encoding = "cp1252"
    id_names = ("item_sku", "seller-sku", "sku")
    text_names = (
        ("title", ("item_name", "item-name"), ""),
        ("description", ("product_description", "item-description"), ""),
        ("bullets", BULLETS, "\n"),
        ("keywords", KEYWORDS, ", "),
    )
    brand_names = ("brand_name",)
    category_names = ("item_type", "feed_product_type")
    header_hint = "the header is the row holding item_sku; download the template as tab-delimited text"

    def normalize_header(self, cell: str) -> str:
        return amazon_name(cell)

    def is_header(self, cells: list[str]) -> bool:
        names = {amazon_name(c) for c in cells}
        return any(marker in names for marker in _HEADER_MARKERS) or "item_name" in names and any(
            "#" in c for c in cells
        )

    @classmethod
    def sniff(cls, rows: list[list[str]]) -> bool:
        if rows and rows[0] and rows[0][0].lstrip("\ufeff").startswith("TemplateType="):
            return True
        # is_header reads no instance state: the class stands in for self
        return any(cls.is_header(cls, row) for row in rows)  # type: ignore[arg-type]


AMAZON = AmazonPreset()
