"""The key index: every mark form, mark exception and cue phrase in one Matcher.

Payloads say what a key means: ``("mark", i)`` a form of ``marks[i]``, ``("exception", i)``
a phrase that contains a form of ``marks[i]`` but is not the mark (it shadows the mark by
being longer), ``("cue", j)`` the cue ``cues[j]``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, NamedTuple, Sequence, overload

from scanner.core.lexicons import Cue, all_cues, model_patterns, ordinary_phrases
from scanner.core.matcher import LazyInfos, Matcher, Payload, is_word_char
from scanner.core.normalize import fold, plain_view
from scanner.core.sectors import sector_of
from trademarks.models import CASE_EXACT, CASE_FOLD, Mark
from trademarks.owners import owner_group


def has_cased(text: str) -> bool:
    return any(ch.isupper() or ch.islower() for ch in text)


@dataclass
class KeyIndex:
    # A list, or a lazy table when the index comes from the cache (scanner/core/matcher_cache.py)
    marks: Sequence[Mark]
    cues: tuple[Cue, ...]
    matcher: Matcher
    # folded form -> marks it names (declared brands and --own-brand are looked up here); a
    # FormLookup over the matcher's own keys when the index comes from the cache
    by_form: Mapping[str, list[int]] = field(default_factory=dict)
    # for case=exact marks: the registered spellings of their cased forms, NFKC-normalised
    exact_forms: dict[int, frozenset[str]] = field(default_factory=dict)
    # per key index: can this key lead to a problem (a mark, a counterfeit or disparaging
    # cue)? A field whose keys are all False, with no sign of evasion, has nothing to report.
    relevant: list[bool] = field(default_factory=list)
    # folded forms of case=exact marks that hold a form of another mark of the same owner
    # that is no ordinary word: "Samsung Galaxy" (Galaxy) holds Samsung, "Google Pixel" Google.
    # Such a form is no ordinary phrase, whatever its capitals.
    firm_forms: frozenset[str] = frozenset()
    # per mark: its owner's group (trademarks/owners.py) and its sector (scanner/core/sectors.py);
    # PerMark columns, worked out on first read, when the index comes from the cache
    groups: Sequence[str] = field(default_factory=list)
    sectors: Sequence[str] = field(default_factory=list)
    # (mark index, folded form) -> the form's kind when it is not plain "fold": exact, ordinary
    # (an ordinary word that needs backing) or nickname (a counterfeit-trade name)
    kinds: dict[tuple[int, str], str] = field(default_factory=dict)
    # Worked out once per index, not per listing: each walks every form (a registry of a
    # million marks took seconds a listing; docs/performance.md).
    _short_cjk: frozenset[str] | None = None
    _near_forms: dict[str, list[tuple[str, int]]] | None = None
    _brand_marks: dict[str, list[int]] = field(default_factory=dict)

    @property
    def short_cjk_forms(self) -> frozenset[str]:
        """Folded CJK forms short enough to be pieces of other words (scanner/core/segment.py)."""
        from scanner.core.segment import SHORT, is_cjk

        if self._short_cjk is None:
            self._short_cjk = frozenset(form for form in self.by_form
                                        if len(form) <= SHORT and all(map(is_cjk, form)))
        return self._short_cjk

    @property
    def near_forms(self) -> dict[str, list[tuple[str, int]]]:
        # An explicit memo, not functools.cached_property: in the compiled build (mypyc) a
        # cached_property is a plain property, worked out again on every read (every field).
        if self._near_forms is None:
            self._near_forms = self._make_near_forms()
        return self._near_forms

    def _make_near_forms(self) -> dict[str, list[tuple[str, int]]]:
        """Famous marks' Latin forms of four letters or more, and each with one letter deleted,
        and multi-word forms written as one ("louisvuitton"): what a one-letter misspelling or a
        joined spelling is looked up in (symmetric-delete). Variant -> [(form, mark index)]."""
        table: dict[str, list[tuple[str, int]]] = {}
        for i, mark in enumerate(self.marks):
            if not mark.famous:
                continue
            for form in mark.forms():
                key = strip_accents(fold(form))
                joined = re.sub(r"[\s\-.'&]+", "", key)
                if not joined.isascii() or not joined.isalpha() or len(joined) < 4:
                    continue
                for variant in {joined, *(joined[:k] + joined[k + 1:] for k in range(len(joined)))}:
                    table.setdefault(variant, []).append((joined, i))
        return table

    def marks_named(self, name: str) -> list[Mark]:
        return [self.marks[i] for i in self.by_form.get(fold(name), ())]

    def marks_for_brand(self, brand: str) -> list[int]:
        """The marks a declared brand names, written the way sellers write brand fields: any
        form of the mark ("丰田" for Toyota), or a brand string that holds one as a word after
        folding case and punctuation ("Warner Bros. Consumer Products", "nintendo-of-america",
        "飞利浦/PHILIPS", "Manchester United F.C."). Kept per brand string: a catalog repeats
        a few brands on every row, and a miss walks every form (_misspelled_brand)."""
        found = self._brand_marks.get(brand)
        if found is None:
            if len(self._brand_marks) >= 100_000:
                self._brand_marks.clear()  # a catalog of ever-new brand strings: memory stays flat
            found = self._brand_marks[brand] = self._marks_for_brand(brand)
        return list(found)

    def _marks_for_brand(self, brand: str) -> list[int]:
        exact = self.by_form.get(fold(brand.strip()))
        if exact:
            return list(exact)
        found: list[int] = []
        for hit in self.matcher.find(plain_view(brand)):
            for kind, ref in hit.info.payloads:
                if kind == "mark" and ref not in found:
                    found.append(ref)
        return found or self._misspelled_brand(brand)

    def _misspelled_brand(self, brand: str) -> list[int]:
        """A brand column's one-letter slip of a long Latin name ("genuine phillips")."""
        found: list[int] = []
        for word in re.findall(r"[a-z][a-z'&.-]{5,}", fold(brand)):
            for form, refs in self.by_form.items():
                if abs(len(form) - len(word)) <= 1 and form.isascii() and len(form) >= 6 and one_edit(word, form):
                    found.extend(r for r in refs if r not in found)
        return found

    def groups_of(self, names: Sequence[str]) -> set[str]:
        """The owner groups of the marks these brand names name."""
        return {self.groups[i] for name in names for i in self.marks_for_brand(name)}


