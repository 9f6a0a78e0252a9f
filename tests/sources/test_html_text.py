"""HTML reduction: visible text is what gets scanned; hidden text is collected apart."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st

from scanner.sources.html_text import ReducedText, looks_like_html, parse_html, reduce_html, reduce_plain_html

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


# The plain-tag fast path must give exactly what the parser gives, for any mix of plain tags,
# other tags, entities, stray '<' '>' '&' and whitespace; when it cannot, it must say so.
_PIECES = ["<p>", "</p>", "<br>", "<br/>", "<BR />", "<li>", "</li>", "<b>", "</b>", "<strong>", "<span>",
           "</span >", "<h2>", "</h2>", "<p\n>", "<img alt=x>", "<span style=\"display:none\">", "<script>",
           "</script>", "<!-- c -->", "<meta content=k>", "<template>", "< p>", "</ p>", "<3", "a < b", ">",
           "&amp;", "&nbsp;", "&lt;", "&#x4e2d;", "&bogus", "AT&T", "&", " ", "\n", "\t", "  ", "Nike",
           "耐克", "text", "<x-y>", "<td>", "<font>", "<a>", "</a>"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
@example("<p>Tom &amp; Jerry</p><br/>x")
def test_plain_tag_fast_path_equals_the_parser(text):
    fast = reduce_plain_html(text)
    if fast is not None:
        assert fast == parse_html(text), text


@pytest.mark.parametrize("text, plain", [
    ("<p>durable 耐磨</p>\n<p>compatible with Nike</p>", True),
    ("<ul><li>a</li><li>b &amp; c</li></ul>", True),
    ('<img src="x.jpg" alt="Nike">', False),
    ('<span style="display:none">kw</span>', False),
    ("<script>x</script>", False),
    ("a <3 b<p>c</p>", False),
])
def test_plain_tag_fast_path_takes_only_plain_tags(text, plain):
    assert (reduce_plain_html(text) is not None) is plain
