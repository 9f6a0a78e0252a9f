"""The pre-commit hook with the real pre-commit framework and real git.

A throwaway repository's .pre-commit-config.yaml points at this checkout (at its HEAD
commit); a commit with a bad listing is refused with a readable message, a clean one passes.
Skips cleanly when git or pre-commit is missing, or the checkout's hook file is uncommitted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml  # pre-commit depends on PyYAML

ROOT = Path(__file__).resolve().parents[2]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
BAD = {"id": "SKU-1", "title": "Nike replica 1:1 running shoes AAA quality", "brand": "Acme"}
CLEAN = {"id": "SKU-2", "title": "Breathable mesh running shoes for men", "brand": "Acme"}


def _git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _checkout_rev() -> str:
    if not shutil.which("git") or not shutil.which("pre-commit"):
        pytest.skip("git and pre-commit are needed")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    status = subprocess.run(["git", "status", "--porcelain", "--", ".pre-commit-hooks.yaml"],
                            cwd=ROOT, capture_output=True, text=True).stdout
    if status.strip():
        pytest.skip(".pre-commit-hooks.yaml has uncommitted changes; pre-commit installs a committed rev")
    committed = subprocess.run(["git", "cat-file", "-e", "HEAD:scanner/cli/main.py"], cwd=ROOT).returncode == 0
    if not committed:
        pytest.skip("the checkout's HEAD has no scanner/cli/main.py yet")
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory) -> Path:
    shared = os.environ.get("LISTGUARD_TEST_PRE_COMMIT_HOME")
    return Path(shared) if shared else tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repo(tmp_path, precommit_home):
    rev = _checkout_rev()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LISTGUARD_"))}
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
                         "[safe]\n\tdirectory = *\n", encoding="utf-8")
    env.update(PRE_COMMIT_HOME=str(precommit_home), GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1",
               PRE_COMMIT_COLOR="never", NO_COLOR="1")
    work = tmp_path / "shop"
    work.mkdir()
    assert _git("init", "-q", cwd=work, env=env).returncode == 0
    config = {"repos": [{"repo": str(ROOT), "rev": rev, "hooks": [{"id": "listguard"}]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (work / "README.md").write_text("shop listings\n", encoding="utf-8")
    _git("add", ".", cwd=work, env=env)
    assert _git("commit", "-q", "-m", "init", cwd=work, env=env).returncode == 0
    install = subprocess.run(["pre-commit", "install"], cwd=work, env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    return work, env


def _write_listing(path: Path, record: dict[str, str]) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")


def test_hook_manifest_is_well_formed():
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert hook["id"] == "listguard" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["listguard", "scan"]
    pattern = re.compile(hook["files"])
    for name in ("a.csv", "b.tsv", "c.json", "d.jsonl", "e.xml", "dir/x.csv"):
        assert pattern.search(name)
    for name in ("a.py", "b.jsonl.bak", "README.md"):
        assert not pattern.search(name)


def test_commit_with_a_bad_listing_is_refused_and_a_clean_one_passes(repo):
    work, env = repo
    _write_listing(work / "listings.jsonl", BAD)
    _git("add", "listings.jsonl", cwd=work, env=env)
    refused = _git("commit", "-m", "add bad listing", cwd=work, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "listguard (trademark misuse in listings)" in output and "Failed" in output
    assert "SKU-1" in output and "TM102" in output
    assert _git("rev-list", "--count", "HEAD", cwd=work, env=env).stdout.strip() == "1"

    _write_listing(work / "listings.jsonl", CLEAN)
    _git("add", "listings.jsonl", cwd=work, env=env)
    accepted = _git("commit", "-m", "add clean listing", cwd=work, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert _git("rev-list", "--count", "HEAD", cwd=work, env=env).stdout.strip() == "2"


def test_pre_commit_run_files(repo):
    work, env = repo
    _write_listing(work / "bad.jsonl", BAD)
    _write_listing(work / "good.jsonl", CLEAN)
    _git("add", ".", cwd=work, env=env)
    bad = subprocess.run(["pre-commit", "run", "--files", "bad.jsonl"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1 and "TM102" in bad.stdout, bad.stdout + bad.stderr
    good = subprocess.run(["pre-commit", "run", "--files", "good.jsonl", "README.md"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
