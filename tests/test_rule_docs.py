"""Every rule's docstring examples run: the documentation cannot go stale."""

from __future__ import annotations

import re

import pytest

from scanner.core.models import Listing
from scanner.core.rules import RULES

EXAMPLES = [(rule.code, label, text) for rule in RULES for label, text in rule.examples]


def test_every_rule_has_a_positive_and_an_okay_example():
    for rule in RULES:
        labels = {label for label, _ in rule.examples}
        assert rule.code in labels and "Okay" in labels, rule.code


@pytest.mark.parametrize("code, label, text", EXAMPLES, ids=[f"{c}-{l}-{i}" for i, (c, l, _) in enumerate(EXAMPLES)])
def test_docstring_example(small_marks, code, label, text):
    from scanner.core.engine import ScanSettings, Scanner

    brand, own = None, ()
    m = re.match(r"\[(brand|own-brand)=([^\]]+)\]\s*(.*)", text)
    if m:
        if m.group(1) == "brand":
            brand = m.group(2)
        else:
            own = (m.group(2),)
        text = m.group(3)
    scanner = Scanner(small_marks, ScanSettings(own_brands=own))
    codes = [p.code for p in scanner.check(Listing("doc", {"title": text}, brand=brand))]
    if label == "Okay":
        assert code not in codes, (text, codes)
    else:
        assert label in codes, (text, codes)


def test_rule_metadata_is_complete_and_codes_unique():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) == 14
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.summary and rule.explanation.startswith(rule.code), rule.code
