"""Session 11 (issue 17): the roll-up phase after a model run.

The Parquet roll-ups check the Arrow route against pandas on the first rows only; the
model cache is freed by reference counting (no full collection before the roll-ups).
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rollup_expect import blank, same_as_expected, small_parts

from pv_identify.stream import rollup_parts, rollups, runner


@pytest.fixture(scope="module")
def frame(extract) -> pd.DataFrame:
    """Shuffled rows with missing persons and dates; every case id present."""
    return blank(extract.head(4000).sample(frac=1, random_state=5).reset_index(drop=True),
                 persons=30, dates=150)


@pytest.fixture
def parts(monkeypatch):
    """Small context and roll-up parts, small merge groups and output batches."""
    small_parts(monkeypatch)


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
    same_as_expected(out, cases, persons, tmp_path)


def test_whole_file_rollups_check_the_first_rows(tmp_path, frame, rules, monkeypatch):
    """The whole-file (DuckDB) route: record batches checked on their first rows too."""
    monkeypatch.setattr(rollups, "CHECK_ROWS", 5)
    cases_seen = _counting(monkeypatch, "_case_frame")
    persons_seen = _counting(monkeypatch, "_person_frame")
    out, cases, persons = _run(frame, tmp_path, rules)
    assert cases_seen == [5] and persons_seen == [5]
    same_as_expected(out, cases, persons, tmp_path)


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
    same_as_expected(out, cases, persons, tmp_path)


def test_check_of_a_short_first_batch(tmp_path, frame, rules, parts, monkeypatch):
    """A first batch shorter than CHECK_ROWS is converted whole (as before)."""
    monkeypatch.setattr(rollups, "CHECK_ROWS", 10_000)
    cases_seen = _counting(monkeypatch, "_case_frame")
    out, cases, persons = _run(frame, tmp_path, rules)
    assert len(cases_seen) == 1 and cases_seen[0] <= 97
    same_as_expected(out, cases, persons, tmp_path)


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
    same_as_expected(out, cases, persons, tmp_path)


def test_released_scorer_says_so(shipped):
    """The context pieces' lookup of a released scorer raises instead of using another."""
    from pv_identify.stream.model_cache import _part_ids

    class Owner:
        def _ids(self, bags, part):
            return [[len(b)] for b in bags]

    owner = Owner()
    ids = _part_ids(weakref.ref(owner), 2)
    assert ids(["a b", "abc"]) == [[3], [3]]
    del owner
    with pytest.raises(RuntimeError, match="released"):
        ids(["x"])


# -- step A's signals present twice (context_parts._twice) ---------------------------------

from pv_identify.stream import context_parts  # noqa: E402


def _twice_by_bincount(codes, bits, multi):
    """The implementation before session 11: one bincount per signal."""
    at = np.flatnonzero((bits != 0) & multi[codes])
    codes, bits = codes[at], bits[at]
    out = np.zeros(len(multi), dtype=np.int64)
    for i in range(context_parts.BITS):
        has = ((bits >> i) & 1).astype(bool)
        if has.sum() < 2:
            continue
        out |= (np.bincount(codes[has], minlength=len(multi)) >= 2).astype(np.int64) << i
    return out


@pytest.mark.parametrize("seed", range(6))
def test_twice_equals_one_bincount_per_signal(seed):
    """Sorted and unsorted groups, one large group, rows without signals, lone rows."""
    rng = np.random.default_rng(seed)
    n, m = 3_000, 900
    codes = rng.integers(0, m, n)
    codes[:200] = 5  # a large group (many doubling steps)
    if seed % 2:
        codes = np.sort(codes)
    bits = rng.integers(0, 1 << context_parts.BITS, n) * (rng.random(n) < 0.5)
    multi = np.bincount(codes, minlength=m) > 1
    got = context_parts._twice(codes, bits, multi)
    np.testing.assert_array_equal(got, _twice_by_bincount(codes, bits, multi))
    assert got.any()


