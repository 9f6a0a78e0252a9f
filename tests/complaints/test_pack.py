"""The appeal pack: a folder and a zip beside it, a self-contained HTML summary that escapes
listing and complaint text, sanitised file names, evidence copies with their SHA-256 checked,
and nothing written when something is wrong."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from scanner.workflows.complaints.pack import safe_name

HOSTILE_TITLE = "<script>alert(1)</script> Nike同款 跑鞋"
HOLDER = "<b>Nike</b>, Inc."


@pytest.mark.parametrize("name, expected, why", [
    ("invoice.pdf", "invoice.pdf", "already safe"),
    ("发票 2026.pdf", "发票_2026.pdf", "letters of any script stay; spaces go"),
    ('evil:name?<>|*".pdf', "evil_name______.pdf", "characters Windows refuses"),
    ("bad\nname\x00.pdf", "bad_name_.pdf", "control characters"),
    ("../../etc/passwd", "etc_passwd", "no separators, no leading dots"),
    ("CON.pdf", "_CON.pdf", "a Windows device name"),
    ("...", "file", "nothing left"),
    ("a" * 200 + ".pdf", "a" * 76 + ".pdf", "shortened, the extension kept"),
])
def test_safe_name(name, expected, why):
    assert safe_name(name) == expected, why


def _catalog(path: Path, title: str) -> Path:
    path.write_text(json.dumps({"id": "SKU-1", "title": title, "description": "夏季新款"}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "SKU-2", "title": "Nike replica 1:1 sneakers"}) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def filed(cli, tmp_path):
    """A complaint with a hostile listing and holder, an accepted invoice with an awkwardly named
    file, and a receipt kept with the complaint."""
    then = _catalog(tmp_path / "then.jsonl", HOSTILE_TITLE)
    assert cli("complaints", "add", "--listing", "SKU-1", "--holder", HOLDER, "--right", "trademark",
               "--allegation", "improper-use", "--mark", "Nike", "--received", "2026-09-30 14:00", "--stage",
               "before-penalty", "--catalog", str(then), "--now", "2026-10-01 09:00").exit_code == 0
    docs = tmp_path / "docs"
    docs.mkdir()
    invoice = docs / 'inv:2026?<1>.pdf'
    invoice.write_bytes(b"%PDF-1.4 the invoice")
    receipt = docs / "receipt.jpg"
    receipt.write_bytes(b"a receipt")
    assert cli("authorize", "Nike", "--evidence", "invoice", "--ref", "044031900111", "--supplier", "Pou Chen",
               "--file", str(invoice)).exit_code == 0
    assert cli("complaints", "attach", "1", str(receipt), "--kind", "receipt").exit_code == 0
    now = _catalog(tmp_path / "now.jsonl", "透气跑鞋 男女款")
    return {"invoice": invoice, "receipt": receipt, "now": now, "out": tmp_path / "out"}


def test_pack_folder_zip_html_and_copies(cli, filed):
    filed["out"].mkdir()
    target = filed["out"] / "appeal-1"
    result = cli("complaints", "pack", "1", "--output", str(target), "--catalog", str(filed["now"]),
                 "--now", "2026-10-08 12:00")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(b"%PDF-1.4 the invoice").hexdigest()
    assert result.stdout.splitlines() == [
        f"{target}/index.html",
        f"{target}/evidence/01-invoice-inv_2026__1_.pdf  sha256 {digest}",
        f"{target}.zip",
    ]
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == ["complaint.json", "counter-notice.en.txt", "counter-notice.zh.txt",
                     "evidence/01-invoice-inv_2026__1_.pdf", "index.html"]  # the receipt is not submitted
    copy = target / "evidence/01-invoice-inv_2026__1_.pdf"
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(f"{target}.zip") as zf:
        assert sorted(zf.namelist()) == [f"appeal-1/{f}" for f in files]
        assert zf.read("appeal-1/evidence/01-invoice-inv_2026__1_.pdf") == copy.read_bytes()
    assert sorted(p.name for p in filed["out"].iterdir()) == ["appeal-1", "appeal-1.zip"]  # no temporaries

    html = (target / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>Nike" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Nike&lt;/b&gt;, Inc." in html
    assert "http://" not in html and "https://" not in html and " src=" not in html  # self-contained
    assert "<mark>Nike</mark>同款" in html  # the finding highlighted in the text as it was
    assert "透气跑鞋 男女款" in html  # the text as it is now
    assert digest in html and "receipt.jpg (not in the pack)" in html
    assert "appeal before the penalty (3 working days from receipt)</td><td>2026-10-10 14:00 Sat" in html

    facts = json.loads((target / "complaint.json").read_text(encoding="utf-8"))
    assert (facts["holder"], facts["received"], facts["deadlines"][0]["at"]) == (
        HOLDER, "2026-09-30T14:00+08:00", "2026-10-10T14:00+08:00")
    assert [e["verdict"] for e in facts["evidence"]] == ["accepted", "not accepted"]
    assert facts["listing_now"]["problems"] == []
    zh = (target / "counter-notice.zh.txt").read_text(encoding="utf-8")
    assert "投诉方（权利人）：<b>Nike</b>, Inc.\n被投诉商品：SKU-1\n" in zh
    assert "申诉截止：2026-10-10 14:00（周六），北京时间" in zh
    assert f"1. 发票，编号 044031900111，开具方 Pou Chen，附件 evidence/01-invoice-inv_2026__1_.pdf（SHA-256 {digest}）" in zh
    en = (target / "counter-notice.en.txt").read_text(encoding="utf-8")
    assert "The goods are genuine and were bought through a formal channel (verifiable invoice attached)." in en


@pytest.mark.parametrize("break_it, code, message", [
    (lambda f: f["invoice"].unlink(), 3, "evidence file is gone"),
    (lambda f: f["invoice"].write_bytes(b"another document"), 3, "evidence file changed since it was attached"),
    (lambda f: (f["out"] / "appeal-1").mkdir(), 2, "already exists; a pack is never written over"),
    (lambda f: (f["out"] / "appeal-1.zip").write_text("old"), 2, "already exists; a pack is never written over"),
])
def test_nothing_half_written(cli, filed, break_it, code, message):
    filed["out"].mkdir()
    before = sorted(p.name for p in filed["out"].iterdir())
    break_it(filed)
    listed = sorted(p.name for p in filed["out"].iterdir())
    result = cli("complaints", "pack", "1", "--output", str(filed["out"] / "appeal-1"), "--now", "2026-10-08 12:00")
    assert result.exit_code == code
    assert result.stderr.startswith("listguard: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert sorted(p.name for p in filed["out"].iterdir()) == listed and len(listed) <= len(before) + 1
