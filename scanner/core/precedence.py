"""Which rule reports a mark hit, and which evidence silences which rule: one table.

``scanner/core/context.py`` works out the *facts* of every mark hit: the cues next to it
(``counterfeit``, ``lookalike``...), what the listing says around it (an accessory that fits
the mark's goods, a licence, a scale model, resale) and what was declared (the seller's own
brands, the listing's brand). ``derive`` adds the facts that follow from those, and ``POLICY``
says, for each rule code, which facts make it report the hit and which silence it. The rules
(scanner/core/rules), the engine and ``listguard explain`` all read this module; nothing else
decides precedence.

The policy in one paragraph: a cue (counterfeit, look-alike, comparison, negation, evasion) is
an error whoever's brand it is, unless the mark is named with a compatibility cue word. A mark
with no cue is a *warning* only with evidence that the listing has no right to it: it is the
product's brand (brand position) and the seller declared its brands (TM101) or the listing
declared another brand (TM107). Otherwise such a mention is *info*: compatibility (TM100),
licensed goods, scale models or resale (TM112), or a plain mention with nothing declared to
check it against (TM111); each message says what evidence to keep on file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

# -- facts worked out by scanner/core/context.py ---------------------------------------------
# cues next to the mark (one per lexicon kind, scanner/core/lexicons)
NOMINATIVE = "nominative"  # a compatibility cue word: "for", "compatible with", 适用于, 通用
COUNTERFEIT = "counterfeit"
LOOKALIKE = "lookalike"
COMPARISON = "comparison"
NEGATION = "negation"
AUTHENTICITY = "authenticity"  # 正品, 专柜, 代购, official, genuine, 原装...
LICENCE_CUE = "licence-cue"  # official licensed, 官方授权, licensed by
RESALE_CUE = "resale-cue"  # 二手, used, pre-owned, refurbished
# what the listing says around the mark
ACCESSORY = "accessory"  # an accessory or part that fits the mark's goods, in the same sentence
SCALE_MODEL = "scale-model"  # die-cast, 1:18, model kit: a replica of the mark's vehicle
MERCHANDISE = "merchandise"  # a franchise or car on goods of a named maker: licensed goods
RETAILED = "retailed"  # a grocery brand in a retailer's pack: resale
OFF_CLASS = "off-class"  # the listing's category lies outside the mark's classes: likely another meaning
ORIGIN_CLAIM = "origin-claim"  # the authenticity cue claims origin (原装, original, genuine, OEM)
PRODUCT_LINE = "product-line"  # the authenticity word is part of the product's name (Vans Authentic)
BRAND_POSITION = "brand-position"  # the mark stands where titles put the product's brand
SELECTIVE = "selective-distribution"  # a luxury house: no marketplace reseller is authorized
# about the mark and the declarations
OWN = "own"  # the seller's own brand or the listing's declared brand (same owner)
AUTHORIZED = "authorized"  # an authorization on file
EVASION = "evasion"  # spelled to dodge filters
DOUBTFUL = "doubtful"  # an ordinary-word mark with nothing backing it
HIDDEN = "hidden"  # in search keywords or hidden description text
LISTING_BRAND = "listing-brand"  # the listing declares a brand (of another owner)
SELLER_BRANDS = "seller-brands"  # the seller declared its brands (--own-brand, authorizations)

# -- derived by ``derive`` ----------------------------------------------------------------
COMPATIBILITY = "compatibility"  # an accessory naming what it fits, with no other cue
LICENSED = "licensed"  # licence cue, scale model or licensed merchandise
RESALE = "resale"  # second-hand, or a genuineness claim about the product's own brand
BARE = "bare"  # no cue, no context, nothing allowing it: a plain use of the mark
MISMATCH = "mismatch"  # the product's brand is none of the declared brands
UNBACKED_CLAIM = "unbacked-claim"  # a licence claimed for a brand the seller's declarations lack
ALLOWED_CONTEXT = "allowed-context"  # licensed or resale context with no unbacked claim in it

CUE_FACTS = frozenset({NOMINATIVE, COUNTERFEIT, LOOKALIKE, COMPARISON, NEGATION, AUTHENTICITY,
                       LICENCE_CUE, RESALE_CUE})
# Facts that say why a mark is named; a hit with none of them is a bare use.
CONTEXT_FACTS = CUE_FACTS | {ACCESSORY, SCALE_MODEL, MERCHANDISE, RETAILED, EVASION}
# A cue a rule reports on its own: an accessory next to one of these is no compatibility.
REPORTED_CUES = frozenset({COUNTERFEIT, LOOKALIKE, COMPARISON, NEGATION, AUTHENTICITY, EVASION})


def derive(facts: set[str]) -> frozenset[str]:
    """The hit's facts with everything that follows from them."""
    if PRODUCT_LINE in facts:
        facts.discard(AUTHENTICITY)  # "Vans Authentic" names the shoe: the word claims nothing
    if ACCESSORY in facts and not facts & REPORTED_CUES:
        facts.add(COMPATIBILITY)
    if facts & {LICENCE_CUE, SCALE_MODEL, MERCHANDISE}:
        facts.add(LICENSED)
    declared = LISTING_BRAND in facts or SELLER_BRANDS in facts
    if RESALE_CUE in facts or RETAILED in facts or (AUTHENTICITY in facts and not declared
                                                    and not facts & {ORIGIN_CLAIM, SELECTIVE, PRODUCT_LINE}):
        # "二手", or "正品"/"专柜" said of a brand with nothing declared: resale of genuine
        # goods, whose evidence is a verifiable invoice. Not an origin or sourcing claim (原装
        # on a part, 代购), and not a luxury house, which sells through no marketplace
        # reseller: "正品 Gucci" stays a claim to back (TM109).
        facts.add(RESALE)
    if not facts & CONTEXT_FACTS:
        facts.add(BARE)
    if BRAND_POSITION in facts and declared and not facts & {OWN, AUTHORIZED, OFF_CLASS}:
        facts.add(MISMATCH)
    if SELLER_BRANDS in facts and LICENCE_CUE in facts and not facts & {OWN, AUTHORIZED}:
        # "A licence claim is still a claim": the seller named its brands and authorizations,
        # and this one is not among them.
        facts.add(UNBACKED_CLAIM)
    if facts & {LICENSED, RESALE} and UNBACKED_CLAIM not in facts:
        facts.add(ALLOWED_CONTEXT)
    return frozenset(facts)


