"""Exact findings (code, span, mark) for a table of listings in fixtures/cases/findings.jsonl.

Each case has a ``why``; adding a regression case needs no Python.
"""

from __future__ import annotations

import json

import pytest

from lg_paths import FIXTURES
from scanner.core.models import Listing, snippet

CASES = [json.loads(line) for line in (FIXTURES / "cases" / "findings.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["title"][:30] for c in CASES])
def test_findings_table(small_scanner, case):
    listing = Listing("t", {"title": case["title"]}, brand=case.get("brand"))
    problems = small_scanner.check(listing)
    got = [[p.code, p.start, p.end, p.mark] for p in problems]
    assert got == case["expect"], case["why"]
    for p in problems:  # the span is always the original text
        assert p.text == case["title"][p.start:p.end]


def test_every_case_says_why():
    assert all(c.get("why") for c in CASES)


@pytest.mark.parametrize("text, start, end, shown, why", [
    ("Nike shoes", 0, 4, "[[Nike]] shoes", "match at the start: no leading ellipsis"),
    ("shoes by Nike", 9, 13, "shoes by [[Nike]]", "match at the end: no trailing ellipsis"),
    ("x" * 30 + " Nike " + "y" * 30, 31, 35, "…" + "x" * 23 + " [[Nike]] " + "y" * 23 + "…",
     "24 characters either side, an ellipsis where text was cut"),
    ("Nike\n\tshoes  on  sale", 0, 4, "[[Nike]] shoes on sale", "newlines, tabs and runs of spaces become one space"),
    ("高仿耐克运动鞋", 2, 4, "高仿[[耐克]]运动鞋", "CJK text around the match"),
])
def test_snippet(text, start, end, shown, why):
    assert snippet(text, start, end) == shown, why


ORDINARY = [json.loads(line) for line in (FIXTURES / "cases" / "ordinary_words.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]


@pytest.mark.parametrize("case", ORDINARY, ids=[f"{c['title'][:20]}|{c['brand']}|{c['category'][:12]}" for c in ORDINARY])
def test_ordinary_word_marks_backed_by_the_category(small_marks, case):
    from scanner.core.engine import ScanSettings, Scanner
    from trademarks.nice import classes_for_category

    scanner = Scanner(small_marks, ScanSettings(class_of_category=classes_for_category))
    fields = {"title": case["title"], **({"description": case["description"]} if "description" in case else {})}
    listing = Listing("t", fields, brand=case["brand"], category=case["category"])
    assert [[p.field, p.code, p.start, p.end, p.mark] for p in scanner.check(listing)] == \
        [[e[0] if len(e) == 5 else "title", *e[-4:]] for e in case["expect"]], case["why"]
    assert case["why"]


@pytest.mark.parametrize("title, expect, why", [
    ("Wireless Charger For Samsung Galaxy Phones", [["TM100", 21, 35, "Galaxy"]],
     "'Samsung Galaxy' holds Samsung, no ordinary word: firm in Title Case text, named for compatibility"),
    ("Samsung Galaxy S24 Case", [["TM100", 0, 14, "Galaxy"]], "the same alias leading a title, with a case after the model: the phone it fits"),
    ("Galaxy Print Leggings For Women", [], "Galaxy alone in Title Case is an ordinary word"),
])
def test_an_alias_holding_a_firm_mark_of_the_owner_is_firm(title, expect, why):
    from scanner.core.engine import Scanner
    from trademarks.models import Mark

    scanner = Scanner([Mark("Galaxy", ("Samsung Galaxy",), "Samsung", (9,), "exact"), Mark("Samsung", (), "Samsung", (9,))])
    assert [[p.code, p.start, p.end, p.mark] for p in scanner.check(Listing("t", {"title": title}))] == expect, why


@pytest.mark.parametrize("title, expect, why", [
    ("干衣机 HF-F14T 遥控款", [], "digits for two of four letters with no two letters side by side: a model code, no Fiat"),
    ("F1at 500 car cover", [["TM108", 0, 4, "Fiat"]], "one digit for a letter, 'at' side by side: a disguised Fiat"),
])
def test_leet_needs_two_letters_side_by_side(title, expect, why):
    from scanner.core.engine import Scanner
    from trademarks.models import Mark

    scanner = Scanner([Mark("Fiat", (), "Stellantis", (12,))])
    assert [[p.code, p.start, p.end, p.mark] for p in scanner.check(Listing("t", {"title": title}))] == expect, why


POLICY_CASES = [json.loads(line) for line in (FIXTURES / "cases" / "warnings_policy.jsonl").read_text(encoding="utf-8")
                .splitlines() if line.strip()]


@pytest.mark.parametrize("case", POLICY_CASES, ids=[f"{c['title'][:24]}|{c.get('brand')}|{c.get('own_brand')}"
                                                    for c in POLICY_CASES])
def test_warnings_policy_table(case):
    """The warnings policy (docs/matching.md) on the bundled list: compatibility without a cue
    word, the product's own brand, licensed and resold goods, declared brands as sellers write
    them, owner groups, product-line words, 同款's binding, short CJK marks inside longer words."""
    from scanner.core.engine import ScanSettings, Scanner
    from trademarks.lists import bundled_marks
    from trademarks.nice import classes_for_category

    scanner = Scanner(bundled_marks(), ScanSettings(own_brands=tuple(case.get("own_brand", ())),
                                                    class_of_category=classes_for_category))
    listing = Listing("t", {"title": case["title"]}, brand=case.get("brand"), category=case.get("category"))
    assert [[p.code, p.start, p.end, p.mark] for p in scanner.check(listing)] == case["expect"], case["why"]
    assert case["why"]
