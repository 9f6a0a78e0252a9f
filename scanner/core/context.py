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
from typing import Iterable, NamedTuple

from scanner.core import precedence as P
from scanner.core.index import KeyIndex, has_cased, one_edit, strip_accents
from scanner.core.lexicons import ACCESSORY_GROUPS, Cue, common_english
from scanner.core.matcher import Hit, is_word_char
from scanner.core.models import Listing
from scanner.core.normalize import INVISIBLE, View, evasion_views, fold, plain_view
from scanner.core.sectors import DEVICE_SECTORS, LICENSING_SECTORS, REPLICA_SECTORS, RETAIL_SECTORS, SELECTIVE_SECTORS
from scanner.core.segment import SHORT, inside_longer_word, is_cjk, know_words
from trademarks.models import CASE_EXACT, CASE_FOLD, FORM_NICKNAME, FORM_ORDINARY, Mark

ACCESSORY_SECTORS = frozenset().union(*ACCESSORY_GROUPS.values())
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
GAP_BEFORE = {"nominative": 2, "lookalike": 2, "comparison": 3, "negation": 0, "authenticity": 4, "licence": 4}
GAP_AFTER = {"nominative": 1, "lookalike": 4, "comparison": 3, "authenticity": 4, "licence": 4}
# Kinds whose tag says where the cue stands; the others' tags say what they mean, and they
# may stand on either side of the mark.
POSITIONAL = frozenset({"nominative", "lookalike", "comparison", "negation"})
# Kinds that hold for a whole sentence rather than a mark next to them ("二手" describes the
# product, wherever it stands), and kinds attached elsewhere or never to a mark.
SENTENCE_KINDS = frozenset({"counterfeit", "resale"})
UNATTACHED = frozenset({"disparagement", "generic", "accessory", "goods"})
# The lexicon kinds as the precedence table names them (scanner/core/precedence.py).
CUE_FACT = {"nominative": P.NOMINATIVE, "counterfeit": P.COUNTERFEIT, "lookalike": P.LOOKALIKE,
            "comparison": P.COMPARISON, "negation": P.NEGATION, "authenticity": P.AUTHENTICITY,
            "licence": P.LICENCE_CUE, "resale": P.RESALE_CUE}


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
    group: str = ""  # the owner's group (trademarks/owners.py): one family of marks
    sector: str = ""  # what goods the mark is known for (scanner/core/sectors.py)
    accessory: CueHit | None = None  # an accessory that names this mark for what it fits
    brand_position: bool = False  # stands where titles put the product's brand
    facts: frozenset[str] = frozenset()  # what the precedence table reads (set by judge)
    weak: bool = False  # a lower-case spelling of an exact or two-letter form: kept only if backed
    nickname: bool = False  # a counterfeit-trade nickname (驴牌): reported as an evasion
    ordinary: bool = False  # a form annotated as an ordinary word (苹果, 老花)
    misspelled: bool = False  # one letter off a famous mark, or its words run together
    run_together: bool = False  # a multi-word mark written as one word: an evasion only in counterfeit company
    shadowed: bool = False  # inside an exception phrase: kept only for a counterfeit or look-alike cue

    @property
    def owner(self) -> str:
        return self.mark.owner or self.mark.name

    @property
    def nominative(self) -> bool:
        return "nominative" in self.cues

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
    # benign context phrases: (start, end, tag), tag "scale" for a scale-model context (1:18,
    # die-cast) and "kit" for a club's fan kit (jersey), both making 'replica' harmless, and
    # "jade" for a jade sentence, where A货 is a grade of jadeite
    scale_context: list[tuple[int, int, str]]
    disparagement: list[tuple[CueHit, CueHit]] = field(default_factory=list)
    _segment_starts: list[int] | None = None
    # (marks list, their starts, the longest mark) for the list it was worked out from: a field,
    # not a __dict__ entry, which a compiled class has not (mypyc)
    _mark_starts: tuple[list[MarkHit], list[int], int] | None = field(default=None, repr=False, compare=False)
    # per sentence: holds a scale ratio (1:18, 1/43)? Asked for every mark and cue of a
    # sentence, and a long description is often one sentence: searched once each.
    _scale_ratio: dict[int, bool] = field(default_factory=dict, repr=False, compare=False)

    def has_scale_ratio(self, segment: int) -> bool:
        found = self._scale_ratio.get(segment)
        if found is None:
            starts = self.segment_starts
            end = starts[segment + 1] if segment + 1 < len(starts) else len(self.text)
            found = self._scale_ratio[segment] = bool(_SCALE_RATIO_RE.search(self.text, starts[segment], end))
        return found

    @property
    def segment_starts(self) -> list[int]:
        """Where each sentence starts; only cue judgements ask, so worked out on demand (an
        explicit memo: a cached_property is a plain property in the compiled build)."""
        if self._segment_starts is None:
            self._segment_starts = _segments(self.text)
        return self._segment_starts

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
    declared_groups: set[str]  # the owner groups the listing's declared brand names

    def __post_init__(self) -> None:
        self._hits = [hit for fc in self.fields for hit in fc.marks]

    def mark_hits(self) -> list[MarkHit]:
        return self._hits

    def refresh(self) -> None:
        """Take in hits dropped from a field (weak ones nothing backed, shadowed ones with no cue)."""
        self._hits = [hit for fc in self.fields for hit in fc.marks]

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


# A comparative built around the mark rather than spelled by one phrase of the lexicon:
# "比耐克更好穿", "比小米还便宜" (比 right before the mark, 更/还 right after it, so 性价比 before a
# brand is no comparison), "lighter than Nike", "more comfortable than Adidas" (any -er or
# more/less adjective before "than", but not "other than", "rather than" and the like).
_ZH_COMPARATIVE_AFTER_RE = re.compile(r"\s{0,1}(?:[A-Za-z0-9\-]{1,8}\s{0,1})?(?:更|还|都要|要更)")
_EN_COMPARATIVE_RE = re.compile(
    r"(?:\b(?!(?:other|rather|whether|either|neither|never|ever|over|under|after|later|sooner|"
    r"earlier|order|cover|number|power|water|paper|leather|rubber|silver|master|letter|filter|"
    r"sticker|user|summer|winter|player|speaker|charger|holder|cooler|heater|shaver|dryer|"
    r"trimmer|blender|mixer|router|printer|computer|cutter|marker|poster|sweater|trainer|"
    r"sneaker|slipper|liner|timer|remover|cleaner|primer|toner|eraser|burger)\b)"
    r"[a-z]{3,}er|\bmore\s+[a-z]{3,}|\bless\s+[a-z]{3,}) than\s+(?:the\s+)?$", re.IGNORECASE)
_COMPARATIVE_ZH = Cue("comparison", "比…更", "before", "zh")
_COMPARATIVE_EN = Cue("comparison", "-er than", "before", "en")


