"""What a scan run does around the scanner: suppressions, ``--new-only`` and the history.

One ``RunTracker`` per run: every problem a listing yields passes ``filter`` (suppressed
ones are counted and recorded but never fail the run; with ``--new-only`` those seen in the
previous recorded run are counted and hidden), and ``finish`` records the run in the history
only when every input was read in full.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Iterable, Sequence

from scanner.core.models import Problem
from scanner.errors import UsageError
from scanner.workflows.history import files_version, open_history, problem_key
from scanner.workflows.suppressions import DEFAULT_FILE, Suppression, SuppressionSet
from trademarks.errors import ReadOnlyDatabase, RegistryError
from trademarks.store import registry_fingerprint


class RunTracker:
    """Suppressions, --new-only and history recording around one scan run."""

    def __init__(self, inputs: Sequence[str], db: str | None, ignore_file: str | None,
                 show_suppressed: bool, new_only: bool, lists_version: str = "", suppress: bool = True) -> None:
        if new_only and not db:
            raise UsageError("--new-only needs a history: pass --db FILE (or set LISTGUARD_DB)")
        self.suppressions = (SuppressionSet.load(ignore_file or DEFAULT_FILE, required=ignore_file is not None)
                             if suppress else SuppressionSet())
        self.show_suppressed = show_suppressed
        self.errors: list[str] = []  # for stderr whatever --silent says; they make the run fail
        self.cannot_record: RegistryError | None = None
        self.store = None
        if db:
            try:
                self.store = open_history(db)
            except ReadOnlyDatabase as err:  # still scan, and read the previous run for --new-only
                self.cannot_record = err
                self.store = open_history(db, readonly=True)
        if self.store:
            registry = registry_fingerprint(self.store.db.conn)
            lists_version = f"{lists_version}+registry:{registry}" if registry else lists_version
        self.recorder = self.store.start_run(inputs, lists_version) if self.store and not self.cannot_record else None
        self.seen: set[str] | None = None
        if new_only and self.store:
            latest = self.store.latest_run()
            self.seen = self.store.fingerprints(latest.id) if latest else set()
        self.suppressed = 0
        self.not_new = 0

    def filter(self, problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
        """For one listing: (the problems that count toward the exit code and summary, the
        problems to write in order: those plus, with --show-suppressed, suppressed ones)."""
        counted, shown = [], []
        for problem in problems:
            entry = self.suppressions.match(problem)
            if self.recorder:
                self.recorder.add(problem, suppressed=entry is not None)
            if entry is not None:
                self.suppressed += 1
                if self.show_suppressed:
                    shown.append(mark_suppressed(problem, entry))
            elif self.seen is not None and problem_key(problem) in self.seen:
                self.not_new += 1
            else:
                counted.append(problem)
                shown.append(problem)
        return counted, shown

    def shown_filter(self) -> ShownFilter:
        """What ``filter`` shows, as a picklable function for the workers that write
        ``--output-dir`` parts (the counting and recording stay here)."""
        suppressions = dataclasses.replace(self.suppressions, used=set(), expired_hits=set())
        return ShownFilter(suppressions, frozenset(self.seen) if self.seen is not None else None,
                           self.show_suppressed)

    def finish(self, listings: int, complete: bool) -> list[str]:
        """Record the run (only if it is complete) and return lines for stderr."""
        lines = [f"listguard: suppression: {line}" for line in self.suppressions.report()]
        if self.suppressed:
            lines.append(f"listguard: {self.suppressed} problem(s) suppressed by {self.suppressions.path}")
        if self.seen is not None:
            lines.append(f"listguard: {self.not_new} problem(s) already seen in the previous run"
                         " not shown (--new-only)")
        if self.store:
            if not complete:
                lines.append(f"listguard: run not recorded in {self.store.path}: not every input was read")
            elif self.recorder:
                try:
                    run = self.recorder.commit(listings)
                    lines.append(f"listguard: recorded run {run.id} in {self.store.path}")
                except RegistryError as failed:  # a read-only file, a full disk, a lock held too long
                    self.cannot_record = failed
            if self.cannot_record is not None:
                why = self.cannot_record
                hint = f" ({why.hint})" if why.hint else ""
                self.errors.append(f"listguard: error: {why.path or self.store.path}: run not recorded: "
                                   f"{why.message}{hint}")
            self.store.close()
        return lines


@dataclasses.dataclass
class ShownFilter:
    """The problems of one listing that a run shows (RunTracker.filter's second list), with
    no bookkeeping: runs on Dask workers."""

    suppressions: SuppressionSet
    seen: frozenset[str] | None
    show_suppressed: bool

    def __call__(self, problems: Iterable[Problem]) -> list[Problem]:
        shown = []
        for problem in problems:
            entry = self.suppressions.match(problem)
            if entry is not None:
                if self.show_suppressed:
                    shown.append(mark_suppressed(problem, entry))
            elif self.seen is None or problem_key(problem) not in self.seen:
                shown.append(problem)
        return shown


def mark_suppressed(problem: Problem, entry: Suppression) -> Problem:
    """The problem as shown by --show-suppressed: message says so, extra carries the entry."""
    note = f" (suppressed: {entry.reason}; {entry.who}; {entry.source})"
    extra = {**dict(problem.extra or {}), "suppression": {"reason": entry.reason, "who": entry.who,
                                                           "source": entry.source}}
    return dataclasses.replace(problem, message=problem.message + note, extra=extra)


def marks_version(marks_files: Sequence[str]) -> str:
    """``lists_version`` for the history: a digest of the list files, or the bundled list's."""
    if marks_files:
        files = [f for f in marks_files if os.path.isfile(f)]
        return files_version(files) if files else ""
    from trademarks.lists import BUNDLED_LIST

    bundled = Path(BUNDLED_LIST).parent
    return "bundled:" + files_version(sorted(bundled.glob("*.csv")) + sorted(bundled.glob("*.tsv")))
