"""Fixtures for the scale tests: small generated extracts."""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.rules.loader import load_rules
from pv_identify.synth import generate


@pytest.fixture(scope="session")
def extract() -> pd.DataFrame:
    """A 12,000-row synthetic extract (several chunks at the sizes used here)."""
    return generate(12_000, seed=11)


@pytest.fixture(scope="session")
def rules():
    return load_rules("default")


@pytest.fixture(scope="session")
def shipped():
    """The default rules with the shipped register model (loaded once)."""
    return pv.Tagger("default", model="default")
