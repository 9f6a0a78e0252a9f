from __future__ import annotations

import pytest

from trademarks.models import Mark
from trademarks.nice import classes_for_category, outside_classes

DOVE_SOAP = Mark("Dove", owner="Unilever", classes=(3,))
NIKE = Mark("Nike", owner="Nike, Inc.", classes=(18, 25), famous=True)


@pytest.mark.parametrize("category, expected", [
    ("Soap", {3}),
    ("chocolate", {30}),
    ("巧克力", {30}),
    ("Food, Beverages & Tobacco > Food Items > Candy & Chocolate", {30}),
    ("Health & Beauty > Personal Care > Cosmetics > Bath & Body > Bar Soap", {3}),
    ("187", {25}),
    ("187 - Apparel & Accessories > Shoes", {25}),
    ("9999 - Apparel & Accessories > Shoes", {25}),
    ("Running shoes", {25}),
    ("运动鞋", {25}),
    ("Handbags", {18}),
    ("teabag", set()),
    ("Mobile Phones", {9}),
    ("手表", {14}),
    ("Toys", {28}),
    ("Food", {29, 30}),
    ("Garden hoses", set()),
    ("", set()),
    (None, set()),
])
def test_classes_for_category(category, expected):
    assert classes_for_category(category) == frozenset(expected)


def test_dove_in_chocolate_is_outside_its_class_but_not_in_soap():
    assert outside_classes(DOVE_SOAP, classes_for_category("Candy & Chocolate")) is True
    assert outside_classes(DOVE_SOAP, classes_for_category("Bar Soap")) is False
    assert outside_classes(DOVE_SOAP, classes_for_category("unknown stuff")) is False


def test_famous_marks_are_never_lowered():
    assert outside_classes(NIKE, classes_for_category("chocolate")) is False