def _comparative_cues(text: str, marks: list[MarkHit], cues: list[CueHit]) -> None:
    """Adds a comparison cue before each mark that stands in a comparative ("比X更", "-er than
    X") where no cue of the lexicon covers those characters already; cues stay sorted."""
    starts: list[int] | None = None
    added: list[CueHit] = []
    for mh in marks:
        found: CueHit | None = None
        if mh.start > 0 and text[mh.start - 1] == "比" and (mh.start < 2 or text[mh.start - 2] not in "价无类占")\
                and _ZH_COMPARATIVE_AFTER_RE.match(text, mh.end):
            found = CueHit(_COMPARATIVE_ZH, mh.start - 1, mh.start)
        elif mh.start >= 8 and text[mh.start - 1].isspace():
            match = _EN_COMPARATIVE_RE.search(text, max(0, mh.start - 40), mh.start)
            if match is not None:
                end = match.start() + len(match.group().rstrip())
                found = CueHit(_COMPARATIVE_EN, match.start(), end)
        if found is None or (added and added[-1].end > found.start):
            continue  # two marks at one place share the comparative
        if starts is None:
            starts = [c.start for c in cues]
        k = bisect.bisect_left(starts, found.start)
        if (k > 0 and cues[k - 1].end > found.start) or (k < len(cues) and cues[k].start < found.end):
            continue  # a lexicon cue holds these characters ("better than", 堪比)
        added.append(found)
    if added:
        cues.extend(added)
        cues.sort(key=lambda c: c.start)


class FieldScanner:
    """Turns one field's text into mark and cue hits (both views, leftmost-longest)."""

    def __init__(self, index: KeyIndex) -> None:
        self.index = index
        self._taught = False  # the segmenter knows the index's short CJK forms (see segment.py)

    def scan(self, name: str, text: str, plain: View | None = None,
             walked: list[tuple[int, int]] | None = None) -> FieldContext:
        """``plain`` and ``walked``: the field's plain view and the automaton's raw hits in
        it, when the prefilter has them already."""
        if plain is None:
            plain = plain_view(text)
        hits = self.index.matcher.find(plain, walked) if walked is None or walked else []
        marks: list[MarkHit] = []
        cues: list[CueHit] = []
        scale: list[tuple[int, int, str]] = []
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
        if _LATIN_RUN_RE.search(plain.text):
            self._misspelled(name, text, plain, marks)
        if len(marks) > 1:
            marks.sort(key=lambda m: (m.start, m.end))
        if marks:
            _comparative_cues(text, marks, cues)
        return FieldContext(name, text, marks, cues, scale)

    def _misspelled(self, name: str, text: str, plain: View, marks: list[MarkHit]) -> None:
        """Famous marks spelled one letter off ("Guccii", "Addidas", "Rolexx", "Nikee") or
        their words joined by punctuation ("Louis-Vuitton", "air+jordan"): weak evasion hits,
        which count only where the listing backs the brand (another of its marks, a cue, its
        goods beside it). Run together as one word ("louisvuitton") the same, an evasion only
        in counterfeit company (``_counterfeit_company``). An ordinary English word is never
        one ("roles" is no Rolex)."""
        near = self.index.near_forms
        if not near:
            return
        cjk = any(map(is_cjk, text))
        for run in _LATIN_RUN_RE.finditer(plain.text):
            words = [(w.start(), w.end()) for w in _LATIN_WORD_RE2.finditer(run.group())]
            joined = "".join(run.group()[a:b] for a, b in words)
            candidates: list[tuple[int, int, int, bool]] = []  # (vstart, vend, mark index, evasive)
            if len(words) > 1 and joined in near:
                # joined words dodge a fashion house's filter ("louis-vuitton", "air+jordan"); a
                # device name typed without its space ("xboxseries") is only sloppy
                candidates += [(run.start(), run.end(), i, True) for form, i in near[joined]
                               if form == joined and self.index.sectors[i] not in DEVICE_SECTORS]
            for a, b in words if not candidates else ():
                word = strip_accents(run.group()[a:b])
                if len(word) < 5 or word in common_english():
                    continue
                found = {i for variant in (word, *(word[:k] + word[k + 1:] for k in range(len(word))))
                         for form, i in near.get(variant, ()) if _evasive_slip(word, form, cjk)}
                candidates += [(run.start() + a, run.start() + b, i, True) for i in sorted(found)]
                if word not in self.index.by_form:
                    # a multi-word mark run together ("louisvuitton", "thenorthface北面",
                    # "jomalone身体乳", "PAWPATROL puzzle") is how titles and queries write Latin
                    # brands: the mark where backed, an evasion only in counterfeit company
                    candidates += [(run.start() + a, run.start() + b, i, False) for form, i in near.get(word, ())
                                   if form == word and self.index.sectors[i] not in DEVICE_SECTORS
                                   and i not in found]
            for vstart, vend, i, evasive in candidates:
                span = plain.original_span(vstart, vend)
                if span is None or any(m.start < span[1] and span[0] < m.end for m in marks):
                    continue
                marks.append(MarkHit(self.index.marks[i], i, name, span[0], span[1], text[span[0]:span[1]],
                                     evasion=evasive, ambiguous=True, weak=True, misspelled=True,
                                     run_together=not evasive,
                                     group=self.index.groups[i], sector=self.index.sectors[i]))

    def _evasion_worthy(self, hit: Hit, marks: list[MarkHit], text: str) -> bool:
        if not any(kind == "mark" for kind, _ in hit.info.payloads):
            return False
        if any(m.start < hit.end and hit.start < m.end for m in marks):
            return False
        original = text[hit.start:hit.end]
        if fold(original) == hit.info.key:
            return False  # nothing was disguised: the plain view judged this spelling already
        if (hit.end - hit.start) > len(hit.info.key):
            # separators were dropped: N-i-k-e, L-V, 耐-克. Not for two letters inside a
            # model code ("F117-B V FP6"), nor beside the mark's plain name ("惠普（H P）").
            if len(hit.info.key) <= 2 and hit.info.key.isascii() and hit.start > 0 and \
                    text[hit.start - 1].isascii() and (text[hit.start - 1] in "-/_" or text[hit.start - 1].isalnum()):
                return False
            return not self._named_beside(hit, marks, text)
        # Swapped letters alone read too much into model codes ("dj1", "t5l", "ANT4"): only
        # a long enough key counts, disguised inside the word (N1ke, L0uis, Nіke) or, on a
        # longer one, at its edge with letters for the rest (Gucc1, Prad4, 0akley, $upreme).
        if len(hit.info.key) < 4:
            return False
        if original[0].isalpha() and original[-1].isalpha():
            # Two letters side by side at least: "F14T" (a model code) is no "fiat".
            return bool(_TWO_LETTERS_RE.search(original))
        return len(hit.info.key) >= 5 and (original[:-1].isalpha() or original[1:].isalpha())

    def _inside_longer_word(self, text: str, start: int, end: int) -> bool:
        if not self._taught:
            know_words(self.index.short_cjk_forms)
            self._taught = True
        return inside_longer_word(text, start, end)

    def _named_beside(self, hit: Hit, marks: list[MarkHit], text: str) -> bool:
        """Whether a plain hit of the same owner stands right beside this one (a bracket or a
        separator between): the spelling then only repeats the name, it hides nothing."""
        refs = [ref for kind, ref in hit.info.payloads if kind == "mark"]
        groups = {self.index.groups[ref] for ref in refs}
        for m in marks:
            if m.group in groups:
                gap = text[m.end:hit.start] if m.end <= hit.start else text[hit.end:m.start]
                if len(gap) <= 2 and not any(ch.isalnum() for ch in gap):
                    return True
        return False

    def _take(self, name: str, text: str, hit: Hit, marks: list[MarkHit], cues: list[CueHit],
              scale: list[tuple[int, int, str]], shape: tuple[bool, bool] | None,
              evasion: bool) -> tuple[bool, bool] | None:
        if hit.info.exception:
            self._shadowed(name, text, hit, marks)
            return shape
        for kind, ref in hit.info.payloads:
            if kind == "cue":
                cue = self.index.cues[ref]
                if cue.kind == "benign":
                    if cue.tag in ("scale", "kit", "jade"):
                        scale.append((hit.start, hit.end, cue.tag))
                else:
                    cues.append(CueHit(cue, hit.start, hit.end))
            elif kind == "mark":
                original = text[hit.start:hit.end]
                key = hit.info.key
                form_kind = self.index.kinds.get((ref, key), CASE_FOLD)
                ambiguous = weak = nickname = ordinary = False
                if form_kind == FORM_NICKNAME:
                    nickname = True  # 驴牌, 香奶奶: a name only the counterfeit trade uses
                elif form_kind == FORM_ORDINARY:
                    ambiguous = ordinary = True  # 苹果, 小米, 老花: an ordinary word until something backs it
                elif len(key) <= 2 and key.isascii() and not original.isupper():
                    ambiguous = weak = True  # "lv 包", "mk戴妃包": lower-case shorthand needs backing
                else:
                    exact = self.index.exact_forms.get(ref)
                    if form_kind == CASE_EXACT and exact is not None and key not in self.index.firm_forms:
                        if shape is None:
                            shape = _case_shape(text)
                        ambiguous, weak = _judge_exact(original, exact, shape, evasion)
                if evasion and len(key) <= 2 and key.isascii():
                    ambiguous = weak = True  # "A P Hollingworth": two spaced capitals need backing
                if not evasion and len(key) <= SHORT and is_cjk(key[0]) and \
                        self._inside_longer_word(text, hit.start, hit.end):
                    continue  # 柯达 in 斯柯达, 多美 in 贝多美: a piece of another word
                mark = self.index.marks[ref]
                # "Louis-Vuitton": words the mark keeps apart, joined; its own "Coca-Cola" is not
                respelled = " " in key and ("-" in original or "_" in original) and \
                    not any(("-" in f or "_" in f) and fold(f) == key for f in mark.forms())
                marks.append(MarkHit(mark, ref, name, hit.start, hit.end, original,
                                     evasion=evasion or nickname or respelled, ambiguous=ambiguous or respelled,
                                     group=self.index.groups[ref], sector=self.index.sectors[ref],
                                     weak=weak or respelled, nickname=nickname, ordinary=ordinary,
                                     misspelled=respelled))
        return shape

    def _shadowed(self, name: str, text: str, hit: Hit, marks: list[MarkHit]) -> None:
        """An exception phrase ("polo shirt", "apple juice") hides its mark from bare use only:
        keep the mark's own word inside it, marked shadowed, for the cue rules ("polo shirt
        replica" still reports Polo). Only where the form is a Latin word of its own in the
        phrase; 三星堆 and 小米粥 never hold the mark at all."""
        phrase = text[hit.start:hit.end]
        folded = fold(phrase)
        if len(folded) != len(phrase):
            return  # a folded cluster shifted the offsets: leave the phrase whole
        for kind, ref in hit.info.payloads:
            if kind != "exception":
                continue
            for form in self.index.marks[ref].forms():
                key = fold(form)
                if not key.isascii():
                    continue
                at = _word_at(folded, key)
                if at >= 0 and _names_goods(folded[:at] + " " + folded[at + len(key):], self.index.sectors[ref]):
                    start = hit.start + at
                    marks.append(MarkHit(self.index.marks[ref], ref, name, start, start + len(key),
                                         text[start:start + len(key)], group=self.index.groups[ref],
                                         sector=self.index.sectors[ref], shadowed=True))
                    break


