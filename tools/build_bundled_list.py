"""Build trademarks/data/marks.csv, the bundled trademark list, from its seeds.

Inputs
- ``trademarks/data/curated.tsv``: the hand-written rows (mark, aliases, owner, classes, case,
  famous, exceptions). ``@classes N|N`` lines set default classes for the rows below them;
  ``@sector NAME`` lines set the sector of the rows below them (written as the ``sector``
  column: what kind of goods the mark is known for; see ``SECTORS``).
- ``fixtures/seeds/nsi_brand_en_zh_pairs.tsv`` (BSD-3, committed; ``--nsi`` overrides): Chinese
  names (simplified and traditional) of curated marks, added as aliases when the NSI item is a
  consumer shop brand, the form is new, and it is not blocked below. A copy of the shared
  data's ``brands/nsi_name_suggestion_index/nsi_brand_en_zh_pairs.tsv``
  (see ``fixtures/seeds/SOURCE.md``), so ``--check`` needs nothing outside the repository.
- ``<shared>/brands/amazon_brand_filter_list/brands.txt`` (MIT) and
  ``<shared>/brands/dariusk_corpora_corporations/*.json`` (CC0), optional: cross-checked for
  provenance only (how many marks each source confirms); they add no rows by themselves.

The shared folder defaults to ``../shared/data`` next to the repository (``--shared`` overrides);
it only feeds the cross-check counts printed on stderr, never the output. The output is
deterministic: rows sorted by casefolded mark, aliases in seed order, classes ascending, LF
line ends. Two forms are the same form when the engine folds them alike
(``scanner.core.normalize.fold``): that is when they would collide in the matcher.

Usage: python tools/build_bundled_list.py [--shared DIR] [--nsi FILE] [--out FILE] [--check]
(run it in the project's environment: it imports ``scanner``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from scanner.core.normalize import fold
from trademarks.models import split_form  # noqa: E402  (after the sys.path set-up above)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "trademarks" / "data"
COLUMNS = ("mark", "aliases", "owner", "classes", "case", "famous", "exceptions")
OUT_COLUMNS = (*COLUMNS, "sector")
# What the scanner reads from a mark's sector (scanner/core/sectors.py): device makers whose
# accessories name them for compatibility, IP licensed onto merchandise, and the rest.
SECTORS = ("fashion", "apparel", "sportswear", "watch", "cosmetics", "electronics", "platform", "ip", "appliance",
           "auto", "food")
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
DEFAULT_NSI = ROOT / "fixtures" / "seeds" / "nsi_brand_en_zh_pairs.tsv"

# NSI categories whose brands are consumer goods sold under the same mark.
NSI_CATEGORIES = ("shop/clothes", "shop/shoes", "shop/sports", "shop/cosmetics", "shop/jewelry",
                  "shop/watches", "shop/electronics", "shop/mobile_phone", "shop/toys",
                  "shop/bag", "shop/outdoor", "shop/car", "shop/perfumery", "shop/beauty",
                  "shop/optician", "shop/fashion_accessories", "shop/boutique",
                  "shop/mobile_phone_accessories", "shop/furniture", "shop/houseware",
                  "shop/appliance", "shop/computer", "shop/hifi", "shop/chemist",
                  "shop/variety_store", "shop/department_store", "shop/baby_goods",
                  "shop/motorcycle", "shop/bicycle", "shop/confectionery", "shop/tea",
                  "shop/coffee", "amenity/cafe", "amenity/fast_food")
# NSI pairs that are a different business with the same Latin name, or a shop name rather
# than the mark (reviewed by hand on each rebuild: the script prints what it adds).
NSI_BLOCK = {
    ("wilson", "衛訊"),  # a Taiwanese phone shop, not Wilson Sporting Goods
    ("li auto", "理想"),  # 理想 is the ordinary word "ideal"
    ("toyota", "丰田汽车"),  # a dealer/shop name; 丰田 is the mark
    ("suning", "苏宁易购"),
}


def split_bar(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def read_curated(path: Path) -> list[dict]:
    rows: list[dict] = []
    default_classes = ""
    sector = ""
    header: list[str] | None = None
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@classes"):
            default_classes = line.split(None, 1)[1].strip() if " " in line else ""
            continue
        if line.startswith("@sector"):
            sector = line.split(None, 1)[1].strip() if " " in line else ""
            if sector not in SECTORS:
                sys.exit(f"{path}:{line_no}: unknown sector {sector!r}; use one of {', '.join(SECTORS)}")
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(header) != COLUMNS:
                sys.exit(f"{path}:{line_no}: header must be {COLUMNS}")
            continue
        if len(cells) > len(COLUMNS):
            sys.exit(f"{path}:{line_no}: {len(cells)} cells, expected at most {len(COLUMNS)}")
        row = dict(zip(COLUMNS, [c.strip() for c in cells] + [""] * (len(COLUMNS) - len(cells)), strict=True))
        row["classes"] = row["classes"] or default_classes
        row["sector"] = sector
        row["line"] = f"{path.name}:{line_no}"
        row["sources"] = {"curated"}
        rows.append(row)
    return rows


def key(form: str) -> str:
    """A form's folded key, its {kind} annotation (Kelly{exact}, 驴牌{nickname}) stripped."""
    return fold(split_form(form)[0])


