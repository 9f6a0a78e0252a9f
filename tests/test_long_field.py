"""Issue 14, fault 6: a long field costs linear work, and the linear code decides exactly what
the old pairwise code decided.

Work is counted, not timed: the gap checks and the characters whose tokens are counted
(scanner/core/context.py) and the bytes the matcher decodes to turn byte offsets into
character offsets (scanner/core/matcher.py). Four times the field must cost about four times
the work; the old code cost about sixteen times (bench/bench_long_field.py times it).
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import example, given, settings, strategies as st
from test_prefilter import WORDS

import scanner.core.context as context
import scanner.core.matcher as matcher
from scanner.core.context import (
    GAP_AFTER,
    GAP_BEFORE,
    GAP_DISPARAGEMENT,
    POSITIONAL,
    SENTENCE_KINDS,
    UNATTACHED,
    _MODEL_GAP_RE,
    CueHit,
    FieldContext,
    MarkHit,
    _is_cjk,
    _next_to,
    _reported_cues,
    _tokens,
    _weak_gap,
    gap_ok,
)
from scanner.core.models import Listing
from scanner.workflows.scanners import build_scanner, scanner_settings

PATTERNS = {
    "mark and lookalike cue": "word Gucci 同款 ",
    "disparagement": "别家都是假货 Nike ",
    "compatibility lists": "适用于苹果/华为/小米 ",
    "counterfeit cues": "高仿 Gucci replica 1:18 die-cast ",
}


@pytest.fixture(scope="module")
def scanner():
    return build_scanner(scanner_settings())


def listing(text: str) -> Listing:
    return Listing("x", {"title": "t", "description": text})


def repeated(pattern: str, times: int) -> str:
    return pattern * times


class Counter:
    def __init__(self) -> None:
        self.work = 0


@pytest.mark.parametrize("pattern", PATTERNS.values(), ids=PATTERNS.keys())
def test_cue_attachment_work_is_linear(scanner, monkeypatch, pattern):
    counter = Counter()

    def counted_gap_ok(text: str, a: int, b: int, limit: int) -> bool:
        counter.work += 1 + max(0, b - a)
        return gap_ok(text, a, b, limit)

    def counted_tokens(text: str) -> int:
        counter.work += 1 + len(text)
        return _tokens(text)

    monkeypatch.setattr(context, "gap_ok", counted_gap_ok)
    monkeypatch.setattr(context, "_tokens", counted_tokens)
    work = []
    for times in (60, 240):
        counter.work = 0
        text = repeated(pattern, times)
        lines = lines_run_in(context.__file__, lambda text=text: scanner.check(listing(text)))
        work.append(counter.work + lines)
    assert work[1] <= 5 * work[0], work  # linear: 4x; pairing every mark with every cue: ~16x


def lines_run_in(filename: str, call) -> int:  # type: ignore[no-untyped-def]
    """How many lines of ``filename`` run while ``call()`` runs (sys.settrace line events):
    a loop over every (mark, cue) pair shows here even when each turn calls nothing."""
    count = 0

    def local(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        return local if frame.f_code.co_filename == filename else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


class CountingStr(str):
    """The matcher's byte-form text, counting the characters every slice of it copies."""

    copied = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        part = super().__getitem__(key)
        if isinstance(key, slice):
            CountingStr.copied += len(part)
        return part


def test_offset_mapping_work_is_linear(scanner, monkeypatch):
    plain = matcher.as_bytes_text
    monkeypatch.setattr(matcher, "as_bytes_text", lambda text: CountingStr(plain(text)))
    work = []
    for times in (100, 400):
        text = repeated("Gucci同款耐克高仿 ", times)
        CountingStr.copied = 0
        assert scanner.check(listing(text))
        work.append(CountingStr.copied / len(text.encode("utf-8")))
    assert work[1] <= 1.25 * work[0], work  # bytes copied per byte of field: flat, not growing


# -- the linear code decides what the pairwise code decided ----------------------------------

def reference_attach_cues(fc: FieldContext) -> None:
    text = fc.text
    claims = {(claim.start, claim.end) for _, claim in fc.disparagement}
    previous: MarkHit | None = None
    for mh in fc.marks:
        segment = fc.segment_of(mh.start)
        for ch in fc.cues:
            kind = ch.cue.kind
            if kind in UNATTACHED:
                continue
            if kind in mh.cues and not (kind == "authenticity" and mh.cues[kind].cue.tag == "claim"
                                        and ch.cue.tag != "claim"):
                continue  # one cue of a kind; a sourcing claim (代购, 原装) outweighs a plain 正品
            if kind in SENTENCE_KINDS:
                if (ch.start, ch.end) in claims:
                    continue  # "other sellers sell fakes": a claim about others, not a cue
                if fc.segment_of(ch.start) == segment and (ch.cue.tag == "strong" or kind != "counterfeit" or
                                                           _next_to(text, mh, ch, _weak_gap(mh))):
                    mh.cues[kind] = ch
                continue
            tag = ch.cue.tag if kind in POSITIONAL else "near"
            if ch.end <= mh.start and tag in ("before", "near"):
                if gap_ok(text, ch.end, mh.start, GAP_BEFORE.get(kind, 0)):
                    mh.cues[kind] = ch
            elif ch.start >= mh.end and tag in ("after", "near") and kind in GAP_AFTER:
                if gap_ok(text, mh.end, ch.start, GAP_AFTER[kind]) and reference_binds_after(fc, mh, ch):
                    mh.cues[kind] = ch
            elif tag == "next" and ch.start >= mh.end and (ch.start == mh.end or not _is_cjk(text[ch.start])) \
                    and (gap_ok(text, mh.end, ch.start, 0) or _MODEL_GAP_RE.fullmatch(text, mh.end, ch.start)):
                # "Chanel style", "Kelly 28 inspired", 香奶奶风; a CJK 风 only right against the mark
                mh.cues[kind] = ch
        # "适用于苹果/华为/小米", "compatible with iPhone 15 and Galaxy S24": a nominative
        # cue covers the marks listed after it; so does a comparison ("质量堪比美的/格力/海尔").
        if previous is not None and not _reported_cues(mh) and reference_chained(fc, previous, mh):
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
                and reference_chained(fc, mh, following):
            mh.cues["nominative"] = cue
        following = mh


