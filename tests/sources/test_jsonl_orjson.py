"""JSONL through orjson where installed (scanner/sources/jsonl.py): the same listings and the
same bad rows, message for message, as json.loads gives, whatever the line holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings, strategies as st

from scanner.sources import jsonl
from scanner.sources.base import ReadOptions
from scanner.sources.delimited import ReadContext

pytest.importorskip("orjson")

CTX = ReadContext("x.jsonl", "x.jsonl", "", ReadOptions())
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=3), max_leaves=8)
records = st.fixed_dictionaries({}, optional={"id": scalars, "title": values, "description": values, "bullets": values,
                                              "keywords": values, "brand": scalars, "category": scalars})


def _both(line: str) -> tuple[object, object]:
    fast = jsonl.JSONL.parse_line(line, 7, CTX)
    saved = jsonl._loads
    jsonl._loads = jsonl._stdlib_loads
    try:
        plain = jsonl.JSONL.parse_line(line, 7, CTX)
    finally:
        jsonl._loads = saved
    return fast, plain


def test_orjson_is_the_parser_in_use():
    assert jsonl._loads is not jsonl._stdlib_loads


@settings(max_examples=400, deadline=None)
@given(records, st.sampled_from(["", " ", "\r\n", "x", "}", ","]))
@example({"id": 1, "title": "Nike"}, "")
def test_same_listing_or_same_bad_row(record, tail):
    fast, plain = _both(json.dumps(record, ensure_ascii=False) + tail)
    assert fast == plain


@pytest.mark.parametrize("line, why", [
    ('{"id": 1, "title": NaN}', "NaN: json takes it, orjson does not"),
    ('{"id": 1, "title": "x", "n": 123456789012345678901234567890}', "an integer past 64 bits"),
    ('{"id": -9223372036854775809, "title": "x"}', "below -2**63: orjson would read a float"),
    ('{"id": 1, "title": "a\\ud800b"}', "a lone surrogate escape"),
    ('{"id": 1, "title": "x", "n": ' + "9" * 5000 + "}", "an integer json refuses by size"),
    ('{"id": 1, "title": "x", "id": 2}', "a repeated key: the last wins in both"),
    ('{"id": 1, "title": "x"', "cut short"),
    ("[1, 2]", "not an object"),
    ('{"id": 1, "title": "x", "deep": ' + "[" * 2000 + "]" * 2000 + "}", "nested past orjson's limit"),
    ('{"id": 1, "title": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested past json's recursion"),
])
def test_what_orjson_refuses_is_decided_by_json(line, why):
    fast, plain = _both(line)
    assert fast == plain, why
