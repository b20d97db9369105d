"""Session 11 (issue 17): the roll-up phase after a model run.

The Parquet roll-ups check the Arrow route against pandas on the first rows only; the
model cache is freed by reference counting (no full collection before the roll-ups).
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pv_identify as pv
from pv_identify.io.readers import iter_arrow
from pv_identify.io.writers import write_extract
from pv_identify.stream import context_rollups, history, rollup_parts, rollups, runner


@pytest.fixture(scope="module")
def frame(extract) -> pd.DataFrame:
    """Shuffled rows with missing persons and dates; every case id present."""
    out = extract.head(4000).sample(frac=1, random_state=5).reset_index(drop=True)
    rng = np.random.default_rng(4)
    out.loc[rng.choice(len(out), 30, replace=False), "jds_nummer"] = None
    out.loc[rng.choice(len(out), 150, replace=False), "inschrijvingsdatum"] = pd.NaT
    return out


@pytest.fixture
def parts(monkeypatch):
    """Small context and roll-up parts, small merge groups and output batches."""
    monkeypatch.setattr(history, "ROWS_PER_PART", 800)
    monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 1000)
    monkeypatch.setattr(rollup_parts, "_MERGE_GROUP_ROWS", (50, 50))
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    monkeypatch.setattr(context_rollups, "_FLUSH_BYTES", 300)


def _expected(tagged: Path, tmp_path: Path) -> tuple[Path, Path]:
    whole = pd.concat([t.to_pandas() for t in iter_arrow(tagged, chunk_rows=700)],
                      ignore_index=True)
    a, b = tmp_path / "exp_cases.parquet", tmp_path / "exp_persons.parquet"
    write_extract(pv.rollup_cases(whole).reset_index(), a, {})
    write_extract(pv.rollup_persons(whole).reset_index(), b, {})
    return a, b


def _same(got: Path, expected: Path) -> None:
    left, right = pq.read_table(got), pq.read_table(expected)
    assert left.schema.equals(right.schema), (left.schema, right.schema)
    assert left.equals(right)


def _run(frame, tmp_path, tagger):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=900)
    out, cases, persons = (tmp_path / f"{n}.parquet" for n in ("out", "cases", "persons"))
    runner.tag_file(src, out, tagger, chunk_rows=700, progress=False,
                    cases_path=cases, persons_path=persons)
    return out, cases, persons


def _counting(monkeypatch, name):
    """Count the rows each call of ``RollupStore.<name>`` (a pandas conversion) gets."""
    seen: list[int] = []
    real = getattr(rollups.RollupStore, name)

    def wrapped(self, batch, *args):
        seen.append(batch.num_rows)
        return real(self, batch, *args)

    monkeypatch.setattr(rollups.RollupStore, name, wrapped)
    return seen


@pytest.mark.parametrize("model", [False, True])
def test_only_the_first_rows_go_through_pandas(tmp_path, frame, shipped, rules, parts,
                                               monkeypatch, model):
    """The check converts the first CHECK_ROWS rows both ways; the files are unchanged."""
    monkeypatch.setattr(rollups, "CHECK_ROWS", 5)
    cases_seen = _counting(monkeypatch, "_case_frame")
    persons_seen = _counting(monkeypatch, "_person_frame")
    out, cases, persons = _run(frame, tmp_path, shipped if model else rules)
    assert cases_seen == [5] and persons_seen == [5]
    exp_cases, exp_persons = _expected(out, tmp_path)
    _same(cases, exp_cases)
    _same(persons, exp_persons)


def test_a_failed_check_sends_every_batch_through_pandas(tmp_path, frame, rules, parts,
                                                        monkeypatch):
    """If the Arrow route cannot give the checked rows, every batch goes through pandas."""
    monkeypatch.setattr(rollups, "CHECK_ROWS", 5)

    def broken(self, batch, per_word):
        raise ValueError("no Arrow route")

    monkeypatch.setattr(rollups.RollupStore, "_case_table", broken)
    cases_seen = _counting(monkeypatch, "_case_frame")
    out, cases, persons = _run(frame, tmp_path, rules)
    # the first batch's head, then whole batches of at most BATCH_ROWS rows (97)
    assert cases_seen[0] == 5 and len(cases_seen) > 3
    assert sum(cases_seen[1:]) == pq.read_metadata(cases).num_rows
    exp_cases, exp_persons = _expected(out, tmp_path)
    _same(cases, exp_cases)
    _same(persons, exp_persons)


def test_check_of_a_short_first_batch(tmp_path, frame, rules, parts, monkeypatch):
    """A first batch shorter than CHECK_ROWS is converted whole (as before)."""
    monkeypatch.setattr(rollups, "CHECK_ROWS", 10_000)
    cases_seen = _counting(monkeypatch, "_case_frame")
    out, cases, persons = _run(frame, tmp_path, rules)
    assert len(cases_seen) == 1 and cases_seen[0] <= 97
    exp_cases, exp_persons = _expected(out, tmp_path)
    _same(cases, exp_cases)
    _same(persons, exp_persons)


def test_model_cache_is_freed_without_a_collection(tmp_path, frame, shipped, parts,
                                                   monkeypatch):
    """Dropping the model cache after pass 2 frees it (and its scorer): no reference cycle."""
    refs: list[weakref.ref] = []
    real = runner._release_model_caches

    def release(state):
        cache = state["job"]._model_cache
        assert cache is not None and cache._scorer is not None
        assert cache._scorer._context_pieces is not None  # the piece that made a cycle
        refs.extend([weakref.ref(cache), weakref.ref(cache._scorer)])
        del cache
        collected: list[int] = []
        monkeypatch.setattr(runner.gc, "collect", lambda *a: collected.append(1) or 0)
        enabled = gc.isenabled()
        gc.disable()
        try:
            real(state)
            assert [r() for r in refs] == [None, None]
        finally:
            if enabled:
                gc.enable()
            monkeypatch.undo()

    monkeypatch.setattr(runner, "_release_model_caches", release)
    out, cases, persons = _run(frame, tmp_path, shipped)
    assert len(refs) == 2
    exp_cases, exp_persons = _expected(out, tmp_path)
    _same(cases, exp_cases)
    _same(persons, exp_persons)


def test_released_scorer_says_so(shipped):
    """The context pieces' lookup of a released scorer raises instead of using another."""
    from pv_identify.stream.model_cache import _part_ids

    class Owner:
        def _ids(self, bags, part):
            return [[len(b)] for b in bags]

    owner = Owner()
    ids = _part_ids(weakref.ref(owner), "context")
    assert ids(["a b", "abc"]) == [[3], [3]]
    del owner
    with pytest.raises(RuntimeError, match="released"):
        ids(["x"])
