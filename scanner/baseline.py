"""``listguard baseline``: accept today's findings so only new problems fail from now on.

A baseline is an ordinary suppression file (see ``scanner.suppressions``): one fingerprint
entry per current problem, sorted by listing, code and fingerprint so re-running it gives
small diffs. By default entries are appended for problems that no active entry already
covers, leaving existing lines (hand-written entries, comments) untouched; ``replace=True``
writes a file holding only the current findings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Iterable

from scanner.history import problem_key
from scanner.models import Problem
from scanner.output import atomic_text_writer
from scanner.suppressions import SuppressionSet

HEADER = (
    "# listguard suppressions: one JSON object per line; see `listguard baseline --help`.\n"
    "# Keys: fingerprint | listing+code, reason, who, expires (YYYY-MM-DD), about, added.\n"
)


@dataclass(frozen=True)
class BaselineResult:
    path: str
    added: int
    already_covered: int
    total_entries: int


def baseline_entry(problem: Problem, who: str, reason: str, today: dt.date,
                   expires: dt.date | None = None) -> str:
    mark = f" {problem.mark}" if problem.mark else ""
    entry = {
        "fingerprint": problem_key(problem),
        "reason": reason,
        "who": who,
        **({"expires": expires.isoformat()} if expires else {}),
        "about": f"{problem.listing} {problem.field} {problem.code}{mark}: {problem.text!r}",
        "added": today.isoformat(),
    }
    return json.dumps(entry, ensure_ascii=False)


def write_baseline(path: str | os.PathLike[str], problems: Iterable[Problem], who: str,
                   reason: str = "baseline", replace: bool = False, expires: dt.date | None = None,
                   today: dt.date | None = None) -> BaselineResult:
    today = today or dt.date.today()
    existing = SuppressionSet(os.fspath(path), [], today) if replace else SuppressionSet.load(path, today)
    fresh: dict[str, Problem] = {}
    covered = 0
    for problem in problems:
        if existing.match(problem):
            covered += 1
        else:
            fresh.setdefault(problem_key(problem), problem)
    ordered = sorted(fresh.values(), key=lambda p: (p.listing, p.code, problem_key(p)))
    lines = [baseline_entry(p, who, reason, today, expires) for p in ordered]
    old_text = "" if replace or not os.path.exists(path) else open(path, encoding="utf-8-sig").read()
    with atomic_text_writer(path) as out:
        out.write(old_text if old_text else HEADER)
        if old_text and not old_text.endswith("\n"):
            out.write("\n")
        out.writelines(line + "\n" for line in lines)
    return BaselineResult(os.fspath(path), len(lines), covered, len(existing.entries) + len(lines))
