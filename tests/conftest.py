"""Shared fixtures for the test suite."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def rulings() -> pd.DataFrame:
    """The 70 real qualifications of published rulings, with gold relationships."""
    return pd.read_json(DATA / "rulings_dev.jsonl", lines=True, dtype=False)
