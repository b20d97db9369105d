"""Session 7 (issue 17): the context steps on two threads; the roll-ups from the context parts.

The steps' results and the roll-ups must not depend on how the work is spread:
one thread or two, any number of parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.stream import context_parts, history
from pv_identify.stream.model_cache import ModelCache


@pytest.fixture(scope="module")
def shipped():
    return pv.Tagger("default", model="default")


@pytest.fixture(scope="module")
def shuffled(extract) -> pd.DataFrame:
    frame = extract.head(4000).sample(frac=1, random_state=7).reset_index(drop=True)
    frame.loc[[5, 1800], "parketnummer"] = None
    frame.loc[[9, 2100], "jds_nummer"] = None
    frame.loc[[11, 3000], "inschrijvingsdatum"] = pd.NaT
    return frame


def _contexts(path, shipped, parts):
    cache = ModelCache(shipped)
    mapping = cache.prepare(list(pd.read_parquet(path).columns))
    reader = history.case_context(path, mapping, cache, 600, parts=parts)
    try:
        table = reader.take(len(pd.read_parquet(path))).table
    finally:
        reader.close()
    return table


@pytest.mark.parametrize("parts", [2, 5])
def test_steps_on_two_threads_equal_one_thread(tmp_path, shuffled, shipped, monkeypatch, parts):
    """Steps A, B and C with two workers write the context one worker writes."""
    src = tmp_path / "x.parquet"
    shuffled.to_parquet(src, index=False)
    monkeypatch.setattr(context_parts, "STEP_WORKERS", 1)
    one = _contexts(src, shipped, parts)
    monkeypatch.setattr(context_parts, "STEP_WORKERS", 2)
    assert context_parts.step_workers(parts) == min(2, __import__("os").cpu_count() or 1)
    two = _contexts(src, shipped, parts)
    assert one.equals(two)
    assert len(one) == len(shuffled)


def test_step_workers_bounds(monkeypatch):
    monkeypatch.setattr(context_parts, "STEP_WORKERS", 2)
    assert context_parts.step_workers(1) == 1
    assert 1 <= context_parts.step_workers(10) <= 2
    monkeypatch.setattr(context_parts, "STEP_WORKERS", 1)
    assert context_parts.step_workers(10) == 1


def test_steps_stop_cleanly_on_an_error(tmp_path, shuffled, shipped, monkeypatch):
    """An error in a worker's step surfaces in the caller; the scratch folder goes."""
    src = tmp_path / "x.parquet"
    shuffled.to_parquet(src, index=False)
    real = context_parts.step_b
    calls = []

    def failing(cases):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(cases)

    monkeypatch.setattr(context_parts, "step_b", failing)
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(RuntimeError, match="boom"):
        _contexts(src, shipped, 4)
    assert not list(scratch.iterdir())
    assert np.sum(calls) >= 2
