"""sarif, github, csv and html output: exact content, schema validity, injection safety."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from scanner.core.models import ScanSummary
from scanner.formatters import FORMATTERS, get_formatter
from scanner.formatters.csv_format import neutralise
from scanner.formatters.github import annotation
from scanner.formatters.sarif import FINGERPRINT_KEY
from wf_helpers import make_problem

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-2.1.0.json"


def render(name: str, problems, summary: ScanSummary | None = None) -> str:
    out = io.StringIO()
    formatter = get_formatter(name, out)
    summary = summary or ScanSummary(listings=3, inputs=["catalog.csv"])
    for p in problems:
        formatter.write(p)
        summary.add(p)
    formatter.close(summary)
    return out.getvalue()


@pytest.fixture
def problems():
    return [
        make_problem("SKU-1", "TM102", "Nike", context="Nike replica 1:1 sneakers"),
        make_problem("SKU-2", "TM101", "LV", mark="Louis Vuitton", owner="Louis Vuitton Malletier",
                     source="catalog.csv:3", message="unauthorized brand"),
        make_problem("SKU 3, red", "TM110", "高仿名牌", mark=None, owner=None, field="description",
                     source="dir,1/cat:a.csv:4", message="counterfeit vocabulary\nsecond line 100%"),
    ]


def test_every_new_format_is_registered():
    assert {"sarif", "github", "csv", "html"} <= set(FORMATTERS)


def test_sarif_validates_against_the_official_schema(problems):
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    document = json.loads(render("sarif", problems))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    empty = json.loads(render("sarif", []))
    assert not list(validator.iter_errors(empty))


def test_sarif_rules_results_and_fingerprints(problems):
    run = json.loads(render("sarif", problems))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and {"TM100", "TM102", "TM110", "DS201"} <= set(ids)
    tm102 = rules[ids.index("TM102")]
    assert tm102["name"] == "counterfeit-cue"
    assert tm102["defaultConfiguration"]["level"] == "error"
    assert tm102["help"]["text"] and "listguard explain TM102" in tm102["help"]["text"]
    first, second, third = run["results"]
    assert first["ruleId"] == "TM102" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "TM102"
    assert first["partialFingerprints"] == {FINGERPRINT_KEY: problems[0].fingerprint}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "catalog.csv"},
        "region": {"startLine": 2, "snippet": {"text": "Nike"}},
    }
    assert second["level"] == "warning" and second["properties"]["mark"] == "Louis Vuitton"
    assert third["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir,1/cat:a.csv"
    assert third["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "SKU 3, red/description"


def test_sarif_fingerprints_are_stable_across_order(problems):
    forward = json.loads(render("sarif", problems))["runs"][0]["results"]
    backward = json.loads(render("sarif", problems[::-1]))["runs"][0]["results"]
    assert {r["partialFingerprints"][FINGERPRINT_KEY] for r in forward} == {
        r["partialFingerprints"][FINGERPRINT_KEY] for r in backward
    }


def test_github_annotations_exact(problems):
    lines = render("github", problems).splitlines()
    assert lines[0] == "::error file=catalog.csv,line=2,title=TM102 counterfeit-cue::" \
        "SKU-1 title: mark next to a counterfeit cue [Nike] (Nike)"
    assert lines[1].startswith("::warning file=catalog.csv,line=3,title=TM101 unauthorized-brand::")
    # properties escape , and : ; the message escapes %, CR and LF
    assert lines[2] == (
        "::warning file=dir%2C1/cat%3Aa.csv,line=4,title=TM110 counterfeit-vocabulary::"
        "SKU 3, red description: counterfeit vocabulary%0Asecond line 100%25 (高仿名牌)"
    )
    info = make_problem(code="TM100", source="")
    assert annotation(info).startswith("::notice title=TM100 nominative-use::")


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
        ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("Nike", "Nike"), ("a=b", "a=b"), (7, 7),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_csv_rows_and_formula_injection():
    evil = make_problem("=HYPERLINK(\"http://evil.example\",\"click\")", "TM101",
                        "@Nike", message="-bad", owner="+owner")
    text = render("csv", [evil, make_problem()])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["listing", "field", "code", "rule", "severity", "mark", "owner", "start",
                       "end", "text", "message", "source", "fingerprint"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["listing"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert first["text"] == "'@Nike" and first["message"] == "'-bad" and first["owner"] == "'+owner"
    assert first["start"] == "0" and first["end"] == "5" and first["fingerprint"] == evil.fingerprint
    assert render("csv", []).splitlines() == [",".join(rows[0])]


def test_html_escapes_every_user_string_and_highlights():
    hostile = make_problem(
        "<script>alert(1)</script>", "TM102", "Nike<b>", owner="<img src=x onerror=alert(2)>",
        context="buy Nike<b> replica \"1:1\" & more", message="<i>msg</i>",
    )
    page = render("html", [hostile, make_problem("SKU-9", "TM101", "Adidas", mark="Adidas",
                                                  owner="adidas AG", message="unauthorized brand")])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page and "<img" not in page and "<i>msg" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "buy <mark>Nike&lt;b&gt;</mark> replica &quot;1:1&quot; &amp; more" in page
    assert "<h2>By rule</h2>" in page and "<h2>By rights holder</h2>" in page
    assert "<td>adidas AG</td><td>Adidas</td><td class=\"n\">1</td>" in page
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # no external assets


def test_html_highlights_spans_in_full_field_text():
    p1 = make_problem("SKU-1", "TM102", "Nike", start=4, field_text="New Nike & Adidas 1:1")
    p2 = make_problem("SKU-1", "TM102", "Adidas", mark="Adidas", start=11, field_text="New Nike & Adidas 1:1")
    page = render("html", [p1, p2])
    assert "New <mark>Nike</mark> &amp; <mark>Adidas</mark> 1:1" in page
