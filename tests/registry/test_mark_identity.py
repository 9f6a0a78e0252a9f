"""Issue 14, fault 8: the registry keeps the same name from two owners as two marks; duplicate
rows of a --marks file report a problem once; a one-letter mark is refused with a clear
message (it would match every standalone letter), unless it is CJK."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.errors import EXIT_PROBLEMS, EXIT_USAGE
from trademarks.errors import ListFormatError
from trademarks.lists import parse_marks, read_marks
from trademarks.models import Mark
from trademarks.store import open_registry


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_same_name_two_owners_stays_two_marks(tmp_path):
    listfile = tmp_path / "dove.csv"
    listfile.write_text("mark,owner,classes\nDove,Unilever,3\nDove,Mars Inc,30\n", encoding="utf-8")
    db = tmp_path / "r.db"
    result = run("marks", "import", str(listfile), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "imported 2 marks" in result.stderr
    with open_registry(db) as registry:
        assert [(m.name, m.owner, m.classes) for m in registry.find("dove")] == [
            ("Dove", "Unilever", (3,)), ("Dove", "Mars Inc", (30,))]
        # a second import of the same rows overwrites them: still two
        again = registry.import_marks(read_marks(listfile), "dove")
        assert (again.imported, again.replaced, again.total) == (2, 2, 2)
        # the same name and owner in other capitals is the same mark
        registry.import_marks([Mark("DOVE", owner="unilever", classes=(3, 5))], "dove")
        assert [(m.name, m.owner) for m in registry.find("dove")] == [("Dove", "Mars Inc"), ("DOVE", "unilever")]


def test_registry_written_before_the_owner_joined_the_key_is_migrated(tmp_path):
    """A file whose rows carry the old key (name only) is brought to the new key on open, so
    re-importing a mark overwrites it instead of adding a twin."""
    db = tmp_path / "old.db"
    with open_registry(db) as registry:
        registry.import_marks([Mark("Dove", owner="Unilever", classes=(3,))], "core")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE marks SET key = 'name:dove'")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name LIKE '%_owner_in_key'")  # its number may change
    conn.commit()
    conn.close()
    with open_registry(db) as registry:
        registry.import_marks([Mark("Dove", owner="Unilever", classes=(3, 5))], "core")
        registry.import_marks([Mark("Dove", owner="Mars", classes=(30,))], "core")
        assert [(m.owner, m.classes) for m in registry.find("dove")] == [("Unilever", (3, 5)), ("Mars", (30,))]


def test_duplicate_rows_of_a_marks_file_report_once(tmp_path):
    listfile = tmp_path / "m.csv"
    listfile.write_text("mark,owner\nNike,Nike Inc\nNike,Nike Inc\nnike,NIKE INC\n", encoding="utf-8")
    result = run("check", "Nike replica shoes", "--marks", str(listfile), "--format", "jsonl")
    assert result.exit_code == EXIT_PROBLEMS
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["code"], p["mark"], p["owner"]) for p in problems] == [("TM102", "Nike", "Nike Inc")]


def test_same_mark_in_two_marks_files_reports_once(tmp_path):
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    one.write_text("mark,owner\nRolex,Rolex SA\n", encoding="utf-8")
    two.write_text("mark,owner,aliases\nRolex,Rolex SA,劳力士\n", encoding="utf-8")
    result = run("check", "Rolex replica", "--marks", str(one), "--marks", str(two), "--format", "jsonl")
    assert [json.loads(line)["mark"] for line in result.stdout.splitlines()] == ["Rolex"]


SHORT = "mark 'X' is shorter than two letters or digits and would match every standalone 'X'"


@pytest.mark.parametrize("why, text, error", ids=["name", "alias", "punctuation"], argvalues=[
    ("a one-letter name", "mark,owner\nNike,Nike\nX,Foo\n", f"m.csv:3: {SHORT}"),
    ("a one-letter alias", "mark,aliases\nNike,N|耐克\n",
     "m.csv:2: alias 'N' of 'Nike' is shorter than two letters or digits and would match every standalone 'N'"),
    ("punctuation does not count", "mark\nX.\n",
     "m.csv:2: mark 'X.' is shorter than two letters or digits and would match every standalone 'X.'"),
])
def test_one_letter_marks_are_refused(why, text, error):
    with pytest.raises(ListFormatError) as caught:
        parse_marks(text, "m.csv")
    assert str(caught.value).startswith(error), why
    assert "(use the full name, or a CJK character)" in str(caught.value)


@pytest.mark.parametrize("text", ["mark\n鳄\n", "mark\n3M\n", "mark,aliases\nLacoste,鳄\n"])
def test_cjk_single_characters_and_two_letter_marks_are_fine(text):
    assert parse_marks(text, "m.csv")


def test_marks_add_refuses_a_one_letter_mark(tmp_path):
    result = run("marks", "add", "X", "--db", str(tmp_path / "r.db"))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.strip() == f"listguard: error: {SHORT} (use the full name, or a CJK character)"


def test_check_with_a_one_letter_mark_file_is_an_error_not_a_match_everywhere(tmp_path):
    listfile = tmp_path / "m.csv"
    listfile.write_text("mark,owner\nX,Foo\n", encoding="utf-8")
    result = run("check", "X replica", "--marks", str(listfile))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"listguard: error: {listfile}:2: mark 'X' is shorter")
