"""Lint the bundled trademark list (trademarks/data/marks.csv) and prove the real reader loads it."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.core.normalize import fold  # two forms are one when the matcher folds them alike
from trademarks.lists import BUNDLED_LIST, bundled_marks, read_marks
from trademarks.models import split_form

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
COLUMNS = ["mark", "aliases", "owner", "classes", "case", "famous", "exceptions", "sector"]
SECTORS = {"fashion", "apparel", "sportswear", "watch", "cosmetics", "electronics", "platform", "ip", "appliance",
           "auto", "food"}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Two-letter seller abbreviations kept on a ``fold`` mark after review: the model has one case
# policy per mark, and making these marks ``exact`` would stop "LOUIS VUITTON" matching.
SHORT_ALIASES = {"lv", "ck", "mk", "aj", "bv", "vw"}
# Words in the frequency lists only because of the brand itself (reviewed by hand).
BRAND_ONLY_EN = {"google", "disney", "iphone", "microsoft", "android", "batman", "instagram",
                 "nba", "nfl", "fifa", "olympics"}
BRAND_ONLY_ZH = {"微软"}


def split_bar(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


@pytest.fixture(scope="module")
def raw() -> str:
    return BUNDLED_LIST.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def rows(raw: str) -> list[dict[str, str]]:
    return list(csv.DictReader(raw.splitlines()))


def forms(row: dict[str, str]) -> list[str]:
    """The row's forms, their {kind} annotations stripped (Kelly{exact} is the form Kelly)."""
    return [row["mark"], *(split_form(a)[0] for a in split_bar(row["aliases"]))]


def words(name: str) -> set[str]:
    return {w.strip() for w in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if w.strip()}


def test_header_encoding_and_line_ends(raw: str) -> None:
    assert raw.split("\n", 1)[0] == ",".join(COLUMNS)
    assert "\r" not in raw and not raw.startswith("\ufeff") and raw.endswith("\n")


