"""HTML descriptions through libxml2 (lxml), when the ``fast`` extra is installed.

The contract is scanner/sources/html_text.py's; this is a second way to meet it for the
descriptions the plain-tag regex pass cannot take (attributes, entities, tables, images):
every block tag in the source gets a marker before and after it (one regex substitution),
libxml2 builds the tree in C, and the visible text is one C-level ``itertext()`` join, its
whitespace collapsed by one regex pass and cut into lines at the markers as html_text does.
Alt and title attributes and ``<meta content>`` come from one XPath query, in document
order. bench/bench_html.py measures it against html.parser: on a 1 KB export description
about 1.9M instructions against 2.2M (callgrind); most of what is left is the reduction both
share (lines, squeezing, the hiding-style check), so ``reduce_html`` here sends it only long
texts. The readers use this module's ``reduce_html`` when lxml is installed (sources/base.py).

Safety: the parser never touches the network (``no_network``), expands no entities of its
own (HTML has none to define), drops comments and processing instructions, keeps libxml2's
limits on deep or huge documents, and recovers from malformed markup. Anything it refuses
(an empty document, a limit) returns None and html.parser reduces the text.

Where libxml2 and html.parser may disagree, the text goes to html.parser (None), so the
visible and hidden text never differ (tests/sources/test_html_fast.py holds them equal on
generated and real descriptions):

* elements that hide or skip their content (``hidden``, a hiding ``style``, ``<script>``,
  ``<style>``, ``<template>``): libxml2 closes elements the HTML way (a ``<p>`` ends at the
  next block, a stray ``</div>`` closes nothing) where html.parser's reducer matches end tags
  by name, so the two can disagree on where the hidden part ends. Rare in real descriptions;
* an ``&`` left in the output that ``html.unescape`` would still decode (a safety net: the
  libxml2 lxml 6 ships knows the HTML5 entities, with and without ``;`` where HTML allows);
* a tag written in capitals (``<P>``): the block-tag markers are placed by a lower-case pattern;
* a ``<`` that opens no complete tag (``<Nike``, ``a < b``): html.parser keeps it as text;
* the block marker (a private-use character) already in the text.
"""

from __future__ import annotations

import re
import threading
from html import unescape
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml-stubs is a separate package

from scanner.sources.html_text import (
    BLOCK_TAGS,
    ReducedText,
    _lines,
    _squeeze,
    is_hiding,
    parse_html,
    reduce_plain_html,
)

_TAGLIKE = re.compile(r"<(?:!--.*?--|[/!?]?[A-Za-z][^<>]*)>", re.S)
_MARK = "\ue000"  # a private-use character: where a block element starts or ends
_SPACE = re.compile(r"[ \t\n\r\f]+")
_SKIPPING = etree.XPath("boolean(//*[@hidden] | //script | //style | //template)")
_STYLES = etree.XPath("//@style")
_TEXT_ATTRIBUTES = etree.XPath("//*[@alt or @title] | //meta[@content]")
# Every block tag in the source, start or end, gets a marker on both sides: html.parser's
# reducer breaks the line at each block tag it meets, wherever libxml2 puts the element, and
# one C-level substitution does it (no per-element Python).
# (Lower-case names only: case-insensitive alternation cost more than the parse; a description
# with an upper-case tag goes to html.parser.)
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(BLOCK_TAGS, key=lambda t: (-len(t), t))) + r")\b[^<>]*>")
_UPPER_TAG = re.compile(r"</?[A-Z]")
_LOCAL = threading.local()


def _parser() -> Any:
    try:
        return _LOCAL.parser
    except AttributeError:  # one per thread: making one costs more than reducing a description
        _LOCAL.parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                                         default_doctype=False, compact=True)
        return _LOCAL.parser


def _hiding(root: Any) -> bool:
    """An element that hides or skips its content (a style is checked as html_text reads it)."""
    if _SKIPPING(root):
        return True
    return any(is_hiding({"style": str(style)}) for style in _STYLES(root))


def reduce_with_lxml(text: str) -> ReducedText | None:
    """The reduction by libxml2, or None where html.parser must decide (module docstring)."""
    if _MARK in text or _UPPER_TAG.search(text) or len(_TAGLIKE.findall(text)) != text.count("<"):
        return None  # a '<' that opens no complete tag: html.parser keeps it as text, libxml2 may not
    try:
        root = etree.fromstring(_BLOCK_TAG.sub(_MARK + r"\g<0>" + _MARK, text), _parser())
    except (etree.LxmlError, ValueError):
        return None
    if root is None or _hiding(root):
        return None
    joined = "".join(root.itertext())
    visible = _lines(_SPACE.sub(" ", joined).replace(_MARK, "\n"))
    pieces = []
    for element in _TEXT_ATTRIBUTES(root):
        attrib = element.attrib
        for name in ("alt", "title"):
            if attrib.get(name):
                pieces.append(attrib[name])
        if element.tag == "meta" and attrib.get("content"):
            pieces.append(attrib["content"])
    hidden = "\n".join(p for p in (_squeeze(piece) for piece in pieces) if p)
    for out in (visible, hidden):
        if "&" in out and unescape(out) != out:
            return None  # an entity libxml2 left as it was: html.parser's unescape decides
    return ReducedText(visible, hidden)


# libxml2's fixed cost per call (a parse context, three XPath queries) outweighs html.parser's
# Python tokenizer on short fragments; past this length it takes fewer instructions
# (bench/bench_html.py, callgrind: about 1.9M against 2.2M on a 1 KB export description).
FAST_MIN_CHARS = 600


def reduce_html(text: str) -> ReducedText:
    """html_text.reduce_html with libxml2 between the regex pass and html.parser: what the
    readers use when lxml is installed (scanner/sources/base.py)."""
    plain = reduce_plain_html(text)
    if plain is not None:
        return plain
    if len(text) >= FAST_MIN_CHARS:
        reduced = reduce_with_lxml(text)
        if reduced is not None:
            return reduced
    return parse_html(text)
