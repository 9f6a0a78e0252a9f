"""What a Scanner is made of, small enough to send to another machine: its marks and settings.

A Scanner holds a pyahocorasick automaton, which is never pickled (``pickle.dumps`` of an
Automaton leaks its whole dump per call in pyahocorasick 2.3.1, upstream issue #219). A worker
on a cluster receives a ``ScannerSpec`` instead and builds the Scanner from it once: ``key``
(a SHA-256 of the pickled marks and settings) names the Scanner in the worker's cache, so every
later task with the same spec reuses it.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field

from scanner.core.engine import ScanSettings, Scanner
from trademarks.models import Mark


@dataclass(frozen=True)
class ScannerSpec:
    marks: tuple[Mark, ...]
    settings: ScanSettings
    key: str = field(default="", compare=False)

    @classmethod
    def make(cls, marks: tuple[Mark, ...], settings: ScanSettings) -> ScannerSpec:
        digest = hashlib.sha256(pickle.dumps((marks, settings), protocol=5)).hexdigest()
        return cls(marks, settings, digest)

    @classmethod
    def of(cls, scanner: Scanner) -> ScannerSpec:
        """The spec that rebuilds ``scanner`` (same marks in the same order, same settings)."""
        return cls.make(tuple(scanner.index.marks), scanner.settings)

    def build(self) -> Scanner:
        return Scanner(self.marks, self.settings)
