"""The engine runs only the rules whose facets a listing holds (Rule.needs); skipping the
others must never lose or change a finding. The reference runs every enabled rule."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings, strategies as st
from test_prefilter import titles

from lg_paths import FIXTURES
from scanner.core.engine import ScanSettings, Scanner
from scanner.core.models import Listing
from scanner.sources import read_listings


class EveryRule(Scanner):
    """The reference: every enabled rule judges every listing."""

    def _rules_for(self, ctx):
        return self.rules


@pytest.fixture(scope="module")
def reference(small_marks):
    return EveryRule(small_marks, ScanSettings(own_brands=("Puma",)))


@pytest.fixture(scope="module")
def scanner(small_marks):
    return Scanner(small_marks, ScanSettings(own_brands=("Puma",)))


def _cases() -> list[Listing]:
    listings = list(read_listings(str(FIXTURES / "sample_catalog.jsonl")))
    listings += read_listings(str(FIXTURES / "sample_catalog.csv"))
    for i, line in enumerate((FIXTURES / "cases" / "findings.jsonl").read_text(encoding="utf-8").splitlines()):
        case = json.loads(line)
        listings.append(Listing(f"case-{i}", {"title": case["title"]}, case.get("brand")))
    return listings


def test_rule_selection_keeps_every_finding_of_the_fixtures(scanner, reference):
    listings = _cases()
    assert len(listings) > 90
    for listing in listings:
        assert scanner.check(listing) == reference.check(listing), listing.id


@settings(max_examples=300, deadline=None)
@given(title=titles, keywords=st.one_of(st.just(""), titles), description=st.one_of(st.just(""), titles),
       brand=st.sampled_from([None, "Nike", "耐克", "Acme"]))
@example(title="Nike Adidas Puma Gucci shoes", keywords="", description="", brand=None)
@example(title="N-i-k-e shoes", keywords="Gucci", description="", brand="Nike")
def test_rule_selection_keeps_every_finding(scanner, reference, title, keywords, description, brand):
    listing = Listing("x", {"title": title, "description": description, "keywords": keywords}, brand)
    assert scanner.check(listing) == reference.check(listing)
