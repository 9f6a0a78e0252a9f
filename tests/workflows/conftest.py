"""Fixtures for the workflow tests."""

from __future__ import annotations

import pytest

from wf_helpers import make_problem


@pytest.fixture
def problem_factory():
    return make_problem
