"""HTML reduction: visible text is what gets scanned; hidden text is collected apart."""

from __future__ import annotations

import pytest

from scanner.sources.html_text import ReducedText, looks_like_html, reduce_html

CASES = [
    ("<p>a</p><p>b</p>", "a\nb", "", "block elements become line breaks"),
    ("x<br>y", "x\ny", "", "br breaks the line"),
    ("Tom &amp; Jerry&nbsp;!<b></b>", "Tom & Jerry\xa0!", "", "entities decoded, nbsp kept"),
    ("<p>  many\n   spaces </p>", "many spaces", "", "whitespace collapses like a browser"),
    ('<span style="display: none">kw</span>ok', "ok", "kw", "display:none hidden"),
    ('<div style="visibility:hidden">kw</div>ok', "ok", "kw", "visibility:hidden hidden"),
    ('<span style="font-size:0px">kw</span>ok', "ok", "kw", "font-size 0 hidden"),
    ('<span style="font-size:0.5em">small</span>', "small", "", "small but visible text stays visible"),
    ('<span style="color:#FFFFFF">kw</span>ok', "ok", "kw", "white text hidden"),
    ('<span style="background-color:#fff">bg</span>', "bg", "", "white background is not hidden text"),
    ("<div hidden>kw</div>ok", "ok", "kw", "hidden attribute"),
    ('<img src="a.jpg" alt="Nike shoe">', "", "Nike shoe", "alt text hidden"),
    ('<a title="Gucci">link</a>', "link", "Gucci", "title attribute hidden"),
    ('<meta name="keywords" content="rolex, omega">', "", "rolex, omega", "meta content hidden"),
    ("<script>var gucci=1</script><style>.x{}</style>ok", "ok", "", "script/style dropped"),
    ('<div style="display:none"><p>a</p><p>b</p></div>c', "c", "a\nb", "hidden blocks keep separate pieces"),
    ("<!-- wp:paragraph --><p>x</p>", "x", "", "comments dropped"),
    ('<span style="display:none">never closed', "", "never closed", "unclosed hidden element hides the rest"),
]


@pytest.mark.parametrize("html, visible, hidden, why", CASES, ids=[c[3] for c in CASES])
def test_reduce_html(html, visible, hidden, why):
    assert reduce_html(html) == ReducedText(visible, hidden), why


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<p>x</p>", True),
        ("a <br/> b", True),
        ("<!-- c -->", True),
        ("5 < 6 and 7 > 3", False),
        ("size <10cm>", False),  # a tag name starts with a letter
        ("plain & text", False),
        ("price<100 yuan", False),
    ],
)
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected
