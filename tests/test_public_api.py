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


def test_run_scan_without_settings_finds_what_listguard_scan_finds():
    # why: with a bare ScanSettings() a listing's category maps to no Nice class, so the
    # category-backed 苹果 of SKU-1008 went missing from the library's run but not the CLI's
    from click.testing import CliRunner

    from scanner.cli.main import main

    path = str(FIXTURES / "sample_catalog.jsonl")
    cli = CliRunner().invoke(main, ["scan", path, "--format", "jsonl", "--fail-on", "never", "-s", "-j1"])
    report = scanner.run_scan([path])
    assert [p.to_json() for p in report.problems] == cli.stdout.splitlines()
    assert len(report.problems) == 31
