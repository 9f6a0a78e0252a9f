"""What kind of goods a mark is known for: its *sector*.

The bundled list records it (the ``sector`` column, kept in a Mark's metadata); any other
list falls back to the mark's Nice classes. The context rules ask two questions of it: does
an accessory of this group fit the mark's goods (a case fits a phone maker's goods, not a
fashion house's), and is the mark an IP licensed onto other makers' merchandise (characters,
franchises, clubs)?
"""

from __future__ import annotations

from trademarks.models import Mark

DEVICE_SECTORS = frozenset({"electronics", "appliance", "auto", "watch"})
LICENSED_IP = "ip"
# Marks licensed onto other makers' goods: a franchise on a puzzle, a car on a backpack or as a
# die-cast model. A listing of another maker naming them is licensed goods.
LICENSING_SECTORS = frozenset({"ip", "auto"})
# Brands retailers resell in their own packs and hampers (a grocery combo naming Pepsi).
RETAIL_SECTORS = frozenset({"food"})
# Luxury houses distribute selectively: no marketplace reseller holds their authorization, so
# a genuineness claim about them is never plain resale.
SELECTIVE_SECTORS = frozenset({"fashion"})
# Sectors whose goods a scale model or a licensed replica reproduces (a die-cast car, a
# franchise's prop), as opposed to fashion and cosmetics, where a "model" is a copy.
REPLICA_SECTORS = frozenset({"auto", "ip", "electronics", "appliance", "watch", "food", ""})


def sector_of(mark: Mark) -> str:
    sector = mark.metadata.get("sector", "") if mark.metadata else ""
    if sector:
        return sector
    classes = set(mark.classes)
    if 12 in classes:
        return "auto"
    if 41 in classes and classes & {16, 28}:
        return "ip"
    if 9 in classes and not classes & {18, 25}:
        return "electronics"
    if classes & {7, 11}:
        return "appliance"
    if classes == {14}:
        return "watch"
    return ""
