"""How right listguard is on real listings: counts, precision on hand-judged findings, recall
on labelled brands, and the JD compatibility figure.

    python bench/accuracy.py                       # every figure, bundled list
    python bench/accuracy.py --sets jd,myntra      # some sets only
    python bench/accuracy.py --to-judge FILE       # write the sampled findings that still need a verdict

Reads the real title sets in ../shared/data/titles when present (evaluation-only data; see
bench/title_sets.py) and the judged findings in fixtures/judged/*.jsonl (ours: one finding per
line with its listing, verdict and why).

Precision is estimated the way the judged sample was drawn: per (code, language) cell, a
seeded random sample of the findings the current version reports (``SAMPLE_PER_CELL`` each,
seed ``SEED``); a sampled finding without a verdict is listed for judging. Cell precision is
then weighted by how often the cell fires across all sets, so a rare code does not count as
much as TM107.

Verdicts: ``tp`` a rights holder could complain about this use of the mark at this severity
(or, for DS201 and TM110, the text really disparages / offers counterfeits); ``fp`` it could
not (compatibility, the product's own brand, an ordinary word, a harmless phrase...).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path
from typing import Any, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from title_sets import SETS, Labelled, available  # noqa: E402

from scanner.core.engine import ScanSettings, Scanner  # noqa: E402
from scanner.core.models import Listing, Problem, Severity  # noqa: E402
from scanner.core.normalize import fold  # noqa: E402
from trademarks.lists import bundled_marks  # noqa: E402
from trademarks.models import CASE_EXACT  # noqa: E402
from trademarks.nice import classes_for_category  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "fixtures" / "judged"
SEED = 20261203
SAMPLE_PER_CELL = 25


def scanner() -> Scanner:
    return Scanner(bundled_marks(), ScanSettings(class_of_category=classes_for_category))


def scan_sets(scan: Scanner, names: Iterable[str]) -> list[tuple[Labelled, list[Problem]]]:
    out = []
    for name in names:
        items = list(SETS[name]())
        for start in range(0, len(items), 512):
            chunk = items[start:start + 512]
            for item, problems in zip(chunk, scan.check_batch([i.listing for i in chunk]), strict=True):
                out.append((item, problems))
    return out


def listing_record(listing: Listing) -> dict[str, Any]:
    return {"id": listing.id, "fields": dict(listing.fields), "brand": listing.brand, "category": listing.category}


def listing_from(record: dict[str, Any]) -> Listing:
    return Listing(record["id"], record["fields"], record.get("brand"), record.get("category"))


def finding_key(listing: dict[str, Any], p: Problem | dict[str, Any]) -> tuple:
    get = (lambda k: p[k]) if isinstance(p, dict) else (lambda k: getattr(p, k))
    return (json.dumps(listing["fields"], ensure_ascii=False, sort_keys=True), listing.get("brand"),
            listing.get("category"), get("field"), get("start"), get("end"), get("code"), get("mark"))


def load_judged() -> dict[tuple, dict[str, Any]]:
    judged = {}
    for path in sorted(JUDGED.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                if record.get("verdict") not in ("tp", "fp"):
                    raise SystemExit(f"{path}:{number}: verdict must be tp or fp")
                judged[finding_key(record["listing"], record)] = record
    return judged


def _print_counts(results: list[tuple[Labelled, list[Problem]]]) -> None:
    by_set: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    listings = collections.Counter()
    for item, problems in results:
        listings[item.dataset] += 1
        for p in problems:
            by_set[item.dataset][p.code] += 1
    codes = sorted({c for counter in by_set.values() for c in counter})
    print("findings per set and code")
    print(f"  {'set':<13}{'listings':>9} " + " ".join(f"{c:>6}" for c in codes))
    for name, count in listings.items():
        print(f"  {name:<13}{count:>9} " + " ".join(f"{by_set[name][c]:>6}" for c in codes))
    print()


def jd_compatibility(results: list[tuple[Labelled, list[Problem]]]) -> tuple[int, int]:
    """JD titles with a declared own brand (type 1) and third-party brands labelled as named for
    compatibility (type 37): how many are flagged at warning or worse on a third-party brand."""
    total = flagged = 0
    for item, problems in results:
        if item.dataset != "jd" or not item.listing.brand:
            continue
        third = [s for s in item.spans if s.kind == "third"]
        if not third:
            continue
        total += 1
        if any(p.severity >= Severity.WARNING and p.field == "title" and
               any(p.start < s.end and s.start < p.end for s in third) for p in problems):
            flagged += 1
    return flagged, total


def brand_recall(scan: Scanner, results: list[tuple[Labelled, list[Problem]]]) -> dict[str, tuple[int, int]]:
    """Labelled Taobao brand spans whose surface is a form of a listed mark: how many does the
    scanner recognise as that brand (a mark hit over the span that nothing leaves in doubt:
    what every rule then judges; one cue's finding names the first of two forms of a house)?
    Split out: CJK forms of case=exact marks, and those not annotated ordinary."""
    index = scan.index
    counts = {"all": [0, 0], "exact-cjk": [0, 0], "exact-cjk-not-ordinary": [0, 0]}
    for item, _problems in results:
        if item.dataset != "taobao-ner":
            continue
        hits = None
        for span in item.spans:
            marks = index.by_form.get(fold(span.surface))
            if not marks:
                continue
            if hits is None:
                hits = [h for h in scan.context(item.listing).mark_hits() if h.field == "title" and not h.doubtful]
            found = any(h.start < span.end and span.start < h.end for h in hits)
            counts["all"][0] += found
            counts["all"][1] += 1
            exact = any(index.marks[i].case == CASE_EXACT for i in marks)
            if exact and not any(ch.isascii() for ch in span.surface):
                counts["exact-cjk"][0] += found
                counts["exact-cjk"][1] += 1
                # 苹果, 亚马逊: annotated {ordinary}, they count only when something backs them
                if not any(index.kinds.get((i, fold(span.surface))) == "ordinary" for i in marks):
                    counts["exact-cjk-not-ordinary"][0] += found
                    counts["exact-cjk-not-ordinary"][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def sample_cells(results: list[tuple[Labelled, list[Problem]]], per_cell: int, seed: int
                 ) -> tuple[dict[tuple[str, str], list[tuple[Labelled, Problem]]], collections.Counter]:
    cells: dict[tuple[str, str], list[tuple[Labelled, Problem]]] = collections.defaultdict(list)
    for item, problems in results:
        for p in problems:
            if p.severity >= Severity.WARNING:
                cells[(p.code, item.lang)].append((item, p))
    sizes = collections.Counter({cell: len(found) for cell, found in cells.items()})
    sampled = {}
    for cell in sorted(cells):
        found = cells[cell]
        rng = random.Random(f"{seed}:{cell[0]}:{cell[1]}")
        sampled[cell] = rng.sample(found, min(per_cell, len(found)))
    return sampled, sizes


def judged_record(item: Labelled, p: Problem) -> dict[str, Any]:
    return {"dataset": item.dataset, "lang": item.lang, "listing": listing_record(item.listing), "field": p.field,
            "start": p.start, "end": p.end, "text": p.text, "code": p.code, "severity": p.severity.label,
            "mark": p.mark, "message": p.message, "verdict": "", "why": ""}


def precision(results, judged, per_cell, seed, to_judge: Path | None) -> None:
    sampled, sizes = sample_cells(results, per_cell, seed)
    missing = []
    print(f"precision of warning-or-worse findings (sample of {per_cell} per code and language, seed {seed})")
    print(f"  {'code':<6}{'lang':<5}{'fires':>7}{'judged':>8}{'tp':>5}{'fp':>5}{'precision':>11}")
    weighted_num = weighted_den = 0.0
    tp_all = fp_all = 0
    for cell, found in sampled.items():
        tp = fp = 0
        for item, p in found:
            record = judged.get(finding_key(listing_record(item.listing), p))
            if record is None:
                missing.append(judged_record(item, p))
            elif record["verdict"] == "tp":
                tp += 1
            else:
                fp += 1
        n = tp + fp
        share = f"{tp / n:>10.0%}" if n else f"{'-':>10}"
        print(f"  {cell[0]:<6}{cell[1]:<5}{sizes[cell]:>7}{n:>8}{tp:>5}{fp:>5} {share}")
        if n:
            weighted_num += sizes[cell] * tp / n
            weighted_den += sizes[cell]
        tp_all += tp
        fp_all += fp
    if tp_all + fp_all:
        print(f"  sample precision {tp_all / (tp_all + fp_all):.1%} ({tp_all} of {tp_all + fp_all}); "
              f"weighted by how often each cell fires {weighted_num / weighted_den:.1%}")
    if missing:
        print(f"  {len(missing)} sampled findings have no verdict yet"
              + (f": written to {to_judge}" if to_judge else " (--to-judge FILE writes them)"))
        if to_judge:
            to_judge.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in missing), encoding="utf-8")
    print()


def lost_true_positives(scan: Scanner, judged: dict[tuple, dict[str, Any]]) -> None:
    """Judged true positives the current version no longer reports at their severity or worse."""
    lost = []
    for record in judged.values():
        if record["verdict"] != "tp":
            continue
        listing = listing_from(record["listing"])
        problems = scan.check(listing)
        owner = {scan.index.groups[i] for i in scan.index.by_form.get(fold(record["mark"] or ""), ())}
        severity = Severity.parse(record.get("severity", "warning"))
        if not any(finding_key(record["listing"], p) == finding_key(record["listing"], record) or
                   (p.field == record["field"] and p.severity >= severity and
                    ((p.start < record["end"] and record["start"] < p.end) or
                     # one cue's finding names the first of two forms of a house
                     (p.code == record["code"] and owner & {scan.index.groups[i] for i in
                                                           scan.index.by_form.get(fold(p.mark or ""), ())})))
                   for p in problems):
            lost.append(record)
    print(f"judged true positives no longer reported at their severity: {len(lost)}")
    for record in lost[:40]:
        print(f"  {record['code']} {record['mark']} {record['listing']['fields'].get('title', '')[:70]!r}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--per-cell", type=int, default=SAMPLE_PER_CELL)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--to-judge", type=Path, default=None)
    args = parser.parse_args(argv)
    if not available():
        print("accuracy: ../shared/data/titles is not here; nothing to measure", file=sys.stderr)
        return 0
    scan = scanner()
    names = [n for n in args.sets.split(",") if n]
    results = scan_sets(scan, names)
    judged = load_judged()
    _print_counts(results)
    if "jd" in names:
        flagged, total = jd_compatibility(results)
        print(f"JD compatibility-only titles flagged at warning or worse on the third-party brand: "
              f"{flagged} of {total} ({flagged / max(total, 1):.1%}; target <= 5%)\n")
    if "taobao-ner" in names:
        recall = brand_recall(scan, results)
        for name, (found, total) in recall.items():
            print(f"brand recall on labelled Taobao titles ({name}): {found} of {total} ({found / max(total, 1):.1%})")
        print()
    precision(results, judged, args.per_cell, args.seed, args.to_judge)
    lost_true_positives(scan, judged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