def key_pairs(marks: Sequence[Mark], cues: Sequence[Cue]) -> list[tuple[str, Payload]]:
    ordinary = ordinary_phrases()
    pairs: list[tuple[str, Payload]] = []
    for i, mark in enumerate(marks):
        pairs.extend((form, ("mark", i)) for form in mark.forms())
        pairs.extend((phrase, ("exception", i)) for phrase in mark.exceptions)
        # the ordinary phrases of its forms, whichever list the mark comes from
        for form in mark.forms():
            pairs.extend((phrase, ("exception", i)) for phrase in ordinary.get(fold(form), ()))
    pairs.extend((cue.phrase, ("cue", j)) for j, cue in enumerate(cues))
    return pairs


class IndexParts(NamedTuple):
    """What build_index works out by walking every mark and key, kept with a cached matcher
    so that a registry of a million marks starts without walking them (matcher_cache.py)."""

    exact_forms: dict[int, frozenset[str]]
    relevant: list[bool]
    firm_forms: frozenset[str]
    short_cjk_forms: frozenset[str] | None = None  # KeyIndex.short_cjk_forms, when known
    kinds: dict[tuple[int, str], str] | None = None  # KeyIndex.kinds
    near_forms: dict[str, list[tuple[str, int]]] | None = None  # KeyIndex.near_forms, when known


