"""--output FILE: complete or untouched, never half-written, nothing left behind."""

from __future__ import annotations

import os

import pytest

from scanner.errors import InputError
from scanner.workflows.output import atomic_text_writer, open_output


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "report.sarif"
    target.write_text("old", encoding="utf-8")
    with open_output(target) as out:
        out.write("new ✓\n")
        assert target.read_text(encoding="utf-8") == "old"  # not visible until done
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert os.listdir(tmp_path) == ["report.sarif"]


def test_error_keeps_old_content_and_leaves_nothing(tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_text_writer(target) as out:
            out.write("half")
            raise RuntimeError("engine crashed")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.csv"]


def test_interrupt_on_new_file_creates_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_text_writer(tmp_path / "new.html") as out:
            out.write("x")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_missing_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        with atomic_text_writer(tmp_path / "nope" / "r.txt"):
            pass


def test_mode_is_not_0600(tmp_path):
    target = tmp_path / "r.txt"
    with open_output(target) as out:
        out.write("x")
    assert target.stat().st_mode & 0o044  # readable by group/others under a normal umask


def test_dash_means_stdout(capsys):
    with open_output("-") as out:
        out.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
