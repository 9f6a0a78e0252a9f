"""Shared fixtures: paths, a small deterministic mark list, a scanner over it."""

from __future__ import annotations

import os
import tempfile

import pytest

from lg_paths import SMALL_MARKS
from scanner.core.engine import ScanSettings, Scanner
from trademarks.lists import read_marks

# The automaton cache (scanner/core/matcher_cache.py) of every test and the CLI processes they
# start goes to one directory of this session, never the user's ~/.cache.
os.environ.setdefault("LISTGUARD_CACHE_DIR", tempfile.mkdtemp(prefix="listguard-test-cache-"))


@pytest.fixture(scope="session")
def small_marks():
    return read_marks(SMALL_MARKS)


@pytest.fixture(scope="session")
def small_scanner(small_marks):
    return Scanner(small_marks, ScanSettings())


@pytest.fixture(scope="session")
def dask_cluster():
    """A real distributed.LocalCluster with two worker processes (one thread each), shared by
    the Dask tests; yields its scheduler address."""
    import logging

    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(autouse=True)
def _no_user_database(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's default database (~/.local/share/listguard):
    commands that fall back to it (docs/registry.md) find a fresh, empty data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv("LISTGUARD_DB", raising=False)
