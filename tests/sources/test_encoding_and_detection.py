"""Encoding choice, detection table, file-level errors, robustness and streaming memory."""

from __future__ import annotations

import codecs
import io
import sys
import tracemalloc

import pytest

from scanner.core.models import Listing
from scanner.errors import InputError
from scanner.sources import FORMATS, BadRow, detect_format, read_listings
from scanner.sources.encoding import HEAD_SIZE, choose_encoding

from .conftest import FIXTURES

DETECT = [
    ("listings.jsonl", "jsonl", "first byte '{'"),
    ("generic.csv", "csv", "nothing platform-specific, commas"),
    ("generic.tsv", "tsv", "nothing platform-specific, TABs"),
    ("shopify_legacy.csv", "shopify", "Handle + Body (HTML)"),
    ("shopify_2024.csv", "shopify", "Title + URL handle"),
    ("woocommerce_en.csv", "woocommerce", "ID, Type, SKU, Name behind a BOM"),
    ("woocommerce_de.csv", "woocommerce", "translated labels"),
    ("amazon_flat_file_cp1252.txt", "amazon", "TemplateType= first cell"),
    ("amazon_attribute_paths.txt", "amazon", "attribute-path header"),
    ("taobao_v5_utf16.csv", "taobao", "version 1.00 row in UTF-16"),
    ("taobao_v4_gb18030.csv", "taobao", "宝贝名称 header in GB18030"),
    ("ebay_file_exchange_cp1252.csv", "ebay", "*Action( first cell"),
    ("ebay_seller_hub.csv", "ebay", "#INFO lines"),
    ("google_feed_rss.xml", "google-xml", "starts with <"),
    ("google_feed.tsv", "google-tsv", "id/title + google attributes"),
]


@pytest.mark.parametrize("name, expected, why", DETECT, ids=[d[0] for d in DETECT])
def test_detect_format(name, expected, why):
    path = FIXTURES / name
    assert detect_format(str(path), path.read_bytes()[:HEAD_SIZE]) == expected, why


def test_every_format_is_described():
    assert set(FORMATS) == {"jsonl", "json", "csv", "tsv", "shopify", "woocommerce", "amazon", "taobao", "ebay",
                            "google-xml", "google-tsv"}
    assert all(info.description and info.detected_by for info in FORMATS.values())


@pytest.mark.parametrize(
    "head, fallback, override, expected, why",
    [
        (codecs.BOM_UTF8 + b"a,b", None, None, "utf-8-sig", "UTF-8 BOM"),
        (codecs.BOM_UTF16_LE + "a".encode("utf-16-le"), None, None, "utf-16", "UTF-16LE BOM"),
        (codecs.BOM_UTF16_BE + "a".encode("utf-16-be"), None, None, "utf-16", "UTF-16BE BOM"),
        ("宝贝".encode(), "gb18030", None, "utf-8", "valid UTF-8 beats the preset fallback"),
        ("宝贝".encode("gb18030"), "gb18030", None, "gb18030", "Chinese preset falls back to GB18030"),
        ("Café".encode("cp1252"), "cp1252", None, "cp1252", "Amazon/eBay fall back to cp1252"),
        (b"\xff\xfe", None, "latin-1", "iso8859-1", "--encoding overrides even a BOM"),
    ],
)
def test_choose_encoding(head, fallback, override, expected, why):
    assert choose_encoding("f", head, fallback, override) == expected, why


def test_invalid_utf8_in_generic_csv_names_line_and_fix(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"id,title\nA,ok\nB,caf\xe9\n")
    got = []
    with pytest.raises(InputError) as err:
        for item in read_listings(str(path)):
            got.append(item.id)
    assert got == ["A"], "the row before the bad byte is still read"
    assert str(err.value).startswith(f"{path}:3: ") and "--encoding" in str(err.value)
    [listing, second] = read_listings(str(path), encoding="cp1252")
    assert second.fields["title"] == "café"


def test_invalid_utf8_after_the_head_keeps_earlier_listings(tmp_path):
    path = tmp_path / "late.jsonl"
    good = '{"id": "%d", "title": "fine"}\n'
    with open(path, "wb") as out:
        for i in range(5000):
            out.write((good % i).encode())
        out.write(b'{"id": "bad", "title": "caf\xe9"}\n')
    got = []
    with pytest.raises(InputError) as err:
        for item in read_listings(str(path)):
            got.append(item)
    assert len(got) == 5000
    assert err.value.line == 5001 and "cannot decode as utf-8" in str(err.value)


def test_utf16_without_bom_is_refused(tmp_path):
    path = tmp_path / "nobom.csv"
    path.write_bytes("id,title\nA,x\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        read_listings(str(path))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.csv", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "book.xlsx").write_bytes(b"PK\x03\x04rest") and p / "book.xlsx", "spreadsheet workbook"),
        (lambda p: (p / "nohdr.txt").write_text("TemplateType=fptcustom\tx\n" * 60) and p / "nohdr.txt",
         "no amazon header row found"),
    ],
    ids=["missing", "directory", "xlsx", "amazon-without-item_sku"],
)
def test_file_level_errors(tmp_path, make, message):
    with pytest.raises(InputError, match=message):
        read_listings(str(make(tmp_path)))


def test_empty_file_reads_as_nothing(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert list(read_listings(str(path))) == []


def test_huge_field_beyond_default_csv_limit(tmp_path):
    path = tmp_path / "big.csv"
    body = "x" * 300_000  # the stdlib default limit is 131072
    path.write_text(f'id,title,description\nA,t,"{body}"\nB,t2,d\n')
    got = list(read_listings(str(path)))
    assert [g.id for g in got] == ["A", "B"] and len(got[0].fields["description"]) == 300_000


def test_bad_row_line_is_where_a_multiline_record_starts(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('id,title,description\nA,t,"one\ntwo\nthree"\nB,t,"x\ny",EXTRA\nC,t,z\n')
    got = list(read_listings(str(path)))
    assert got[1] == BadRow(str(path), 5, "4 cells but the header has 3 columns; quote values that contain ','")
    assert got[2].source == f"{path}:7"


def test_stdin(monkeypatch):
    data = b'{"id": "S", "title": "from stdin"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert list(read_listings("-")) == [Listing("S", {"title": "from stdin"}, None, None, "<stdin>:1")]


@pytest.mark.parametrize("name, rows", [("big.csv", 200_000), ("big.jsonl", 20_000)])
def test_streaming_memory_stays_flat(tmp_path, name, rows):
    # why: peak memory must not grow with the file; 200k rows (~8 MB) under a 2 MB peak
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as out:
        if name.endswith(".csv"):
            out.write("id,title,description\n")
            for i in range(rows):
                out.write(f"id{i},Title number {i},Some longer description text for row number {i}\n")
        else:
            for i in range(rows):
                out.write(f'{{"id": "id{i}", "title": "Title number {i}", "description": "<p>html {i}</p>"}}\n')
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_listings(str(path)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    assert path.stat().st_size > 1_000_000
    assert peak < 2_000_000, f"peak {peak} bytes grows with the file"
