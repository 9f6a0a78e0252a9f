"""The sources own their byte ranges: reading a file range by range gives what reading it in
one stream gives, and the runners only schedule (scanner/sources/ranges.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scanner.sources import read_listings
from scanner.sources.detect import all_presets
from scanner.sources.ranges import ByteRange, plan_file, plan_ranges, read_range

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def ranged(path: Path, chunk: int) -> tuple[list, bool]:
    plan = plan_file(str(path))
    assert plan is not None
    items, aligned = list(plan.preamble), True
    for byte_range in plan_ranges(plan, chunk):
        reading = read_range(plan, byte_range)
        items += list(reading)
        aligned = aligned and reading.aligned
    return items, aligned


@pytest.mark.parametrize("name, why", [
    ("sample_catalog.jsonl", "lines: any newline is a cut"),
    ("sample_catalog.csv", "records: quoted newlines must not be cut"),
    ("formats/shopify_legacy.csv", "variant rows continue the listing above: cut only before a titled row"),
    ("formats/shopify_2024.csv", "the 2024 layout"),
    ("formats/taobao_v4_gb18030.csv", "GB18030 is byte-safe: a newline byte is a newline"),
    ("formats/woocommerce_en.csv", "a BOM only at the start of the first range"),
    ("formats/amazon_flat_file_cp1252.txt", "rows before the header; cp1252"),
    ("formats/ebay_seller_hub.csv", "#INFO rows skipped by the preset, in every range"),
    ("formats/generic.tsv", "TAB-delimited"),
])
def test_ranges_read_like_one_stream(name, why):
    path = FIXTURES / name
    expected = list(read_listings(str(path)))
    for chunk in (48, 300, 1 << 20):
        items, aligned = ranged(path, chunk)
        assert aligned, why
        assert items == expected, why


@pytest.mark.parametrize("name, why", [
    ("formats/taobao_v5_utf16.csv", "UTF-16: a newline is two bytes, and not at any byte"),
    ("formats/google_feed_rss.xml", "XML has no record boundaries at newlines"),
])
def test_files_read_in_one_stream(name, why):
    assert plan_file(str(FIXTURES / name)) is None, why


def test_a_cut_inside_a_quoted_field_is_caught(tmp_path):
    """A range that ends inside a record (a quoted newline across the cut) says so; read
    from its start in one stream, the rest of the file is right."""
    path = tmp_path / "q.csv"
    path.write_text('id,title\n1,"Rolex\nreplica"\n2,Nike\n', encoding="utf-8")
    plan = plan_file(str(path))
    assert plan is not None and plan.start == len(b"id,title\n")
    cut = read_range(plan, ByteRange(plan.start, plan.start + len(b'1,"Rolex\n'), 2))
    list(cut)
    assert not cut.aligned
    rest = list(read_range(plan, ByteRange(plan.start, None, 2)))
    assert rest == list(read_listings(str(path)))


def test_every_preset_either_reads_ranges_or_says_it_cannot():
    kinds = {name: getattr(preset, "range_kind", None) for name, preset in all_presets().items()}
    assert kinds == {"jsonl": "lines", "csv": "records", "tsv": "records", "taobao": "records",
                     "amazon": "records", "ebay": "records", "shopify": "records", "woocommerce": "records",
                     "google-tsv": "records", "google-xml": None, "json": None}


@pytest.mark.parametrize("module", ["scanner/runners/local.py", "scanner/runners/dask.py"])
def test_runners_only_schedule(module):
    """No preset classes, private reader methods or header search in a runner."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    forbidden = {"ShopifyPreset", "TablePreset", "JsonlPreset", "_rows", "iter_records", "find_header",
                 "MAX_PREAMBLE_ROWS", "is_header", "map_rows", "sniff_delimiter", "all_presets"}
    assert not (names | imported) & forbidden
