"""The records that flow between layers: a Listing in, Problems out.

`Problem` is the one currency between rules, formatters, history and exit codes. Its JSON
form (``Problem.to_dict``) is a public contract: keys are never renamed or removed.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, Mapping


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use error, warning or info") from None

    def lowered(self) -> "Severity":
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
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def stamped(cls, **values: Any) -> "Problem":
        """The same record as ``Problem(**values)``, every field given, made without the
        per-field ``object.__setattr__`` a frozen dataclass's __init__ pays: that was a
        third of stamping, which the engine does for every finding."""
        if values.keys() != _PROBLEM_FIELDS:
            raise TypeError(f"Problem.stamped needs exactly the fields {sorted(_PROBLEM_FIELDS)}")
        problem = object.__new__(cls)
        problem.__dict__.update(values)
        return problem

    def to_json(self) -> str:
        """``to_dict`` as one line of JSON, made once per record and kept with it: worker
        processes make it, so the parent of a parallel scan only writes it."""
        line = self.__dict__.get("_json")
        if line is None:
            line = _ENCODE(self.to_dict())
            self.__dict__["_json"] = line  # not a field: equality, hash and replace() ignore it
        return line

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
