"""What a rule is: metadata plus a generator of Findings over a judged listing."""

from __future__ import annotations

import inspect
from typing import Iterator, NamedTuple

from scanner.core.context import HIDDEN_FIELDS, MARKS, ListingContext, MarkHit, cue_facet
from scanner.core.models import Severity
from trademarks.models import Mark


class Finding(NamedTuple):
    """What a rule found; the engine stamps code, severity and listing to make a Problem.
    A named tuple: immutable like a frozen dataclass and far cheaper to make."""

    field: str
    start: int
    end: int
    message: str
    mark: Mark | None = None


class Rule:
    code = ""
    name = ""
    severity = Severity.WARNING
    summary = ""
    # The facets (scanner/core/context.py) a listing must hold for the rule to find anything; the
    # engine skips the rule otherwise: most judged listings hold one bare mark and no cue, and
    # a rule that only returns costs as much as one that looks.
    # tests/test_rule_selection.py checks that skipping never loses a finding.
    needs: frozenset[str] = frozenset({MARKS})

    @property
    def explanation(self) -> str:
        """The module docstring without its example lines."""
        doc = inspect.getdoc(inspect.getmodule(self)) or ""
        lines = [line for line in doc.splitlines() if not _is_example(line)]
        return "\n".join(lines).strip()

    @property
    def examples(self) -> list[tuple[str, str]]:
        """(code or 'Okay', text) pairs from the module docstring, run by the test suite."""
        doc = inspect.getdoc(inspect.getmodule(self)) or ""
        out = []
        for line in doc.splitlines():
            if _is_example(line):
                label, _, text = line.partition(":")
                out.append((label.strip(), text.strip()))
        return out

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        raise NotImplementedError


class CueRule(Rule):
    """Reports a mark hit that stands next to one kind of cue (see scanner/core/context.py)."""

    cue_kind = ""
    template = "{mark} next to '{cue}'"

    @property
    def needs(self) -> frozenset[str]:  # type: ignore[override]  # Rule's class attribute, derived here
        return frozenset({MARKS, cue_facet(self.cue_kind)})

    def applies(self, hit: MarkHit) -> bool:
        return not hit.nominative

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        for hit in ctx.mark_hits():
            cue = hit.cues.get(self.cue_kind)
            if cue and self.applies(hit):
                yield finding(hit, self.template.format(mark=describe(hit), cue=ctx.cue_text(hit.field, cue)))


def _is_example(line: str) -> bool:
    head = line.split(":", 1)[0].strip()
    return ":" in line and (head == "Okay" or (len(head) == 5 and head[:2] in ("TM", "DS") and head[2:].isdigit()))


def describe(hit: MarkHit) -> str:
    """'LV' (Louis Vuitton, owned by Louis Vuitton Malletier)."""
    name = hit.mark.name
    shown = f"'{hit.text}'" if hit.text == name else f"'{hit.text}' ({name})"
    return f"{shown}, a mark of {hit.owner}" if hit.mark.owner else shown


def finding(hit: MarkHit, message: str) -> Finding:
    return Finding(hit.field, hit.start, hit.end, message, hit.mark)


def bare_use(hit: MarkHit) -> bool:
    """A plain mention with no cue that another rule reports, nothing allowing it."""
    if hit.own or hit.authorized or hit.evasion or (hit.ambiguous and not hit.corroborated):
        return False  # the seller's right, an ordinary word, or TM108's to report
    if hit.field in HIDDEN_FIELDS:
        return False  # TM106 reports marks in keyword and hidden fields
    cues = hit.cues
    # nominative: allowed; the others: their own rules report the hit
    return not cues or not any(k in cues for k in ("nominative", "counterfeit", "lookalike", "comparison",
                                                    "negation", "authenticity"))

