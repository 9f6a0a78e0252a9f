"""Find every mark and cue in a listing and judge each mark hit in its context.

The rules only read what this module works out: for each mark hit, which cues stand next to
it (and how close counts is decided here, in one place), whether it is the seller's own or
authorized brand, whether it was spelled to evade, and whether an ambiguous mark (``case =
exact``: Apple, Coach, 苹果) is corroborated.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, NamedTuple

from scanner.core.index import KeyIndex, has_cased
from scanner.core.lexicons import Cue
from scanner.core.matcher import Hit
from scanner.core.models import Listing
from scanner.core.normalize import INVISIBLE, View, evasion_views, fold, plain_view
from trademarks.models import Mark

# Punctuation that ends the phrase a cue can belong to.
_BREAK_RE = re.compile(r"[，,。;；|!！?？\n\r、()（）【】\[\]「」《》]")
_SENTENCE_RE = re.compile(r"[。！？!?;；\n\r]+|[.](?=\s)")
_TOKEN_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+|[^\s\-_'’.]")
# A model's scale (1:18, 1/43) but never 1:1, which is the counterfeit cue itself.
_SCALE_RATIO_RE = re.compile(r"(?<!\d)1\s*[:/]\s*(?:[2-9]|[1-9]\d{1,3})(?!\d)")
_CHAIN_RE = re.compile(r"^(?:[\s/、,，&+|]|and|or|和|与|及|或|[A-Za-z0-9\-]+)*$", re.IGNORECASE)
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]+")

# How many tokens (a Latin word, a number or a CJK character) may stand between a cue and
# the mark, by where the cue stands. A lookalike cue after a model name ("Nike Air Max 90
# 同款") needs room; a negation ("非耐克", "not a Nike") must be right there.
GAP_BEFORE = {"nominative": 2, "lookalike": 2, "comparison": 3, "negation": 0, "authenticity": 4}
GAP_AFTER = {"nominative": 1, "lookalike": 4, "comparison": 3, "authenticity": 4}


class CueHit(NamedTuple):
    # A named tuple, not a frozen dataclass: made for every cue in every flagged listing.
    cue: Cue
    start: int
    end: int


@dataclass(slots=True)
class MarkHit:
    mark: Mark
    mark_index: int
    field: str
    start: int
    end: int
    text: str
    evasion: bool = False
    ambiguous: bool = False
    corroborated: bool = True
    own: bool = False
    authorized: bool = False
    # dataclasses.field spelled out: the class's own `field` attribute shadows the name here
    cues: dict[str, CueHit] = dataclasses.field(default_factory=dict)

    @property
    def owner(self) -> str:
        return self.mark.owner or self.mark.name

    @property
    def nominative(self) -> bool:
        return "nominative" in self.cues

    @property
    def silenced(self) -> bool:
        """Own or authorized brand: bare use and authenticity claims are the seller's right."""
        return self.own or self.authorized

    @property
    def doubtful(self) -> bool:
        """An ordinary-word mark (苹果, "Apple" in a Title Case title) with nothing to back it."""
        return self.ambiguous and not self.corroborated


@dataclass
class FieldContext:
    name: str
    text: str
    marks: list[MarkHit]
    cues: list[CueHit]
    scale_context: list[tuple[int, int]]
    disparagement: list[tuple[CueHit, CueHit]] = field(default_factory=list)

    @cached_property
    def segment_starts(self) -> list[int]:
        """Where each sentence starts; only cue judgements ask, so worked out on demand."""
        return _segments(self.text)

    def segment_of(self, pos: int) -> int:
        return bisect.bisect_right(self.segment_starts, pos) - 1

    def cues_of(self, kind: str) -> list[CueHit]:
        return [c for c in self.cues if c.cue.kind == kind]


# Fields whose marks shoppers never see: search keywords and text hidden in the HTML.
HIDDEN_FIELDS = ("keywords", "description.hidden")
# Facets: what a judged listing holds. A rule names those it cannot find anything without
# (Rule.needs) and the engine runs only the rules whose facets the listing has.
MARKS = "marks"
BRAND = "brand"  # the listing declares a brand
NO_BRAND = "no-brand"
EVASION = "evasion"  # a mark hit spelled to evade
CROWDED = "crowded"  # a field with three or more mark hits, or marks in a hidden field
CROWD = 3


def cue_facet(kind: str) -> str:
    """The facet of a listing holding a cue of this kind."""
    return "cue:" + kind


