"""Platform presets: each fixture (in its real encoding) read to exact listings."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.core.models import Listing
from scanner.errors import InputError
from scanner.sources import BadRow, read_listings

from .conftest import FIXTURES

SHARED = Path("/work/shared/data/formats")


def L(id, fields, brand, category, line):  # noqa: N802 - reads like a table row
    return ("L", id, fields, brand, category, line)


def B(line, message):  # noqa: N802
    return ("B", line, message)


def as_rows(path: str, items) -> list:
    out = []
    for item in items:
        if isinstance(item, BadRow):
            assert item.path == path
            out.append(B(item.line, item.message))
        else:
            assert isinstance(item, Listing)
            assert item.source.rsplit(":", 1)[0] == path
            out.append(L(item.id, dict(item.fields), item.brand, item.category, int(item.source.rsplit(":", 1)[1])))
    return out


CASES = [
    pytest.param(
        "shopify_legacy.csv",
        [
            # why: continuation rows merge their image alt text; a blank-handle row is skipped, never bad
            L("canvas-tote", {"title": "Canvas Tote", "description": "Sturdy canvas.\nHolds a laptop.",
                              "keywords": "tote, canvas", "seo_title": "Canvas Tote | Shop",
                              "seo_description": "A tote for every day.",
                              "description.hidden": "Blue canvas tote\nGoyard style tote"},
              "Acme", "Apparel & Accessories > Handbags", 2),
            # why: category falls back to Type when Product Category is empty
            L("wool-hat", {"title": "Wool Hat", "description": "Warm hat"}, "Acme", "Hats", 6),
        ],
        id="shopify-legacy-utf8",
    ),
    pytest.param(
        "shopify_2024.csv",
        [
            # why: 2024+ header dialect; display:none text and alt text go to description.hidden
            L("tweed-jacket", {"title": "Tweed Jacket", "description": "Classic tweed.", "keywords": "jacket, tweed",
                               "seo_title": "Tweed jacket", "seo_description": "Warm tweed",
                               "description.hidden": "chanel dior\nCC jacket\nChanel tweed"},
              "Acme", "Apparel", 2),
        ],
        id="shopify-2024-utf8",
    ),
    pytest.param(
        "woocommerce_en.csv",
        [
            # why: BOM; literal \n becomes a newline; \, in a multi-value cell becomes a comma
            L("W-TEE", {"title": "V-Neck Tee", "short_description": "Soft tee.",
                        "description": "First line\nSecond line", "keywords": "tee, cotton, organic"},
              "Acme", "Clothing > Tshirts", 2),
            # why: row 3 is a variation without text: skipped; row 4 is a variation with a description
            L("W-TEE-BLUE", {"title": "V-Neck Tee - Blue", "description": "Blue like Tiffany"}, None, None, 4),
            # why: the exporter's leading ' before = - @ is stripped; no SKU -> ID
            L("104", {"title": "=SUM(A1)", "short_description": "-dash start", "description": "@mention"},
              None, None, 5),
        ],
        id="woocommerce-en-utf8-bom",
    ),
    pytest.param(
        "woocommerce_de.csv",
        [
            # why: German header labels (Artikelnummer, Kurzbeschreibung, Beschreibung, Schlagwörter, Marken)
            L("DE-1", {"title": "Ledertasche", "short_description": "Kurz.",
                       "description": "Echtes Leder, ähnlich wie Hermès.", "keywords": "leder, tasche"},
              "Acme", "Taschen", 2),
        ],
        id="woocommerce-de-utf8-bom",
    ),
    pytest.param(
        "amazon_flat_file_cp1252.txt",
        [
            # why: cp1252 bytes (é ™ –) decode; header found by item_sku, not by the label row
            L("BAG-é1", {"title": "Café Tote™ – canvas", "description": "Crème colour.",
                         "bullets": "Roomy\nZip top", "keywords": "tote café"}, "CaféCo™", "handbag", 4),
            L("CASE-2", {"title": "Case for iPhone 15", "bullets": "Fits iPhone 15", "keywords": "iphone case"},
              "Generic", "phonecase", 5),
        ],
        id="amazon-cp1252-crlf",
    ),
    pytest.param(
        "amazon_attribute_paths.txt",
        [
            # why: newer attribute-path columns with [..] qualifiers stripped
            L("IT-1", {"title": "Borsa in tela", "bullets": "Capiente\nLeggera", "keywords": "borsa tela"},
              "Acme", None, 4),
        ],
        id="amazon-attribute-paths",
    ),
    pytest.param(
        "taobao_v5_utf16.csv",
        [
            # why: UTF-16LE+BOM, CRLF, version row + English header + Chinese label row; alt text hidden
            L("BAG-001", {"title": "高仿LV同款手提包 1:1复刻", "subtitle": "专柜品质", "description": "顶级A货！",
                          "description.hidden": "Louis Vuitton"}, None, "50012010", 4),
            # why: empty outer_id -> num_id
            L("612345", {"title": "适用于苹果iPhone 15手机壳", "description": "适用于 iPhone 15。"}, None, "50012010", 5),
            # why: no code at all -> the line number; CRLF inside a quoted field becomes LF
            L("6", {"title": "无编码宝贝", "description": "多行\n描述"}, None, "50012010", 6),
        ],
        id="taobao-v5-utf16le",
    ),
    pytest.param(
        "taobao_v4_gb18030.csv",
        [
            # why: no BOM, not UTF-8 -> GB18030 because the header is Chinese; comma-separated
            L("SHOE-9", {"title": "耐克同款运动鞋 莆田货", "description": "和专柜一样"}, None, "50012345", 2),
            L("SCARF-1", {"title": "鄂尔多斯羊绒围巾", "description": "纯羊绒"}, None, "50012346", 3),
        ],
        id="taobao-v4-gb18030",
    ),
    pytest.param(
        "ebay_file_exchange_cp1252.csv",
        [
            L("FX-1", {"title": "Café tote, like LV", "subtitle": "Roomy", "description": "Not authentic."},
              "Unbranded", "169291", 2),
            # why: no CustomLabel -> the line number stands in
            L("3", {"title": "Case for iPhone", "description": "Fits iPhone 15™."}, "Unbranded", "20349", 3),
        ],
        id="ebay-file-exchange-cp1252",
    ),
    pytest.param(
        "ebay_seller_hub.csv",
        [L("HUB-1", {"title": "Gucci dupe bag", "description": "dupe"}, None, "169291", 5)],
        id="ebay-seller-hub-bom-info-lines",
    ),
    pytest.param(
        "google_feed_rss.xml",
        [
            # why: entities decoded; escaped HTML in description reduced; nested g:shipping ignored
            L("GM-1", {"title": "Watch & strap", "description": "Steel case."}, "Diesel",
              "Apparel & Accessories > Jewelry > Watches", 5),
            # why: g:title / g:description accepted; category falls back to g:product_type
            L("GM-2", {"title": "Prefixed title", "description": "Plain text"}, None, "accessories > watches", 14),
            B(20, "item without g:id; every item needs g:id and title"),
        ],
        id="google-rss",
    ),
    pytest.param(
        "google_feed_atom.xml",
        [L("AT-1", {"title": "Atom title", "description": "Atom summary"}, "Acme", None, 4)],
        id="google-atom",
    ),
    pytest.param(
        "google_feed.tsv",
        [L("GT-1", {"title": "TSV title", "description": "TSV desc"}, "Acme", "Apparel", 2)],
        id="google-tsv",
    ),
]


@pytest.mark.parametrize("name, expected", CASES)
def test_preset_fixture(name, expected):
    path = str(FIXTURES / name)
    assert as_rows(path, read_listings(path)) == expected


def test_xml_doctype_is_refused():
    path = str(FIXTURES / "google_doctype.xml")
    with pytest.raises(InputError, match="DOCTYPE/ENTITY declaration is refused") as err:
        read_listings(path)
    assert err.value.line == 2


def test_malformed_xml_keeps_items_read_before(tmp_path):
    path = tmp_path / "broken.xml"
    item = "<item><g:id>{0}</g:id><title>t{0}</title></item>\n"
    body = "".join(item.format(i) for i in range(3000))  # past the first 64 KiB chunk
    path.write_text(f'<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n{body}<item><oops></item>')
    got = []
    with pytest.raises(InputError, match="malformed XML") as err:
        for listing in read_listings(str(path)):
            got.append(listing)
    assert len(got) > 0 and got[0].id == "0"
    assert err.value.line == 3002


def test_forced_format_overrides_detection(fixture_path):
    # why: a Google TSV read as generic tsv loses the google_product_category mapping
    path = fixture_path("google_feed.tsv")
    [listing] = read_listings(path, input_format="tsv")
    assert listing.category is None and listing.brand == "Acme"


REAL = [
    ("shopify/product_template.csv", ["example-shirt", "example-pants", "example-hat"]),
    ("shopify/product_new_dialect_SYNTHETIC.csv", ["tweed-jacket", "formula-test"]),
    ("woocommerce/sample_products.csv", ["woo-vneck-tee", "woo-hoodie-with-logo", "woo-album", "woo-vneck-tee-red"]),
    ("google_merchant/product_feed_rss.xml", ["celebird-eg-variants-apparel-upi-001", "celebird-eg-variants-apparel-upi-002"]),
    ("taobao/taobao_assistant_export_SYNTHETIC.csv", ["BAG-001", "CASE-015"]),
    ("amazon/amazon_flat_file_SYNTHETIC.txt", ["CASE-015", "BAG-001"]),
    ("ebay/ebay_file_exchange_SYNTHETIC.csv", ["BAG-001", "CASE-015"]),
    ("ebay/ebay_seller_hub_draft_SYNTHETIC.csv", ["BAG-001"]),
]


@pytest.mark.skipif(not SHARED.exists(), reason="shared evaluation data not present")
@pytest.mark.parametrize("name, ids", REAL)
def test_shared_samples_read_cleanly(name, ids):
    items = list(read_listings(str(SHARED / name)))
    assert [i.id for i in items if isinstance(i, Listing)] == ids
    assert not [i for i in items if isinstance(i, BadRow)]


@pytest.mark.skipif(not SHARED.exists(), reason="shared evaluation data not present")
def test_shared_shopify_new_dialect_hidden_text():
    first = next(iter(read_listings(str(SHARED / "shopify/product_new_dialect_SYNTHETIC.csv"))))
    assert first.fields["description"] == "Looks just like Chanel!"
    assert first.fields["description.hidden"] == "chanel dior gucci prada\nCC logo jacket\nChanel inspired tweed jacket"