def test_twice_edge_cases():
    empty = np.zeros(0, dtype=np.int64)
    assert len(context_parts._twice(empty, empty, np.zeros(0, dtype=bool))) == 0
    one = np.array([0]), np.array([3]), np.array([False])
    np.testing.assert_array_equal(context_parts._twice(*one), [0])
    # two rows of one group sharing bit 1 only; a group whose rows share nothing
    codes = np.array([1, 0, 1, 0])
    bits = np.array([3, 4, 2, 8])
    multi = np.array([True, True])
    np.testing.assert_array_equal(context_parts._twice(codes, bits, multi), [0, 2])


# -- the person rows split in the case parts' threads (rollup_parts.split_by_hash) ---------

from pv_identify.stream import partition  # noqa: E402


def _person_table(n: int, seed: int = 3) -> pa.Table:
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i}" for i in rng.integers(0, 90, n)], dtype=object)
    ids[::13] = None
    pk = pa.array(ids, pa.string())
    return pa.table({"pk": pk, "r0": np.arange(n),
                     "ph": pa.array(rng.integers(0, 2**63, n).astype(np.uint64))})


@pytest.mark.parametrize("parts", [1, 5])
def test_split_parts_equal_the_hashed_parts(tmp_path, parts):
    """write_split of split_by_hash writes the files write_table with the hash writes."""
    table = _person_table(1500)
    made = {}
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        made[d] = rollup_parts.KeyParts(tmp_path / d, parts, table.schema, key="pk",
                                        file_format="arrow", hashed="ph", background=True)
    for start in range(0, 1500, 400):
        piece = table.slice(start, 400)
        made["a"].write_table(piece)
        made["b"].write_split(rollup_parts.split_by_hash(piece, parts, "ph"))
    for keys in made.values():
        keys.close()
    paths = [p for p in made["a"].part_paths() if p is not None]
    assert len(paths) == parts
    for a, b in zip(made["a"].part_paths(), made["b"].part_paths(), strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            got = partition.read_part(b)
            assert got.column_names == ["pk", "r0"]
            assert got.equals(partition.read_part(a))


def test_split_by_hash_edge_cases():
    table = _person_table(50)
    empty = rollup_parts.split_by_hash(table.slice(0, 0), 4, "ph")
    assert empty == []
    whole = rollup_parts.split_by_hash(table, 1, "ph")
    assert len(whole) == 1 and whole[0][0] == 0 and whole[0][1].equals(table.drop_columns(["ph"]))
    same = table.set_column(2, "ph", pa.array(np.full(50, 7, dtype=np.uint64)))
    (k, rows), = rollup_parts.split_by_hash(same, 4, "ph")
    assert k == 3 and rows.equals(same.drop_columns(["ph"]))  # 7 % 4, in table order
    pieces = rollup_parts.split_by_hash(table, 4, "ph")
    got = pa.concat_tables([rows for _, rows in pieces]).sort_by("r0")
    assert got.equals(table.drop_columns(["ph"]))


def test_context_rollups_split_persons_in_the_case_threads(tmp_path, frame, shipped, parts,
                                                          monkeypatch):
    """A model run's person rows go through write_split; the roll-ups are unchanged."""
    calls = {"split": 0, "table": 0}
    real_split, real_table = rollup_parts.KeyParts.write_split, rollup_parts.KeyParts.write_table

    def split(self, pieces):
        calls["split"] += 1
        return real_split(self, pieces)

    def whole(self, table):
        calls["table"] += 1
        return real_table(self, table)

    monkeypatch.setattr(rollup_parts.KeyParts, "write_split", split)
    monkeypatch.setattr(rollup_parts.KeyParts, "write_table", whole)
    out, cases, persons = _run(frame, tmp_path, shipped)
    assert calls["split"] > 1 and calls["table"] == 0
    same_as_expected(out, cases, persons, tmp_path)
