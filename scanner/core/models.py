"""The records that flow between layers: a Listing in, Problems out.

`Problem` is the one currency between rules, formatters, history and exit codes. Its JSON
form (``Problem.to_dict``) is a public contract: keys are never renamed or removed.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use error, warning or info") from None

    def lowered(self) -> Severity:
        return Severity(max(self - 1, Severity.INFO))


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode

# Enum's .name is a descriptor lookup; labels are asked for once per problem per output.
_LABELS = {severity: severity.name.lower() for severity in Severity}


@dataclass(frozen=True)
class Listing:
    """One product listing: an id, its text fields in reading order, and what it declares."""

    id: str
    fields: Mapping[str, str]
    brand: str | None = None
    category: str | None = None
    source: str = ""  # "path:line" of the record that produced it

    def text_fields(self) -> list[tuple[str, str]]:
        return [(name, text) for name, text in self.fields.items() if text]


def fingerprint(listing: str, field_name: str, code: str, mark: str | None, folded_text: str) -> str:
    """A stable id for "this problem in this listing": survives reordering and edits elsewhere."""
    raw = "\x1f".join((listing, field_name, code, mark or "", folded_text))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, stamped by the engine. Spans are offsets into the ORIGINAL field text."""

    listing: str
    field: str
    start: int
    end: int
    code: str
    rule: str
    severity: Severity
    mark: str | None
    owner: str | None
    text: str
    message: str
    source: str = ""
    fingerprint: str = ""
    # dataclasses.field spelled out: the class's own `field` attribute shadows the name here
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def stamped(cls, context_of: str | None = None, **values: Any) -> Problem:
        """The same record as ``Problem(**values)``, made without the per-field
        ``object.__setattr__`` a frozen dataclass's __init__ pays: that was a third of
        stamping, which the engine does for every finding.

        ``fingerprint`` and ``extra`` may be left out: each is then worked out from the record
        the first time it is read (``extra`` as the match in its ``context_of``, the field's
        text). Each output format reads one of them or neither, so a scan pays only for what
        it prints."""
        if not _STAMP_FIELDS <= values.keys() <= _PROBLEM_FIELDS:
            raise TypeError(f"Problem.stamped needs the fields {sorted(_STAMP_FIELDS)}, and may take "
                            "fingerprint and extra")
        problem = object.__new__(cls)
        state = problem.__dict__
        state.update(values)
        if context_of is not None:
            state["_context_of"] = context_of
        return problem

    def __getstate__(self) -> dict[str, Any]:
        # What another process receives: the derived fields made, the field's text left behind.
        self.fingerprint, self.extra  # noqa: B018 (reading them makes them)
        state = dict(self.__dict__)
        state.pop("_context_of", None)
        return state

    def to_json(self) -> str:
        """``to_dict`` as one line of JSON, made once per record and kept with it: worker
        processes make it, so the parent of a parallel scan only writes it."""
        line = self.__dict__.get("_json")
        if line is None:
            line = _ENCODE(self.to_dict())
            self.__dict__["_json"] = line  # not a field: equality, hash and replace() ignore it
        return line

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Problem:
        """The inverse of ``to_dict`` (the JSONL contract); KeyError, ValueError or TypeError
        for a record that is not one."""
        return cls(
            listing=str(record["listing"]), field=str(record["field"]), start=int(record["start"]),
            end=int(record["end"]), code=str(record["code"]), rule=str(record.get("rule") or ""),
            severity=Severity.parse(str(record["severity"])), mark=record.get("mark"), owner=record.get("owner"),
            text=str(record.get("text") or ""), message=str(record.get("message") or ""),
            source=str(record.get("source") or ""), fingerprint=str(record.get("fingerprint") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "listing": self.listing,
            "field": self.field,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.label,
            "mark": self.mark,
            "owner": self.owner,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "source": self.source,
            "fingerprint": self.fingerprint,
        }


_PROBLEM_FIELDS = {f.name for f in fields(Problem)}
_STAMP_FIELDS = _PROBLEM_FIELDS - {"fingerprint", "extra"}


class _Derived:
    """A Problem field that ``Problem.stamped`` may leave out, worked out from the record
    the first time it is read and kept. A non-data descriptor: a value in the instance's
    ``__dict__`` (set by ``__init__`` or ``stamped``) always wins over it."""

    def __init__(self, name: str, default: Any, make: Callable[[Problem], Any]) -> None:
        self.name, self.default, self.make = name, default, make

    def __get__(self, problem: Problem | None, owner: type | None = None) -> Any:
        if problem is None:
            return self.default
        value = self.make(problem)
        problem.__dict__[self.name] = value
        return value


def fingerprint_of(problem: Problem) -> str:
    """The fingerprint worked out the documented way from the record's own fields."""
    from scanner.core.normalize import fold  # models stays importable without the normaliser

    return fingerprint(problem.listing, problem.field, problem.code, problem.mark, fold(problem.text))


def _extra_of(problem: Problem) -> Mapping[str, Any]:
    text = problem.__dict__.get("_context_of")
    return {} if text is None else {"context": snippet(text, problem.start, problem.end)}


# The dataclass fields become lazy descriptors after the class is made: mypy sees a str and
# a Mapping being assigned a descriptor, which is the point.
Problem.fingerprint = _Derived("fingerprint", "", fingerprint_of)  # type: ignore[assignment]
Problem.extra = _Derived("extra", None, _extra_of)  # type: ignore[assignment]

CONTEXT_CHARS = 24


def snippet(text: str, start: int, end: int) -> str:
    """The match in [[ ]] with some text either side, on one line."""
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    # One join rather than six concatenations: a CJK title makes each of them a new wide
    # string (a quarter fewer instructions a finding, callgrind).
    shown = "".join(("…" if left else "", text[left:start], "[[", text[start:end], "]]", text[end:right],
                     "…" if right < len(text) else ""))
    return " ".join(shown.split())


@dataclass
class ScanSummary:
    """Counts for the end-of-run summary (stderr) and for report formats."""

    listings: int = 0
    fields: int = 0
    bad_rows: int = 0
    problems: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0
    elapsed: float = 0.0
    inputs: list[str] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems += 1
        self.by_code[problem.code] = self.by_code.get(problem.code, 0) + 1
        label = problem.severity.label
        self.by_severity[label] = self.by_severity.get(label, 0) + 1
