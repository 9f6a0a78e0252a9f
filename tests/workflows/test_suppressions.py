"""Suppression files and baselines, read from and written to real files."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from scanner.errors import ConfigError
from scanner.workflows.baseline import write_baseline
from scanner.workflows.suppressions import SuppressionSet
from wf_helpers import make_problem

TODAY = dt.date(2025, 6, 1)
NIKE = make_problem("SKU-1", "TM102", "Nike")
LV = make_problem("SKU-2", "TM101", "LV", mark="Louis Vuitton", owner="LVMH")
LV_DESC = make_problem("SKU-2", "TM101", "Louis Vuitton", mark="Louis Vuitton", field="description")
GUCCI = make_problem("SKU-3", "TM103", "Gucci", mark="Gucci")


def write(tmp_path, *lines: str):
    path = tmp_path / ".listguard-ignore"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fingerprint_and_listing_code_entries(tmp_path):
    path = write(
        tmp_path,
        "# accepted",
        "",
        json.dumps({"fingerprint": NIKE.fingerprint, "reason": "licensed", "who": "alice"}),
        json.dumps({"listing": "SKU-2", "code": "tm101", "reason": "reseller", "who": "bob",
                    "expires": "2025-12-31"}),
        json.dumps({"listing": "SKU-9", "code": "TM101", "reason": "old", "who": "bob"}),
    )
    rules = SuppressionSet.load(path, TODAY)
    assert rules.match(NIKE).who == "alice"
    assert rules.match(LV).source == f"{path}:4" and rules.match(LV_DESC).reason == "reseller"
    assert rules.match(GUCCI) is None
    assert [e.source for e in rules.unused()] == [f"{path}:5"]
    assert rules.report() == [f"{path}:5: unused suppression: SKU-9 TM101 (old; bob)"]


def test_expired_entries_do_not_suppress_and_are_reported(tmp_path):
    path = write(tmp_path, json.dumps({"fingerprint": NIKE.fingerprint, "reason": "trial", "who": "carol",
                                       "expires": "2025-06-01"}))
    rules = SuppressionSet.load(path, TODAY)
    assert rules.match(NIKE) is None
    assert rules.report() == [
        f"{path}:1: suppression expired on 2025-06-01 and still matches a problem: "
        f"fingerprint {NIKE.fingerprint} (trial; carol)"
    ]
    assert SuppressionSet.load(path, dt.date(2025, 5, 31)).match(NIKE) is not None


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", ":1: not valid JSON"),
        ("[1, 2]", ":1: each line must be a JSON object"),
        ('{"listing": "A", "reason": "r", "who": "w"}', "needs 'fingerprint', or both 'listing' and 'code'"),
        ('{"fingerprint": "f", "listing": "A", "code": "TM101", "reason": "r", "who": "w"}', "not both"),
        ('{"fingerprint": "f", "who": "w"}', "'reason' must be a non-empty string"),
        ('{"fingerprint": "f", "reason": "r", "who": " "}', "'who' must be a non-empty string"),
        ('{"fingerprint": "f", "reason": "r", "who": "w", "expires": "31/12/2025"}', "must be a date"),
        ('{"fingerprint": "f", "reason": "r", "who": "w", "until": "x"}', "unknown key 'until'; allowed keys:"),
    ],
)
def test_bad_entries_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path, "# header", line)
    with pytest.raises(ConfigError) as err:
        SuppressionSet.load(path, TODAY)
    text = str(err.value)
    assert text.startswith(f"invalid config: {path}:2: ") and message.replace(":1:", "") in text


def test_missing_files(tmp_path):
    assert SuppressionSet.load(tmp_path / ".listguard-ignore").entries == []
    with pytest.raises(ConfigError, match="suppression file not found"):
        SuppressionSet.load(tmp_path / "nope.jsonl", required=True)


def test_baseline_then_only_new_problems_stand(tmp_path):
    path = tmp_path / ".listguard-ignore"
    result = write_baseline(path, [LV, NIKE, NIKE], who="team", today=TODAY)
    assert (result.added, result.already_covered, result.total_entries) == (2, 0, 2)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# listguard suppressions")
    entries = [json.loads(line) for line in lines if not line.startswith("#")]
    assert [e["fingerprint"] for e in entries] == [NIKE.fingerprint, LV.fingerprint]  # sorted by listing
    assert entries[0] == {"fingerprint": NIKE.fingerprint, "reason": "baseline", "who": "team",
                          "about": "SKU-1 title TM102 Nike: 'Nike'", "added": "2025-06-01"}
    rules = SuppressionSet.load(path, TODAY)
    assert [p.listing for p in (NIKE, LV, GUCCI) if rules.match(p) is None] == ["SKU-3"]


def test_baseline_appends_and_keeps_hand_written_lines(tmp_path):
    path = write(tmp_path, "# ours", json.dumps({"listing": "SKU-2", "code": "TM101", "reason": "r", "who": "w"}))
    before = path.read_text(encoding="utf-8")
    result = write_baseline(path, [LV, GUCCI], who="team", today=TODAY)
    assert (result.added, result.already_covered) == (1, 1)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before) and GUCCI.fingerprint in after.splitlines()[-1]
    again = write_baseline(path, [LV, GUCCI], who="team", today=TODAY)
    assert again.added == 0 and path.read_text(encoding="utf-8") == after
    replaced = write_baseline(path, [GUCCI], who="team", replace=True, today=TODAY)
    assert replaced.total_entries == 1 and "# ours" not in path.read_text(encoding="utf-8")