@dataclass
class ListingContext:
    listing: Listing
    fields: list[FieldContext]
    declared_owners: set[str]

    def __post_init__(self) -> None:
        self._hits = [hit for fc in self.fields for hit in fc.marks]

    def mark_hits(self) -> list[MarkHit]:
        return self._hits

    def facets(self) -> frozenset[str]:
        # Plain loops: this runs for every judged listing, and generator expressions made it
        # cost a third of the rules it lets the engine skip (callgrind).
        facets = [BRAND if self.listing.brand else NO_BRAND]
        if self._hits:
            facets.append(MARKS)
            for hit in self._hits:
                if hit.evasion:
                    facets.append(EVASION)
                    break
        for fc in self.fields:
            if fc.marks and (len(fc.marks) >= CROWD or fc.name in HIDDEN_FIELDS) and CROWDED not in facets:
                facets.append(CROWDED)
            for cue in fc.cues:
                facets.append(cue_facet(cue.cue.kind))
        return frozenset(facets)

    def text_of(self, field_name: str) -> str:
        for fc in self.fields:
            if fc.name == field_name:
                return fc.text
        raise KeyError(field_name)

    def cue_text(self, field_name: str, cue: CueHit) -> str:
        """The cue as the listing wrote it."""
        for fc in self.fields:
            if fc.name == field_name:
                return fc.text[cue.start:cue.end]
        return cue.cue.phrase


def _tokens(text: str) -> int:
    return len(_TOKEN_RE.findall(text))


def gap_ok(text: str, a: int, b: int, limit: int) -> bool:
    """True when text[a:b] holds no phrase break and at most ``limit`` tokens."""
    if b < a:
        return False
    gap = text[a:b]
    return not _BREAK_RE.search(gap) and _tokens(gap) <= limit


def _segments(text: str) -> list[int]:
    return [0] + [m.end() for m in _SENTENCE_RE.finditer(text)]


def _case_shape(text: str) -> tuple[bool, bool]:
    """(mostly Title Case, mostly UPPER CASE): capitalisation is no evidence in such text."""
    words = _LATIN_WORD_RE.findall(text)
    if len(words) < 2:
        return False, False
    title = sum(w[0].isupper() for w in words) / len(words) >= 0.6
    upper = sum(w.isupper() for w in words) / len(words) >= 0.6
    return title, upper


class FieldScanner:
    """Turns one field's text into mark and cue hits (both views, leftmost-longest)."""

    def __init__(self, index: KeyIndex) -> None:
        self.index = index

    def scan(self, name: str, text: str, plain: View | None = None,
             walked: list[tuple[int, int]] | None = None) -> FieldContext:
        """``plain`` and ``walked``: the field's plain view and the automaton's raw hits in
        it, when the prefilter has them already."""
        if plain is None:
            plain = plain_view(text)
        hits = self.index.matcher.find(plain, walked) if walked is None or walked else []
        marks: list[MarkHit] = []
        cues: list[CueHit] = []
        scale: list[tuple[int, int]] = []
        shape: tuple[bool, bool] | None = None
        for hit in hits:
            shape = self._take(name, text, hit, marks, cues, scale, shape, evasion=False)
        if plain.removed_invisible:
            for mh in marks:
                if any(ch in INVISIBLE for ch in text[mh.start:mh.end]):
                    mh.evasion = True
        for view in evasion_views(plain):
            for hit in self.index.matcher.find(view):
                if not self._evasion_worthy(hit, marks, text):
                    continue
                shape = self._take(name, text, hit, marks, [], [], shape,
                                   evasion=not _abbreviation(text, hit))
        if len(marks) > 1:
            marks.sort(key=lambda m: (m.start, m.end))
        return FieldContext(name, text, marks, cues, scale)

    def _evasion_worthy(self, hit: Hit, marks: list[MarkHit], text: str) -> bool:
        if not any(kind == "mark" for kind, _ in hit.info.payloads):
            return False
        if any(m.start < hit.end and hit.start < m.end for m in marks):
            return False
        original = text[hit.start:hit.end]
        if fold(original) == hit.info.key:
            return False  # nothing was disguised: the plain view judged this spelling already
        if (hit.end - hit.start) > len(hit.info.key):
            return True  # separators were dropped: N-i-k-e, L-V, 耐-克
        # Swapped letters alone read too much into model codes ("dj1", "t5l", "ANT4"): only
        # a long enough key counts, disguised inside the word (N1ke, L0uis, Nіke) or, on a
        # longer one, at its edge with letters for the rest (Gucc1, Prad4, 0akley, $upreme).
        if len(hit.info.key) < 4:
            return False
        if original[0].isalpha() and original[-1].isalpha():
            # Two letters side by side at least: "F14T" (a model code) is no "fiat".
            return bool(_TWO_LETTERS_RE.search(original))
        return len(hit.info.key) >= 5 and (original[:-1].isalpha() or original[1:].isalpha())

    def _take(self, name: str, text: str, hit: Hit, marks: list[MarkHit], cues: list[CueHit],
              scale: list[tuple[int, int]], shape: tuple[bool, bool] | None,
              evasion: bool) -> tuple[bool, bool] | None:
        if hit.info.exception:
            return shape
        for kind, ref in hit.info.payloads:
            if kind == "cue":
                cue = self.index.cues[ref]
                if cue.kind == "benign":
                    if cue.tag == "scale":
                        scale.append((hit.start, hit.end))
                else:
                    cues.append(CueHit(cue, hit.start, hit.end))
            elif kind == "mark":
                original = text[hit.start:hit.end]
                if len(hit.info.key) <= 2 and hit.info.key.isascii() and not original.isupper():
                    continue  # "LV", "CK", "AJ" count in capitals only: "lv" is noise
                ambiguous = False
                exact = self.index.exact_forms.get(ref)
                if exact is not None and hit.info.key not in self.index.firm_forms:
                    if shape is None:
                        shape = _case_shape(text)
                    ambiguous, keep = _judge_exact(original, exact, shape, evasion)
                    if not keep:
                        continue
                mark = self.index.marks[ref]
                marks.append(MarkHit(mark, ref, name, hit.start, hit.end, original,
                                     evasion=evasion, ambiguous=ambiguous))
        return shape


