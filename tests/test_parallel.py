"""--jobs N gives the same results in the same order as --jobs 1, and Ctrl-C stops cleanly."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.runners.local import scan_parallel
from scanner.runners.stream import (
    CleanListings,
    FileError,
    ListingResult,
    ReadSettings,
    file_plan,
    read_all,
    scan_items,
)
from scanner.sources import BadRow
from scanner.workflows.scanners import build_scanner, scanner_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
TITLES = ["Nike Air running shoes", "Rolex replica 1:1 watch", "case compatible with iPhone 15", "耐克同款 运动鞋",
          "plain cotton shirt", "better than Dyson vacuum", "高仿 Gucci 包包", "LEGO style bricks", "not Adidas",
          "handmade ceramic mug"]


@pytest.fixture(scope="module")
def scanner():
    return build_scanner(scanner_settings())


def as_tuples(results):
    out = []
    for r in results:
        # Workers send results back without the listing texts (ListingResult.slim), and
        # runs of clean listings as counts (CleanListings), so compare what the parent uses:
        # each listing with problems (identity, field count, problems), the number of clean
        # listings and their fields between them, bad rows and file errors.
        if isinstance(r, CleanListings) or (isinstance(r, ListingResult) and not r.problems):
            count, fields = (r.count, r.fields) if isinstance(r, CleanListings) else (1, r.field_count())
            if out and isinstance(out[-1], tuple) and out[-1][0] == "clean":
                _, before, before_fields = out.pop()
                count, fields = count + before, fields + before_fields
            out.append(("clean", count, fields))
        else:
            out.append(("L", r.slim(), tuple(r.problems)) if isinstance(r, ListingResult) else r)
    return out


def sequential(scanner, paths, settings=ReadSettings()):
    return as_tuples(scan_items(scanner, read_all([str(p) for p in paths], settings)))


def parallel(scanner, paths, chunk_bytes, settings=ReadSettings(), jobs=2):
    return as_tuples(scan_parallel(scanner, [str(p) for p in paths], settings, jobs, chunk_bytes=chunk_bytes))


def write_tricky_csv(path: Path, rows: int, seed: int = 5, newline: str = "\n") -> None:
    """Generic CSV with multiline quoted fields, quotes, CRLF, blank lines and bad rows."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator=newline)
        writer.writerow(["id", "title", "description", "brand"])
        for i in range(rows):
            title = rng.choice(TITLES)
            desc = " ".join(rng.choice(TITLES) for _ in range(rng.randint(0, 3)))
            if rng.random() < 0.3:
                desc = desc.replace(" ", '\n"quoted"\n', 1) + "\r\nline two"
            kind = rng.random()
            if kind < 0.03:
                handle.write(f"bad-{i},{title},{desc.splitlines()[0] if desc else ''},x,EXTRA CELL{newline}")
            elif kind < 0.05:
                writer.writerow(["", title, desc, ""])  # empty id: a bad row
            elif kind < 0.07:
                handle.write(newline)  # blank line
            else:
                writer.writerow([f"p{i}", title, desc, rng.choice(["", "Nike", "Acme"])])