def normalise(row: dict) -> dict:
    mark = row["mark"]
    aliases: list[str] = []
    seen = {key(mark)}
    for alias in split_bar(row["aliases"]):
        if key(alias) not in seen:
            seen.add(key(alias))
            aliases.append(alias)
    classes = sorted({int(c) for c in split_bar(row["classes"])})
    exceptions: list[str] = []
    for exc in split_bar(row["exceptions"]):
        if exc not in exceptions:
            exceptions.append(exc)
    famous = row["famous"].strip().lower()
    return {**row, "aliases": aliases, "classes": classes, "exceptions": exceptions,
            "case": (row["case"] or "fold").lower(), "famous": "yes" if famous in ("yes", "y") else ""}


def add_nsi_aliases(rows: list[dict], path: Path, used: dict[str, str]) -> int:
    if not path.is_file():
        sys.exit(f"{path}: no such file (the NSI seed; pass --nsi FILE)")
    by_form: dict[str, dict] = {}
    for row in rows:
        for form in (row["mark"], *row["aliases"]):
            if any("a" <= ch.lower() <= "z" for ch in form):
                by_form.setdefault(fold(form), row)
    added = 0
    with path.open(encoding="utf-8") as handle:
        for item in csv.DictReader(handle, delimiter="\t"):
            latin, zh = item["brand_latin"].strip(), item["brand_zh"].strip()
            cats = item["categories"].split(",")
            row = by_form.get(fold(latin))
            if row is None or not zh or (fold(latin), zh) in NSI_BLOCK:
                continue
            if not any(cat in NSI_CATEGORIES for cat in cats):
                continue
            row["sources"].add("nsi")
            if fold(zh) in used:
                continue
            row["aliases"].append(zh)
            used[fold(zh)] = row["mark"]
            added += 1
            print(f"nsi alias: {row['mark']} += {zh} ({item['categories']})", file=sys.stderr)
    return added


