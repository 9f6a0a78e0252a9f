"""Reduce an HTML description to the text a shopper sees, keeping hidden text apart.

``reduce_html(text)`` runs :class:`html.parser.HTMLParser` (a real tokenizer; no regex tag
stripping) and returns ``ReducedText(visible, hidden)``:

* ``visible`` is what the scanner scans; offsets reported by the scanner are offsets into it.
  Entities are decoded, runs of ASCII whitespace collapse to one space (as a browser does;
  ``&nbsp;`` is kept), block elements (``p``, ``div``, ``li``, ``br``, ``h1``...) become line
  breaks, blank lines are dropped and each line is trimmed.
* ``hidden`` collects text a shopper never sees but a search engine or marketplace indexes,
  one piece per line: text inside elements with the ``hidden`` attribute or a style of
  ``display:none``, ``visibility:hidden``, ``font-size:0``, ``opacity:0`` or a white text colour
  (``color:#fff``/``#ffffff``/``white``/``rgb(255,255,255)``: we assume a white page), and the
  values of ``alt`` and ``title`` attributes and ``<meta content>``.
* ``<script>``, ``<style>`` and ``<template>`` content is dropped; comments are dropped.

Only text that looks like HTML (``looks_like_html``: contains something shaped like a tag)
is reduced; plain text is returned unchanged by the callers, entities and all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead "
    "tr ul".split()
)
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
SKIP_TAGS = frozenset({"script", "style", "template"})
TEXT_ATTRIBUTES = ("alt", "title")

_TAG_STRICT = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*)>|<!--")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_HIDING_STYLE = re.compile(
    r"(?:^|;)(?:display:none|visibility:hidden|font-size:0(?:\.0*)?(?:px|pt|em|rem|%)?(?:!important)?(?:;|$)"
    r"|opacity:0(?:\.0*)?(?:!important)?(?:;|$)|color:(?:#fff(?:fff)?|white|rgb\(255,255,255\))(?:!important)?(?:;|$))"
)


@dataclass(frozen=True)
class ReducedText:
    visible: str
    hidden: str


def looks_like_html(text: str) -> bool:
    """True when the text contains a start tag, an end tag or a comment."""
    return "<" in text and _TAG_STRICT.search(text) is not None


def is_hiding(attrs: dict[str, str | None]) -> bool:
    """Does this element hide its content (hidden attribute or a hiding inline style)?"""
    if "hidden" in attrs:
        return True
    style = (attrs.get("style") or "").lower()
    style = "".join(style.split())
    return bool(style) and _HIDING_STYLE.search(style) is not None


class _Events:
    """What a description shows and hides, from a tokenizer's events (start tag, end tag,
    text): fed by html.parser (_Reducer) or by libxml2 through lxml (scanner/sources/html_fast.py)."""

    def __init__(self) -> None:
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self._hidden_run: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, skipped)

    @property
    def _state(self) -> tuple[bool, bool]:
        return (self._stack[-1][1], self._stack[-1][2]) if self._stack else (False, False)

    def _flush_hidden(self) -> None:
        if self._hidden_run:
            self.hidden.append("".join(self._hidden_run))
            self._hidden_run = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_hidden()
        values = dict(reversed(attrs))  # first occurrence of a repeated attribute wins
        hidden, skipped = self._state
        if not skipped:
            for name in TEXT_ATTRIBUTES:
                if values.get(name):
                    self.hidden.append(values[name] or "")
            if tag == "meta" and values.get("content"):
                self.hidden.append(values["content"] or "")
        if tag in BLOCK_TAGS:
            self.visible.append("\n")
        if tag in VOID_TAGS:
            return
        self._stack.append((tag, hidden or is_hiding(values), skipped or tag in SKIP_TAGS))

    def handle_endtag(self, tag: str) -> None:
        self._flush_hidden()
        if tag in BLOCK_TAGS:
            self.visible.append("\n")
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        hidden, skipped = self._state
        if skipped:
            return
        if hidden:
            self._hidden_run.append(data)
        else:  # newlines in the source are whitespace; only block elements break lines
            self.visible.append(_collapse(data))

    def result(self) -> ReducedText:
        self._flush_hidden()
        hidden = [_squeeze(piece) for piece in self.hidden]
        return ReducedText(_lines("".join(self.visible)), "\n".join(p for p in hidden if p))


class _Reducer(_Events, HTMLParser):
    def __init__(self) -> None:
        _Events.__init__(self)
        HTMLParser.__init__(self, convert_charrefs=True)


def _collapse(text: str) -> str:
    """Runs of ASCII whitespace as one space, as a browser shows them. The C-speed look
    first: a substitution that replaces every single space with itself is most of the cost
    of reducing a description."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACE.sub(" ", text)
    return text


def _squeeze(text: str) -> str:
    return _collapse(text).strip(" ")


def _lines(text: str) -> str:
    lines = (_squeeze(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Tags that, written without attributes, change nothing but line breaks: no hidden text, no
# skipped content, no alt text. Most descriptions use nothing else (<p>, <br>, <li>, <b>).
PLAIN_TAGS = BLOCK_TAGS | frozenset(
    "a abbr b big cite code em font i mark q s small span strike strong sub sup u".split())
_PLAIN_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\s*/?>")


def reduce_plain_html(text: str) -> ReducedText | None:
    """What the parser makes of HTML whose every ``<`` opens a ``PLAIN_TAGS`` tag with no
    attributes, in a few C-speed passes; None for any other HTML. About ten times faster
    than the parser on a typical description (bench/bench_catalog.py);
    tests/sources/test_html_text.py checks it gives exactly the parser's result."""
    parts = _PLAIN_TAG.split(text)  # data, "/" or "", tag name, data, ...
    visible = []
    for i in range(0, len(parts), 3):
        data = parts[i]
        if data:
            if "<" in data:
                return None  # a '<' that is not a plain tag: let the parser decide what it is
            visible.append(_collapse(unescape(data) if "&" in data else data))
        if i + 2 < len(parts):
            name = parts[i + 2].lower()
            if name not in PLAIN_TAGS:
                return None
            if name in BLOCK_TAGS:
                visible.append("\n")
    return ReducedText(_lines("".join(visible)), "")


def reduce_html(text: str) -> ReducedText:
    """Visible text and hidden text of an HTML fragment (see the module docstring): plain-tag
    HTML by the regex pass, anything else by html.parser. (With lxml installed, the readers
    use scanner/sources/html_fast.reduce_html, which puts libxml2 between the two.)"""
    plain = reduce_plain_html(text)
    if plain is not None:
        return plain
    return parse_html(text)


def parse_html(text: str) -> ReducedText:
    """``reduce_html`` by the parser alone, whatever the HTML holds."""
    parser = _Reducer()
    parser.feed(text)
    parser.close()
    return parser.result()