def reference_binds_after(fc: FieldContext, mh: MarkHit, ch: CueHit) -> bool:
    """Whether a cue after the mark is about the mark. A CJK look-alike cue binds only across
    model codes, and not when an accessory follows it: "iPad Pro 同款支架" is a stand made for
    that tablet, "送同款钢化膜" a matching screen protector."""
    if ch.cue.kind != "lookalike" or not _is_cjk(fc.text[ch.start]):
        return True
    if not _MODEL_GAP_RE.fullmatch(fc.text, mh.end, ch.start):
        return False
    return not any(c.cue.kind == "accessory" and c.start == ch.end and c.cue.tag[:4] in ("part", "ware")
                   for c in fc.cues)


def reference_chained(fc: FieldContext, first: MarkHit, second: MarkHit) -> bool:
    gap = fc.text[first.end:second.start]
    between = any(first.end <= c.start and c.end <= second.start and c.cue.kind in context.REPORTED_KINDS
                  for c in fc.cues)
    return len(gap) <= 24 and bool(context._CHAIN_RE.match(gap)) and not between


def reference_listed_with_devices(fc: FieldContext, mh: MarkHit) -> bool:
    """An ordinary-word device brand in a list of other device brands ("适用于苹果/华为/三星")
    is one of them."""
    if mh.sector not in context.DEVICE_SECTORS:
        return False
    for other in fc.marks:
        if other is not mh and not other.ambiguous and other.sector == mh.sector and \
                (context._chained(fc, mh, other) if mh.start < other.start else context._chained(fc, other, mh)):
            return True
    return False


def reference_disparagement_pairs(fc: FieldContext):
    subjects = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "subject"]
    claims = [c for c in fc.cues if c.cue.kind == "disparagement" and c.cue.tag == "claim"]
    pairs = []
    for subject in subjects:
        for claim in claims:
            if fc.segment_of(subject.start) != fc.segment_of(claim.start):
                continue
            if claim.start < subject.start and any(claim.end <= m.start < subject.start for m in fc.marks):
                continue  # main's rule since: a mark between them takes the word as its cue
            first, second = (subject, claim) if subject.start < claim.start else (claim, subject)
            if _tokens(fc.text[first.end:second.start]) <= GAP_DISPARAGEMENT:
                pairs.append((subject, claim))
                break
    return pairs


def decisions(scanner, text: str):
    ctx = scanner.context(listing(text))
    return [(fc.name, [(p[0].start, p[1].start) for p in fc.disparagement],
             [(mh.start, mh.end, [(kind, c.start, c.end) for kind, c in mh.cues.items()]) for mh in fc.marks])
            for fc in ctx.fields], scanner.check(listing(text))


MORE_WORDS = WORDS + ["。", "!", "\n", "别家都是假货", "适用于苹果/华为/小米", "华为小米OPPO通用", "1:18", "die-cast",
                      "媲美", "平替", "inspired by", "better than", "Rolex", "劳力士", "iPhone", "Samsung", "and", "inspired",
                      " 28 ", " 90 ", "X100", "Pro", "Air Max", "Kelly", "Hermes", "风", "手机壳", "三星", "华为"]
fields = st.lists(st.sampled_from(MORE_WORDS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=fields)
@example(text="word Gucci 同款 " * 30)
@example(text="别家都是假货 Nike 别家 假货 other sellers sell fakes Gucci replica " * 5)
@example(text="适用于苹果/华为/小米 华为小米OPPO通用 高仿耐克 华为通用 Ferrari replica 1:18 die-cast")
@example(text="苹果 华为 三星 小米 " * 20 + "手机壳")
@example(text="Chanel 1 2 3 4 5 6 7 8 9 style bag, Hermes Kelly 28 inspired, Nike Air Max 90 2024 Pro 同款")
def test_linear_cue_attachment_decides_as_the_pairwise_one(scanner, text):
    new = decisions(scanner, text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context, "_attach_cues", reference_attach_cues)
        patch.setattr(context, "_disparagement_pairs", reference_disparagement_pairs)
        patch.setattr(context, "_listed_with_devices", reference_listed_with_devices)
        old = decisions(scanner, text)
    assert new == old
