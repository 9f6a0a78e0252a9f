"""The workflow documentation names every hook, command, format and config key."""

from __future__ import annotations

from pathlib import Path

import yaml

from scanner.formatters import FORMATTERS
from scanner.workflows.config import KEYS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "scanner" / "README_WORKFLOWS.md").read_text(encoding="utf-8")


def test_every_hook_id_is_documented():
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        assert f"id: {hook['id']}" in DOC


def test_every_config_key_and_format_is_documented():
    for key in KEYS:
        assert f"| `{key}` |" in DOC, key
    for name in FORMATTERS:
        assert f"`{name}`" in DOC, name


def test_every_workflow_command_has_an_example():
    for command in ("listguard scan", "listguard history", "listguard history diff", "listguard report",
                    "listguard baseline", "listguard config", "pre-commit install", "upload-sarif",
                    "--format github", "--new-only", "--show-suppressed", "--ignore-file", "--output"):
        assert command in DOC, command
