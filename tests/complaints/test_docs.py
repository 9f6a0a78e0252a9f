"""docs/complaints.md documents every complaints command and each evidence and status kind,
and its worked example runs from `complaints add` to `pack`."""

from __future__ import annotations

from pathlib import Path

from scanner.cli.complaints import complaints
from trademarks.authorizations import KINDS
from trademarks.complaints import FILE_KINDS, STATUSES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "complaints.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    for name in complaints.commands:
        assert f"`listguard complaints {name}" in DOC, name
    assert "`listguard complaints`" in DOC and "`listguard report`" in DOC


def test_every_kind_and_status_is_named():
    for word in (*KINDS, *FILE_KINDS, *STATUSES):
        assert f"`{word}`" in DOC, word


def test_the_worked_example_goes_from_add_to_pack():
    example = DOC.split("## A worked example", 1)[1]
    assert example.index("$ listguard complaints add") < example.index("$ listguard complaints pack")
    assert "appeal before the penalty by 2026-10-10 14:00 Sat" in example
