"""Why each match was or was not reported: the data behind ``listguard explain``."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.core.context import MarkHit
from scanner.core.engine import Scanner
from scanner.core.models import Listing, Problem
from scanner.core.normalize import evasion_views, plain_view
from scanner.core.precedence import why_not


@dataclass
class HitExplanation:
    field: str
    start: int
    end: int
    text: str
    mark: str
    owner: str
    flags: list[str]
    cues: dict[str, str]
    reported: list[str]
    why_not: str = ""


@dataclass
class FieldExplanation:
    name: str
    text: str
    views: list[tuple[str, str]]
    cues: list[tuple[str, str, int, int]]  # (kind, matched text, start, end)


@dataclass
class Explanation:
    fields: list[FieldExplanation] = field(default_factory=list)
    hits: list[HitExplanation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _flags(hit: MarkHit) -> list[str]:
    """The hit's facts as the precedence table reads them (scanner/core/precedence.py)."""
    return sorted(hit.facts)


def explain(scanner: Scanner, listing: Listing) -> Explanation:
    out = Explanation()
    ctx = scanner.context(listing)
    out.problems = scanner.check(listing)
    for fc in ctx.fields:
        plain = plain_view(fc.text)
        views = [("plain", plain.text)] + [(v.kind, v.text) for v in evasion_views(plain)]
        cues = [(c.cue.kind, fc.text[c.start:c.end], c.start, c.end) for c in fc.cues]
        out.fields.append(FieldExplanation(fc.name, fc.text, views, cues))
        for hit in fc.marks:
            reported = [p.code for p in out.problems
                        if p.field == fc.name and p.start <= hit.start and hit.end <= p.end]
            cue_texts = {kind: fc.text[c.start:c.end] for kind, c in hit.cues.items()}
            out.hits.append(HitExplanation(fc.name, hit.start, hit.end, hit.text, hit.mark.name,
                                           hit.owner, _flags(hit), cue_texts, reported,
                                           "" if reported else why_not(hit.facts)))
    return out