def write_shopify(path: Path, rows: int, seed: int = 9) -> None:
    """Shopify export where variant rows (no title) add image alt text to the product above."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Handle", "Title", "Body (HTML)", "Vendor", "Image Alt Text"])
        for i in range(rows):
            writer.writerow([f"h{i}", rng.choice(TITLES), f"<p>{rng.choice(TITLES)}</p>\n<p>more</p>", "Acme", ""])
            for _ in range(rng.randint(0, 3)):
                writer.writerow([f"h{i}", "", "", "", rng.choice(["Gucci replica", "blue", "Nike同款"])])


def write_jsonl(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            if rng.random() < 0.03:
                handle.write("{not json\n")
            elif rng.random() < 0.03:
                handle.write("\n")
            else:
                handle.write(json.dumps({"id": f"j{i}", "title": rng.choice(TITLES),
                                         "description": rng.choice(TITLES)}, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("name", ["sample_catalog.jsonl", "sample_catalog.csv", "formats/shopify_legacy.csv",
                                  "formats/taobao_v4_gb18030.csv", "formats/taobao_v5_utf16.csv",
                                  "formats/google_feed_rss.xml", "formats/woocommerce_en.csv",
                                  "formats/shopify_2024.csv", "formats/amazon_flat_file_cp1252.txt",
                                  "formats/ebay_seller_hub.csv"])
def test_fixtures_same_results_in_any_chunking(scanner, name):
    expected = sequential(scanner, [FIXTURES / name])
    for chunk in (64, 1000):
        assert parallel(scanner, [FIXTURES / name], chunk) == expected


def test_generated_csv_with_multiline_fields_and_bad_rows(scanner, tmp_path):
    lf, crlf = tmp_path / "lf.csv", tmp_path / "crlf.csv"
    write_tricky_csv(lf, 1500)
    write_tricky_csv(crlf, 400, seed=6, newline="\r\n")
    expected = sequential(scanner, [lf, crlf])
    assert sum(isinstance(r, BadRow) for r in expected) > 20
    assert file_plan(str(lf), ReadSettings()) is not None  # really split into byte ranges
    for chunk in (200, 3000):
        assert parallel(scanner, [lf, crlf], chunk) == expected


def test_shopify_variant_rows_stay_with_their_product(scanner, tmp_path):
    path = tmp_path / "shopify.csv"
    write_shopify(path, 800)
    expected = sequential(scanner, [path])
    assert parallel(scanner, [path], 500) == expected


def test_jsonl_bad_lines_keep_their_numbers(scanner, tmp_path):
    path = tmp_path / "l.jsonl"
    write_jsonl(path, 2000)
    expected = sequential(scanner, [path])
    assert any(isinstance(r, BadRow) for r in expected)
    assert parallel(scanner, [path], 700) == expected


def test_unclosed_quote_and_lone_cr_fall_back_to_one_stream(scanner, tmp_path):
    broken = tmp_path / "broken.csv"
    write_tricky_csv(broken, 300)
    text = broken.read_text("utf-8").splitlines(keepends=True)
    text[150] = text[150].rstrip("\n") + ',"unclosed\n'  # quote parity flips for the rest of the file
    broken.write_text("".join(text), "utf-8")
    cr = tmp_path / "cr.csv"
    cr.write_bytes(b"id,title\r" + b"".join(b"a%d,Rolex replica %d\r" % (i, i) for i in range(300))
                   + b"b,Nike\nc,fake Gucci\n")
    for path in (broken, cr):
        expected = sequential(scanner, [path])
        assert parallel(scanner, [path], 300) == expected


def test_undecodable_byte_midway_stops_the_file_like_one_process(scanner, tmp_path):
    path = tmp_path / "bad_utf8.jsonl"
    lines = [json.dumps({"id": str(i), "title": "Rolex replica"}) + "\n" for i in range(3000)]
    lines[2500] = '{"id": "x", "title": "caf\xe9"}\n'
    path.write_bytes("".join(lines[:2500]).encode() + lines[2500].encode("latin-1") + "".join(lines[2501:]).encode())
    expected = sequential(scanner, [path, FIXTURES / "sample_catalog.jsonl"])
    assert any(isinstance(r, FileError) for r in expected)
    assert parallel(scanner, [path, FIXTURES / "sample_catalog.jsonl"], 5000) == expected


def test_jobs_one_is_the_plain_path(scanner):
    path = FIXTURES / "sample_catalog.jsonl"
    assert parallel(scanner, [path], 100, jobs=1) == sequential(scanner, [path])


def cli(*args: str, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scanner", "scan", *args], capture_output=True, cwd=ROOT,
                          env=env, timeout=120, **kwargs)


def test_cli_output_is_byte_identical(tmp_path):
    generated = tmp_path / "gen.csv"
    write_tricky_csv(generated, 3000)
    for path in (FIXTURES / "sample_catalog.jsonl", FIXTURES / "sample_catalog.csv", generated):
        one = cli(str(path), "--format", "jsonl", "--jobs", "1")
        two = cli(str(path), "--format", "jsonl", "--jobs", "2")
        assert one.stdout and one.stdout == two.stdout
        assert one.returncode == two.returncode
        bad = [line for line in one.stderr.splitlines() if b"bad row:" in line]
        assert bad == [line for line in two.stderr.splitlines() if b"bad row:" in line]
    assert len(bad) > 50


def test_ctrl_c_stops_cleanly_with_complete_ordered_lines(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(200_000):
            handle.write(json.dumps({"id": f"x{i}", "title": TITLES[i % len(TITLES)]}, ensure_ascii=False) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", str(path), "--format", "jsonl", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    first = proc.stdout.readline()  # results are flowing
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    rest, err = proc.stdout.read(), proc.stderr.read()  # not communicate(): it skips readline's buffer
    proc.wait(timeout=60)
    assert proc.returncode == 130
    out = first + rest
    assert out.endswith(b"\n")
    lines = [json.loads(line) for line in out.decode().splitlines()]
    numbers = [int(p["source"].rsplit(":", 1)[1]) for p in lines]
    assert numbers == sorted(numbers) and len(numbers) < 200_000
    assert b"listings" in err and b"interrupted" in err


def test_unclosed_quote_running_to_the_end_of_the_file_is_kept(scanner, tmp_path):
    """A quote left open runs to EOF: the record it opens is a bad row and the listings
    after it are read on their own (issue 14); a range boundary inside it must not change
    that, and no job count may drop the last listing."""
    path = tmp_path / "unclosed.csv"
    rows = "".join(f"S{i},plain cotton tee {i}\n" for i in range(400))
    path.write_text("id,title\n" + rows + 'B,"unclosed quote\nC,Rolex replica 1:1\n', encoding="utf-8")
    expected = sequential(scanner, [path])
    *_, bad, last = expected
    assert isinstance(bad, BadRow) and bad.line == 402
    assert last[1].listing.id == "C" and [p.code for p in last[2]] == ["TM102"]
    for chunk in (64, 1000, 1 << 20):
        assert parallel(scanner, [path], chunk) == expected


def test_problems_travel_to_the_parent_whole_and_with_their_json_line():
    # Workers pickle results back: the parent must get equal records, and the JSON
    # line made in the worker must be the one the parent would make, and it is no field.
    import pickle

    from scanner.core.models import Listing, Problem, Severity
    from scanner.runners.stream import ListingResult

    problem = Problem("l1", "title", 0, 4, "TM101", "unauthorized-brand", Severity.WARNING, "Nike", "Nike, Inc.",
                      "Nike", "m", "a.csv:2", "f" * 24, {"context": "[[Nike]] x"})
    line = problem.to_json()
    back = pickle.loads(pickle.dumps(ListingResult(Listing("l1", {}, None, None, "a.csv:2"), [problem], 1)))
    again = back.problems[0]
    assert again == problem and again.severity is Severity.WARNING and again.extra == problem.extra
    assert again.to_json() == line == Problem(**{f: getattr(problem, f) for f in problem.__dataclass_fields__}).to_json()
    assert back.listing == Listing("l1", {}, None, None, "a.csv:2") and back.fields == 1


def test_clean_listings_travel_as_counts_and_the_summary_adds_up(scanner, tmp_path):
    from scanner.workflows.run import Tally

    path = tmp_path / "many.csv"
    write_tricky_csv(path, 400)
    results = list(scan_parallel(scanner, [str(path)], ReadSettings(), 2, chunk_bytes=2000))
    assert any(isinstance(r, CleanListings) for r in results)
    assert not any(isinstance(r, ListingResult) and not r.problems for r in results)
    one, two = Tally([str(path)]), Tally([str(path)])
    for r in scan_items(scanner, read_all([str(path)], ReadSettings())):
        one.add(r)
    for r in results:
        two.add(r)
    assert (one.summary.listings, one.summary.fields, one.summary.problems, one.summary.bad_rows) == (
        two.summary.listings, two.summary.fields, two.summary.problems, two.summary.bad_rows)
