"""The package root exports the public API, and a Python user can run a scan with it alone."""

from __future__ import annotations

import scanner
from lg_paths import FIXTURES


def test_every_exported_name_resolves():
    for name in scanner.__all__:
        assert getattr(scanner, name) is not None, name


def test_run_scan_from_the_package_root_matches_the_scanner():
    report = scanner.run_scan([str(FIXTURES / "sample_catalog.jsonl")], scanner.ScanSettings())
    direct = [p for listing in scanner.read_listings(str(FIXTURES / "sample_catalog.jsonl"))
              for p in scanner.Scanner(scanner.bundled_marks()).check(listing)]
    assert [p.to_dict() for p in report.problems] == [p.to_dict() for p in direct]
    assert report.summary.listings == 30 and report.exit_code("error") == 1
    assert report.exit_code("never") == 0