_TWO_LETTERS_RE = re.compile(r"[^\W\d_]{2}")
_DOTTED_RE = re.compile(r"\b(?:[A-Za-z]\.)+[A-Za-z]\b\.?")


def _abbreviation(text: str, hit: Hit) -> bool:
    """'Chelsea F.C', 'A.C. Milan': dots in a short capital abbreviation (two or three
    letters) are the usual spelling, so the mark counts as plainly written; a longer dotted
    run (G.U.C.C.I) is still an evasion."""
    for m in _DOTTED_RE.finditer(text, max(0, hit.start - 1), min(len(text), hit.end + 1)):
        run = m.group()
        letters = sum(ch.isalpha() for ch in run)
        if hit.start <= m.start() and m.end() <= hit.end + 1 and letters <= 3 and run.isupper():
            continue
        if m.start() < hit.end and hit.start < m.end():
            return False
    return (hit.end - hit.start) > len(hit.info.key) and bool(_DOTTED_RE.search(text, hit.start, hit.end))


def _judge_exact(original: str, forms: frozenset[str], shape: tuple[bool, bool],
                 evasion: bool) -> tuple[bool, bool]:
    """(ambiguous, keep) for a hit on a case=exact mark."""
    shown = unicodedata.normalize("NFKC", original)
    if not has_cased(shown) or evasion:
        return True, True
    title_case, upper_case = shape
    if shown in forms:
        return title_case or upper_case, True
    if shown.isupper():
        # Capitals for emphasis ("OFF-WHITE hoodie", "FRESH apples"): no evidence either way,
        # so an ordinary word that cue rules still judge, and bare use needs corroboration.
        return True, True
    return False, False


@dataclass(frozen=True)
class Ownership:
    """The seller's own brands' owners and its authorized marks: fixed for a whole run."""

    own_owners: frozenset[str]
    authorized_marks: frozenset[int]

    @classmethod
    def of(cls, index: KeyIndex, own_brands: Iterable[str], authorized: Iterable[str]) -> Ownership:
        return cls(frozenset(index.owners_of(list(own_brands))),
                   frozenset(i for name in authorized for i in index.by_form.get(fold(name), ())))


def judge(ctx: ListingContext, ownership: Ownership,
          category_classes: frozenset[int] = frozenset()) -> None:
    """Attach cue evidence, ownership and corroboration to every mark hit, in place."""
    own_owners = ownership.own_owners | ctx.declared_owners if ctx.declared_owners else ownership.own_owners
    authorized_marks = ownership.authorized_marks
    firm_owners: set[str] | None = None  # worked out only if an ordinary-word mark needs it
    for fc in ctx.fields:
        if fc.cues:  # most flagged fields hold a bare mark and no cue at all
            fc.disparagement = _disparagement_pairs(fc)
            _attach_cues(fc)
        for mh in fc.marks:
            mh.own = mh.owner in own_owners
            mh.authorized = mh.mark_index in authorized_marks
            if mh.ambiguous:
                if firm_owners is None:
                    firm_owners = {m.owner for m in ctx.mark_hits() if not m.ambiguous}
                mh.corroborated = mh.owner in firm_owners or _backed_by_category(ctx, fc, mh, category_classes)


# What may stand before a brand that leads a title: nothing but space and punctuation.
_LEAD_RE = re.compile(r"[\W_]*")


