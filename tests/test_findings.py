"""Exact findings (code, span, mark) for a table of listings in fixtures/cases/findings.jsonl.

Each case has a ``why``; adding a regression case needs no Python.
"""

from __future__ import annotations

import json

import pytest

from scanner.models import Listing, snippet

from lg_paths import FIXTURES

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