def test_at_least_1000_marks(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 1000


def test_rows_sorted_by_casefolded_mark(rows: list[dict[str, str]]) -> None:
    marks = [r["mark"] for r in rows]
    assert marks == sorted(marks, key=str.casefold)


def test_every_cell_well_formed(rows: list[dict[str, str]]) -> None:
    for row in rows:
        where = row["mark"]
        assert list(row) == COLUMNS and None not in row.values(), where
        assert row["mark"].strip() == row["mark"] != "", where
        assert row["owner"].strip(), where
        assert row["case"] in ("fold", "exact"), where
        assert row["famous"] in ("", "yes"), where
        assert row["sector"] in SECTORS, where  # every curated section names its sector
        classes = [int(c) for c in split_bar(row["classes"])]
        assert all(1 <= c <= 45 for c in classes) and classes == sorted(set(classes)), where
        for cell in ("aliases", "exceptions"):
            parts = split_bar(row[cell])
            assert "|".join(parts) == row[cell] and all(p.strip() == p for p in parts), where


def test_no_alias_repeats_its_mark(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert fold(row["mark"]) not in {fold(a) for a in split_bar(row["aliases"])}, row["mark"]


def test_folded_forms_unique_across_file(rows: list[dict[str, str]]) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for row in rows:
        for form in forms(row):
            key = fold(form)
            if key in seen:
                clashes.append((form, seen[key], row["mark"]))
            seen[key] = row["mark"]
    assert clashes == []


def test_same_owner_spelled_once(rows: list[dict[str, str]]) -> None:
    by_fold: dict[str, set[str]] = {}
    for row in rows:
        key = re.sub(r"[\s.,]", "", row["owner"].casefold())
        by_fold.setdefault(key, set()).add(row["owner"])
    assert [v for v in by_fold.values() if len(v) > 1] == []


def test_every_exception_contains_a_form(rows: list[dict[str, str]]) -> None:
    for row in rows:
        folded = [fold(f) for f in forms(row)]
        for exc in split_bar(row["exceptions"]):
            assert any(f in fold(exc) for f in folded), (row["mark"], exc)


def test_no_exception_is_another_marks_form(rows: list[dict[str, str]]) -> None:
    # An exception shadows every meaning of its phrase: one that is itself a form of another
    # mark ("champions league" of Champion, "baby shark" of Shark) hides that mark entirely.
    owner_of = {fold(f): row["owner"] for row in rows for f in forms(row)}
    clashes = [(row["mark"], exc) for row in rows for exc in split_bar(row["exceptions"])
               if owner_of.get(fold(exc), row["owner"]) != row["owner"]]
    assert clashes == []


# An alias annotated {ordinary} or {exact} carries its own guard: it counts only when something
# backs it, or only in its written capitals (the product lines Kelly{ordinary}, Chance{ordinary};
# the shorthand AP, PP, NB that trademarks/data/nicknames.tsv merges in as {ordinary}).
GUARDED_RE = re.compile(r"\{(?:ordinary|exact)\}$")


def test_fold_marks_have_no_common_english_or_very_short_form(rows: list[dict[str, str]]) -> None:
    common = words("common_words_en.txt") - BRAND_ONLY_EN
    bad = []
    for row in rows:
        if row["case"] != "fold":
            continue
        guarded = {fold(GUARDED_RE.sub("", a)) for a in split_bar(row["aliases"]) if GUARDED_RE.search(a)}
        for form in forms(row):
            if CJK.search(form) or not LATIN.search(form) or fold(GUARDED_RE.sub("", form)) in guarded:
                continue
            key = fold(form)
            if key in common or (len(key) <= 2 and key not in SHORT_ALIASES):
                bad.append((row["mark"], form))
    assert bad == []


def test_common_chinese_aliases_have_exceptions(rows: list[dict[str, str]]) -> None:
    common = words("common_words_zh.txt") - BRAND_ONLY_ZH
    bad = [(row["mark"], form) for row in rows for form in forms(row)
           if form in common and not any(form in e for e in split_bar(row["exceptions"]))]
    assert bad == []


def test_single_character_chinese_forms_are_absent(rows: list[dict[str, str]]) -> None:
    assert [f for r in rows for f in forms(r) if CJK.search(f) and len(f) < 2] == []


def test_real_reader_loads_the_list(rows: list[dict[str, str]]) -> None:
    marks = bundled_marks()
    assert [m.name for m in marks] == [r["mark"] for r in rows]
    assert read_marks(BUNDLED_LIST, source="bundled") == marks
    assert all(m.owner for m in marks)


@pytest.fixture(scope="module")
def by_name() -> dict:
    return {m.name: m for m in bundled_marks()}


def test_louis_vuitton(by_name: dict) -> None:
    lv = by_name["Louis Vuitton"]
    assert {"LV", "路易威登", "驴牌"} <= set(lv.forms()) and lv.form_kinds()["驴牌"] == "nickname"
    assert lv.famous and lv.case == "fold"


def test_chanel(by_name: dict) -> None:
    assert {"香奈儿", "香奶奶"} <= set(by_name["Chanel"].forms())


def test_apple_is_exact_with_fruit_exceptions(by_name: dict) -> None:
    apple = by_name["Apple"]
    assert apple.case == "exact" and "苹果" in apple.forms() and apple.form_kinds()["苹果"] == "ordinary"
    assert {"苹果汁", "apple juice", "big apple"} <= set(apple.exceptions)
    assert by_name["iPhone"].owner == by_name["AirPods"].owner == apple.owner == "Apple Inc."


def test_samsung_and_omega_exceptions(by_name: dict) -> None:
    assert "三星" in by_name["Samsung"].forms() and "三星堆" in by_name["Samsung"].exceptions
    assert "omega-3" in by_name["Omega"].exceptions


def test_common_words_with_exceptions(by_name: dict) -> None:
    assert "小米粥" in by_name["Xiaomi"].exceptions
    assert "万里长城" in by_name["Great Wall Motor"].exceptions
    assert {"polo shirt", "polo衫"} <= set(by_name["Polo"].exceptions)
    assert by_name["Polo"].case == by_name["Coach"].case == by_name["Dove"].case == "exact"


# Findings the bundled list's rows decide (exceptions, aliases, case), checked through a scan.
BUNDLED_CASES = [
    ("VW Polo wheel cover", [("TM100", "Volkswagen")],
     "VW Polo is Volkswagen's car: an alias of Volkswagen, not an exception of Polo; a wheel cover fits it"),
    ("大众polo尾翼", [("TM100", "Volkswagen")], "大众polo likewise; a spoiler (尾翼) fits it"),
    ("Striped Polo T-shirt for men", [], "a polo t-shirt is a garment"),
    ("Pink Tank Top, cotton", [], "a tank top is a garment, not Great Wall's Tank"),
    ("U.S. Polo Assn. Men White Shirt", [("TM111", "U.S. Polo Assn.")], "USPA is its own brand, not Ralph Lauren's Polo"),
    ("Men Off-White Cotton Trousers", [], "off-white is a colour"),
    ("作业本田字格本", [], "田字格 exercise books, not Honda"),
    ("UEFA Champions League ball", [("TM111", "UEFA Champions League")], "an exception of Champion must not hide a mark of its own"),
    ("Baby Shark plush toy", [("TM111", "Baby Shark")], "nor an exception of Shark"),
    ("Lightning McQueen lunch box", [("TM111", "Cars")], "Lightning McQueen is Disney's (Cars), not Apple's Lightning nor Alexander McQueen"),
]


@pytest.fixture(scope="module")
def bundled_scanner():
    from scanner.core.engine import Scanner
    from trademarks.lists import bundled_marks

    return Scanner(bundled_marks())


@pytest.mark.parametrize("title, expect, why", BUNDLED_CASES, ids=[c[0][:24] for c in BUNDLED_CASES])
def test_bundled_rows_decide_these_findings(bundled_scanner, title, expect, why):
    from scanner.core.models import Listing

    got = [(p.code, p.mark) for p in bundled_scanner.check(Listing("t", {"title": title}))]
    assert got == expect, why


def test_bundled_list_is_a_rebuild_of_its_committed_seeds(tmp_path: Path) -> None:
    # why: marks.csv is generated; --check must pass from the repository alone (no shared data
    # folder: an empty one stands in for it), so CI catches a hand edit or a stale rebuild.
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_bundled_list.py"), "--check",
                             "--shared", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    added = re.search(r"nsi aliases added (\d+)", result.stderr)
    assert added and int(added.group(1)) > 0, result.stderr  # the committed NSI seed was read
