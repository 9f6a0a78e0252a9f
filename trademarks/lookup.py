"""Marks as a user looks them up: the registry's and the bundled list's together, each with
its ``source`` (a registry source name, or ``bundled``), so ``marks show`` and ``marks list``
see every mark a scan sees and say which list it comes from."""

from __future__ import annotations

from typing import Iterator

from trademarks.lists import bundled_marks
from trademarks.models import Mark, fold_key
from trademarks.store import Registry

BUNDLED_SOURCE = "bundled"


def find_marks(name: str, registry: Registry | None, bundled: bool = True) -> list[Mark]:
    """Every mark whose name or an alias folds to ``name``: the registry's, then the bundled list's."""
    found = registry.find(name) if registry is not None else []
    if bundled:
        key = fold_key(name)
        found += [mark for mark in bundled_marks() if any(fold_key(form) == key for form in mark.forms())]
    return found


def iter_all_marks(registry: Registry | None, owner: str | None = None, klass: int | None = None,
                   source: str | None = None, bundled: bool = True) -> Iterator[Mark]:
    """The registry's marks then the bundled list's, filtered like ``Registry.iter_marks``
    (owner case-insensitive, a Nice class, a source; ``bundled`` names the bundled list)."""
    if registry is not None and source != BUNDLED_SOURCE:
        yield from registry.iter_marks(owner, klass, source)
    if bundled and source in (None, BUNDLED_SOURCE):
        for mark in bundled_marks():
            if owner and mark.owner.casefold() != owner.casefold():
                continue
            if klass is not None and klass not in mark.classes:
                continue
            yield mark


def known_brand(brand: str, registry: Registry | None) -> bool:
    """True if some list listguard scans for (the registry, the bundled list) has ``brand``."""
    return bool(find_marks(brand, registry))
