"""Calibration of the synthetic extract to seed 001 (Table 3.1 and recidivism)."""

from __future__ import annotations

import pandas as pd
import pytest

from pv_identify.synth import TARGETS, SynthConfig, calibration_table, generate


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    df = generate(800_000, seed=2024, config=SynthConfig(emit_history=True))
    return calibration_table(df)


def test_enough_index_persons(table: pd.DataFrame) -> None:
    assert table.attrs["index_persons"] >= 2500


@pytest.mark.parametrize("name", [t.name for t in TARGETS])
def test_figure_within_tolerance(table: pd.DataFrame, name: str) -> None:
    row = table.set_index("figure").loc[name]
    assert abs(row["achieved"] - row["target"]) <= row["tolerance"], (
        f"{name}: achieved {row['achieved']:.4f}, target {row['target']:.4f} "
        f"+/- {row['tolerance']}"
    )


def test_shares_sum_to_one(table: pd.DataFrame) -> None:
    t = table.set_index("figure")["achieved"]
    for prefix in ("type: ", "country: ", "disposal: "):
        assert t[t.index.str.startswith(prefix)].sum() == pytest.approx(1.0, abs=1e-9)