@dataclass(frozen=True)
class When:
    """A rule reports a hit whose facts include every ``all_of``, at least one ``any_of``
    (when given) and none of ``unless``."""

    all_of: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()

    def holds(self, facts: frozenset[str]) -> bool:
        return (self.all_of <= facts and (not self.any_of or not self.any_of.isdisjoint(facts))
                and self.unless.isdisjoint(facts))

    def blocking(self, facts: frozenset[str]) -> list[str]:
        """The facts that silence the rule for a hit it would otherwise report."""
        if not (self.all_of <= facts and (not self.any_of or not self.any_of.isdisjoint(facts))):
            return []
        return sorted(self.unless & facts)


def _w(all_of: Iterable[str] = (), any_of: Iterable[str] = (), unless: Iterable[str] = ()) -> When:
    return When(frozenset(all_of), frozenset(any_of), frozenset(unless))


# The table. A compatibility cue word silences the cue rules (a case "for iPhone" is not an
# iPhone look-alike); an accessory noun alone does not ("高仿苹果数据线" is a fake Apple cable).
POLICY: dict[str, When] = {
    "TM100": _w(any_of={NOMINATIVE, COMPATIBILITY}, unless={OWN, DOUBTFUL}),
    "TM101": _w(all_of={BARE, MISMATCH, SELLER_BRANDS}, unless={LISTING_BRAND, DOUBTFUL, HIDDEN}),
    "TM102": _w(all_of={COUNTERFEIT}, unless={NOMINATIVE}),
    "TM103": _w(all_of={LOOKALIKE}, unless={NOMINATIVE, OWN}),
    "TM104": _w(all_of={COMPARISON}, unless={NOMINATIVE, OWN}),
    "TM105": _w(all_of={NEGATION}, unless={NOMINATIVE, OWN}),
    "TM107": _w(all_of={BARE, MISMATCH, LISTING_BRAND}, unless={DOUBTFUL, HIDDEN}),
    "TM108": _w(all_of={EVASION}, unless={NOMINATIVE, OWN}),
    "TM109": _w(any_of={AUTHENTICITY, UNBACKED_CLAIM},
                unless={OWN, AUTHORIZED, DOUBTFUL, COUNTERFEIT, NOMINATIVE, PRODUCT_LINE, HIDDEN, ALLOWED_CONTEXT}),
    "TM111": _w(all_of={BARE}, unless={MISMATCH, OWN, AUTHORIZED, DOUBTFUL, HIDDEN}),
    "TM112": _w(any_of={LICENSED, RESALE},
                unless={OWN, AUTHORIZED, DOUBTFUL, NOMINATIVE, COMPATIBILITY, COUNTERFEIT, LOOKALIKE, COMPARISON,
                        NEGATION, EVASION, HIDDEN, UNBACKED_CLAIM}),
}

# TM106 (stuffing) counts the hits of a field that are not named for one of these reasons.
STUFFING_IGNORES = frozenset({NOMINATIVE, COMPATIBILITY, OWN, AUTHORIZED, DOUBTFUL, LICENSED})


def reported(code: str, facts: frozenset[str]) -> bool:
    return POLICY[code].holds(facts)


# What a silencing fact means, for ``listguard explain``.
MEANING = {
    OWN: "your own or the listing's declared brand", AUTHORIZED: "an authorization on file",
    DOUBTFUL: "an ordinary-word mark with nothing to back it (no other mark of its owner, no matching category)",
    HIDDEN: "in keywords or hidden text, which TM106 reports", NOMINATIVE: "named for compatibility",
    COMPATIBILITY: "an accessory names what it fits", MISMATCH: "the product's brand against the declared brands",
    ALLOWED_CONTEXT: "licensed goods or resale", PRODUCT_LINE: "the word names the product",
    COUNTERFEIT: "TM102 reports the counterfeit cue", LISTING_BRAND: "the listing declares a brand (TM107's case)",
    UNBACKED_CLAIM: "a licence the declarations do not back (TM109)",
}


def why_not(facts: frozenset[str]) -> str:
    """One line for ``listguard explain``: which rules the facts came close to and what
    silenced them."""
    silenced = []
    for code, when in POLICY.items():
        blocking = when.blocking(facts)
        if blocking:
            silenced.append(f"{code} silenced by " + ", ".join(f"{b} ({MEANING[b]})" if b in MEANING else b
                                                              for b in blocking))
    return "; ".join(silenced) if silenced else "no rule's evidence is present"
