"""Time per KB of one long field, small against large: the cost must grow linearly.

    python bench/bench_long_field.py [--small 20] [--large 200] [--rounds 3]

A Taobao description is large HTML, and a seller's cron job must not stall on one. For each
pattern, one listing whose description repeats the pattern to ``--small`` KB and to
``--large`` KB is judged with the bundled list (``Scanner.check``, HTML reduced the way the
readers do), best of ``--rounds``. The figure is the ratio of time per KB, large over small:
about 1.0 is linear; quadratic work shows as large/small (10 at the defaults).

Issue 14 measured "word Gucci 同款" at 0.7 s for 20 KB and 35 s for 200 KB (a ratio of 5 per KB):
every mark was paired with every cue of the field (scanner/core/context.py), every hit's
character offset decoded the field from its start (scanner/core/matcher.py), and every
disparaging subject tried every claim, counting tokens over the gap.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.sources.base import build_listing  # noqa: E402
from scanner.workflows.scanners import build_scanner, scanner_settings  # noqa: E402

PATTERNS = {
    "mark + lookalike cue": "word Gucci 同款 ",
    "CJK run": "Gucci同款耐克高仿",
    "compatibility lists": "适用于苹果/华为/小米 compatible with iPhone and Samsung, ",
    "disparagement": "别家都是假货 Nike ",
    "scale-model replicas": "Ferrari replica 1:18 die-cast ",
    "evasion spellings": "N-i-k-e G.u.c.c.i ",
    "negations": "not Nike, non-Adidas, 非耐克 ",
    "HTML with hidden text": "<p>Gucci <span style='display:none'>replica</span> 同款</p>",
    "plain text": "lorem ipsum dolor sit amet ",
}


def field(pattern: str, kb: int) -> str:
    return pattern * (kb * 1024 // len(pattern.encode("utf-8")) + 1)


def best_time(scanner, text: str, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        listing = build_listing("x", [("title", "t"), ("description", text)], brand=None, category=None, source="b")
        scanner.check(listing)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=20, help="KB of the small field")
    parser.add_argument("--large", type=int, default=200, help="KB of the large field")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scanner = build_scanner(scanner_settings())
    scanner.check(build_listing("w", [("title", "warm up Gucci")], brand=None, category=None, source="b"))
    print(f"{'pattern':<24} {args.small:>4} KB s  {args.large:>4} KB s   per-KB ratio (1.0 = linear)")
    for name, pattern in PATTERNS.items():
        small = best_time(scanner, field(pattern, args.small), args.rounds)
        large = best_time(scanner, field(pattern, args.large), args.rounds)
        ratio = (large / args.large) / (small / args.small)
        print(f"{name:<24} {small:>9.3f}  {large:>9.3f}   {ratio:>5.2f}")


if __name__ == "__main__":
    main()
