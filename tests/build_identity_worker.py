"""The other side of tests/test_builds.py: answers for one build, run in its own process.

Reads one JSON request per line on stdin ({"title", "description", "keywords", "brand"}) and
writes one JSON line per request: the problems the Scanner reports (``to_dict`` each) and the
normalised views of the title (plain fold, its offset map, the evasion texts). The first line
it writes names the build that answers and where ``scanner.core.normalize`` was loaded from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def answer(scanner, request: dict) -> dict:
    from scanner.core.models import Listing
    from scanner.core.normalize import evasion_texts, plain_view

    listing = Listing("x", {k: request.get(k, "") for k in ("title", "description", "keywords")},
                      request.get("brand"), request.get("category"), "req:1")
    view = plain_view(request.get("title", ""))
    spans = [view.original_span(i, i + 1) for i in range(len(view.text))]
    return {
        "problems": [p.to_dict() for p in scanner.check(listing)],
        "plain": view.text,
        "spans": spans,
        "evasion": list(evasion_texts(view.text)),
    }


def main() -> None:
    from lg_paths import SMALL_MARKS
    from scanner import _build
    from scanner.core import normalize
    from scanner.core.engine import ScanSettings, Scanner
    from trademarks.lists import bundled_marks, read_marks
    from trademarks.nice import classes_for_category

    which = sys.argv[1] if len(sys.argv) > 1 else "small"
    marks = read_marks(SMALL_MARKS) if which == "small" else bundled_marks()
    scanner = Scanner(marks, ScanSettings(own_brands=("Puma",), class_of_category=classes_for_category))
    print(json.dumps({"build": _build.BUILD, "normalize": normalize.__file__}), flush=True)
    for line in sys.stdin:
        print(json.dumps(answer(scanner, json.loads(line)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