def confirm_sources(rows: list[dict], shared: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    amazon = shared / "brands" / "amazon_brand_filter_list" / "brands.txt"
    if amazon.is_file():
        names["amazon"] = {fold(n.strip()) for n in amazon.read_text(encoding="utf-8").splitlines()}
    corp = shared / "brands" / "dariusk_corpora_corporations"
    if corp.is_dir():
        found: set[str] = set()
        for file in sorted(corp.glob("*.json")):
            found |= {fold(s) for s in _json_strings(json.loads(file.read_text(encoding="utf-8")))}
        names["corpora"] = found
    for source, known in names.items():
        for row in rows:
            if any(fold(form) in known for form in (row["mark"], *row["aliases"])):
                row["sources"].add(source)
                counts[source] = counts.get(source, 0) + 1
    return counts


def _json_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _json_strings(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "description" for s in _json_strings(item)]
    return []


# nicknames.tsv kind -> the annotation its form carries in the list
NICKNAME_KINDS = {"nickname": "nickname", "shorthand": "ordinary", "ordinary": "ordinary"}


def merge_forms(rows: list[dict], lines_path: Path, nicknames_path: Path) -> None:
    """Add the product lines (mark, line, source) and the nicknames and shorthand (mark, form,
    kind, note) to their mark's aliases: a hit on "Birkin" or 驴牌 reports the house."""
    by_mark = {row["mark"]: row for row in rows}
    extra: list[tuple[str, str, str]] = []  # (file:line, mark, form)
    for path, columns in ((lines_path, 3), (nicknames_path, 4)):
        if not path.is_file():
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not text.strip() or text.startswith("#") or number == 1:
                continue
            cells = text.split("\t")
            if len(cells) < columns - 1:
                sys.exit(f"{path}:{number}: expected {columns} TAB-separated cells")
            mark, form = cells[0].strip(), cells[1].strip()
            if path == nicknames_path:
                kind = cells[2].strip()
                if kind not in NICKNAME_KINDS:
                    sys.exit(f"{path}:{number}: unknown kind {kind!r}; use {', '.join(NICKNAME_KINDS)}")
                if split_form(form)[1] is None:
                    form = f"{form}{{{NICKNAME_KINDS[kind]}}}"
            if mark not in by_mark:
                sys.exit(f"{path}:{number}: no mark named {mark!r} in the curated list")
            extra.append((f"{path.name}:{number}", mark, form))
    for _where, mark, form in extra:
        row = by_mark[mark]
        existing = {key(f): n for n, f in enumerate(row["aliases"])}
        if key(form) in existing:
            n = existing[key(form)]
            if split_form(form)[1] is not None and split_form(row["aliases"][n])[1] is None:
                row["aliases"][n] = split_form(row["aliases"][n])[0] + form[len(split_form(form)[0]):]
        elif key(form) != key(row["mark"]):
            row["aliases"].append(form)


def check_unique(rows: list[dict]) -> dict[str, str]:
    used: dict[str, str] = {}
    problems = []
    for row in rows:
        for form in (row["mark"], *row["aliases"]):
            k = key(form)
            if k in used and used[k] != row["mark"]:
                problems.append(f"{row['line']}: {form!r} of {row['mark']!r} already used by {used[k]!r}")
            used.setdefault(k, row["mark"])
    if problems:
        sys.exit("duplicate forms:\n" + "\n".join(problems))
    return used


def render(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUT_COLUMNS)
    for row in sorted(rows, key=lambda r: r["mark"].casefold()):
        writer.writerow([row["mark"], "|".join(row["aliases"]), row["owner"],
                         "|".join(str(c) for c in row["classes"]), row["case"], row["famous"],
                         "|".join(row["exceptions"]), row["sector"]])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--seed", type=Path, default=DATA / "curated.tsv")
    parser.add_argument("--nsi", type=Path, default=DEFAULT_NSI)
    parser.add_argument("--out", type=Path, default=DATA / "marks.csv")
    parser.add_argument("--check", action="store_true", help="fail if --out differs from a rebuild")
    args = parser.parse_args(argv)

    rows = [normalise(r) for r in read_curated(args.seed)]
    merge_forms(rows, DATA / "product_lines.tsv", DATA / "nicknames.tsv")
    used = check_unique(rows)
    nsi = add_nsi_aliases(rows, args.nsi, used)
    counts = confirm_sources(rows, args.shared) if args.shared.is_dir() else {}
    text = render(rows)
    print(f"{len(rows)} marks; {sum(len(r['aliases']) for r in rows)} aliases; "
          f"nsi aliases added {nsi}; marks with an nsi pair "
          f"{sum('nsi' in r['sources'] for r in rows)}; confirmed by {counts}", file=sys.stderr)
    if args.check:
        if not args.out.is_file() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is out of date: rebuild it", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
