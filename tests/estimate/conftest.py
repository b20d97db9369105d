from pathlib import Path

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.estimate import tagged_columns

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_tagged() -> pd.DataFrame:
    """The bundled sample extract tagged with rules and the default model."""
    df = pd.read_csv(ROOT / "examples" / "sample_extract.csv", dtype=str,
                     keep_default_na=False)
    return pv.tag(df, model="default")


@pytest.fixture(scope="session")
def sample_view(sample_tagged):
    return tagged_columns(sample_tagged)


@pytest.fixture(scope="session")
def tagged_csv(sample_tagged, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tagged") / "tagged.csv"
    pv.write_extract(sample_tagged, path)  # with <path>.meta.json, as `pv-identify tag`
    return path
