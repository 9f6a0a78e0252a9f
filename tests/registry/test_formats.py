"""USPTO trademark daily XML, Wikidata exports and authorization records."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from trademarks.authorizations import Authorization, is_active, make_authorization, status
from trademarks.errors import ListFormatError, RegistryError
from trademarks.importers import iter_marks_from_file, iter_marks_from_stream
from trademarks.uspto import is_live, iter_uspto

ROOT = Path(__file__).parents[2]
USPTO = ROOT / "fixtures/uspto/apc-daily-sample.xml"
WIKIDATA = ROOT / "fixtures/wikidata/brands.json"


def test_uspto_fixture_keeps_live_marks_with_classes_and_owner():
    marks = list(iter_marks_from_file(USPTO, source="uspto"))
    assert [(m.name, m.owner, m.classes, m.registration, m.status) for m in marks] == [
        ("DOVE", "Unilever IP Holdings B.V.", (3,), "1", "800"),
        ("DOVE", "Mars, Incorporated", (30,), "2", "700"),
        ("NIKE", "Nike, Inc.", (18, 25, 28), "3", "800"),
        ("ZHIYUN 智云", "Guilin Zhishen Information Technology Co., Ltd.", (9,), "sn98000006", "630"),
    ]
    assert marks[0].jurisdiction == "US" and marks[0].metadata == {"serial-number": "71000001"}
    names = {m.name for m in marks}
    assert "SHOEGAZER DELUXE" not in names and "OLDWATCH" not in names  # abandoned, cancelled


@pytest.mark.parametrize("code, abandoned, cancelled, live", [
    ("800", "", "", True), ("700", "", "", True), ("630", "", "", True), ("", "", "", True),
    ("602", "", "", False), ("710", "", "", False), ("900", "", "", False),
    ("800", "20200101", "", False), ("800", "", "20200101", False), ("800", "00000000", "", True),
])
def test_is_live(code, abandoned, cancelled, live):
    assert is_live(code, abandoned, cancelled) is live


def test_uspto_inside_a_zip(tmp_path):
    archive = tmp_path / "apc240501.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(USPTO, "apc240501.xml")
    assert len(list(iter_marks_from_file(archive))) == 4


def test_entity_expansion_is_refused():
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE trademark-applications-daily [\n'
            b'<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
            b'<trademark-applications-daily><case-file><case-file-header>'
            b'<mark-identification>&b;</mark-identification></case-file-header></case-file>'
            b'</trademark-applications-daily>')
    with pytest.raises(ListFormatError, match="entity declarations are refused"):
        list(iter_uspto(io.BytesIO(bomb), "bomb.xml"))
    external = bomb.replace(b'<!ENTITY a "aaaaaaaaaa">', b'<!ENTITY a SYSTEM "file:///etc/passwd">')
    with pytest.raises(ListFormatError, match="entity declarations are refused"):
        list(iter_uspto(io.BytesIO(external), "ext.xml"))


def test_malformed_and_foreign_xml():
    truncated = USPTO.read_bytes()[:3000]
    with pytest.raises(ListFormatError, match=r"malformed XML"):
        list(iter_uspto(io.BytesIO(truncated), "cut.xml"))
    with pytest.raises(ListFormatError, match="XML that is not a USPTO trademark daily file"):
        list(iter_marks_from_stream(io.BytesIO(b"<?xml version='1.0'?><rss></rss>"), "feed.xml"))


def _daily(n: int) -> bytes:
    case = ("<case-file><serial-number>{i}</serial-number><case-file-header><status-code>800"
            "</status-code><mark-identification>BRAND{i}</mark-identification></case-file-header>"
            "<classifications><classification><international-code>025</international-code>"
            "</classification></classifications><case-file-owners><case-file-owner><party-name>"
            "Owner {i}</party-name></case-file-owner></case-file-owners></case-file>")
    body = "".join(case.format(i=i) for i in range(n))
    return ("<?xml version='1.0'?><trademark-applications-daily><application-information>"
            f"<file-segments><action-keys>{body}</action-keys></file-segments>"
            "</application-information></trademark-applications-daily>").encode()


def test_uspto_streams_in_constant_memory():
    def peak(n: int) -> int:
        data = io.BytesIO(_daily(n))
        tracemalloc.start()
        count = sum(1 for _ in iter_uspto(data, "big.xml"))
        peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == n
        return peak_bytes
    small, large = peak(1_000), peak(20_000)
    assert large < small * 2  # 20x the cases, not 20x the memory


def test_wikidata_labels_become_aliases():
    marks = list(iter_marks_from_file(WIKIDATA))
    assert [(m.name, m.aliases) for m in marks] == [
        ("Nike", ("耐克", "耐吉", "Nike, Inc.", "耐克公司")),
        ("Apple", ("苹果公司", "アップル", "Apple Inc.")),
        ("李宁", ("李寧", "LI-NING")),
    ]
    assert (marks[0].owner, marks[0].classes, marks[0].famous, marks[0].registration) == (
        "Nike, Inc.", (18, 25, 28), True, "wd:Q483915")


def test_wikidata_json_lines_dump_form():
    text = ('[\n{"id": "Q1", "labels": {"en": {"language": "en", "value": "Dove"}, '
            '"zh": {"language": "zh", "value": "多芬"}}, "aliases": {}},\n'
            '{"id": "Q2", "labels": {"en": {"language": "en", "value": "Lux"}}, "aliases": {}}\n]\n')
    marks = list(iter_marks_from_stream(io.BytesIO(text.encode()), "dump.json", "wikidata"))
    assert [(m.name, m.aliases) for m in marks] == [("Dove", ("多芬",)), ("Lux", ())]


def test_html_file_is_refused():
    with pytest.raises(ListFormatError, match="HTML page, not a trademark list"):
        list(iter_marks_from_stream(io.BytesIO(b"\n<!doctype html><title>x</title>"), "x.csv"))


def test_authorization_validation_and_expiry():
    auth = make_authorization(" Nike ", "Authorization-Letter", "NK-1", "2024-06-30")
    assert auth == Authorization("Nike", "authorization-letter", "NK-1", dt.date(2024, 6, 30))
    assert is_active(auth, dt.date(2024, 6, 30)) and not is_active(auth, dt.date(2024, 7, 1))
    assert [status(auth, dt.date(2024, 5, 30)), status(auth, dt.date(2024, 5, 31)),
            status(auth, dt.date(2024, 7, 1))] == ["active", "expiring", "expired"]
    with pytest.raises(RegistryError, match="receipt.*does not count"):
        make_authorization("Nike", "receipt", "R1")
    with pytest.raises(RegistryError, match="bad date '30/06/2024'"):
        make_authorization("Nike", "invoice", "I1", "30/06/2024")
    with pytest.raises(RegistryError, match="--ref is required"):
        make_authorization("Nike", "invoice", " ")


def test_registry_active_brands(registry):
    registry.authorize(make_authorization("Nike", "authorization-letter", "NK-1", "2024-06-30"))
    registry.authorize(make_authorization("MyBrand", "owner", "TM-1"))
    registry.authorize(make_authorization("Adidas", "invoice", "I-1", "2024-01-01"))
    assert registry.active_brands(dt.date(2024, 6, 1)) == (frozenset({"MyBrand"}), frozenset({"Nike"}))
    assert registry.active_brands(dt.date(2024, 7, 1)) == (frozenset({"MyBrand"}), frozenset())
    # same brand+evidence+ref refreshes instead of duplicating
    registry.authorize(make_authorization("nike", "authorization-letter", "NK-1", "2025-06-30"))
    assert [a.expires for a in registry.authorizations("NIKE")] == [dt.date(2025, 6, 30)]
