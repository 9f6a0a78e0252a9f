"""JSONL and generic CSV/TSV: exact listings, exact BadRow lines, option overrides."""

from __future__ import annotations

import pytest

from scanner.core.models import Listing
from scanner.errors import InputError, UsageError
from scanner.sources import BadRow, read_listings

from .conftest import FIXTURES


def read(name: str, **kwargs):
    path = str(FIXTURES / name)
    return path, list(read_listings(path, **kwargs))


def test_jsonl_good_and_bad_lines():
    path, got = read("listings.jsonl")
    assert got == [
        Listing("J1", {"title": "Trail runner shoes", "description": "Light mesh.",
                       "bullets": "Breathable\nGrippy sole", "keywords": "running, trail",
                       "description.hidden": "nike adidas"}, "Acme", "Shoes", f"{path}:1"),
        BadRow(path, 3, "not valid JSON (Expecting value at column 1); write one object per line"),
        BadRow(path, 4, "a JSON list where an object was expected; write one object per line"),
        BadRow(path, 5, "missing 'id'; every listing needs an id (or use --id-field KEY)"),
        Listing("7", {"title": "Numeric id", "keywords": "a, b"}, None, None, f"{path}:6"),
        BadRow(path, 7, "'bullets' must be a string or a list of strings, not a JSON dict"),
        BadRow(path, 8, "missing 'title'; every listing needs a title string"),
        Listing("J5", {"title": "适用于苹果手机壳 compatible case"}, None, None, f"{path}:9"),
    ]


def test_jsonl_field_order_is_title_first():
    _, got = read("listings.jsonl")
    assert list(got[0].fields) == ["title", "description", "bullets", "keywords", "description.hidden"]


def test_generic_csv_rows():
    path, got = read("generic.csv")
    assert got == [
        # why: multiline quoted field keeps its newline; a duplicated 'title' column is scanned
        # too, one line each (issue 14: it was skipped without a word)
        Listing("G1", {"title": "Plain title\nduplicate title column", "description": "Line one\nline two",
                       "keywords": "tote, bag"}, "Acme", "Bags", f"{path}:2"),
        # why: a non-empty cell past the header width means shifted columns
        BadRow(path, 4, "9 cells but the header has 8 columns; quote values that contain ','"),
        # why: Excel pads rows with empty trailing cells; harmless
        Listing("G3", {"title": "Trailing empty cells", "description": "desc"}, None, None, f"{path}:5"),
        # why: short rows are padded
        Listing("G4", {"title": "Short row"}, None, None, f"{path}:6"),
        BadRow(path, 7, "empty id; fill it in or choose another column with --id-field"),
        # why: Excel-mangled ids are kept as written; HTML entity decoded in an HTML description
        Listing("3.65275E+11", {"title": "Excel mangled id", "description": "Gift & more"}, None, None, f"{path}:8"),
        # why: NUL bytes are removed
        Listing("G5", {"title": "Nul inside", "description": "desc"}, None, None, f"{path}:9"),
    ]


def test_generic_tsv_keeps_commas():
    path, got = read("generic.tsv")
    assert got == [Listing("T1", {"title": "Tab title", "description": "A, B, C and D, with commas"},
                           "Acme", None, f"{path}:2")]


def test_missing_id_column_names_header_and_fix():
    path = str(FIXTURES / "sku_only.csv")
    with pytest.raises(InputError) as err:
        read_listings(path)
    assert str(err.value) == (
        f"{path}:1: no id column in the header [sku, title, maker] "
        "(use --id-field COLUMN to name the column that identifies a listing)"
    )
    assert err.value.exit_code == 3


def test_id_field_brand_field_and_fields_override():
    path, got = read("sku_only.csv", id_field="SKU", brand_field="maker", fields=["title", "maker"])
    assert got == [Listing("S1", {"title": "Only a sku column", "maker": "Acme"}, "Acme", None, f"{path}:2")]


def test_unknown_option_column_is_input_error():
    path = str(FIXTURES / "sku_only.csv")
    with pytest.raises(InputError, match=r"--id-field 'nope' is not a column of the header \[sku, title, maker\]"):
        read_listings(path, id_field="nope")


def test_jsonl_id_field_and_fields():
    path, got = read("listings.jsonl", id_field="title", fields=["category"])
    assert got[0] == Listing("Trail runner shoes", {"category": "Shoes"}, "Acme", "Shoes", f"{path}:1")


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"input_format": "xlsx"}, UsageError),  # why: a wrong option is a usage error (exit 2)
        ({"encoding": "no-such-codec"}, UsageError),
    ],
)
def test_bad_options(kwargs, error):
    with pytest.raises(error):
        read_listings(str(FIXTURES / "generic.csv"), **kwargs)


def test_jsonl_lone_surrogate_escape_becomes_replacement_character(tmp_path):
    # json.loads turns "\ud800" into a lone surrogate that no UTF-8 output can hold; the
    # listing keeps its offsets (one character for one) and still gets scanned.
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s\\udc80", "title": "Nike \\ud800 shoes", "brand": "A\\ud800"}\n', encoding="utf-8")
    got = list(read_listings(str(path)))
    assert got == [Listing("s\ufffd", {"title": "Nike \ufffd shoes"}, "A\ufffd", None, f"{path}:1")]


def test_jsonl_error_column_counts_on_the_bad_line(tmp_path):
    # A line cut short used to report column 1 (of the line after its own newline).
    path = tmp_path / "cut.jsonl"
    path.write_text('{"id": "1", "title": "x"}\n{"id": 2,\n', encoding="utf-8")
    got = list(read_listings(str(path)))
    assert got[1] == BadRow(str(path), 2, "not valid JSON (Expecting property name enclosed in double quotes "
                                          "at column 10); write one object per line")


def test_jsonl_integer_over_the_digit_limit_is_a_bad_row_not_a_crash(tmp_path):
    # json.loads raises a bare ValueError (no msg, no colno) for an integer of more than 4300
    # digits; reading err.msg on it used to crash the scan with a traceback.
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": "a", "title": "x", "n": ' + "1" * 5000 + '}\n{"id": "b", "title": "y"}\n',
                    encoding="utf-8")
    got = list(read_listings(str(path)))
    assert isinstance(got[0], BadRow) and got[0].line == 1
    assert got[0].message.startswith("not valid JSON (Exceeds the limit (4300 digits) for integer string conversion")
    assert got[0].message.endswith("); write one object per line")
    assert got[1] == Listing("b", {"title": "y"}, None, None, f"{path}:2")
