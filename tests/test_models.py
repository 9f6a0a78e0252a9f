"""The Problem record: what the engine leaves out when stamping is worked out on reading.

``Problem.stamped`` may leave ``fingerprint`` and ``extra`` (the match in context) to be made
the first time they are read; the record must then be indistinguishable from one built with
them given: equal, hashed alike, the same JSON, the same after pickling or replace().
"""

from __future__ import annotations

import dataclasses
import pickle

from scanner.core.models import Listing, Problem, fingerprint, snippet
from scanner.core.normalize import fold


def _stamped(scanner):
    # 代购 (a sourcing claim) is TM109's whoever the seller is; full-width text folds
    title = "Ｓｔｙｌｅ: 代购 NIKE Air running shoes, same comfort as a much dearer pair of trainers"
    problems = scanner.check(Listing("SKU-9", {"title": title}, source="a.jsonl:3"))
    assert [p.code for p in problems] == ["TM109"]
    return problems[0], title


def test_derived_fields_are_what_eager_stamping_gave(small_scanner):
    problem, title = _stamped(small_scanner)
    assert "fingerprint" not in problem.__dict__ and "extra" not in problem.__dict__  # not made yet
    assert problem.fingerprint == fingerprint("SKU-9", "title", "TM109", problem.mark, fold(problem.text))
    assert problem.extra == {"context": snippet(title, problem.start, problem.end)}
    assert problem.extra["context"] == "Ｓｔｙｌｅ: 代购 [[NIKE]] Air running shoes, same…"
    eager = Problem(**{f.name: getattr(problem, f.name) for f in dataclasses.fields(Problem)})
    assert eager == problem and hash(eager) == hash(problem) and eager.to_json() == problem.to_json()


def test_a_fresh_record_reads_its_fingerprint_through_to_json(small_scanner):
    problem, _ = _stamped(small_scanner)
    assert len(problem.to_dict()["fingerprint"]) == 24


def test_pickling_makes_the_derived_fields_and_leaves_the_field_text_behind(small_scanner):
    problem, title = _stamped(small_scanner)
    data = pickle.dumps(problem)
    assert title.encode("utf-8") not in data  # the whole field does not travel, only the snippet
    back = pickle.loads(data)
    assert back == problem and back.extra == problem.extra and back.fingerprint == problem.fingerprint


def test_replace_keeps_the_derived_fields(small_scanner):
    problem, _ = _stamped(small_scanner)
    changed = dataclasses.replace(problem, message="m")
    assert changed.fingerprint == problem.fingerprint and changed.extra == problem.extra


def test_given_values_win_over_derived_ones():
    problem = Problem("l", "title", 0, 4, "TM101", "r", 2, "Nike", None, "Nike", "m")  # type: ignore[arg-type]
    assert problem.fingerprint == "" and problem.extra == {}


def test_history_keys_a_bare_problem_as_the_engine_would(small_scanner):
    # A record built without a fingerprint is keyed by the same fold the engine uses, so
    # 'ＮＩＫＥ' (full width) and the stamped record share one history row.
    from scanner.workflows.history import problem_key

    stamped = small_scanner.check(Listing("S", {"title": "高仿ＮＩＫＥ鞋"}))[0]
    bare = dataclasses.replace(stamped, fingerprint="")
    assert problem_key(bare) == problem_key(stamped) == stamped.fingerprint