def _names_goods(rest: str, sector: str) -> bool:
    """Whether what an exception phrase holds besides the mark names goods of the mark's kind:
    "polo shirt", "polo衫" name Ralph Lauren's goods; "star trek", "apple juice" do not."""
    from scanner.core.lexicons import goods_words

    family = _FASHION_FAMILY if sector in _FASHION_FAMILY else frozenset({sector})
    return any(word in rest for tag, word in goods_words() if tag in family)


def _evasive_slip(word: str, form: str, cjk: bool) -> bool:
    """Whether ``word`` is ``form`` misspelled the way sellers dodge filters: a letter doubled
    ("Guccii", "Addidas", "Rolexx", "Nikee"), or, in a Chinese listing, a letter dropped from
    a long Latin name ("HUAWE", "ipone"). A plural or singular is the same word ("iPhones",
    "Avenger"), and a letter swapped is as often another word ("crops", "goggle")."""
    if word == form or word in (form + "s", form + "es") or form in (word + "s", word + "es"):
        return False
    if len(word) == len(form) + 1:
        k = next((k for k in range(len(form)) if word[k] != form[k]), len(form))
        return word[:k] + word[k + 1:] == form and k > 0 and word[k] == word[k - 1]
    if len(word) == len(form) - 1:
        # a letter dropped inside a long name ("Balenciga", "Burbery", "Mocler"); in a Chinese
        # listing from a shorter one, or at its end, too ("HUAWE", "ipone"). An English word
        # cut short at an edge is another word ("panther" from Panthère).
        if cjk:
            return len(form) >= 6 and one_edit(word, form)
        return len(form) >= 7 and word[0] == form[0] and word[-1] == form[-1] and one_edit(word, form)
    return False


