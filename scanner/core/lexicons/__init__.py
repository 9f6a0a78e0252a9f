"""Cue lexicons: sorted TSV data files (phrase, tag, lang), one per kind of cue.

``tag`` means, per file: counterfeit ``strong|weak|scale`` (scale = a word like *replica*
that a scale-model or fan-kit context makes harmless); lookalike, comparison, negation,
nominative ``before|after|near`` (where the cue stands relative to the mark); ``next`` (right
after the mark, nothing between: 香奶奶风); authenticity ``claim|origin|daigou`` (origin claims
say where goods come from: 原装, original, genuine, 代购 is its own tag); licence and resale
``near``; disparagement ``subject|claim``; generic ``any``; benign ``shadow|scale|kit``
(shadow phrases contain a cue or mark but are neither: ``fake fur``, ``仿真花``, ``假一赔十``;
scale phrases make a scale-model context: ``1:18``, ``die-cast``; kit phrases a club's fan
kit: ``jersey``; both make *replica* harmless; jade phrases a jade sentence, where the
counterfeit word tagged ``jade``, A货, is the grade of untreated jadeite); accessory ``<role>-<group>``: ``part`` (only
ever fits something: a case, a filter, floor mats, a repair), ``ware`` (a product that may be
a brand's own: a charger, earphones) or ``device`` (what an accessory fits: 手机, laptop), and
the group of goods it belongs to (``ACCESSORY_GROUPS``); goods ``<sector>``: the nouns for
what a sector's marks are sold on (bag, 包, watch, 表, lipstick): beside such a noun an
ordinary-word or shorthand form is the brand ("lv 包", "AP 腕表", "老花包").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The sectors of marks (trademarks/data: the ``sector`` column) each accessory group fits.
ACCESSORY_GROUPS: dict[str, frozenset[str]] = {
    "phone": frozenset({"electronics"}),
    "computer": frozenset({"electronics"}),
    "camera": frozenset({"electronics"}),
    "watch": frozenset({"watch", "electronics"}),
    "printer": frozenset({"electronics"}),
    "console": frozenset({"electronics"}),
    "appliance": frozenset({"appliance", "electronics"}),
    "auto": frozenset({"auto"}),
    "game": frozenset({"ip", "electronics", "platform"}),  # controllers and aim aids name the games they play
    "any": frozenset({"electronics", "appliance", "auto", "watch"}),
}
ACCESSORY_ROLES = ("part", "ware", "device")

TAGS: dict[str, frozenset[str]] = {
    "counterfeit": frozenset({"strong", "weak", "scale", "jade"}),
    "lookalike": frozenset({"before", "after", "near", "next"}),
    "comparison": frozenset({"before", "after", "near"}),
    "negation": frozenset({"before"}),
    "authenticity": frozenset({"claim", "origin", "daigou"}),
    "licence": frozenset({"near"}),
    "resale": frozenset({"near"}),
    "nominative": frozenset({"before", "after", "near"}),
    "disparagement": frozenset({"subject", "claim"}),
    "generic": frozenset({"any"}),
    "benign": frozenset({"shadow", "scale", "kit", "jade"}),
    "accessory": frozenset(f"{role}-{group}" for role in ACCESSORY_ROLES for group in ACCESSORY_GROUPS),
    "goods": frozenset({"fashion", "apparel", "sportswear", "watch", "cosmetics", "electronics", "appliance", "auto",
                        "food", "ip", "platform"}),
}
KINDS = tuple(TAGS)


@dataclass(frozen=True)
class Cue:
    kind: str
    phrase: str
    tag: str
    lang: str


def read_lexicon(kind: str) -> list[Cue]:
    # The file beside this module (importlib.resources cost a fresh process more to import
    # than reading every lexicon: start-up, docs/performance.md).
    text = Path(__file__).with_name(f"{kind}.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Cue(kind, row["phrase"], row["tag"], row["lang"]) for row in rows]


@lru_cache(maxsize=1)
def all_cues() -> tuple[Cue, ...]:
    """Every cue of every kind, in a fixed order (kind, then file order)."""
    return tuple(cue for kind in KINDS for cue in read_lexicon(kind))


@lru_cache(maxsize=1)
def ordinary_phrases() -> dict[str, tuple[str, ...]]:
    """Phrases that hold a mark's form but are not the mark (三星堆, omega-3, 小米粥, Tiffany
    blue, a wild lynx), keyed by the folded form, for ANY list: a user's marks file, a registry
    import or a USPTO list naming OMEGA or XIAOMI gets them as the bundled list does. Drawn
    from the bundled list's exceptions (each filed under the forms of its mark it holds) and
    from ``ordinary.tsv`` (animals, places, colours that are marks elsewhere)."""
    from scanner.core.normalize import fold
    from trademarks.lists import bundled_marks

    table: dict[str, list[str]] = {}
    for mark in bundled_marks():
        forms = [fold(f) for f in mark.forms()]
        for phrase in mark.exceptions:
            folded = fold(phrase)
            for form in forms:
                if form and form in folded:
                    table.setdefault(form, []).append(phrase)
    text = Path(__file__).with_name("ordinary.tsv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        table.setdefault(fold(row["form"]), []).append(row["phrase"])
    return {form: tuple(dict.fromkeys(phrases)) for form, phrases in table.items()}


@lru_cache(maxsize=1)
def goods_words() -> tuple[tuple[str, str], ...]:
    """(sector, folded noun) for every goods noun: what an exception phrase's remainder is
    checked against (scanner/core/context.py)."""
    from scanner.core.normalize import fold

    return tuple((cue.tag, fold(cue.phrase)) for cue in read_lexicon("goods"))


@lru_cache(maxsize=1)
def model_patterns() -> dict[str, re.Pattern[str]]:
    """What may run straight into a device brand's name, by folded form: its maker's model
    codes (``models.tsv``), so "oppoa59s", "vivox7", "iphonexs" and "galaxys23" are the brand
    while "oppose" and "vivoplayer" are not. The pattern must reach a word's end."""
    text = Path(__file__).with_name("models.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return {row["form"]: re.compile(f"(?:{row['pattern']})(?![a-z0-9])") for row in rows}


@lru_cache(maxsize=1)
def common_english() -> frozenset[str]:
    """The 5,000 most frequent English words (``common_en.txt``, see SOURCES.md): a one-letter
    slip of a mark that is an ordinary word is that word."""
    text = Path(__file__).with_name("common_en.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())
