from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from trademarks.errors import ListFormatError, RegistryError
from trademarks.lists import read_marks
from trademarks.models import Mark
from trademarks.store import default_db_path, open_registry

from .conftest import APPLE, DOVE, NIKE, snapshot


def test_open_creates_wal_database_with_registry_migrations(db_path: Path):
    reg = open_registry(db_path)
    assert reg.db.journal_mode == "wal"
    assert reg.db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    applied = [m.name for m in Migrations("listguard.registry").applied(reg.db)]
    assert applied == ["m001_registry", "m002_evidence_details", "m003_owner_in_key"]
    reg.close()
    # re-opening applies nothing new and keeps the registry id
    fp = open_registry(db_path).fingerprint()
    assert fp == open_registry(db_path).fingerprint()


def test_other_migration_sets_share_the_file(db_path: Path):
    db = Database(db_path)
    other = Migrations("listguard.history")

    @other()
    def runs(db):
        db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")

    other.apply(db)
    db.close()
    reg = open_registry(db_path)
    assert set(reg.db.table_names()) >= {"runs", "marks", "_sqlite_migrations"}
    sets = {r[0] for r in reg.db.execute("SELECT migration_set FROM _sqlite_migrations")}
    assert sets == {"listguard.history", "listguard.registry"}


def test_default_db_path(monkeypatch, tmp_path):
    monkeypatch.setenv("LISTGUARD_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("LISTGUARD_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "listguard" / "listguard.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_db_path() == Path.home() / ".local/share/listguard/listguard.db"


def test_import_and_read_back_exact(registry):
    result = registry.import_marks([NIKE, DOVE], "core", checksum="abc")
    assert (result.imported, result.replaced, result.total) == (2, 0, 2)
    got = registry.marks()
    assert [m.name for m in got] == ["Nike", "Dove"]
    assert got[0] == Mark("Nike", ("耐克", "NIKE"), "Nike, Inc.", (18, 25), famous=True, source="core")
    assert got[1].case == "exact" and got[1].aliases == ("多芬",)
    src = registry.source("core")
    assert (src.kind, src.checksum, src.marks) == ("file", "abc", 2)


def test_filters_and_lookup_by_alias(registry):
    registry.import_marks([NIKE, DOVE], "core")
    registry.import_marks([APPLE], "category")
    assert [m.name for m in registry.marks(owner="unilever")] == ["Dove"]
    assert [m.name for m in registry.marks(klass=25)] == ["Nike"]
    assert [m.name for m in registry.marks(klass=2)] == []
    assert [m.name for m in registry.marks(source="category")] == ["Apple"]
    assert registry.get("耐克").name == "Nike"
    assert registry.get("nike").name == "Nike"
    assert registry.get("Reebok") is None


def test_reimport_overwrites_same_name_and_keeps_others(registry):
    registry.import_marks([NIKE, DOVE], "core")
    result = registry.import_marks([Mark("nike", ("Swoosh",), "Nike, Inc.", (25,))], "core")
    assert (result.imported, result.replaced, result.total) == (1, 1, 2)
    assert [(m.name, m.aliases) for m in registry.marks()] == [("Dove", ("多芬",)), ("nike", ("Swoosh",))]
    assert registry.db.execute("SELECT count(*) FROM mark_aliases").fetchone()[0] == 2


def test_replace_swaps_a_source_and_leaves_other_sources(registry):
    registry.import_marks([NIKE, DOVE], "core")
    registry.import_marks([APPLE], "other")
    result = registry.import_marks([Mark("Adidas", owner="adidas AG")], "core", replace=True)
    assert (result.imported, result.replaced, result.total) == (1, 2, 1)
    assert sorted(m.name for m in registry.marks()) == ["Adidas", "Apple"]


def test_duplicate_names_in_one_import_last_wins(registry):
    result = registry.import_marks([Mark("Nike", ("a",)), Mark("NIKE", ("b",))], "core")
    assert result.total == 1
    assert [(m.name, m.aliases) for m in registry.marks()] == [("NIKE", ("b",))]


def test_same_name_different_registrations_are_separate(registry):
    registry.import_marks([Mark("DOVE", owner="Unilever", classes=(3,), registration="1"),
                           Mark("DOVE", owner="Mars", classes=(30,), registration="2")], "uspto")
    assert [(m.owner, m.classes) for m in registry.find("dove")] == [("Unilever", (3,)), ("Mars", (30,))]


def test_failed_import_midway_leaves_registry_unchanged(registry, db_path):
    registry.import_marks([NIKE, DOVE], "core")
    before = snapshot(db_path)

    def bad_stream():
        yield from [Mark(f"M{i}") for i in range(50_000)]  # more than one chunk written
        raise ListFormatError("bad row", "x.csv", 50_001)

    with pytest.raises(ListFormatError):
        registry.import_marks(bad_stream(), "core", replace=True)
    assert snapshot(db_path) == before
    with pytest.raises(RegistryError, match="nothing to import"):
        registry.import_marks([], "core", replace=True)
    assert snapshot(db_path) == before


def test_fingerprint_changes_on_every_write(registry):
    seen = {registry.fingerprint()}
    registry.import_marks([NIKE], "core")
    seen.add(registry.fingerprint())
    registry.add(DOVE)
    seen.add(registry.fingerprint())
    registry.remove("Dove")
    seen.add(registry.fingerprint())
    assert len(seen) == 4
    with pytest.raises(RegistryError, match="nothing matched"):
        registry.remove("Dove")
    assert registry.fingerprint() in seen


def test_remove_by_source(registry):
    registry.import_marks([NIKE], "a")
    registry.import_marks([NIKE], "b")
    assert registry.remove("nike", source="a") == 1
    assert [m.source for m in registry.marks()] == ["b"]
    assert {s.name: s.marks for s in registry.sources()} == {"a": 0, "b": 1}


def test_stats(registry):
    registry.import_marks([NIKE, DOVE], "core")
    registry.import_marks([APPLE, NIKE], "x")
    stats = registry.stats()
    assert {k: stats[k] for k in ("marks", "names", "aliases", "owners", "famous", "sources")} == {
        "marks": 4, "names": 3, "aliases": 6, "owners": 3, "famous": 3, "sources": {"core": 2, "x": 2}}


def test_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(RegistryError, match="cannot open the registry"):
        open_registry(bad)
    with pytest.raises(RegistryError, match="is a directory"):
        open_registry(tmp_path)


def test_list_file_import_roundtrip(registry, tmp_path):
    import io

    from trademarks.lists import write_marks
    src = tmp_path / "m.csv"
    src.write_text("mark,aliases,owner,classes,case,famous,exceptions,region\n"
                   "Nike,耐克|NIKE,\"Nike, Inc.\",18|25,fold,yes,,US\n"
                   "Apple,苹果,Apple Inc.,9,exact,yes,apple juice|苹果汁,\n", encoding="utf-8")
    registry.import_marks(read_marks(src), "file")
    out = io.StringIO()
    write_marks(registry.marks(), out)
    again = tmp_path / "again.csv"
    again.write_text(out.getvalue(), encoding="utf-8")
    assert read_marks(again) == read_marks(src)
    assert registry.get("Nike").metadata == {"region": "US"}