def _word_at(text: str, word: str) -> int:
    """Where ``word`` stands as a Latin word of its own in ``text`` (CJK never binds), or -1."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not is_word_char(text[at - 1])) and (end == len(text) or not is_word_char(text[end])):
            return at
        at = text.find(word, at + 1)
    return -1


_TWO_LETTERS_RE = re.compile(r"[^\W\d_]{2}")
# Latin words, alone or joined by one punctuation mark each ("louis-vuitton", "air+jordan").
_LATIN_RUN_RE = re.compile(r"(?<![a-z0-9])[a-z]{2,}(?:[\-_+,.'][a-z]{2,})*(?![a-z0-9])")
_LATIN_WORD_RE2 = re.compile(r"[a-z]+")
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
    """(ambiguous, weak) for a hit on an exact-case form: written as registered it is the mark
    unless Title Case or capitals make every word look like one; in capitals for emphasis
    ("OFF-WHITE hoodie") an ordinary word the cue rules still judge; in lower case ("canon 6d",
    "apple 苹果") a weak hit that counts only when something backs it."""
    shown = unicodedata.normalize("NFKC", original)
    if evasion:
        return True, False
    title_case, upper_case = shape
    if shown in forms:
        return title_case or upper_case, False
    if shown.isupper():
        return True, False
    return True, True


@dataclass(frozen=True)
class Ownership:
    """The seller's own brands' owner groups and its authorized marks: fixed for a whole run.
    ``declared`` says whether the seller declared any brand at all (own brands or
    authorizations): only then is a product brand outside them evidence of misuse (TM101)."""

    own_groups: frozenset[str]
    authorized_marks: frozenset[int]
    declared: bool = False

    @classmethod
    def of(cls, index: KeyIndex, own_brands: Iterable[str], authorized: Iterable[str]) -> Ownership:
        own_brands, authorized = list(own_brands), list(authorized)
        return cls(frozenset(index.groups_of(own_brands)),
                   frozenset(i for name in authorized for i in index.marks_for_brand(name)),
                   bool(own_brands or authorized))


def judge(ctx: ListingContext, ownership: Ownership,
          category_classes: frozenset[int] = frozenset()) -> None:
    """Attach cue evidence, ownership and corroboration to every mark hit, then work out the
    facts the precedence table reads (scanner/core/precedence.py), in place."""
    own_groups = ownership.own_groups | ctx.declared_groups if ctx.declared_groups else ownership.own_groups
    authorized_marks = ownership.authorized_marks
    firm_groups: set[str] | None = None  # worked out only if an ordinary-word mark needs it
    for fc in ctx.fields:
        if fc.cues:  # most flagged fields hold a bare mark and no cue at all
            if fc.scale_context or any(c.cue.tag == "scale" for c in fc.cues):
                fc.cues = [c for c in fc.cues if not (c.cue.kind == "counterfeit" and
                                                      _neutralised(fc, c, fc.segment_of(c.start)))]
            fc.disparagement = _disparagement_pairs(fc)
            _attach_cues(fc)
            _attach_accessories(fc)
        for mh in fc.marks:
            mh.own = mh.group in own_groups
            mh.authorized = mh.mark_index in authorized_marks
            if mh.ambiguous:
                if firm_groups is None:
                    firm_groups = {m.group for m in ctx.mark_hits() if not (m.ambiguous or m.shadowed)}
                mh.corroborated = (mh.group in firm_groups or _backed(ctx, fc, mh, category_classes)
                                   or _named_twice(ctx, mh))
        if any(m.weak or m.shadowed for m in fc.marks):
            fc.marks = [m for m in fc.marks if not (m.weak and not m.corroborated) and
                        not (m.shadowed and "counterfeit" not in m.cues and "lookalike" not in m.cues)]
            ctx.refresh()
    for mh in ctx.mark_hits():
        if mh.run_together:
            mh.evasion = _counterfeit_company(ctx, mh)
    _mark_brand_position(ctx)
    licensed = _licensed_cobrands(ctx)
    for fc in ctx.fields:
        for mh in fc.marks:
            mh.facts = _facts(ctx, fc, mh, ownership.declared, category_classes, id(mh) in licensed)


def _facts(ctx: ListingContext, fc: FieldContext, mh: MarkHit, seller_declared: bool,
           category_classes: frozenset[int], cobranded: bool) -> frozenset[str]:
    facts = {CUE_FACT[kind] for kind in mh.cues}
    authenticity = mh.cues.get("authenticity")
    if authenticity is not None:
        if authenticity.cue.tag in ("origin", "daigou"):
            facts.add(P.ORIGIN_CLAIM)
        if _product_line(fc, mh, authenticity):
            facts.add(P.PRODUCT_LINE)
    if mh.accessory is not None:
        facts.add(P.ACCESSORY)
    if mh.sector in REPLICA_SECTORS and _scale_model(fc, fc.segment_of(mh.start)):
        facts.add(P.SCALE_MODEL)
    declared = bool(ctx.listing.brand)
    if mh.sector in SELECTIVE_SECTORS:
        facts.add(P.SELECTIVE)
    if not mh.own and (cobranded or (declared and mh.sector in LICENSING_SECTORS)):
        facts.add(P.MERCHANDISE)  # a character, franchise or car on a named maker's goods
    if not mh.own and declared and (mh.sector in RETAIL_SECTORS or _retail_brand(ctx.listing.brand or "")):
        facts.add(P.RETAILED)  # a grocery brand in a retailer's pack or hamper
    if category_classes and mh.mark.classes and not category_classes & set(mh.mark.classes) \
            and mh.sector not in SELECTIVE_SECTORS:
        # Omega cookware, a Timex file, a dish rack called Lenovo: outside the mark's classes the
        # word is most often another maker's line name. Not for a luxury house, whose name on
        # unrelated goods ("Dior Bottle") trades on its fame.
        facts.add(P.OFF_CLASS)
    for flag, fact in ((mh.own, P.OWN), (mh.authorized, P.AUTHORIZED), (mh.evasion, P.EVASION),
                       (mh.doubtful, P.DOUBTFUL), (fc.name in HIDDEN_FIELDS, P.HIDDEN),
                       (mh.brand_position, P.BRAND_POSITION), (declared, P.LISTING_BRAND),
                       (seller_declared, P.SELLER_BRANDS)):
        if flag:
            facts.add(fact)
    return P.derive(facts)


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
    """(subject, claim) pairs in one sentence: 别家都是假货, "other sellers sell fakes". Each
    subject pairs with the first claim (in text order) in its sentence within GAP_DISPARAGEMENT
    tokens of it.

    Claims are sorted and a gap only grows away from the subject, so only the claims beside it
    are looked at: the qualifying claims before it are the nearest few (the first of them in
    text order wins), and after it only the nearest can qualify. Trying every claim made a
    field of repeated "别家都是假货" cubic (8 KB: 6 s)."""
    subjects = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "subject"]
    claims = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "claim"]
    if not subjects or not claims:
        return []
    text = fc.text
    starts = [c.start for c in claims]
    mark_starts = [m.start for m in fc.marks]
    pairs = []
    for subject in subjects:
        segment = fc.segment_of(subject.start)
        after = bisect.bisect_left(starts, subject.end)
        best = None
        j = after - 1  # claims before the subject, nearest first
        while j >= 0 and claims[j].end <= subject.start and fc.segment_of(claims[j].start) == segment \
                and _tokens(text[claims[j].end:subject.start]) <= GAP_DISPARAGEMENT:
            # A mark between them takes the word as its own cue: "高仿LV包 其他店铺没有" sells a
            # replica, it does not call the other shops' goods fakes.
            if bisect.bisect_left(mark_starts, claims[j].end) < bisect.bisect_left(mark_starts, subject.start):
                break
            best = claims[j]
            j -= 1
        if best is None and after < len(claims):
            claim = claims[after]
            if fc.segment_of(claim.start) == segment and _tokens(text[subject.end:claim.start]) <= GAP_DISPARAGEMENT:
                best = claim
        if best is not None:
            pairs.append((subject, best))
    return pairs


_NAME_WORD_RE = re.compile(r"[^\W_]+")


def _initials_of(name: str) -> str:
    words = _NAME_WORD_RE.findall(name)
    return "".join(w[0] for w in words).casefold() if len(words) > 1 else ""


def _attach_cues(fc: FieldContext) -> None:
    text = fc.text
    claims = {(claim.start, claim.end) for _, claim in fc.disparagement}
    # Each mark judges only the cues that could attach to it (_nearby_cues), not every cue of
    # the field: that pairing made a 200 KB description of "word Gucci 同款" take 35 s.
    nearby = _NearbyCues(fc, claims)
    previous: MarkHit | None = None
    for mh in fc.marks:
        segment = fc.segment_of(mh.start)
        for ch in nearby.of(mh, segment):
            kind = ch.cue.kind
            if kind in UNATTACHED:
                continue
            if kind in mh.cues and not (kind == "authenticity" and mh.cues[kind].cue.tag == "claim"
                                        and ch.cue.tag != "claim"):
                continue  # one cue of a kind; a sourcing claim (代购, 原装) outweighs a plain 正品
            if kind in SENTENCE_KINDS:
                if (ch.start, ch.end) in claims:
                    continue  # "other sellers sell fakes": a claim about others, not a cue
                if kind == "counterfeit" and _initials_of(mh.mark.name) == ch.cue.phrase.casefold():
                    continue  # "Under Armour UA HeatGear": the house's own initials, no rep-seller's UA
                if fc.segment_of(ch.start) == segment and (ch.cue.tag == "strong" or kind != "counterfeit" or
                                                           _next_to(text, mh, ch, _weak_gap(mh))):
                    mh.cues[kind] = ch
                continue
            tag = ch.cue.tag if kind in POSITIONAL else "near"
            if ch.end <= mh.start and tag in ("before", "near"):
                if gap_ok(text, ch.end, mh.start, GAP_BEFORE.get(kind, 0)):
                    mh.cues[kind] = ch
            elif ch.start >= mh.end and tag in ("after", "near") and kind in GAP_AFTER:
                if gap_ok(text, mh.end, ch.start, GAP_AFTER[kind]) and _binds_after(fc, mh, ch):
                    mh.cues[kind] = ch
            elif tag == "next" and ch.start >= mh.end and (ch.start == mh.end or not _is_cjk(text[ch.start])) \
                    and (gap_ok(text, mh.end, ch.start, 0) or _MODEL_GAP_RE.fullmatch(text, mh.end, ch.start)):
                # "Chanel style", "Kelly 28 inspired", 香奶奶风; a CJK 风 only right against the mark
                mh.cues[kind] = ch
        # "适用于苹果/华为/小米", "compatible with iPhone 15 and Galaxy S24": a nominative
        # cue covers the marks listed after it; so does a comparison ("质量堪比美的/格力/海尔").
        if previous is not None and not _reported_cues(mh) and _chained(fc, previous, mh):
            for kind in ("nominative", "comparison"):
                if kind in previous.cues:
                    mh.cues[kind] = previous.cues[kind]
                    break
        previous = mh
    # "华为小米OPPO通用", "iPhone/Samsung compatible": a nominative cue after a list covers the
    # marks listed before it too. A mark with a cue of its own ("高仿耐克 华为通用") inherits
    # nothing, either way.
    following: MarkHit | None = None
    for mh in reversed(fc.marks):
        cue = following.cues.get("nominative") if following is not None else None
        if cue is not None and following is not None and cue.start >= following.end and not _reported_cues(mh) \
                and _chained(fc, mh, following):
            mh.cues["nominative"] = cue
        following = mh


REPORTED_KINDS = ("counterfeit", "lookalike", "comparison", "negation", "authenticity")
# A weak counterfeit word (replica, 1:1, 仿, 原单, 莆田) counts only this close to the mark;
# a strong one (高仿, A货 outside jade, knockoff) anywhere in the sentence. Across a title,
# "一比一电竞传感器" is sensor tracking and "仿蛇皮纹" a pattern, not the brand named far before.
WEAK_GAP = 3
# Fashion, sportswear, watches and franchise props are where the counterfeit trade is: there
# 莆田, 原单 and 'replica' reach a little further ("莆田情侣联名匡威", "Replica 1/1 lightsaber").
WEAK_GAP_COUNTERFEIT_TRADE = 6
COUNTERFEIT_TRADE_SECTORS = frozenset({"fashion", "apparel", "sportswear", "watch", "ip"})


def _weak_gap(mh: MarkHit) -> int:
    return WEAK_GAP_COUNTERFEIT_TRADE if mh.sector in COUNTERFEIT_TRADE_SECTORS else WEAK_GAP


def _next_to(text: str, mh: MarkHit, ch: CueHit, limit: int) -> bool:
    if ch.end <= mh.start:
        return gap_ok(text, ch.end, mh.start, limit)
    return ch.start >= mh.end and gap_ok(text, mh.end, ch.start, limit)
# What may stand between a mark and a CJK look-alike cue after it (Nike Air Max 90 同款):
# model codes and numbers. A CJK word there is the cue's own subject: 唐嫣同款, 网红同款,
# 小红书同款, ins同款 name a person or a platform, not the mark further back.
_MODEL_GAP_RE = re.compile(r"[\s\-_/.+]*(?:[A-Za-z]{0,6}\d[\w.+\-]*[\s\-_/.+]*"
                           r"|(?:pro|plus|max|mini|air|ultra|lite)[\s\-_/.+]*)*", re.IGNORECASE)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _binds_after(fc: FieldContext, mh: MarkHit, ch: CueHit) -> bool:
    """Whether a cue after the mark is about the mark. A CJK look-alike cue binds only across
    model codes, and not when an accessory follows it: "iPad Pro 同款支架" is a stand made for
    that tablet, "送同款钢化膜" a matching screen protector."""
    if ch.cue.kind != "lookalike" or not _is_cjk(fc.text[ch.start]):
        return True
    if not _MODEL_GAP_RE.fullmatch(fc.text, mh.end, ch.start):
        return False
    return not any(c.cue.kind == "accessory" and c.cue.tag[:4] in ("part", "ware") for c in _starting_at(fc, ch.end))


def _reported_cues(mh: MarkHit) -> bool:
    """Whether the hit has a cue some rule reports on its own (a list's compatibility cue
    never covers such a mark)."""
    return any(kind in mh.cues for kind in REPORTED_KINDS)


class _NearbyCues:
    """The cues of a field that could attach to a given mark, in text order: a superset of
    those _attach_cues' tests can pass, so judging only these decides exactly as judging all.

    * Sentence kinds (SENTENCE_KINDS) that count anywhere in the sentence (a strong counterfeit
      word, resale): only the first of each kind in the mark's sentence, since the first one to
      attach wins and these attach whatever their distance.
    * Every other test needs the cue beside the mark: before it with no phrase break and at most
      _REACH tokens between, or after it likewise, or (a "next" cue such as 'style') after it
      across nothing but model codes (_MODEL_GAP_RE). Cues are sorted and do not overlap (the
      matcher's leftmost-longest hits), and a gap that fails gets no better further away (more
      text holds no fewer breaks or tokens; the model-code run ends where _MODEL_GAP_RE's greedy
      match from the mark ends), so the scan outwards stops at the first cue out of reach.
    """

    def __init__(self, fc: FieldContext, claims: set[tuple[int, int]]) -> None:
        self.fc = fc
        self.starts = [c.start for c in fc.cues]
        self.ends = [c.end for c in fc.cues]
        self.anywhere: dict[int, list[int]] = {}  # sentence -> first anywhere-cue of each kind
        seen: set[tuple[int, str]] = set()
        for index, ch in enumerate(fc.cues):
            kind = ch.cue.kind
            if kind not in SENTENCE_KINDS or (ch.start, ch.end) in claims:
                continue
            if kind == "counterfeit" and ch.cue.tag != "strong":
                continue  # a weak counterfeit word counts only next to the mark: found by position
            segment = fc.segment_of(ch.start)
            if (segment, kind) not in seen:
                seen.add((segment, kind))
                self.anywhere.setdefault(segment, []).append(index)

    def of(self, mh: MarkHit, segment: int) -> list[CueHit]:
        fc, text, starts, ends = self.fc, self.fc.text, self.starts, self.ends
        found = set(self.anywhere.get(segment, ()))
        j = bisect.bisect_right(ends, mh.start) - 1
        while j >= 0 and gap_ok(text, ends[j], mh.start, _REACH):
            found.add(j)
            j -= 1
        j = bisect.bisect_left(starts, mh.end)
        model = _MODEL_GAP_RE.match(text, mh.end)
        reach = model.end() if model else mh.end
        while j < len(starts) and (starts[j] <= reach or gap_ok(text, mh.end, starts[j], _REACH)):
            found.add(j)
            j += 1
        return [fc.cues[index] for index in sorted(found)]


# The most tokens any test allows between a mark and a cue beside it.
_REACH = max(*GAP_BEFORE.values(), *GAP_AFTER.values(), WEAK_GAP, WEAK_GAP_COUNTERFEIT_TRADE)


_CHAIN_GAP = 24  # the most characters between two marks of one list


def _mark_starts(fc: FieldContext) -> tuple[list[int], int]:
    """The field's mark starts (the marks are sorted by start) and its longest mark, worked
    out once per marks list (judge replaces the list, never edits it, once scanning is done)."""
    cached = fc._mark_starts
    if cached is None or cached[0] is not fc.marks:
        cached = (fc.marks, [m.start for m in fc.marks], max((m.end - m.start for m in fc.marks), default=0))
        fc._mark_starts = cached
    return cached[1], cached[2]


def _chained(fc: FieldContext, first: MarkHit, second: MarkHit) -> bool:
    """Whether two marks stand in one list: only separators, conjunctions and model names
    between them, and no other cue."""
    gap = fc.text[first.end:second.start]
    return len(gap) <= _CHAIN_GAP and bool(_CHAIN_RE.match(gap)) and not _cue_between(fc, first.end, second.start)


def _cue_between(fc: FieldContext, a: int, b: int) -> bool:
    # cues are sorted and apart: only those starting in [a, b) can lie within it
    cues = fc.cues
    j = bisect.bisect_left(cues, a, key=_cue_start)
    while j < len(cues) and cues[j].start < b:
        if cues[j].end <= b and cues[j].cue.kind in REPORTED_KINDS:
            return True
        j += 1
    return False


def _starting_at(fc: FieldContext, pos: int) -> list[CueHit]:
    """The cues that start at ``pos`` (cues are sorted by start)."""
    cues = fc.cues
    j = bisect.bisect_left(cues, pos, key=_cue_start)
    found = []
    while j < len(cues) and cues[j].start == pos:
        found.append(cues[j])
        j += 1
    return found


def _cue_start(ch: CueHit) -> int:
    return ch.start


def _neutralised(fc: FieldContext, ch: CueHit, segment: int) -> bool:
    """A counterfeit word its sentence makes harmless: 'replica' beside a scale model (1:18
    die-cast replica) or a club's fan kit (replica jersey), A货 in a jade sentence (the grade
    of untreated jadeite)."""
    tag = ch.cue.tag
    if tag not in ("scale", "jade"):
        return False
    contexts = ("scale", "kit") if tag == "scale" else ("jade",)
    if any(t in contexts and fc.segment_of(s) == segment for s, _, t in fc.scale_context):
        return True
    if tag == "jade":
        return False
    return fc.has_scale_ratio(segment)


def _scale_model(fc: FieldContext, segment: int) -> bool:
    """A scale-model sentence: a die-cast or model-kit phrase, or a scale ratio (1:18, 1/43)."""
    if any(tag == "scale" and fc.segment_of(s) == segment for s, _, tag in fc.scale_context):
        return True
    return fc.has_scale_ratio(segment)


# -- compatibility without a cue word -------------------------------------------------------
# How far an accessory may stand from the device brand it names, in tokens (a CJK character,
# a Latin word or a number each count one). Titles put the accessory after the device and its
# model ("vivo X100 硅胶手机壳", "Honda Civic floor mats") and sometimes before it ("送钢化膜
# 华为M5 平板保护套"); measured on the JD titles labelled compatibility (type 37).
ACCESSORY_AFTER = 12
ACCESSORY_BEFORE = 6
# A model code right after a device brand: X100, S24, p30pro, WH-1000XM4, 803, Reno11.
_MODEL_RE = re.compile(r"\s*[-/]?\s*(?:[a-z]{0,8}\s?\d[\w.+\-]*|pro\b|plus\b|max\b|mini\b|air\b|ultra\b|lite\b|note\b)",
                       re.IGNORECASE)


# The devices a sector's makers themselves make: a device noun of these groups describes the
# maker's own product, not something that works with it.
PRIMARY_GROUPS = {"electronics": frozenset({"phone", "computer", "camera", "console", "printer"}),
                  "auto": frozenset({"auto"}), "appliance": frozenset({"appliance"}), "watch": frozenset({"watch"})}


# A model code of letters and digits: Galaxy S24, Canon 6D, vivo X100 (a bare number is a
# count or a size: "Polo 2 pack").
_LETTERED_MODEL_RE = re.compile(r"[\s\-,，/]?(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,10}(?![a-z0-9])", re.IGNORECASE)
# Right against a Chinese device brand a number or a model word is its model: 苹果7p, 小米9,
# 三星note, 联想2200.
_CJK_MODEL_RE = re.compile(r"(?:\d{1,4}[a-z]{0,3}|note|pro|plus|max|mini|pad|air|watch)(?![a-z0-9])", re.IGNORECASE)


# Sectors whose goods nouns back each other's marks (a CK on underwear, an LV on a belt).
_FASHION_FAMILY = frozenset({"fashion", "apparel", "sportswear"})
GOODS_GAP = 2


def _beside_goods(fc: FieldContext, mh: MarkHit, devices: bool = True) -> bool:
    """A noun for the goods the mark's sector sells, right beside it: "lv 包", "AP 腕表",
    "老花包", "mk戴妃包", "苹果手机"."""
    family = _FASHION_FAMILY if mh.sector in _FASHION_FAMILY else frozenset({mh.sector})
    for c in fc.cues:
        kind = c.cue.kind
        if kind == "goods":
            fits = c.cue.tag in family or not mh.sector
        elif kind == "accessory" and devices:  # 苹果手机, 小米手环, 小米空气净化器: a device of its maker
            fits = not mh.sector or _fits(c, mh.sector)
        else:
            continue
        if fits and _next_to(fc.text, mh, c, GOODS_GAP):
            return True
    return False


def _misspelling_backed(fc: FieldContext, mh: MarkHit) -> bool:
    """A misspelled famous mark counts beside a cue or its goods ("Guccii replica belt",
    "Rolexx watch"); another mark of its owner backs it through the firm-owner rule."""
    return "counterfeit" in mh.cues or "lookalike" in mh.cues or _beside_goods(fc, mh, devices=False)


_NAMING_CUES = ("counterfeit", "lookalike", "comparison")


def _named_twice(ctx: ListingContext, mh: MarkHit) -> bool:
    """Two different forms of one house back each other, ordinary words or misspelt as they
    may be: "louisvuitton speedy", "Cartierr Love bracelet", "Kelly ... Birkin"."""
    key = fold(mh.text)
    return any(other is not mh and other.group == mh.group and fold(other.text) != key
               and not other.shadowed for other in ctx.mark_hits())


def _backed(ctx: ListingContext, fc: FieldContext, mh: MarkHit, classes: frozenset[int]) -> bool:
    """Whether something in the listing says an ambiguous hit is the brand (another mark of its
    owner is checked by the caller). What counts depends on the form:

    * a Latin product line written as an ordinary word (Kelly, Speedy, Jackie): only a cue or an
      origin claim: "Lotto Kelly", "Ray-Ban Jackie", "Kelly green dress" are not Hermès;
    * a Latin shorthand of two or three letters (LV, MK, AP): its goods beside it (lv 包, AP 腕表),
      or a cue;
    * a Chinese ordinary word (苹果, 小米, 老花): its goods or a device beside it, a model number,
      a list of device makers, a compatibility, origin or naming cue, the category;
    * a lower-case spelling of an exact-case mark, a misspelling, a capitalised ordinary word:
      as their own rules below say."""
    cue_named = any(k in mh.cues for k in _NAMING_CUES)
    if mh.ordinary and mh.text.isascii():
        if len(mh.text) > 3:
            return cue_named or _origin_claimed(mh)
        return cue_named or _beside_goods(fc, mh)
    if mh.misspelled:
        return _misspelling_backed(fc, mh)
    if _backed_by_category(ctx, fc, mh, classes) or _model_code_after(fc.text, mh.end) or \
            _listed_with_devices(fc, mh):
        return True
    if mh.weak:
        return _beside_goods(fc, mh) or _weakly_backed(fc, mh)
    if mh.ordinary:
        # what a counterfeit, look-alike or comparison cue names is a brand; so is what is
        # claimed original (大众原厂), and a device named for compatibility (适用于苹果)
        return (_beside_goods(fc, mh) or cue_named or _origin_claimed(mh)
                or (mh.nominative and mh.sector in DEVICE_SECTORS))
    # A capitalised word in a Title Case title, or an exact-case mark in lower case: a device
    # maker's name right before its devices or their parts ("Original Apple Charger 20W",
    # "canon camera bag"); "Apple Cider Vinegar" has none. Not other sectors' goods: "Nike Men
    # Club Polo T-shirt" names a shirt's shape, not Ralph Lauren.
    return mh.sector in DEVICE_SECTORS and _beside_goods(fc, mh)


def _counterfeit_company(ctx: ListingContext, mh: MarkHit) -> bool:
    """Whether a mark run together as one word keeps the company an evasion keeps: a cue
    ("louisvuitton 包包 原单"), the house's nickname or a product line the counterfeit trade
    names it by ("louisvuitton speedy"), or a luxury house's monogram word (老花). Beside its
    goods alone it is how titles write Latin brands ("newbalance羽绒服", "thenorthface北面")."""
    if any(k in mh.cues for k in _NAMING_CUES):
        return True
    for other in ctx.mark_hits():
        if other is mh or other.group != mh.group or other.doubtful:
            continue
        if other.nickname or (other.ordinary and (other.text.isascii() and len(other.text) > 3
                                                  or other.sector in SELECTIVE_SECTORS)):
            return True
    return False


def _origin_claimed(mh: MarkHit) -> bool:
    """原装/原厂/original said of it: 大众原厂点烟器 is Volkswagen's, not the public's."""
    cue = mh.cues.get("authenticity")
    return cue is not None and cue.cue.tag in ("origin", "daigou")


def _listed_with_devices(fc: FieldContext, mh: MarkHit) -> bool:
    """An ordinary-word device brand in a list of other device brands ("适用于苹果/华为/三星")
    is one of them."""
    if mh.sector not in DEVICE_SECTORS:
        return False
    # _chained needs the two marks within _CHAIN_GAP characters: only the marks near this one
    # can be listed with it (pairing it with every mark of a long list was quadratic)
    starts, longest = _mark_starts(fc)
    low = bisect.bisect_left(starts, mh.start - _CHAIN_GAP - longest)
    high = bisect.bisect_right(starts, mh.end + _CHAIN_GAP)
    for other in fc.marks[low:high]:
        if other is not mh and not other.ambiguous and other.sector == mh.sector and \
                (_chained(fc, mh, other) if mh.start < other.start else _chained(fc, other, mh)):
            return True
    return False


def _weakly_backed(fc: FieldContext, mh: MarkHit) -> bool:
    """A lower-case shorthand is the brand beside Chinese text ("lv包", "ck内裤"), or next to a
    counterfeit or look-alike cue ("lv 高仿", "mk同款")."""
    cue = mh.cues.get("counterfeit")
    if (cue is not None and cue.cue.tag == "strong") or "lookalike" in mh.cues:
        return True  # a weak word ('reproduction', 仿) beside a lower-case word proves nothing
    # In a Chinese title a Latin word right beside Chinese text is a brand ("coach经典",
    # "lv包", "pioneer/先锋"): such titles carry no English ordinary words.
    text = fc.text
    before = text[:mh.start].rstrip(" ,，/")[-1:]
    after = text[mh.end:].lstrip(" ,，/")[:1]
    return (bool(before) and is_cjk(before)) or (bool(after) and is_cjk(after))


def _model_code_after(text: str, end: int) -> bool:
    """Whether a model code follows the mark: what backs an ordinary-word device brand."""
    if _LETTERED_MODEL_RE.match(text, end) is not None:
        return True
    return end > 0 and is_cjk(text[end - 1]) and _CJK_MODEL_RE.match(text, end) is not None


def _fits(ch: CueHit, sector: str) -> bool:
    group = ch.cue.tag.partition("-")[2]
    return sector in ACCESSORY_GROUPS.get(group, frozenset())


def _attach_accessories(fc: FieldContext) -> None:
    """Give each device brand the accessory that names it for compatibility, if one does: a
    part that only ever fits something (a case, a filter, floor mats, a repair) near the brand,
    or a product that may be a brand's own (a charger, earphones) when a model code or a
    device noun says which device it is for ("iPhone 15 charger", "苹果手机 耳机")."""
    accessories = [c for c in fc.cues if c.cue.kind == "accessory"]
    if not accessories:
        return
    text = fc.text
    for mh in fc.marks:
        if mh.sector not in ACCESSORY_SECTORS:
            continue
        segment = fc.segment_of(mh.start)
        for ch in accessories:
            if fc.segment_of(ch.start) != segment or not (mh.sector and _fits(ch, mh.sector)):
                continue
            role = ch.cue.tag.partition("-")[0]
            if role == "device":
                continue
            if ch.start >= mh.end:
                near = _tokens(text[mh.end:ch.start]) <= ACCESSORY_AFTER
            else:
                near = ch.end <= mh.start and _tokens(text[ch.end:mh.start]) <= ACCESSORY_BEFORE
            if not near:
                continue
            if role == "part" or _device_context(fc, mh, ch, accessories):
                mh.accessory = ch
                break
    # Several device brands and an accessory in one sentence: the brands are the devices it
    # fits, however far apart the title's keywords put them ("…蓝牙耳机 通话 oppo小米苹果vivo").
    by_segment: dict[int, list[MarkHit]] = {}
    for mh in fc.marks:
        if mh.sector in DEVICE_SECTORS and not _reported_cues(mh):
            by_segment.setdefault(fc.segment_of(mh.start), []).append(mh)
    for segment, devices in by_segment.items():
        groups = len({mh.group for mh in devices})
        if groups < 2:
            continue
        # "小米华为苹果手机笔记本电脑通用": a compatibility word anywhere after a list of device
        # makers in the sentence covers the whole list, whatever nouns stand between
        word = next((c for c in fc.cues if c.cue.kind == "nominative" and c.cue.tag in ("after", "near")
                     and fc.segment_of(c.start) == segment and c.start > devices[0].end), None)
        if word is not None:
            for mh in devices:
                if "nominative" not in mh.cues and not _reported_cues(mh):
                    mh.cues["nominative"] = word
        for mh in devices:
            if mh.accessory is None:
                # A part or ware; or, for three makers or more, a device of another kind than
                # theirs (a smart band naming three phone makers works with their phones; a
                # mouse pad naming three car makers under 汽车 pictures the cars)
                mh.accessory = next((c for c in accessories if fc.segment_of(c.start) == segment and _fits(c, mh.sector)
                                     and (c.cue.tag[:4] in ("part", "ware") or
                                          (groups >= 3 and c.cue.tag[7:] not in PRIMARY_GROUPS.get(mh.sector, ())))),
                                    None)
    # A list of devices is one compatibility statement: "vivo/OPPO/华为 手机壳" names all three.
    for first, second in zip(fc.marks, fc.marks[1:], strict=False):
        if _chained(fc, first, second):
            if first.accessory is not None and second.accessory is None and not _reported_cues(second):
                second.accessory = first.accessory
    for first, second in reversed(list(zip(fc.marks, fc.marks[1:], strict=False))):
        if _chained(fc, first, second):
            if second.accessory is not None and first.accessory is None and not _reported_cues(first):
                first.accessory = second.accessory


def _device_context(fc: FieldContext, mh: MarkHit, ware: CueHit, accessories: list[CueHit]) -> bool:
    """A model code right after the brand, or a device noun between the brand and the ware."""
    model = _MODEL_RE.match(fc.text, mh.end)
    if model is not None and model.end() > mh.end:
        return True
    lo, hi = (mh.end, ware.start) if ware.start >= mh.end else (ware.end, mh.start)
    return any(c.cue.tag.startswith("device-") and lo <= c.start and c.end <= hi and _fits(c, mh.sector)
               for c in accessories)


# -- the product's own brand -----------------------------------------------------------------
# What may stand before the brand that leads a title: brackets holding a shop's tag, years,
# and sellers' filler words (new, genuine, imported, a country of origin).
_LEAD_WORDS = ("新款|新品|正品|专柜|官方|现货|包邮|特价|热卖|爆款|清仓|全新|原装|正版|国行|港版|进口|原装进口|本土|"
               "日本|韩国|美国|德国|法国|意大利|瑞士|英国|澳洲|澳大利亚|香港|台湾|泰国|"
               "new|brand new|genuine|original|official|the")
_LEAD_RE_FULL = re.compile(
    rf"^(?:[\s\W_]|【[^】]*】|\[[^\]]*\]|「[^」]*」|\d{{2,4}}\s*(?:年|款|新款)?|(?:{_LEAD_WORDS})(?![a-z]))*$",
    re.IGNORECASE)
# "by Nike", "from Sony", "Nike出品", "耐克品牌": the maker named as such.
_BY_RE = re.compile(r"(?:\b(?:by|from|made by|brand)\s*:?\s*)$", re.IGNORECASE)
_MAKER_AFTER_RE = re.compile(r"\s*(?:出品|品牌|牌)")
_SPLIT_BRAND_RE = re.compile(r"[/|,，、;；()（）\[\]【】]+")


def _mark_brand_position(ctx: ListingContext) -> None:
    """Mark the hits that stand where titles put the product's brand: the first mark of the
    title when only brackets, years and filler words stand before it (海尔（Haier）BCD-470 冰箱,
    【新品】Levi's 511, 2024新款 Nike), or a mark introduced as the maker ("by Sony", 索尼出品);
    every other hit of that owner's group in the title goes with it (索尼相机 … sony/索尼 a7m4).
    A listing whose declared brand appears in the title holds the brand position itself."""
    for fc in ctx.fields:
        if fc.name != "title" or not fc.marks:
            continue
        if ctx.listing.brand and _names_declared_brand(fc.text, ctx.listing.brand):
            return
        first = fc.marks[0]
        slot: str | None = None
        if not first.doubtful and _LEAD_RE_FULL.match(fc.text[:first.start]):
            slot = first.group
        else:
            for mh in fc.marks:
                if mh.doubtful:
                    continue
                if _BY_RE.search(fc.text, 0, mh.start) or _MAKER_AFTER_RE.match(fc.text, mh.end):
                    slot = mh.group
                    break
        if slot is not None:
            for mh in fc.marks:
                if mh.group == slot and not mh.doubtful:
                    mh.brand_position = True
        return


def _names_declared_brand(title: str, brand: str) -> bool:
    folded = fold(title)
    for part in _SPLIT_BRAND_RE.split(brand):
        key = fold(part.strip())
        if len(key) >= 2 and key in folded:
            return True
    return False


def _product_line(fc: FieldContext, mh: MarkHit, cue: CueHit) -> bool:
    """An authenticity word that names a product rather than claims one: a capitalised English
    word after the mark with only names and model codes between ("Vans Authentic", "Levi's 501
    Original Fit", "Pringles Original")."""
    word = fc.text[cue.start:cue.end]
    if cue.start < mh.end or not word[:1].isupper() or not word.isascii() or fc.name != "title":
        return False
    between = fc.text[mh.end:cue.start]
    return _tokens(between) <= 3 and not _BREAK_RE.search(between) and \
        all(w[:1].isupper() or any(ch.isdigit() for ch in w) for w in between.split())


def _licensed_cobrands(ctx: ListingContext) -> set[int]:
    """Hits (by id) of a licensing mark (a franchise, a car) named beside the product's maker in
    one sentence: "Puma Ferrari Replica backpack", "Kellogg's Chocos Spider-Man". Such a line is
    the maker's licensed goods, and 'replica' in it is the line's name, not a counterfeit cue."""
    found: set[int] = set()
    for fc in ctx.fields:
        # the maker: the product's brand, itself no franchise or car (LEGO is a maker only when
        # the listing declares it: "LEGO Star Wars" alone names two marks, neither as licensee)
        makers = [m for m in fc.marks if not m.doubtful and
                  (m.own or (m.brand_position and m.sector not in LICENSING_SECTORS))]
        if not makers:
            continue
        for mh in fc.marks:
            if mh.sector not in LICENSING_SECTORS or mh.own or mh.doubtful:
                continue
            segment = fc.segment_of(mh.start)
            if any(m.group != mh.group and fc.segment_of(m.start) == segment for m in makers):
                found.add(id(mh))
                for other in fc.marks:
                    cue = other.cues.get("counterfeit")
                    if cue is not None and cue.cue.tag == "scale" and fc.segment_of(other.start) == segment:
                        del other.cues["counterfeit"]
    return found


_RETAIL_BRAND_RE = re.compile(r"\b(?:combo|hamper|bundle|gift set)s?\b|组合装|礼盒", re.IGNORECASE)


def _retail_brand(brand: str) -> bool:
    """A declared "brand" that is a retailer's pack (BigBasket's "bb Combo", a hamper): the
    brands in its title are the goods it holds, resold."""
    return bool(_RETAIL_BRAND_RE.search(brand))
