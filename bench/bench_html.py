"""HTML descriptions: microseconds per description for each way of reducing them, in one run.

    python bench/bench_html.py [--rounds 5]

* ``regex``: the plain-tag pass (scanner/sources/html_text.reduce_plain_html), which takes
  every description made only of attribute-less <p>, <br>, <li>, <b>...;
* ``html.parser``: the stdlib reducer (the core install's, and every fall-back);
* ``lxml``: libxml2's tokenizer feeding the same reducer (scanner/sources/html_fast.py);
* ``selectolax``: lexbor building its tree (parse only, before any walk: a floor for it);
* ``reduce_html``: what a scan calls (regex first, then lxml, then html.parser).

On bench_catalog's synthetic descriptions (<p> paragraphs: the regex pass), on synthetic
descriptions shaped like real exports (classes, inline styles, lists, an image with alt text,
a table, entities; 1-2 KB) and on the HTML cells of fixtures/formats (short).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_catalog import FILLER  # noqa: E402

from scanner.sources.html_text import parse_html, reduce_html, reduce_plain_html  # noqa: E402


def catalog_descriptions(n: int = 5000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(FILLER) for _ in range(rng.randint(15, 40))]
        half = len(words) // 2
        out.append("<p>" + " ".join(words[:half]) + "</p>\n<p>" + " ".join(words[half:]) + "</p>")
    return out


def rich_descriptions(n: int = 2000, seed: int = 4) -> list[str]:
    """Descriptions shaped like real Shopify/WooCommerce exports: classes and inline styles,
    a feature list, an image with alt text, a size table, entities; about 1-2 KB each."""
    rng = random.Random(seed)

    def words(k: int) -> str:
        return " ".join(rng.choice(FILLER) for _ in range(k))

    out = []
    for _ in range(n):
        items = "".join(f'<li><span style="font-weight: 400;">{words(rng.randint(4, 9))}</span></li>'
                        for _ in range(rng.randint(3, 7)))
        rows = "".join(f"<tr><td>{size}</td><td>{rng.randint(60, 120)} cm</td></tr>" for size in ("S", "M", "L", "XL"))
        out.append(f'<div class="product-desc"><p data-mce-fragment="1"><strong>{words(3)}</strong> &amp; '
                   f'{words(rng.randint(10, 25))}&nbsp;&ndash; {words(6)}</p><ul class="features">{items}</ul>'
                   f'<p><img src="https://cdn.example.com/{rng.randint(1, 999)}.jpg" alt="{words(3)}" width="600"></p>'
                   f'<table class="sizes"><tbody>{rows}</tbody></table><p><em>{words(8)}</em><br>{words(5)}</p></div>')
    return out


def fixture_descriptions() -> list[str]:
    cells = []
    for path in sorted((ROOT / "fixtures" / "formats").glob("*.csv")):
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                cells += [v for row in csv.DictReader(handle) for v in row.values() if v and "<" in v]
        except UnicodeDecodeError:
            continue
    return cells


def per_item(fn: Callable[[str], object], items: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - started)
    return best / len(items) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    ways: dict[str, Callable[[str], object]] = {"regex": reduce_plain_html, "html.parser": parse_html}
    try:
        from scanner.sources.html_fast import reduce_with_lxml

        ways["lxml"] = reduce_with_lxml
    except ImportError:
        print("lxml not installed (pip install '.[fast]'): skipped", file=sys.stderr)
    try:
        from selectolax.lexbor import LexborHTMLParser

        ways["selectolax (parse only)"] = LexborHTMLParser
    except ImportError:
        print("selectolax not installed: skipped", file=sys.stderr)
    try:
        from scanner.sources.html_fast import reduce_html as fast_reduce_html

        ways["reduce_html (readers)"] = fast_reduce_html
    except ImportError:
        ways["reduce_html (readers)"] = reduce_html
    sets = {"catalog <p> descriptions": catalog_descriptions(), "rich export HTML": rich_descriptions(),
            "fixtures/formats HTML": fixture_descriptions() * 200}
    print(f"microseconds per description, best of {args.rounds}")
    print(f"{'':<26}" + "".join(f"{name:>26}" for name in sets))
    for name, fn in ways.items():
        print(f"{name:<26}" + "".join(f"{per_item(fn, items, args.rounds):>26.1f}" for items in sets.values()))


if __name__ == "__main__":
    main()
