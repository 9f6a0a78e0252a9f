"""Suppressions: known, accepted problems that must not fail a run.

File format (``.listguard-ignore`` by default, ``--ignore-file`` to choose another): UTF-8
JSON Lines, one entry per line, so every change is a one-line diff; blank lines and lines
starting with ``#`` are comments. Each entry is an object with exactly one target:

* ``"fingerprint"``: one problem (the ``fingerprint`` of ``--format jsonl``/``csv``/SARIF),
* or ``"listing"`` + ``"code"``: every problem of that rule in that listing,

and ``"reason"`` and ``"who"`` (both required, non-empty), optionally ``"expires"``
(``YYYY-MM-DD``; from that day on the entry no longer suppresses and is reported), plus the
informational ``"about"`` and ``"added"`` that ``listguard baseline`` writes::

    # licensed reseller, contract 2024-17
    {"listing": "SKU-1009", "code": "TM101", "reason": "authorized reseller", "who": "ops", "expires": "2026-06-30"}
    {"fingerprint": "3f0c1a9d2b7e4c5a", "reason": "baseline", "who": "alice", "about": "SKU-7 title TM103 Gucci"}

Any other key, a bad date or a line that is not a JSON object is an error naming file:line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from scanner.core.models import Problem
from scanner.errors import ConfigError
from scanner.workflows.history import problem_key

DEFAULT_FILE = ".listguard-ignore"
KEYS = ("fingerprint", "listing", "code", "reason", "who", "expires", "about", "added")


@dataclass(frozen=True)
class Suppression:
    source: str  # path:line
    reason: str
    who: str
    fingerprint: str | None = None
    listing: str | None = None
    code: str | None = None
    expires: dt.date | None = None
    about: str = ""

    def matches(self, problem: Problem) -> bool:
        if self.fingerprint is not None:
            return problem_key(problem) == self.fingerprint
        return problem.listing == self.listing and problem.code == self.code

    def is_expired(self, today: dt.date) -> bool:
        return self.expires is not None and today >= self.expires

    def describe(self) -> str:
        target = f"fingerprint {self.fingerprint}" if self.fingerprint else f"{self.listing} {self.code}"
        extra = f"; {self.about}" if self.about else ""
        return f"{target} ({self.reason}; {self.who}{extra})"


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"invalid config: {where}: {message}")


def _text(entry: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{key!r} must be a non-empty string")
    return value.strip()


def parse_entry(entry: Any, where: str) -> Suppression:
    if not isinstance(entry, dict):
        raise _fail(where, "each line must be a JSON object")
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r}; allowed keys: {', '.join(KEYS)}")
    fp, listing, code = (_text(entry, k, where) for k in ("fingerprint", "listing", "code"))
    if fp and (listing or code):
        raise _fail(where, "use either 'fingerprint' or 'listing' + 'code', not both")
    if not fp and not (listing and code):
        raise _fail(where, "an entry needs 'fingerprint', or both 'listing' and 'code'")
    expires = _text(entry, "expires", where)
    try:
        expiry = dt.date.fromisoformat(expires) if expires else None
    except ValueError:
        raise _fail(where, f"'expires' must be a date like 2026-12-31, not {expires!r}") from None
    return Suppression(
        source=where, reason=_text(entry, "reason", where, True) or "", who=_text(entry, "who", where, True) or "",
        fingerprint=fp, listing=listing, code=code.upper() if code else None, expires=expiry,
        about=str(entry.get("about") or ""),
    )


def parse_lines(lines: Iterable[str], name: str) -> list[Suppression]:
    entries = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            entry = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise _fail(f"{name}:{number}", f"not valid JSON ({err.msg}); one JSON object per line") from None
        entries.append(parse_entry(entry, f"{name}:{number}"))
    return entries


@dataclass
class SuppressionSet:
    """Loaded entries plus what happened to them during one run."""

    path: str | None = None
    entries: list[Suppression] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    used: set[str] = field(default_factory=set)  # sources of entries that suppressed something
    expired_hits: set[str] = field(default_factory=set)  # expired entries that still matched

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None, today: dt.date | None = None,
             required: bool = False) -> SuppressionSet:
        """Read ``path``; a missing default file is an empty set, a missing named one an error."""
        today = today or dt.date.today()
        if path is None or not Path(path).exists():
            if path is not None and required:
                raise ConfigError(f"invalid config: {os.fspath(path)}: suppression file not found")
            return cls(None if path is None else os.fspath(path), [], today)
        name = os.fspath(path)
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"invalid config: {name}: cannot read suppression file ({err})") from None
        return cls(name, parse_lines(text.splitlines(), name), today)

    def match(self, problem: Problem) -> Suppression | None:
        """The active entry that suppresses ``problem``, recording use; None if it stands."""
        for entry in self.entries:
            if entry.matches(problem):
                if entry.is_expired(self.today):
                    self.expired_hits.add(entry.source)
                    continue
                self.used.add(entry.source)
                return entry
        return None

    def expired(self) -> list[Suppression]:
        return [e for e in self.entries if e.is_expired(self.today)]

    def unused(self) -> list[Suppression]:
        return [e for e in self.entries if e.source not in self.used and not e.is_expired(self.today)]

    def report(self, max_unused: int = 20) -> list[str]:
        """Lines for stderr: every expired entry, and unused ones (summarised past ``max_unused``)."""
        lines = []
        for entry in self.expired():
            still = " and still matches a problem" if entry.source in self.expired_hits else ""
            lines.append(f"{entry.source}: suppression expired on {entry.expires}{still}: {entry.describe()}")
        unused = self.unused()
        for entry in unused[:max_unused]:
            lines.append(f"{entry.source}: unused suppression: {entry.describe()}")
        if len(unused) > max_unused:
            lines.append(f"{self.path}: ... and {len(unused) - max_unused} more unused suppressions")
        return lines
