"""Expected roll-up files for the scale tests: the in-memory roll-ups of a tagged file.

Shared by the test modules that compare a streaming run's case and person files with
``pv.rollup_cases`` / ``pv.rollup_persons`` of the whole tagged output.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import pv_identify as pv
from pv_identify.io.readers import iter_arrow
from pv_identify.io.writers import write_extract


def expected_rollups(tagged: Path, tmp_path: Path, persons: bool = True
                     ) -> tuple[Path, Path]:
    """Write the in-memory case (and person) roll-ups of ``tagged`` as Parquet files."""
    whole = pd.concat([t.to_pandas() for t in iter_arrow(tagged, chunk_rows=700)],
                      ignore_index=True)
    a, b = tmp_path / "exp_cases.parquet", tmp_path / "exp_persons.parquet"
    write_extract(pv.rollup_cases(whole).reset_index(), a, {})
    if persons:
        write_extract(pv.rollup_persons(whole).reset_index(), b, {})
    return a, b


def same_parquet(got: Path, expected: Path) -> None:
    """Assert two Parquet files hold equal tables (schema included)."""
    left, right = pq.read_table(got), pq.read_table(expected)
    assert left.schema.equals(right.schema), (left.schema, right.schema)
    assert left.equals(right)


def small_parts(monkeypatch) -> None:
    """Small context and roll-up parts, small merge groups and output batches."""
    from pv_identify.stream import context_rollups, history, rollup_parts, rollups

    monkeypatch.setattr(history, "ROWS_PER_PART", 800)
    monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 1000)
    monkeypatch.setattr(rollup_parts, "_MERGE_GROUP_ROWS", (50, 50))
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    monkeypatch.setattr(context_rollups, "_FLUSH_BYTES", 300)


def same_as_expected(tagged: Path, cases: Path, persons: Path, tmp_path: Path) -> None:
    """Assert the case and person roll-ups equal the in-memory ones of ``tagged``."""
    exp_cases, exp_persons = expected_rollups(tagged, tmp_path)
    same_parquet(cases, exp_cases)
    same_parquet(persons, exp_persons)


def blank(frame: pd.DataFrame, persons: int, dates: int, seed: int = 4) -> pd.DataFrame:
    """Return ``frame`` with ``persons`` person ids and ``dates`` registration dates blanked.

    The rows are drawn at random (``numpy.random.default_rng(seed)``, persons first); the
    frame is changed in place and returned.
    """
    rng = np.random.default_rng(seed)
    if persons:
        frame.loc[rng.choice(len(frame), persons, replace=False), "jds_nummer"] = None
    if dates:
        frame.loc[rng.choice(len(frame), dates, replace=False), "inschrijvingsdatum"] = pd.NaT
    return frame
