"""Generic CSV/TSV with a header: columns named like the JSONL keys, case-insensitively.

``id`` and ``title`` (unless ``--fields`` names the text columns) are required; ``description``,
``bullets``, ``keywords``, ``brand``, ``category`` are optional; other columns are ignored.
``--id-field``, ``--fields`` (text columns in order; their names become the field names) and
``--brand-field`` override the defaults.
"""

from __future__ import annotations

from scanner.errors import InputError
from scanner.sources.delimited import ColumnMap, ReadContext, TablePreset, describe_header

GENERIC_TEXT = (
    ("title", ("title",), ""),
    ("description", ("description",), ""),
    ("bullets", ("bullets",), "\n"),
    ("keywords", ("keywords",), ", "),
)


class GenericCsv(TablePreset):
    name = "csv"
    description = "CSV with a header row: id, title, description, bullets, keywords, brand, category"
    detected_by = "anything else whose first lines are comma-separated"
    delimiter: str | None = ","
    text_names = GENERIC_TEXT

    def check_columns(self, cmap: ColumnMap, header: list[str], ctx: ReadContext, line: int) -> None:
        super().check_columns(cmap, header, ctx, line)
        if not ctx.options.fields and not any(name == "title" and idx for name, idx, _ in cmap.text):
            raise InputError(
                f"no title column in the header [{describe_header(header)}]",
                ctx.display, line, hint="use --fields COLUMN,... to name the text columns to scan",
            )


class GenericTsv(GenericCsv):
    name = "tsv"
    description = "TSV with a header row: the same columns as csv"
    detected_by = "anything else whose first lines are TAB-separated"
    delimiter = "\t"


CSV = GenericCsv()
TSV = GenericTsv()
