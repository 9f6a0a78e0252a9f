"""How often candidate phrases (cue words, product lines, nicknames) occur in the real titles,
and how often beside a mark: the measurement behind fixtures/judged/cue_measurements.tsv and
the notes in trademarks/data/nicknames.tsv and product_lines.tsv.

    python bench/phrase_counts.py "super clone" 纯原 UA        # counts and a sample of hits
    python bench/phrase_counts.py --sample 20 --all 老花         # read 20 hits
    python bench/phrase_counts.py --file phrases.txt --tsv       # one row per phrase

A phrase is found the way the scanner finds a key (scanner/core/matcher.py: folded case and
width, Latin word boundaries, CJK anywhere), each title counted once. ``near`` counts the
titles where it stands within ``--gap`` tokens (3: the weak-cue gap of scanner/core/context.py,
no phrase break between) of a mark hit the current bundled list finds in the title;
``sentence`` those where a mark hit shares its sentence. Reads every set of bench/title_sets.py
from ../shared/data/titles (or --titles DIR); evaluation only, nothing is stored.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import title_sets  # noqa: E402

from scanner.core.context import gap_ok  # noqa: E402
from scanner.core.engine import ScanSettings, Scanner  # noqa: E402
from scanner.core.matcher import Matcher  # noqa: E402
from scanner.core.normalize import plain_view  # noqa: E402
from trademarks.lists import bundled_marks  # noqa: E402
from trademarks.nice import classes_for_category  # noqa: E402

SEED = 20261203


@dataclass
class Count:
    phrase: str
    titles: int = 0
    near: int = 0
    sentence: int = 0
    hits: list[tuple[str, str, bool]] = field(default_factory=list)  # (set, title, near a mark)


def _same_sentence(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(ch in "。！？!?;；\n\r" for ch in text[lo:hi])


def measure(phrases: Iterable[str], gap: int = 3, sets: Iterable[str] | None = None) -> dict[str, Count]:
    phrases = list(dict.fromkeys(phrases))
    matcher = Matcher.build((p, ("cue", i)) for i, p in enumerate(phrases))
    scanner = Scanner(bundled_marks(), ScanSettings(class_of_category=classes_for_category))
    counts = {p: Count(p) for p in phrases}
    for name in sets or title_sets.SETS:
        for item in title_sets.SETS[name]():
            text = item.listing.fields["title"]
            found = matcher.find_all(plain_view(text))
            if not found:
                continue
            marks = [m for m in scanner.context(item.listing).mark_hits() if m.field == "title"]
            seen: dict[str, bool] = {}
            sentence: set[str] = set()
            for hit in found:
                for _, ref in hit.info.payloads:
                    phrase = phrases[ref]
                    near = any(not (m.start < hit.end and hit.start < m.end) and
                               (gap_ok(text, m.end, hit.start, gap) if m.end <= hit.start
                                else gap_ok(text, hit.end, m.start, gap)) for m in marks)
                    seen[phrase] = seen.get(phrase, False) or near
                    if any(_same_sentence(text, m.start, hit.start) for m in marks):
                        sentence.add(phrase)
            for phrase, near in seen.items():
                c = counts[phrase]
                c.titles += 1
                c.near += near
                c.sentence += phrase in sentence
                c.hits.append((name, text, near))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phrases", nargs="*")
    parser.add_argument("--file", help="phrases, one a line ('#' comments)")
    parser.add_argument("--gap", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5, help="hits to print per phrase")
    parser.add_argument("--all", action="store_true", help="sample every hit, not only those near a mark")
    parser.add_argument("--tsv", action="store_true", help="phrase, titles, near, sentence; no samples")
    parser.add_argument("--sets", help="comma-separated set names (bench/title_sets.py)")
    parser.add_argument("--titles", help="folder of the title sets (default ../shared/data/titles)")
    args = parser.parse_args(argv)
    if args.titles:
        title_sets.TITLES = Path(args.titles)
    phrases = list(args.phrases)
    if args.file:
        phrases += [line.strip() for line in Path(args.file).read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.startswith("#")]
    if not title_sets.TITLES.is_dir():
        print(f"no title sets at {title_sets.TITLES}: pass --titles DIR", file=sys.stderr)
        return 2
    counts = measure(phrases, args.gap, args.sets.split(",") if args.sets else None)
    rng = random.Random(SEED)
    for c in counts.values():
        if args.tsv:
            print(f"{c.phrase}\t{c.titles}\t{c.near}\t{c.sentence}")
            continue
        print(f"== {c.phrase}: {c.titles} titles, {c.near} within {args.gap} tokens of a mark, "
              f"{c.sentence} in a mark's sentence")
        pool = c.hits if args.all else [h for h in c.hits if h[2]]
        for set_name, text, near in rng.sample(pool, min(args.sample, len(pool))):
            print(f"   [{set_name}{' near' if near else ''}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
