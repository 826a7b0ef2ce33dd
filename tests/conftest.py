"""Shared fixtures: paths to the repo's sample data and small hand-made records."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
