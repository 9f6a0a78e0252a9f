"""The real title sets in ../shared/data/titles, as Listings with their labels.

Evaluation only: the data is not redistributable, so it is read at run time from beside the
project and every loader yields nothing when its files are absent. Each item is a
``Labelled``: the dataset, its language, the Listing as a seller would submit it (the brand
column where the set has one, the category where it has one) and the gold brand spans where
the set labels them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from scanner.core.models import Listing

ROOT = Path(__file__).resolve().parent.parent
TITLES = ROOT.parent / "shared" / "data" / "titles"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "own" (JD type 1), "third" (JD type 37), "brand" (Taobao HPPX/HP)
    surface: str


@dataclass(frozen=True)
class Labelled:
    dataset: str
    lang: str
    listing: Listing
    spans: tuple[Span, ...] = field(default=())


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def jd_labelled() -> Iterator[Labelled]:
    """JD GAIIC 2022: type 1 is the product's own brand (declared as the listing's brand),
    type 37 a third-party brand named for compatibility."""
    folder = TITLES / "zh_jd_gaiic2022_product_title_ner"
    seen: set[str] = set()
    for name in ("labeled_dev_split_4000.jsonl", "labeled_train_500_yanqiangmiffy.jsonl"):
        path = folder / name
        if not path.exists():
            continue
        for record in _jsonl(path):
            text = record["text"]
            if text in seen:
                continue
            seen.add(text)
            spans = tuple(Span(e["start"], e["end"], "own" if e["type"] == "1" else "third", e["surface"])
                          for e in record["entities"] if e["type"] in ("1", "37"))
            own = list(dict.fromkeys(s.surface for s in spans if s.kind == "own"))
            listing = Listing(f"jd-{len(seen)}", {"title": text}, brand="/".join(own) or None,
                              source=f"{name}:{record['id']}")
            yield Labelled("jd", "zh", listing, spans)


def jd_unlabelled() -> Iterator[Labelled]:
    folder = TITLES / "zh_jd_gaiic2022_product_title_ner"
    for name in ("unlabeled_titles_preliminary_A.txt", "unlabeled_titles_preliminary_B.txt"):
        path = folder / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield Labelled("jd-raw", "zh", Listing(f"{path.stem}:{number}", {"title": line.strip()},
                                                       source=f"{name}:{number}"))


def taobao_ner() -> Iterator[Labelled]:
    """Taobao titles with brand spans (HPPX in allanj's set, HP in MultiDigraph's); no
    declared brand: these test recall."""
    seen: set[str] = set()
    for folder, kind in (("zh_ecommerce_ner_allanj_incomplete_annotation", "HPPX"),
                         ("zh_taobao_ecommerce_ner_multidigraph", "HP")):
        for split in ("train", "dev", "test"):
            path = TITLES / folder / f"{split}.jsonl"
            if not path.exists():
                continue
            for record in _jsonl(path):
                text = record["text"]
                if text in seen:
                    continue
                seen.add(text)
                spans = tuple(Span(e["start"], e["end"], "brand", e["surface"]) for e in record["entities"]
                              if e["type"] == kind)
                yield Labelled("taobao-ner", "zh", Listing(f"tb-{len(seen)}", {"title": text},
                                                           source=f"{folder}/{split}:{record['id']}"), spans)


def taobao_queries() -> Iterator[Labelled]:
    path = TITLES / "zh_taobao_search_queries_multicpr" / "ecom_train.query.txt"
    if not path.exists():
        return
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            qid, _, text = line.rstrip("\n").partition("\t")
            if text and text not in seen:
                seen.add(text)
                yield Labelled("taobao-query", "zh", Listing(f"q-{qid}", {"title": text}, source=f"query:{qid}"))


def _csv(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter)


def myntra() -> Iterator[Labelled]:
    path = TITLES / "en_myntra_fashion_styles_44k" / "styles_merged.csv"
    if not path.exists():
        return
    for row in _csv(path):
        title = (row.get("productDisplayName") or "").strip()
        if title:
            parts = (row.get("masterCategory"), row.get("subCategory"), row.get("articleType"))
            category = " > ".join(x for x in parts if x)
            yield Labelled("myntra", "en", Listing(f"myntra-{row['id']}", {"title": title}, category=category or None,
                                                   source=f"myntra:{row['id']}"))


def flipkart() -> Iterator[Labelled]:
    path = TITLES / "en_flipkart_20k" / "flipkart_com-ecommerce_sample_no_description.csv"
    if not path.exists():
        return
    for row in _csv(path):
        title = (row.get("product_name") or "").strip()
        if title:
            yield Labelled("flipkart", "en", Listing(f"fk-{row['uniq_id']}", {"title": title},
                                                     brand=(row.get("brand") or "").strip() or None,
                                                     source=f"flipkart:{row['uniq_id']}"))


def amazon_uk() -> Iterator[Labelled]:
    path = TITLES / "en_amazon_uk_10k" / "amazon_co-ecommerce_sample_cleaned.csv"
    if not path.exists():
        return
    for row in _csv(path, ";"):
        title = (row.get("product_name") or "").strip()
        if title:
            yield Labelled("amazon-uk", "en", Listing(
                f"az-{row['uniq_id']}", {"title": title}, brand=(row.get("manufacturer") or "").strip() or None,
                category=(row.get("amazon_category_and_sub_category") or "").strip() or None,
                source=f"amazon-uk:{row['uniq_id']}"))


def bigbasket() -> Iterator[Labelled]:
    path = TITLES / "en_bigbasket_27k" / "BigBasket Products.csv"
    if not path.exists():
        return
    for row in _csv(path):
        title = (row.get("product") or "").strip()
        if title:
            category = " > ".join(x for x in (row.get("category"), row.get("sub_category"), row.get("type")) if x)
            yield Labelled("bigbasket", "en", Listing(f"bb-{row['index']}", {"title": title},
                                                      brand=(row.get("brand") or "").strip() or None,
                                                      category=category or None, source=f"bigbasket:{row['index']}"))


def walmart() -> Iterator[Labelled]:
    path = TITLES / "en_entity_matching_walmart_amazon_google" / "walmart_tableA.csv"
    if not path.exists():
        return
    for row in _csv(path):
        title = (row.get("title") or "").strip()
        if title:
            yield Labelled("walmart", "en", Listing(
                f"wm-{row['id']}", {"title": title, "description": (row.get("proddescrlong") or "").strip()},
                brand=(row.get("brand") or "").strip() or None, category=(row.get("category") or "").strip() or None,
                source=f"walmart:{row['id']}"))


SETS: dict[str, Callable[[], Iterator[Labelled]]] = {
    "jd": jd_labelled, "jd-raw": jd_unlabelled, "taobao-ner": taobao_ner, "taobao-query": taobao_queries,
    "myntra": myntra, "flipkart": flipkart, "amazon-uk": amazon_uk, "bigbasket": bigbasket, "walmart": walmart,
}


def available() -> bool:
    return TITLES.is_dir()
