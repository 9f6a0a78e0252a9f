"""The Scanner: listings in, Problems out.

Builds the key index once, scans each listing's fields, lets every enabled rule judge the
hits, and stamps each Finding into a Problem with the rule's code and severity (a rule
cannot forge its own severity). Selection is by code prefix, the longest prefix winning.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from scanner.core.context import FieldScanner, ListingContext, Ownership, judge
from scanner.core.index import KeyIndex, build_index
from scanner.core.matcher import Matcher
from scanner.core.models import Listing, Problem
from scanner.core.prefilter import Prescan, flag_listings
from scanner.core.rules import RULES, Finding, Rule
from trademarks.models import Mark
from trademarks.nice import outside_classes


@dataclass(frozen=True)
class ScanSettings:
    own_brands: tuple[str, ...] = ()
    # Brands with a valid authorization on file: silences TM101/TM107/TM109 for them.
    authorized: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Maps a listing's category to Nice classes; a hit on a non-famous mark registered in
    # none of them is reported one severity lower.
    class_of_category: Callable[[str], frozenset[int]] | None = None


def code_enabled(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8-style: the longest matching prefix decides; ignore wins a tie."""
    best_select = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    if best_select < 0 and best_ignore < 0:
        return not select
    return best_select > best_ignore


class Scanner:
    def __init__(self, marks: Sequence[Mark], settings: ScanSettings = ScanSettings(),
                 matcher: Matcher | None = None, index: KeyIndex | None = None) -> None:
        self.settings = settings
        # index: a ready one (scanner/core/matcher_cache.py), for which marks are not read
        self.index: KeyIndex = index if index is not None else build_index(marks, matcher)
        self.fields = FieldScanner(self.index)
        self.ownership = Ownership.of(self.index, settings.own_brands, settings.authorized)
        self.rules: list[Rule] = [r for r in RULES if code_enabled(r.code, settings.select, settings.ignore)]
        # The rules worth running for each set of facets a judged listing holds (Rule.needs),
        # worked out once per set: there are few sets, and most listings share one.
        self._rules_by_facets: dict[frozenset[str], list[Rule]] = {}
        # declared brand -> owner groups it names: catalogs repeat a few brands many times
        self._brand_groups: dict[str, set[str]] = {}

    def __reduce__(self) -> str | tuple[object, ...]:
        # Never pickled: pyahocorasick 2.3.1 leaks the automaton's whole dump on every
        # pickle.dumps. Send a ScannerSpec (scanner/core/spec.py) and build it there once.
        raise TypeError("a Scanner is never pickled; send ScannerSpec.of(scanner) and build it where it runs")

    def context(self, listing: Listing, classes: frozenset[int] | None = None,
                prescans: Sequence[Prescan] | None = None) -> ListingContext:
        fields = listing.text_fields()
        if prescans is None:
            scanned = [self.fields.scan(name, text) for name, text in fields]
        else:
            scanned = [self.fields.scan(name, text, p.view, p.walked)
                       for (name, text), p in zip(fields, prescans, strict=True)]
        ctx = ListingContext(listing, scanned, self._declared_groups(listing.brand))
        judge(ctx, self.ownership, self._category_classes(listing) if classes is None else classes)
        return ctx

    def _declared_groups(self, brand: str | None) -> set[str]:
        if not brand:
            return set()
        groups = self._brand_groups.get(brand)
        if groups is None:
            if len(self._brand_groups) > 100_000:  # a catalog of as many brands as listings
                self._brand_groups.clear()
            groups = self._brand_groups[brand] = self.index.groups_of([brand])
        return groups

    def check(self, listing: Listing) -> list[Problem]:
        return self.check_batch([listing])[0]

    def check_batch(self, listings: Sequence[Listing]) -> list[list[Problem]]:
        """Problems for each listing, in order. The prefilter (scanner/core/prefilter.py) passes
        the whole batch through the automaton once; only the listings it flags are judged."""
        flagged = flag_listings(self.index, listings)
        return [self._check(listing, flagged[i]) if i in flagged else [] for i, listing in enumerate(listings)]

    def _check(self, listing: Listing, prescans: Sequence[Prescan] | None = None) -> list[Problem]:
        classes = self._category_classes(listing)
        ctx = self.context(listing, classes, prescans)
        problems = [self._stamp(rule, f, listing, ctx, classes)
                    for rule in self._rules_for(ctx) for f in rule.check(ctx)]
        if len(problems) > 1:
            order = {fc.name: i for i, fc in enumerate(ctx.fields)}
            problems.sort(key=lambda p: (order[p.field], p.start, p.end, p.code))
        return problems

    def _rules_for(self, ctx: ListingContext) -> list[Rule]:
        facets = ctx.facets()
        rules = self._rules_by_facets.get(facets)
        if rules is None:
            rules = self._rules_by_facets[facets] = [r for r in self.rules if r.needs <= facets]
        return rules

    def scan(self, listings: Iterable[Listing], batch: int = 512) -> Iterator[Problem]:
        for chunk in batched(listings, batch):
            for problems in self.check_batch(chunk):
                yield from problems

    def _category_classes(self, listing: Listing) -> frozenset[int]:
        if listing.category and self.settings.class_of_category:
            return self.settings.class_of_category(listing.category)
        return frozenset()

    def _stamp(self, rule: Rule, f: Finding, listing: Listing, ctx: ListingContext,
               classes: frozenset[int]) -> Problem:
        text = ctx.text_of(f.field)
        severity = rule.severity
        mark = f.mark
        if mark and outside_classes(mark, classes):
            severity = severity.lowered()
        matched = text[f.start:f.end]
        name = mark.name if mark else None
        return Problem.stamped(
            listing=listing.id,
            field=f.field,
            start=f.start,
            end=f.end,
            code=rule.code,
            rule=rule.name,
            severity=severity,
            mark=name,
            owner=(mark.owner or None) if mark else None,
            text=matched,
            message=f.message,
            source=listing.source,
            context_of=text,
        )


def batched(items: Iterable[Listing], size: int) -> Iterator[list[Listing]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
