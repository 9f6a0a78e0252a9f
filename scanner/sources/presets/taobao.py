"""Taobao Assistant (淘宝助理) export.

5.x files: UTF-16LE with a BOM, TAB-separated, CRLF; row 1 ``version 1.00``, row 2 the English
API names (title, cid, ..., description, cateProps, ..., outer_id, ..., num_id, ...), row 3 the
Chinese labels (宝贝名称, 宝贝类目, ...), data from row 4. 4.x and third-party files: GBK
(read as GB18030, its superset), comma-separated, one Chinese header row (宝贝名称, 宝贝描述,
商家编码, ...). The header is the first row holding ``title`` or 宝贝名称; the ``version`` row
and the Chinese label row after an English header are skipped.

id = outer_id/商家编码, else num_id/num_iid/数字ID, else the record's line number; title;
subtitle (宝贝卖点); description (HTML reduced); category = cid/宝贝类目 (a numeric category id).
Taobao has no brand column (brand is inside cateProps as numeric ids), so brand is None.
"""

from __future__ import annotations

from scanner.sources.delimited import ColumnMap, TablePreset, first_value, norm

TITLE = ("title", "宝贝名称")
ENGLISH_MARKERS = ("outer_id", "cateprops", "num_id")


class TaobaoPreset(TablePreset):
    name = "taobao"
    description = "Taobao Assistant export (UTF-16 TAB version 1.00 files; older GBK comma files with Chinese headers)"
    detected_by = "a 'version 1.00' row, a header with title + outer_id/cateProps, or 宝贝名称"
    delimiter = None  # TAB in 5.x files, comma in older ones: sniffed
    fallback_encoding = "gb18030"
    id_names = ("outer_id", "商家编码")
    text_names = (
        ("title", TITLE, ""),
        ("subtitle", ("subtitle", "宝贝卖点"), ""),
        ("description", ("description", "宝贝描述"), ""),
    )
    brand_names = ()
    category_names = ("cid", "宝贝类目")
    extra_names = {"num_id": ("num_id", "num_iid", "数字id", "宝贝id")}
    header_hint = "the header is the row starting with 'title' or 宝贝名称"

    def is_header(self, cells: list[str]) -> bool:
        names = {norm(c) for c in cells}
        return "宝贝名称" in names or ("title" in names and any(m in names for m in ENGLISH_MARKERS))

    def skip_row(self, cells: list[str]) -> bool:
        first = norm(cells[0]) if cells else ""
        return first in ("宝贝名称", "version 1.00", "title")

    @classmethod
    def sniff(cls, rows: list[list[str]]) -> bool:
        if rows and rows[0] and norm(rows[0][0]).startswith("version 1.00"):
            return True
        # is_header reads no instance state: the class stands in for self
        return any(cls.is_header(cls, row) for row in rows[:3])  # type: ignore[arg-type]

    def check_columns(self, cmap: ColumnMap, header: list[str], ctx, line: int) -> None:
        return  # no id column is fine: num_id or the line number stands in

    def listing_id(self, cells: list[str], line: int, cmap: ColumnMap) -> str:
        return first_value(cells, cmap.id) or first_value(cells, cmap.extra["num_id"]) or str(line)


TAOBAO = TaobaoPreset()
