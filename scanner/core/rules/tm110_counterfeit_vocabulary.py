"""TM110 counterfeit-vocabulary: counterfeit wording with no specific mark.

"高仿名牌包", "replica designer handbag 1:1", "AAA replica watches": no brand is named, but
the listing offers counterfeits all the same. Weak cues ("replica", "复刻", "1:1") count
only next to a generic brand word (名牌, 大牌, designer, luxury brand).

Okay: 江户川乱步复刻版 小说
Okay: Star Destroyer replica model kit 1:2700
TM110: 高仿名牌包包
TM110: Replica designer handbag
"""

from __future__ import annotations

from typing import Iterator

from scanner.core.context import FieldContext, ListingContext, cue_facet, gap_ok
from scanner.core.models import Severity
from scanner.core.rules.base import Finding, Rule

GENERIC_GAP = 4


class CounterfeitVocabulary(Rule):
    code = "TM110"
    name = "counterfeit-vocabulary"
    severity = Severity.WARNING
    summary = "counterfeit vocabulary with no specific mark (高仿名牌, replica designer 1:1)"
    needs = frozenset({cue_facet("counterfeit")})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for fc in ctx.fields:
            claims = {(c.start, c.end) for _, c in fc.disparagement}
            generic = fc.cues_of("generic")
            # a sentence whose mark the cue is bound to is TM102's, even an ordinary-word mark's
            marked = {fc.segment_of(h.start) for h in fc.marks if not h.doubtful or "counterfeit" in h.cues}
            strong_segments = set()
            cues = sorted(fc.cues_of("counterfeit"), key=lambda c: c.cue.tag != "strong")
            for cue in cues:
                segment = fc.segment_of(cue.start)
                if segment in marked or (cue.start, cue.end) in claims:
                    continue
                if cue.cue.tag == "strong":
                    strong_segments.add(segment)
                    yield Finding(fc.name, cue.start, cue.end,
                                  f"counterfeit wording '{fc.text[cue.start:cue.end]}'")
                    continue
                if segment in strong_segments:
                    continue  # the sentence is already reported for a stronger cue
                near = _nearest_generic(fc, cue, generic, segment)
                if near is not None:
                    start, end = min(cue.start, near.start), max(cue.end, near.end)
                    yield Finding(fc.name, start, end, f"counterfeit wording '{fc.text[start:end]}'")


def _nearest_generic(fc: FieldContext, cue, generic, segment):
    for word in generic:
        if fc.segment_of(word.start) != segment:
            continue
        a, b = (cue.end, word.start) if cue.end <= word.start else (word.end, cue.start)
        if gap_ok(fc.text, a, b, GENERIC_GAP):
            return word
    return None