class FormLookup(Mapping[str, list[int]]):
    """``by_form`` of a cached index: a form's marks by the matcher's exact-key lookup (every
    mark form is a key whose payloads name its marks), so a warm start builds no second table
    of a million forms. Walking all forms (``items()``: a declared brand's one-letter slips)
    builds that table once, from the key table's raw columns."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self._table: dict[str, list[int]] | None = None

    def __getitem__(self, form: str) -> list[int]:
        if self._table is not None:
            return self._table[form]
        info = self.matcher.lookup(form)
        found = [ref for kind, ref in info.payloads if kind == "mark"] if info is not None else []
        if not found:
            raise KeyError(form)
        return found

    def _all(self) -> dict[str, list[int]]:
        if self._table is None:
            table: dict[str, list[int]] = {}
            infos = self.matcher.infos
            if isinstance(infos, LazyInfos):  # read its columns rather than make every KeyInfo
                for key, payload in zip(infos.keys_, infos.payloads_, strict=True):
                    if "mark:" in payload:
                        table[key] = [int(ref) for kind, _, ref in (p.partition(":") for p in payload.split(";"))
                                      if kind == "mark"]
            else:
                for info in infos:
                    refs = [ref for kind, ref in info.payloads if kind == "mark"]
                    if refs:
                        table[info.key] = refs
            self._table = table
        return self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def items(self):  # the table's own views: walked at C speed
        return self._all().items()

    def keys(self):
        return self._all().keys()

    def values(self):
        return self._all().values()

    def __len__(self) -> int:
        return len(self._all())


class PerMark(Sequence[str]):
    """A per-mark column of a cached index (owner group, sector), worked out for a mark the
    first time it is read rather than for a million marks at start."""

    def __init__(self, marks: Sequence[Mark], make: Callable[[Mark], str]) -> None:
        self.marks = marks
        self.make = make
        self._made: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.marks)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        value = self._made.get(index)
        if value is None:
            value = self._made[index] = self.make(self.marks[index])
        return value


def _group_of(mark: Mark) -> str:
    return owner_group(mark.owner or mark.name)


def build_index(marks: Sequence[Mark], matcher: Matcher | None = None, parts: IndexParts | None = None) -> KeyIndex:
    """Build (or adopt a cached) matcher for these marks plus the bundled cue lexicons.
    With ``parts`` (a cached matcher's), ``marks`` may be a lazy table: nothing walks it."""
    cues = all_cues()
    if parts is not None and matcher is not None:
        if isinstance(matcher.infos, LazyInfos):  # each KeyInfo gets its model pattern when made
            matcher.infos.model_patterns = model_patterns()
        return KeyIndex(marks, cues, matcher, FormLookup(matcher), parts.exact_forms, parts.relevant,
                        parts.firm_forms, PerMark(marks, _group_of), PerMark(marks, sector_of), parts.kinds or {},
                        _short_cjk=parts.short_cjk_forms, _near_forms=parts.near_forms)
    marks = list(marks)
    if matcher is None:
        matcher = Matcher.build(key_pairs(marks, cues))
    models = model_patterns()
    for info in matcher.infos:  # built or loaded from the cache alike
        info.model_after = models.get(info.key)
    by_form: dict[str, list[int]] = {}
    exact: dict[int, frozenset[str]] = {}
    kinds: dict[tuple[int, str], str] = {}
    for i, mark in enumerate(marks):
        form_kinds = mark.form_kinds()
        for form, kind in form_kinds.items():
            key = fold(form)
            bucket = by_form.setdefault(key, [])
            if i not in bucket:
                bucket.append(i)
            if kind != CASE_FOLD:
                kinds.setdefault((i, key), kind)
        spelled = frozenset(unicodedata.normalize("NFKC", f) for f, k in form_kinds.items()
                            if k == CASE_EXACT and has_cased(f))
        if spelled:
            exact[i] = spelled
    standalone = {"counterfeit", "disparagement"}
    relevant = [any(kind == "mark" or (kind == "cue" and cues[ref].kind in standalone)
                    for kind, ref in info.payloads) for info in matcher.infos]
    groups = [owner_group(mark.owner or mark.name) for mark in marks]
    sectors = [sector_of(mark) for mark in marks]
    return KeyIndex(marks, cues, matcher, by_form, exact, relevant, _firm_forms(marks, exact, kinds), groups, sectors,
                    kinds)


def _firm_forms(marks: Sequence[Mark], exact: dict[int, frozenset[str]],
                kinds: dict[tuple[int, str], str]) -> frozenset[str]:
    if not exact:
        return frozenset()
    owners = {marks[i].owner for i in exact if marks[i].owner}
    plain: dict[str, list[str]] = {}  # owner -> folded forms of its marks that are no ordinary word
    for j, mark in enumerate(marks):
        if mark.owner in owners:
            plain.setdefault(mark.owner, []).extend(
                key for key in map(fold, mark.forms()) if kinds.get((j, key), CASE_FOLD) == CASE_FOLD)
    firm: set[str] = set()
    for i in exact:
        inner = plain.get(marks[i].owner)
        if inner:
            firm.update(form for form in map(fold, marks[i].forms())
                        if any(part in form and _holds(form, part) for part in inner))
    return frozenset(firm)


def _holds(text: str, part: str) -> bool:
    """Whether ``part`` stands in ``text`` as a word of its own (Latin) or anywhere (CJK)."""
    at = text.find(part)
    while at >= 0:
        end = at + len(part)
        if not ((is_word_char(part[0]) and at > 0 and is_word_char(text[at - 1])) or
                (is_word_char(part[-1]) and end < len(text) and is_word_char(text[end]))):
            return True
        at = text.find(part, at + 1)
    return False


def strip_accents(text: str) -> str:
    """Hermès -> hermes: sellers type marks without their accents, and misspell them so."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one inserted, deleted or replaced character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]
