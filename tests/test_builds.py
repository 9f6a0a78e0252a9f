"""The compiled build (mypyc, setup.py) and the pure-Python build give identical answers.

This process runs whichever build is installed; a subprocess runs the pure sources
(``LISTGUARD_PURE=1``, tests/build_identity_worker.py) and answers the same requests: every
fixture listing and case, and generated titles full of marks, cues, disguises, look-alikes,
width and case changes. Problems, plain views, their offset maps and evasion texts must be
equal. Where the compiled build is absent (no compiler at install), the comparison would be
pure against pure: skipped, and said so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from build_identity_worker import answer
from hypothesis import HealthCheck, example, given, settings, strategies as st
from test_prefilter import titles

from lg_paths import FIXTURES, ROOT, SMALL_MARKS
from scanner import _build
from scanner.core.engine import ScanSettings, Scanner
from trademarks.lists import bundled_marks, read_marks
from trademarks.nice import classes_for_category

compiled_only = pytest.mark.skipif(_build.BUILD != "mypyc", reason=f"the compiled build is not running ({_build.BUILD})")


class PureWorker:
    def __init__(self, marks: str) -> None:
        env = {**os.environ, "LISTGUARD_PURE": "1", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("build_identity_worker.py")), marks],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True,
                                     encoding="utf-8")
        self.hello = json.loads(self.proc.stdout.readline())

    def ask(self, request: dict) -> dict:
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _scanner(marks) -> Scanner:
    return Scanner(marks, ScanSettings(own_brands=("Puma",), class_of_category=classes_for_category))


@pytest.fixture(scope="module")
def small_pair():
    worker = PureWorker("small")
    yield _scanner(read_marks(SMALL_MARKS)), worker
    worker.close()


@pytest.fixture(scope="module")
def bundled_pair():
    worker = PureWorker("bundled")
    yield _scanner(bundled_marks()), worker
    worker.close()


def _same(scanner: Scanner, worker: PureWorker, request: dict) -> None:
    mine = json.loads(json.dumps(answer(scanner, request), ensure_ascii=False))  # tuples as lists
    assert mine == worker.ask(request), request


def _fixture_requests() -> list[dict]:
    requests = []
    for name in ("findings.jsonl", "ordinary_words.jsonl"):
        for line in (FIXTURES / "cases" / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            requests.append({k: case[k] for k in ("title", "description", "brand", "category") if case.get(k)})
    for line in (FIXTURES / "sample_catalog.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        requests.append({"title": record.get("title", ""), "description": record.get("description") or "",
                         "brand": record.get("brand"), "category": record.get("category")})
    return requests


def test_ci_runs_the_compiled_build_where_it_can():
    # .ci/run installs the compiled build last; a silent fall-back would skip the comparison
    if os.environ.get("CI") and shutil.which("cc") and sys.implementation.name == "cpython":
        assert _build.BUILD == "mypyc", f"CI with a C compiler runs {_build.BUILD}: see `pip install -v -e .`"


@compiled_only
def test_the_worker_runs_the_pure_sources(small_pair):
    _, worker = small_pair
    assert worker.hello["build"].startswith("pure") and worker.hello["normalize"].endswith("normalize.py")
    from scanner.core import normalize

    assert not normalize.__file__.endswith(".py")


@compiled_only
def test_fixtures_give_identical_answers(bundled_pair):
    scanner, worker = bundled_pair
    requests = _fixture_requests()
    assert len(requests) > 100
    for request in requests:
        _same(scanner, worker, request)


@compiled_only
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=titles, description=st.one_of(st.just(""), titles, st.text(max_size=40)),
       keywords=st.one_of(st.just(""), titles), brand=st.sampled_from([None, "Nike", "耐克", "Acme", "Puma"]))
@example(title="N-i-k-e shoes İß", description="compatible with iPhone 15", keywords="", brand=None)
def test_generated_listings_give_identical_answers(small_pair, title, description, keywords, brand):
    scanner, worker = small_pair
    _same(scanner, worker, {"title": title, "description": description, "keywords": keywords, "brand": brand})


def test_memoised_properties_are_worked_out_once(small_pair):
    # mypyc turns functools.cached_property into a plain property: the compiled build walked
    # every mark on every field for near_forms (3x the pure build's time on 1,000 listings)
    from scanner.core.context import FieldContext

    scanner, _ = small_pair
    assert scanner.index.near_forms is scanner.index.near_forms
    context = FieldContext("title", "Nike。Adidas", [], [], [])
    assert context.segment_starts is context.segment_starts
