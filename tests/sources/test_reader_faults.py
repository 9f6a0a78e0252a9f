"""Issue 14: readers never lose a listing silently and never crash on one record.

Fault 3 (a deeply nested JSONL line is one bad row, with --jobs 2 too), fault 7 (a duplicated
CSV column, an unclosed quote mid-file, junk after an XML feed's root), and the rough edges
(a JSON array file is read, a JSONL id that is a list is named as such, a binary file is
called binary rather than UTF-16)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.core.models import Listing
from scanner.errors import EXIT_INPUT, InputError
from scanner.runners.local import scan_parallel
from scanner.runners.stream import ListingResult, ReadSettings
from scanner.sources import BadRow, read_listings
from scanner.workflows.scanners import build_scanner, scanner_settings

ROOT = Path(__file__).resolve().parents[2]
DEEP = '{"id": "deep", "title": ' + "[" * 100_000 + "}\n"


def listings(path: Path, **kwargs) -> list[Listing | BadRow]:
    return list(read_listings(str(path), **kwargs))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scanner", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


# -- fault 3: deep nesting ------------------------------------------------------------------

def test_deeply_nested_jsonl_line_is_one_bad_row(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "1", "title": "plain mug"}\n' + DEEP + '{"id": "3", "title": "Nike replica"}\n',
                    encoding="utf-8")
    got = listings(path)
    assert [type(item).__name__ for item in got] == ["Listing", "BadRow", "Listing"]
    assert got[1] == BadRow(str(path), 2, "nested too deeply to read; write one flat object per line")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_deeply_nested_jsonl_line_with_jobs(tmp_path, jobs):
    """--jobs 2 once ended in a RemoteTraceback and no findings at all."""
    path = tmp_path / "deep.jsonl"
    rows = [json.dumps({"id": f"r{i}", "title": "Nike replica shoes"}) + "\n" for i in range(300)]
    rows.insert(150, DEEP)
    path.write_text("".join(rows), encoding="utf-8")
    result = cli("scan", str(path), "--format", "jsonl", "--jobs", jobs)
    assert result.returncode == EXIT_INPUT
    assert "Traceback" not in result.stderr
    found = [json.loads(line)["listing"] for line in result.stdout.splitlines()]
    assert found == [f"r{i}" for i in range(300)]
    bad = [line for line in result.stderr.splitlines() if "bad row:" in line]
    assert bad == [f"listguard: bad row: {path}:151: nested too deeply to read; write one flat object per line"]
    assert "300 listings" in result.stderr and "1 bad row in" in result.stderr


def test_deep_nesting_in_a_worker_range_is_a_bad_row(tmp_path):
    path = tmp_path / "deep.jsonl"
    rows = [json.dumps({"id": f"r{i}", "title": "Rolex replica"}) + "\n" for i in range(50)]
    path.write_text("".join(rows[:25]) + DEEP + "".join(rows[25:]), encoding="utf-8")
    scanner = build_scanner(scanner_settings())
    results = list(scan_parallel(scanner, [str(path)], ReadSettings(), 2, chunk_bytes=4096))
    bad = [r for r in results if isinstance(r, BadRow)]
    assert [b.line for b in bad] == [26]
    assert sum(isinstance(r, ListingResult) for r in results) == 50


# -- rough edge: a JSONL id that is a list ---------------------------------------------------

@pytest.mark.parametrize("value, kind", [(["a", "b"], "list"), ({"x": 1}, "dict"), (True, "bool")])
def test_jsonl_id_of_the_wrong_type_is_named(tmp_path, value, kind):
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps({"id": value, "title": "t"}) + "\n" + json.dumps({"title": "t"}) + "\n",
                    encoding="utf-8")
    assert listings(path) == [
        BadRow(str(path), 1, f"'id' must be a string or a number, not a JSON {kind}"),
        BadRow(str(path), 2, "missing 'id'; every listing needs an id (or use --id-field KEY)"),
    ]


# -- rough edge: a .json file holding an array -----------------------------------------------

def test_json_array_file_is_read_with_line_numbers(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(
        '[\n'
        '  {"id": "A1", "title": "Nike replica shoes", "brand": "Acme"},\n'
        '  {"id": "A2",\n'
        '   "title": "plain mug"},\n'
        '  ["not", "an object"],\n'
        '  {"title": "no id"},\n'
        '  {"id": 7, "title": "Gucci 同款", "bullets": ["one", "two"]}\n'
        ']\n', encoding="utf-8")
    assert listings(path) == [
        Listing("A1", {"title": "Nike replica shoes"}, "Acme", None, f"{path}:2"),
        Listing("A2", {"title": "plain mug"}, None, None, f"{path}:3"),
        BadRow(str(path), 5, "a JSON list where an object was expected; write an array of objects"),
        BadRow(str(path), 6, "missing 'id'; every listing needs an id (or use --id-field KEY)"),
        Listing("7", {"title": "Gucci 同款", "bullets": "one\ntwo"}, None, None, f"{path}:7"),
    ]


def test_json_array_larger_than_a_read_chunk(tmp_path):
    path = tmp_path / "big.json"
    items = [{"id": f"i{i}", "title": f"item {i} " + "x" * (i % 300)} for i in range(3000)]
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    got = listings(path)
    assert [item.id for item in got] == [f"i{i}" for i in range(3000)]
    assert got[-1].source == f"{path}:{2 + 4 * 2999}"  # "[" then four lines an item


def test_json_array_broken_midway_keeps_what_came_before(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "1", "title": "Nike replica"},\n {"id": "2", "title": oops}]\n', encoding="utf-8")
    stream = read_listings(str(path))
    assert next(stream).id == "1"
    with pytest.raises(InputError, match=r"broken.json:2: not valid JSON \(Expecting value"):
        next(stream)


def test_json_array_scanned_by_the_cli(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text('[{"id": "1", "title": "Nike replica shoes"}]', encoding="utf-8")
    result = cli("scan", str(path), "--format", "jsonl")
    assert result.returncode == 1, result.stderr
    assert [json.loads(line)["code"] for line in result.stdout.splitlines()] == ["TM102"]


# -- fault 7: silent loss in readers ----------------------------------------------------------

def test_duplicated_csv_column_is_scanned_too(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,title,title\n1,plain mug,Nike replica\n2,,Gucci fake\n", encoding="utf-8")
    assert listings(path) == [
        Listing("1", {"title": "plain mug\nNike replica"}, None, None, f"{path}:2"),
        Listing("2", {"title": "Gucci fake"}, None, None, f"{path}:3"),
    ]


def test_unclosed_quote_mid_file_is_a_bad_row_and_reading_resumes(tmp_path):
    path = tmp_path / "unclosed.csv"
    path.write_text('id,title\n0,ok\n1,"plain mug\n2,Nike replica\n3,"Gucci" fake\n4,Rolex replica\n',
                    encoding="utf-8")
    got = listings(path)
    assert got == [
        Listing("0", {"title": "ok"}, None, None, f"{path}:2"),
        BadRow(str(path), 3, "unclosed quote: the quoted cell that starts on this line never ends properly; "
                             "the record is skipped and reading resumes on the next line"),
        Listing("2", {"title": "Nike replica"}, None, None, f"{path}:4"),
        # once on a line of its own, csv's usual leniency for a quote inside a cell applies
        Listing("3", {"title": "Gucci fake"}, None, None, f"{path}:5"),
        Listing("4", {"title": "Rolex replica"}, None, None, f"{path}:6"),
    ]


def test_unclosed_quote_running_to_the_end(tmp_path):
    path = tmp_path / "eof.csv"
    path.write_text('id,title\n1,"plain mug\n2,Nike replica\n3,Gucci fake\n', encoding="utf-8")
    got = listings(path)
    assert [getattr(item, "id", None) or item.line for item in got] == [2, "2", "3"]
    assert isinstance(got[0], BadRow)


def test_quoted_multiline_cells_stay_whole(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text('id,title,description\n1,mug,"line one\nline ""two"", with a comma\n"\n2,cup,x\n',
                    encoding="utf-8")
    assert listings(path) == [
        Listing("1", {"title": "mug", "description": 'line one\nline "two", with a comma'}, None, None, f"{path}:2"),
        Listing("2", {"title": "cup", "description": "x"}, None, None, f"{path}:5"),
    ]


def test_unclosed_quote_same_with_jobs(tmp_path):
    path = tmp_path / "unclosed.csv"
    rows = [f"r{i},Rolex replica {i}\n" for i in range(400)]
    rows[200] = 'r200,"plain mug\n'
    path.write_text("id,title\n" + "".join(rows), encoding="utf-8")
    one, two = cli("scan", str(path), "--format", "jsonl", "--jobs", "1"), cli("scan", str(path), "--format",
                                                                                "jsonl", "--jobs", "2")
    assert one.stdout == two.stdout and one.returncode == two.returncode == EXIT_INPUT
    assert len(one.stdout.splitlines()) == 399
    assert f"listguard: bad row: {path}:202: unclosed quote" in one.stderr


def test_junk_after_the_xml_root_keeps_the_items_before(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n'
        '<item><g:id>1</g:id><title>Nike replica shoes</title></item>\n'
        '<item><g:id>2</g:id><title>Gucci fake bag</title></item>\n'
        '</channel></rss>\njunk here\n', encoding="utf-8")
    stream = read_listings(str(path))
    assert [next(stream).id, next(stream).id] == ["1", "2"]
    with pytest.raises(InputError, match=r"feed.xml:6: malformed XML \(junk after document element\)"):
        next(stream)
    result = cli("scan", str(path), "--format", "jsonl")
    assert result.returncode == EXIT_INPUT
    assert [json.loads(line)["listing"] for line in result.stdout.splitlines()] == ["1", "2"]
    assert f"listguard: error: {path}:6: malformed XML (junk after document element)" in result.stderr


# -- rough edge: a binary file is not UTF-16 --------------------------------------------------

@pytest.mark.parametrize("name, data, says", ids=["gzip", "png", "random", "sqlite"], argvalues=[
    ("gzip", gzip.compress(b'{"id": "1", "title": "x"}\n' * 50), "gzip-compressed data"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "PNG image"),
    ("random", bytes(range(256)) * 40, "binary data"),
    ("sqlite", b"SQLite format 3\x00" + b"\x00\x10" * 500, "SQLite database"),
])
def test_binary_file_is_called_binary(tmp_path, name, data, says):
    path = tmp_path / f"catalog.{name}"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        listings(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: a binary file ({says}), not a text export")
    assert "utf-16" not in message.lower()


def test_utf16_without_bom_still_says_utf16(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("id,title\n1,Nike replica\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="looks like UTF-16 without a byte-order mark"):
        listings(path)
