"""`listguard scan --db`: registry marks, authorizations, Nice classes and the automaton cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scanner.cli import main
from scanner.core.matcher_cache import cache_key, cached_matcher
from trademarks.models import Mark
from trademarks.store import open_registry

CATALOG = [
    {"id": "soap-1", "title": "Dove beauty bar soap 4 pack", "category": "Bar Soap"},
    {"id": "choc-1", "title": "Dove chocolate gift box", "category": "Candy & Chocolate"},
    {"id": "nike-1", "title": "Nike running shoes authentic", "category": "Shoes"},
    {"id": "nike-2", "title": "Nike replica running shoes 1:1", "category": "Shoes"},
]


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "catalog.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in CATALOG), encoding="utf-8")
    return path


def scan(db_path, catalog, *extra):
    result = CliRunner().invoke(main, ["scan", str(catalog), "--db", str(db_path), "--format", "jsonl",
                                       "--fail-on", "never", "--no-bundled", *extra])
    assert result.exit_code == 0, result.output
    return [(p["listing"], p["code"], p["severity"], p["mark"])
            for p in map(json.loads, result.stdout.splitlines())]


@pytest.fixture
def seeded(db_path):
    with open_registry(db_path) as reg:
        reg.import_marks([Mark("Dove", (), "Unilever", (3,)),
                          Mark("Nike", ("耐克",), "Nike, Inc.", (18, 25), famous=True)], "core")
    return db_path


# The seller declares its brands (Acme), so a product brand outside them is evidence (TM101).
SELLER = ("--own-brand", "Acme")


def test_dove_soap_full_severity_dove_chocolate_one_lower(seeded, catalog):
    problems = scan(seeded, catalog, *SELLER)
    assert [p for p in problems if p[3] == "Dove"] == [
        ("soap-1", "TM101", "warning", "Dove"),
        # chocolate lies outside Dove's class 3: another Dove (Mars's), only a mention
        ("choc-1", "TM111", "info", "Dove"),
    ]


def test_authorization_silences_tm109_not_counterfeit_cues(seeded, catalog):
    before = [p for p in scan(seeded, catalog, *SELLER) if p[3] == "Nike"]
    assert before == [("nike-1", "TM109", "warning", "Nike"), ("nike-2", "TM102", "error", "Nike")]
    runner = CliRunner()
    assert runner.invoke(main, ["authorize", "Nike", "--evidence", "distribution-agreement",
                                "--ref", "DA-7", "--db", str(seeded)]).exit_code == 0
    after = [p for p in scan(seeded, catalog, *SELLER) if p[3] == "Nike"]
    assert after == [("nike-2", "TM102", "error", "Nike")]


def test_expired_authorization_stops_counting(seeded, catalog):
    CliRunner().invoke(main, ["authorize", "Nike", "--evidence", "invoice", "--ref", "INV-1",
                              "--expires", "2020-01-01", "--db", str(seeded)])
    assert ("nike-1", "TM109", "warning", "Nike") in scan(seeded, catalog, *SELLER)


def test_second_scan_uses_the_cache_and_a_change_invalidates_it(seeded, catalog, cache):
    scan(seeded, catalog)
    entries = sorted(cache.glob("*.automaton"))
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    scan(seeded, catalog)
    assert sorted(cache.glob("*.automaton")) == entries and entries[0].stat().st_mtime_ns == stamp
    with open_registry(seeded) as reg:
        reg.add(Mark("Lux", (), "Unilever", (3,)))
    scan(seeded, catalog)
    assert len(list(cache.glob("*.automaton"))) == 2


def test_new_db_path_is_created_and_bundled_list_is_used(tmp_path, catalog):
    db = tmp_path / "new.db"
    problems = CliRunner().invoke(main, ["scan", str(catalog), "--db", str(db), "--format", "jsonl",
                                         "--fail-on", "never"]).stdout
    assert db.exists() and '"mark": "Nike"' in problems


def test_cache_corrupt_file_is_rebuilt_not_loaded(cache):
    marks = [Mark("Dove", (), "Unilever", (3,))]
    _, state = cached_matcher(marks, ["fp"])
    assert state == "built"
    automaton = next(cache.glob("*.automaton"))
    data = bytearray(automaton.read_bytes())
    data[len(data) // 2] ^= 0xFF
    automaton.write_bytes(bytes(data))
    matcher, state = cached_matcher(marks, ["fp"])
    assert state == "rebuilt" and len(matcher) > 1
    assert cached_matcher(marks, ["fp"])[1] == "hit"
    (Path(str(automaton) + ".keys.json")).write_text("{not json", encoding="utf-8")
    assert cached_matcher(marks, ["fp"])[1] == "rebuilt"


def test_cache_in_an_unsafe_directory_is_not_used(cache):
    marks = [Mark("Dove", (), "Unilever", (3,))]
    cached_matcher(marks, ["fp"])
    os.chmod(cache, 0o777)
    try:
        assert cached_matcher(marks, ["fp"])[1] == "uncached"
    finally:
        os.chmod(cache, 0o700)
    entry = next(cache.glob("*.automaton"))
    os.chmod(entry, 0o666)
    assert cached_matcher(marks, ["fp"])[1] == "rebuilt"


def test_cache_key_depends_on_every_part():
    assert cache_key(["a", "b"]) != cache_key(["a", "c"]) != cache_key(["ab"])
    assert cache_key(["a", "b"]) == cache_key(["a", "b"])
