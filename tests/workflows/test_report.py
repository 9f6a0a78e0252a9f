"""The exposure report: grouping by rights holder, serious vs general, fix-first order."""

from __future__ import annotations

from scanner.workflows.report import NO_HOLDER, build_exposure, render_html, render_text
from wf_helpers import make_problem

PROBLEMS = [
    make_problem("SKU-1", "TM101", "Nike", mark="Nike", owner="Nike, Inc.", source="c.csv:2"),
    make_problem("SKU-2", "TM102", "Nike", mark="Nike", owner="Nike, Inc.", source="c.csv:3"),
    make_problem("SKU-2", "TM101", "Jordan", mark="Air Jordan", owner="Nike, Inc.", source="c.csv:3"),
    make_problem("SKU-3", "TM103", "Gucci", mark="Gucci", owner="Guccio Gucci S.p.A.", source="c.csv:4"),
    make_problem("SKU-3", "TM101", "LV", mark="Louis Vuitton", owner="Louis Vuitton Malletier", source="c.csv:4"),
    make_problem("SKU-4", "TM110", "高仿名牌", mark=None, owner=None, source="c.csv:5"),
    make_problem("SKU-5", "TM100", "iPhone", mark="iPhone", owner="Apple Inc.", source="c.csv:6"),
]


def test_grouping_and_classification():
    exposure = build_exposure(PROBLEMS)
    assert (exposure.serious, exposure.general) == (2, 4)
    holders = {h.owner: h for h in exposure.holders}
    assert "Apple Inc." not in holders  # TM100 is an allowed use
    nike = holders["Nike, Inc."]
    assert (nike.serious, nike.general, nike.listings, nike.marks) == (1, 2, {"SKU-1", "SKU-2"}, {"Nike", "Air Jordan"})
    assert nike.if_complained == "serious violation (counterfeit); general violation: 2 points per complaint"
    assert holders[NO_HOLDER].serious == 1
    assert exposure.holders[0].owner == "Nike, Inc."


def test_fix_first_order():
    ranked = [r.listing for r in build_exposure(PROBLEMS).listings]
    # serious first (SKU-2: serious + 1 holder; SKU-4: serious, no holder), then two holders, then one
    assert ranked == ["SKU-2", "SKU-4", "SKU-3", "SKU-1"]


def test_text_report():
    text = render_text(build_exposure(PROBLEMS, "Exposure"), top=2)
    lines = text.splitlines()
    assert lines[0] == "Exposure"
    assert lines[1] == "6 problem(s) in 4 listing(s); 2 serious, 4 general; 3 rights holder(s)"
    assert "Complaints by one rights holder within 3 days count as one complaint." in lines
    assert ("  Nike, Inc. [Air Jordan, Nike]: 2 listing(s), 1 serious, 2 general -> if complained: "
            "serious violation (counterfeit); general violation: 2 points per complaint") in lines
    assert "Fix first (top 2 of 4):" in lines
    assert lines[-2:] == ["  1. SKU-2 (c.csv:3): SERIOUS TM102 Nike; general TM101 Air Jordan",
                          "  2. SKU-4 (c.csv:5): SERIOUS TM110"]


def test_html_report_escapes():
    hostile = make_problem("<b>SKU</b>", "TM101", "X", mark="X", owner="<script>alert(1)</script>")
    html = render_html(build_exposure([hostile, *PROBLEMS], "<i>t</i>"))
    assert "<script>" not in html and "<b>SKU" not in html and "<i>t" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<tr class=\"serious\">" in html
