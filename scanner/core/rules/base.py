"""What a rule is: metadata plus a generator of Findings over a judged listing."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from scanner.core.context import MARKS, ListingContext, MarkHit, cue_facet
from scanner.core.models import Severity
from scanner.core.precedence import POLICY
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
    """A rule reports the mark hits whose facts the precedence table lets it report
    (scanner/core/precedence.py); rules that judge a whole field override ``check``."""

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
        import inspect  # only `listguard rules` and the docs tests read it: not at start-up

        doc = inspect.getdoc(inspect.getmodule(self)) or ""
        lines = [line for line in doc.splitlines() if not _is_example(line)]
        return "\n".join(lines).strip()

    @property
    def examples(self) -> list[tuple[str, str]]:
        """(code or 'Okay', text) pairs from the module docstring, run by the test suite."""
        import inspect

        doc = inspect.getdoc(inspect.getmodule(self)) or ""
        out = []
        for line in doc.splitlines():
            if _is_example(line):
                label, _, text = line.partition(":")
                out.append((label.strip(), text.strip()))
        return out

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        when = POLICY[self.code]
        for hit in ctx.mark_hits():
            if when.holds(hit.facts):
                yield finding(hit, self.message(ctx, hit))

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        raise NotImplementedError


class CueRule(Rule):
    """Reports a mark hit that stands next to one kind of cue (see scanner/core/context.py)."""

    cue_kind = ""
    template = "{mark} next to '{cue}'"

    @property
    def needs(self) -> frozenset[str]:  # type: ignore[override]  # Rule's class attribute, derived here
        return frozenset({MARKS, cue_facet(self.cue_kind)})

    def check(self, ctx: ListingContext) -> Iterator[Finding]:
        # One finding per cue and owner: "高仿LV老花包" and "正品 Gucci 双G" name one house twice
        # for one cue; the first name carries the finding.
        when = POLICY[self.code]
        seen: set[tuple[str, str, int]] = set()
        for hit in ctx.mark_hits():
            if when.holds(hit.facts):
                cue = hit.cues.get(self.cue_kind)
                key = (hit.field, hit.group, cue.start if cue is not None else -1)
                if cue is not None and key in seen:
                    continue
                seen.add(key)
                yield finding(hit, self.message(ctx, hit))

    def message(self, ctx: ListingContext, hit: MarkHit) -> str:
        return self.template.format(mark=describe(hit), cue=ctx.cue_text(hit.field, hit.cues[self.cue_kind]))


def _is_example(line: str) -> bool:
    head = line.split(":", 1)[0].strip()
    return ":" in line and (head == "Okay" or (len(head) == 5 and head[:2] in ("TM", "DS") and head[2:].isdigit()))


def describe(hit: MarkHit) -> str:
    """'LV' (Louis Vuitton), a mark of Louis Vuitton Malletier."""
    name = hit.mark.name
    shown = f"'{hit.text}'" if hit.text == name else f"'{hit.text}' ({name})"
    return f"{shown}, a mark of {hit.owner}" if hit.mark.owner else shown


def finding(hit: MarkHit, message: str) -> Finding:
    return Finding(hit.field, hit.start, hit.end, message, hit.mark)


# What to keep on file, said the same way by every rule that asks for it.
EVIDENCE = ("keep an authorization letter from the rights holder or a verifiable purchase invoice on file "
            "(a receipt does not count); record it with `listguard authorize`")
