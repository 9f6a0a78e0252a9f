"""Which preset reads a file, decided from its first bytes (``--format`` overrides).

Checks run in this order on the head (first 64 KiB, decoded for sniffing only); first match wins:

| check on the head                                                   | format       |
|---------------------------------------------------------------------|--------------|
| ``PK\\x03\\x04`` or OLE magic (xlsx/xlsm/xls workbook)              | InputError   |
| first non-blank character ``<`` (``<?xml``, ``<rss``, ``<feed``)    | google-xml   |
| first non-blank character ``{``                                     | jsonl        |
| first non-blank character ``[``                                     | json         |
| a row ``version 1.00``, or a header with ``title`` + ``outer_id``/  | taobao       |
| ``cateProps``, or a Chinese header with 宝贝名称                     |              |
| a row holding ``item_sku`` / ``item_name#1.value`` / ``seller-sku``, | amazon       |
| or a first cell ``TemplateType=``                                   |              |
| a first cell ``*Action(`` / ``Action(`` or a ``#INFO`` line          | ebay         |
| a header with ``Handle`` + ``Body (HTML)``, or ``URL handle`` + ``Title`` | shopify |
| a header with ID, Type, SKU and Name (English or translated labels)| woocommerce  |
| a TAB header with ``id``, ``title`` and a Google attribute          | google-tsv   |
|   (``google_product_category``, ``product_type``, ``link``, ...)     |              |
| otherwise, by the delimiter of the first lines                      | tsv or csv   |

An empty file reads as zero listings whatever its format.
"""

from __future__ import annotations

import csv
import io
from typing import Protocol

from scanner.errors import InputError
from scanner.sources.delimited import sniff_delimiter
from scanner.sources.encoding import decode_head
from scanner.sources.json_array import JSON_ARRAY
from scanner.sources.jsonl import JSONL
from scanner.sources.presets.generic import CSV, TSV

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class Preset(Protocol):
    """What every preset shows (read-only, so a class constant ``None`` fits ``str | None``).
    Text presets also have ``read(stream, ctx)``; the XML one has ``binary = True`` and
    ``read_binary(binary, ctx, encoding)`` instead."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def detected_by(self) -> str: ...
    @property
    def fallback_encoding(self) -> str | None: ...


def _table_presets() -> list:
    from scanner.sources.presets import amazon, ebay, google, shopify, taobao, woocommerce

    return [taobao.TAOBAO, amazon.AMAZON, ebay.EBAY, shopify.SHOPIFY, woocommerce.WOOCOMMERCE, google.GOOGLE_TSV]


def all_presets() -> dict[str, Preset]:
    from scanner.sources.presets import google

    presets: list[Preset] = [JSONL, JSON_ARRAY, CSV, TSV, *_table_presets(), google.GOOGLE_XML]
    return {p.name: p for p in presets}


def head_rows(text: str, limit: int = 12) -> list[list[str]]:
    """The first rows of the head, parsed with the sniffed delimiter (for sniffing only)."""
    lines = text.splitlines()[:limit]
    try:
        return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sniff_delimiter(text))]
    except csv.Error:
        return [line.split(sniff_delimiter(text)) for line in lines]


def detect_format(path: str, head: bytes) -> str:
    """Preset name for a file whose first bytes are head (see the module docstring)."""
    if head.startswith(_WORKBOOK_MAGIC):
        raise InputError(
            "this is a spreadsheet workbook (xlsx/xls), not a text export", path,
            hint="save the sheet as CSV (UTF-8) or tab-delimited text and scan that",
        )
    text = decode_head(head)
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return "google-xml"
    if stripped.startswith("{") or (not stripped and path.endswith((".jsonl", ".ndjson"))):
        return "jsonl"
    if stripped.startswith("["):
        return "json"
    rows = head_rows(text)
    for preset in _table_presets():
        if preset.sniff(rows):
            return preset.name
    return "tsv" if sniff_delimiter(text) == "\t" else "csv"
