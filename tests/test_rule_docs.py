"""Every rule's docstring examples run: the documentation cannot go stale.

The labels mean what pycodestyle's mean: ``Okay:`` is a listing with no finding at all (of
any code, not just the rule's own), and ``TM102:`` is a listing that gets that code (other
codes may come with it: a stuffed title is also unauthorized use of each mark).
"""

from __future__ import annotations

import re

import pytest

from scanner.core.models import Listing
from scanner.core.rules import RULES

EXAMPLES = [(rule.code, label, text) for rule in RULES for label, text in rule.examples]


def test_every_rule_has_an_okay_example_and_one_that_produces_its_code():
    for rule in RULES:
        labels = {label for label, _ in rule.examples}
        assert rule.code in labels and "Okay" in labels, rule.code


def _codes(small_marks, text: str) -> list[str]:
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
    return [p.code for p in scanner.check(Listing("doc", {"title": text}, brand=brand))]


@pytest.mark.parametrize("code, label, text", EXAMPLES, ids=[f"{c}-{lb}-{i}" for i, (c, lb, _) in enumerate(EXAMPLES)])
def test_docstring_example(small_marks, code, label, text):
    codes = _codes(small_marks, text)
    if label == "Okay":
        assert codes == [], (text, codes)  # no finding at all, as in pycodestyle
    else:
        assert label in codes, (text, codes)


def test_rule_metadata_is_complete_and_codes_unique():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) == 14
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.summary and rule.explanation.startswith(rule.code), rule.code
