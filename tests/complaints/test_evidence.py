"""Evidence on file judged against what the platform accepts; attached files by path and
SHA-256; the registry migration that adds suppliers, holders and files."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

import pytest

from trademarks.authorizations import make_authorization
from trademarks.errors import RegistryError, RegistryUsageError
from trademarks.evidence import (
    ACCEPTED,
    EXPIRED,
    IRRELEVANT,
    REFUSED,
    SUPPORT,
    UNVERIFIABLE,
    EvidenceItem,
    attach,
    check,
    judge,
    review,
)
from trademarks.sqlite import open_database
from trademarks.store import MIGRATIONS, open_registry

TODAY = dt.date(2026, 10, 1)
NIKE = "Nike, Inc."

# (item, right, expected state, why)
JUDGED = [
    (EvidenceItem("receipt", "R-1"), "trademark", REFUSED, "receipts are never accepted"),
    (EvidenceItem("purchase-slip", "P-1"), "trademark", REFUSED, "nor purchase slips"),
    (EvidenceItem("invoice", "INV-1", supplier="Pou Chen"), "trademark", ACCEPTED, "a verifiable invoice"),
    (EvidenceItem("invoice", "INV-1"), "trademark", UNVERIFIABLE, "an invoice without its supplier"),
    (EvidenceItem("authorization-letter", "A-1", expires=dt.date(2026, 9, 30)), "trademark", EXPIRED,
     "expired the day before"),
    (EvidenceItem("authorization-letter", "A-1", expires=TODAY), "trademark", ACCEPTED, "valid through its last day"),
    (EvidenceItem("distribution-agreement", "D-1"), "trademark", ACCEPTED, "a distribution agreement"),
    (EvidenceItem("withdrawal-letter", "W-1", holder=NIKE), "trademark", ACCEPTED, "the holder withdrew"),
    (EvidenceItem("withdrawal-letter", "W-1", holder="adidas AG"), "trademark", IRRELEVANT, "another holder's letter"),
    (EvidenceItem("patent-certificate", "ZL-1"), "trademark", IRRELEVANT, "a patent does not answer a trademark"),
    (EvidenceItem("patent-certificate", "ZL-1"), "patent", ACCEPTED, "the seller's own patent"),
    (EvidenceItem("invoice", "INV-2", supplier="Nike, Inc."), "patent", ACCEPTED, "bought from the patent holder"),
    (EvidenceItem("invoice", "INV-2", supplier="Pou Chen"), "patent", IRRELEVANT, "bought from someone else"),
    (EvidenceItem("authorization-letter", "A-2"), "patent", IRRELEVANT, "a brand authorization is no patent answer"),
    (EvidenceItem("complaint-notice", "N-1"), "trademark", SUPPORT, "kept, proves nothing alone"),
]


@pytest.mark.parametrize("item, right, state, why", JUDGED, ids=[j[3] for j in JUDGED])
def test_judge(item, right, state, why):
    assert judge(item, right, NIKE, TODAY).state == state, why


def test_review_says_what_is_missing_and_how():
    result = review([EvidenceItem("receipt", "R-1"), EvidenceItem("invoice", "INV-1", brand="Nike")],
                    "trademark", "improper-use", NIKE, "Nike", TODAY)
    assert not result.sufficient
    assert result.missing == (
        "record who issued invoice INV-1: listguard authorize Nike --evidence invoice --ref INV-1 --supplier NAME",
        "ask Nike, Inc. for a complaint-withdrawal letter, then: listguard authorize Nike --evidence "
        "withdrawal-letter --ref REF --holder 'Nike, Inc.' --file LETTER.pdf",
        "find the supplier's invoice for these goods (receipts and purchase slips are not accepted): listguard "
        "authorize Nike --evidence invoice --ref NUMBER --supplier NAME --file INVOICE.pdf",
        "or an authorization letter or distribution agreement for Nike from Nike, Inc. or its distributor: "
        "listguard authorize Nike --evidence authorization-letter --ref REF --expires YYYY-MM-DD --file LETTER.pdf",
    )
    patent = review([], "patent", "improper-use", "Canon Inc.", "", TODAY)
    assert [m.split(":")[0] for m in patent.missing] == [
        "ask Canon Inc. for a complaint-withdrawal letter, then", "your patent certificate",
        "or the invoice showing the goods came from Canon Inc."]


def test_attach_records_path_size_and_hash(tmp_path):
    doc = tmp_path / "invoice.pdf"
    doc.write_bytes(b"%PDF-1.4 invoice")
    attachment = attach(doc)
    assert (attachment.path, attachment.size, attachment.sha256) == (
        str(doc.resolve()), 16, hashlib.sha256(b"%PDF-1.4 invoice").hexdigest())
    check(attachment)
    doc.write_bytes(b"%PDF-1.4 another")
    with pytest.raises(RegistryError, match="evidence file changed since it was attached"):
        check(attachment)
    doc.unlink()
    with pytest.raises(RegistryError, match="evidence file is gone"):
        check(attachment)


@pytest.mark.parametrize("size, error, message, code", [
    (None, RegistryError, "no such evidence file (check the path; nothing was recorded)", 3),
    (0, RegistryUsageError, "the evidence file is empty (attach the scanned document)", 2),
    (2 * 1048576 + 1, RegistryUsageError, "the evidence file is 2.0 MiB, over listguard's 2 MiB limit "
                                          "(attach a smaller scan: a PDF or JPEG at 150-200 dpi)", 2),
])
def test_attach_refuses(tmp_path, size, error, message, code):
    doc = tmp_path / "scan.pdf"
    if size is not None:
        with open(doc, "wb") as handle:
            handle.truncate(size)
    with pytest.raises(error) as err:
        attach(doc, max_bytes=2 * 1048576)
    assert (str(err.value), err.value.exit_code) == (f"{doc}: {message}", code)


def test_registry_keeps_supplier_holder_and_files(tmp_path):
    doc = tmp_path / "invoice.pdf"
    doc.write_bytes(b"invoice")
    with open_registry(tmp_path / "r.db") as registry:
        registry.authorize(make_authorization("Nike", "invoice", "INV-1", None, "", "Pou Chen", "", (attach(doc),)))
        registry.authorize(make_authorization("Nike", "patent-certificate", "ZL-1"))
        [invoice, patent] = registry.authorizations("nike")
        assert (invoice.supplier, [f.name for f in invoice.files]) == ("Pou Chen", ["invoice.pdf"])
        # a patent certificate authorizes no use of a mark
        assert registry.active_brands(TODAY) == (frozenset(), frozenset({"Nike"}))
        registry.remove_authorization("Nike", "INV-1")
        assert registry.db.execute("SELECT count(*) FROM authorization_files").fetchone() == (0,)


def test_migrating_an_existing_registry_keeps_its_authorizations(tmp_path):
    path = tmp_path / "old.db"
    old = open_database(path, "listguard.registry", MIGRATIONS[:1], 5.0, "registry")
    old.execute("INSERT INTO authorizations (brand, brand_key, evidence, ref, expires, note, created_at) "
                "VALUES ('Adidas', 'adidas', 'invoice', 'INV-9', NULL, '', 'then')")
    old.close()
    with open_registry(path) as registry:
        [auth] = registry.authorizations()
        assert (auth.brand, auth.ref, auth.supplier, auth.holder, auth.files) == ("Adidas", "INV-9", "", "", ())
    assert sqlite3.connect(path).execute("SELECT count(*) FROM authorizations").fetchone() == (1,)
