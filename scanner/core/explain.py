"""Why each match was or was not reported: the data behind ``listguard explain``."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.core.context import MarkHit
from scanner.core.engine import Scanner
from scanner.core.models import Listing, Problem
from scanner.core.normalize import evasion_views, plain_view


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
    names = ("evasion", "ambiguous", "own", "authorized", "nominative")
    flags = [n for n in names if getattr(hit, n)]
    if hit.ambiguous:
        flags.append("corroborated" if hit.corroborated else "uncorroborated")
    return flags


def _why_not(hit: MarkHit) -> str:
    if hit.nominative:
        return "named for compatibility: only TM100 (info)"
    if hit.doubtful:
        return ("an ordinary-word mark with nothing to back it (no other mark of its owner, "
                "no matching category): bare use is not reported")
    if hit.silenced:
        return "your own or an authorized brand: bare use and authenticity claims are allowed"
    return "no rule applies"


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
                                           "" if reported else _why_not(hit)))
    return out
