from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.fixture
def fixture_path():
    def resolve(name: str) -> str:
        return str(FIXTURES / name)

    return resolve
