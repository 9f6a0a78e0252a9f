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


class _Reducer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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
            self.visible.append(_SPACE.sub(" ", data))

    def result(self) -> ReducedText:
        self._flush_hidden()
        hidden = [_squeeze(piece) for piece in self.hidden]
        return ReducedText(_lines("".join(self.visible)), "\n".join(p for p in hidden if p))


def _squeeze(text: str) -> str:
    return _SPACE.sub(" ", text).strip(" ")


def _lines(text: str) -> str:
    lines = (_squeeze(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def reduce_html(text: str) -> ReducedText:
    """Visible text and hidden text of an HTML fragment (see the module docstring)."""
    parser = _Reducer()
    parser.feed(text)
    parser.close()
    return parser.result()
