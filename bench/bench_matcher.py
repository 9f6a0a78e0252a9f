"""Titles per second: the whole listguard pipeline against two baselines, in one run.

    python bench/bench_matcher.py [--titles 100000] [--marks 1000,10000]

Baselines, measured in the same process on the same titles and the same keys:
* bare: a pyahocorasick ``iter()`` loop over ``title.lower()`` that only counts hits;
* flashtext: ``KeywordProcessor.extract_keywords`` (pip install flashtext).
listguard: ``scan_items`` as ``listguard scan`` runs it: batched prefilter, then the full
judgement (plain and evasion views, all rules) of every title the prefilter flags.

Each is timed ``--rounds`` times (default 3), taking turns, and the best time counts: the
machine's noise then hits all three alike. Titles come from ../shared/data/titles when present
(evaluation-only data, read at run time, never copied), else are generated. Marks beyond the
bundled list are synthetic brand-like names so that 10,000 keys have the shape of a real
list. Figures are ratios against the baselines: absolute speed depends on the machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import sys
import time
from pathlib import Path
from typing import Callable

import ahocorasick

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.core.engine import Scanner  # noqa: E402
from scanner.core.index import key_pairs  # noqa: E402
from scanner.core.lexicons import all_cues  # noqa: E402
from scanner.core.models import Listing  # noqa: E402
from scanner.runners.stream import scan_items  # noqa: E402
from trademarks.lists import bundled_marks  # noqa: E402
from trademarks.models import Mark  # noqa: E402

# ../shared/data next to the checkout, or next to a parent of it (a git worktree under wt/)
SHARED = next((p / "shared" / "data" / "titles" for p in ROOT.parents if (p / "shared" / "data" / "titles").is_dir()),
              ROOT.parent / "shared" / "data" / "titles")


def load_titles(n: int, seed: int = 7) -> tuple[list[str], str]:
    titles: list[str] = []
    sources = [
        (SHARED / "zh_jd_gaiic2022_product_title_ner" / "unlabeled_titles_preliminary_A.txt", "lines"),
        (SHARED / "zh_jd_gaiic2022_product_title_ner" / "unlabeled_titles_preliminary_B.txt", "lines"),
        (SHARED / "en_myntra_fashion_styles_44k" / "styles_text.csv", "productDisplayName"),
        (SHARED / "en_flipkart_20k" / "flipkart_com-ecommerce_sample_no_description.csv", "product_name"),
    ]
    for path, column in sources:
        if not path.exists():
            continue
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            if column == "lines":
                titles.extend(line.strip() for line in handle if line.strip())
            else:
                titles.extend(row.get(column) or "" for row in csv.DictReader(handle))
    origin = "shared/data/titles (JD, Myntra, Flipkart)"
    if not titles:
        origin = "synthetic"
        words = ["新款", "男士", "运动鞋", "Nike", "running", "shoes", "耐克", "高仿", "cotton", "T-shirt",
                 "适用于", "苹果", "手机壳", "women", "dress", "summer", "包邮", "正品", "leather", "bag"]
        rng = random.Random(seed)
        titles = [" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) for _ in range(5000)]
    rng = random.Random(seed)
    return [titles[rng.randrange(len(titles))] for _ in range(n)], origin


def synthetic_marks(count: int, seed: int = 11) -> list[Mark]:
    rng = random.Random(seed)
    # Enough syllables and characters for 10^5 distinct names of 2-4 syllables.
    syll = ["ka", "lo", "mi", "ren", "tor", "vex", "qua", "zen", "bri", "sol", "dra", "pix", "nov",
            "lux", "fen", "gar", "hol", "jun", "kes", "mor", "pel", "rok", "sib", "tam", "vur", "wex"]
    zh = "安宝诚达丰瑞华嘉锦凯朗美欧沛琪森泰维翔雅悦正卓铂澜骏睿涵晟"
    marks, seen = [], set()
    while len(marks) < count:
        name = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4))).capitalize()
        alias = "".join(rng.choice(zh) for _ in range(rng.randint(3, 4)))
        if name in seen or alias in seen:
            continue
        seen.update((name, alias))
        marks.append(Mark(name=name, aliases=(alias,), owner=f"{name} Ltd."))
    return marks


def mark_set(total: int) -> list[Mark]:
    bundled = bundled_marks()
    if total <= len(bundled):
        return bundled[:total]
    return bundled + synthetic_marks(total - len(bundled))


ROUNDS = 3


def best_times(fns: dict[str, Callable[[list[str]], None]], titles: list[str], rounds: int) -> dict[str, float]:
    """Each function's best time over ``rounds`` rounds, the functions taking turns within a
    round so that a slow spell of a shared machine hits all of them alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            fn(titles)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def bench(titles: list[str], marks: list[Mark], rounds: int = ROUNDS) -> dict[str, float]:
    keys = [k for k, _ in key_pairs(marks, all_cues())]
    automaton = ahocorasick.Automaton()
    for i, key in enumerate(keys):
        automaton.add_word(key.lower(), i)
    automaton.make_automaton()

    def bare(items: list[str]) -> None:
        hits = 0
        for title in items:
            for _ in automaton.iter(title.lower()):
                hits += 1

    fns: dict[str, Callable[[list[str]], None]] = {"bare pyahocorasick": bare}
    try:
        from flashtext import KeywordProcessor

        processor = KeywordProcessor()
        for key in keys:
            processor.add_keyword(key)

        def flash(items: list[str]) -> None:
            for title in items:
                processor.extract_keywords(title)

        fns["flashtext"] = flash
    except ImportError:
        print("flashtext not installed: pip install flashtext (baseline skipped)", file=sys.stderr)
    scanner = Scanner(marks)
    listings = [Listing(str(i), {"title": t}) for i, t in enumerate(titles)]

    def pipeline(_: list[str]) -> None:
        # As `listguard scan` runs it: batches through the prefilter, flagged ones judged.
        for _ in scan_items(scanner, listings):
            pass

    fns["listguard pipeline"] = pipeline
    return best_times(fns, titles, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--marks", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="best of this many timed runs each")
    args = parser.parse_args()
    titles, origin = load_titles(args.titles)
    print(f"{len(titles):,} titles from {origin}; best of {args.rounds} rounds")
    for total in (int(x) for x in args.marks.split(",")):
        marks = mark_set(total)
        results = bench(titles, marks, args.rounds)
        base = results["bare pyahocorasick"]
        print(f"\n{len(marks):,} marks")
        print(f"  {'':<20} {'titles/s':>12} {'x bare':>8}")
        for name, seconds in results.items():
            print(f"  {name:<20} {len(titles) / seconds:>12,.0f} {seconds / base:>8.2f}")
        if "flashtext" in results:
            ratio = results["flashtext"] / results["listguard pipeline"]
            print(f"  listguard is {ratio:.2f}x the speed of flashtext")


if __name__ == "__main__":
    main()