def _backed_by_category(ctx: ListingContext, fc: FieldContext, mh: MarkHit, classes: frozenset[int]) -> bool:
    """Whether the listing's category backs an ordinary-word mark: it must fall in one of the
    mark's Nice classes, and a form written in Latin letters must also stand where titles put
    the brand, first in the title, in a listing that declares no brand of its own ("Lotto Men
    White Sports Shoes", "Fossil Women Chronograph Watch"). Further on, or beside a declared brand, the same
    words are descriptions, most often in the very category the mark is registered for
    ("Striped Polo T-shirt", "Long Lasting & Fresh Fragrance", "Clear Complexion Face Wash" by
    Himalaya). A CJK alias has no capitals and no such convention: 苹果 in 手机配件 is Apple."""
    if not (classes and set(mh.mark.classes) & classes):
        return False
    if not has_cased(mh.text):
        return True
    if ctx.listing.brand or fc.name != "title":
        return False
    lead = _LEAD_RE.match(fc.text, 0, mh.start)
    return lead is not None and lead.end() == mh.start


GAP_DISPARAGEMENT = 8


def _disparagement_pairs(fc: FieldContext) -> list[tuple[CueHit, CueHit]]:
    """(subject, claim) pairs in one sentence: 别家都是假货, "other sellers sell fakes"."""
    subjects = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "subject"]
    claims = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "claim"]
    pairs = []
    for subject in subjects:
        for claim in claims:
            if fc.segment_of(subject.start) != fc.segment_of(claim.start):
                continue
            first, second = (subject, claim) if subject.start < claim.start else (claim, subject)
            if _tokens(fc.text[first.end:second.start]) <= GAP_DISPARAGEMENT:
                pairs.append((subject, claim))
                break
    return pairs


def _attach_cues(fc: FieldContext) -> None:
    text = fc.text
    claims = {(claim.start, claim.end) for _, claim in fc.disparagement}
    previous: MarkHit | None = None
    for mh in fc.marks:
        segment = fc.segment_of(mh.start)
        for ch in fc.cues:
            kind = ch.cue.kind
            if kind in mh.cues or kind in ("disparagement", "generic"):
                continue
            if kind == "counterfeit":
                if (ch.start, ch.end) in claims:
                    continue  # "other sellers sell fakes": a claim about others, not a cue
                if fc.segment_of(ch.start) == segment and not _neutralised(fc, ch, segment):
                    mh.cues[kind] = ch
                continue
            tag = ch.cue.tag
            if ch.end <= mh.start and tag in ("before", "near"):
                if gap_ok(text, ch.end, mh.start, GAP_BEFORE.get(kind, 0)):
                    mh.cues[kind] = ch
            elif ch.start >= mh.end and tag in ("after", "near") and kind in GAP_AFTER:
                if gap_ok(text, mh.end, ch.start, GAP_AFTER[kind]):
                    mh.cues[kind] = ch
            elif tag == "next" and ch.start >= mh.end and gap_ok(text, mh.end, ch.start, 0):
                mh.cues[kind] = ch  # nothing but space between: "Chanel style", 香奶奶风
        # "适用于苹果/华为/小米", "compatible with iPhone 15 and Galaxy S24": a nominative
        # cue covers the marks listed after it.
        if previous is not None and previous.nominative and not mh.cues and _chained(fc, previous, mh):
            mh.cues["nominative"] = previous.cues["nominative"]
        previous = mh
    # "华为小米OPPO通用", "iPhone/Samsung compatible": a nominative cue after a list covers the
    # marks listed before it too. A mark with a cue of its own ("高仿耐克 华为通用") inherits
    # nothing, either way.
    following: MarkHit | None = None
    for mh in reversed(fc.marks):
        cue = following.cues.get("nominative") if following is not None else None
        if cue is not None and following is not None and cue.start >= following.end and not mh.cues \
                and _chained(fc, mh, following):
            mh.cues["nominative"] = cue
        following = mh


def _chained(fc: FieldContext, first: MarkHit, second: MarkHit) -> bool:
    """Whether two marks stand in one list: only separators, conjunctions and model names
    between them, and no other cue."""
    gap = fc.text[first.end:second.start]
    return len(gap) <= 24 and bool(_CHAIN_RE.match(gap)) and not _cue_between(fc, first.end, second.start)


def _cue_between(fc: FieldContext, a: int, b: int) -> bool:
    return any(a <= c.start and c.end <= b and c.cue.kind != "nominative" for c in fc.cues)


def _neutralised(fc: FieldContext, ch: CueHit, segment: int) -> bool:
    """A 'replica' in a scale-model context (1:18 die-cast replica) is not a counterfeit cue."""
    if ch.cue.tag != "scale":
        return False
    if any(fc.segment_of(s) == segment for s, _ in fc.scale_context):
        return True
    starts = fc.segment_starts
    end = starts[segment + 1] if segment + 1 < len(starts) else len(fc.text)
    return bool(_SCALE_RATIO_RE.search(fc.text, starts[segment], end))
