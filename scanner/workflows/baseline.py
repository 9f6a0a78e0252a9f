"""``listguard baseline``: accept today's findings so only new problems fail from now on.

A baseline is an ordinary suppression file (see ``scanner.workflows.suppressions``): one fingerprint
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
from typing import Callable, Iterable, Sequence, TextIO

from scanner.core.models import Problem
from scanner.errors import InputError, UsageError
from scanner.runners.stream import BadRow, FileError
from scanner.workflows.history import problem_key
from scanner.workflows.output import atomic_text_writer
from scanner.workflows.suppressions import SuppressionSet

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


def read_problems_jsonl(stream: TextIO, name: str) -> list[Problem]:
    """Problems from ``listguard scan --format jsonl`` output; UsageError names the bad line."""
    problems = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            problems.append(Problem.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise UsageError(f"{name}:{number}: not a listguard JSONL problem record ({err}); "
                             "produce one with `listguard scan FILE --format jsonl`") from None
    return problems


def scan_for_baseline(inputs: list[str], on_bad_row: Callable[[BadRow], None], *,
                      marks_files: Sequence[str] = (), own_brands: Sequence[str] = (),
                      select: Sequence[str] = (), ignore: Sequence[str] = (),
                      registry_db: str | None = None, bundled: bool = True) -> list[Problem]:
    """Scan ``inputs`` as ``listguard scan`` would with these options (marks files, own
    brands, rule selection, the registry in ``registry_db``, read only): the findings a
    later scan will match by fingerprint. No history is recorded. An input that cannot be read
    in full is an InputError (no baseline from half a catalog)."""
    from scanner.workflows.run import RunOptions, run_scan
    from scanner.workflows.scanners import build_scanner, scanner_settings

    settings = scanner_settings(own_brands, select, ignore)
    scanner = build_scanner(settings, marks_files, registry_db, bundled)
    errors: list[str] = []

    def notice(item: BadRow | FileError) -> None:
        if isinstance(item, BadRow):
            on_bad_row(item)
        else:
            errors.append(item.message)

    report = run_scan(inputs, settings, RunOptions(marks_files=tuple(marks_files), suppressions=False),
                      scanner=scanner, on_notice=notice)
    if errors:
        raise InputError(f"{errors[0]}; no baseline written")
    return report.problems
