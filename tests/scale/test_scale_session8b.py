"""Session 8b (issue 17): the person split by pass 1's person hash, merges by counting sort."""

from __future__ import annotations

import tempfile

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from pv_identify.stream import context_rollups, partition, rollup_parts


@pytest.mark.parametrize("start, step, values", [
    (100, 50, [130, 101, 149, 100, 120]),           # unique: placed by offset
    (0, 10, [3, 1, 3, 2, 1]),                         # repeated values: stable ties
    (10, 5, [12, 9, 11]),                             # a value outside the window
    (0, 5, []),
])
def test_window_order_is_a_stable_argsort(start, step, values):
    r0 = np.array(values, dtype=np.int64)
    got = rollup_parts._window_order(r0, start, step)
    assert got.tolist() == np.argsort(r0, kind="stable").tolist()


def _hashes(pk: pa.Array) -> np.ndarray:
    con = duckdb.connect()
    con.register("t", pa.table({"pk": pk}))
    return np.asarray(con.execute('SELECT hash("pk") AS h FROM t').fetchnumpy()["h"],
                      dtype=np.uint64)


def test_key_parts_from_a_hash_column_give_the_hashed_parts(tmp_path):
    rng = np.random.default_rng(3)
    ids = np.array([f"p{i}" for i in rng.integers(0, 90, 1500)], dtype=object)
    ids[::13] = None
    pk = pa.array(ids, pa.string())
    table = pa.table({"pk": pk, "r0": np.arange(1500), "ph": _hashes(pk)})
    plain = rollup_parts.KeyParts(tmp_path / "a", 5, table.drop_columns(["ph"]).schema,
                                  key="pk", file_format="arrow")
    hashed = rollup_parts.KeyParts(tmp_path / "b", 5, table.schema, key="pk",
                                   file_format="arrow", hashed="ph", background=True)
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    for start in range(0, 1500, 400):
        plain.write_table(table.slice(start, 400).drop_columns(["ph"]))
        hashed.write_table(table.slice(start, 400))
    plain.close()
    hashed.close()
    for a, b in zip(plain.part_paths(), hashed.part_paths(), strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            got = partition.read_part(b)
            assert got.column_names == ["pk", "r0"]  # the hash is not written
            assert got.equals(partition.read_part(a))


def test_saved_cases_keep_their_persons_hash(tmp_path):
    # case A: first row without a person, then P2; case B: no person at all; C: P1
    table = pa.table({
        "row": np.array([0, 1, 2, 3, 4], dtype=np.int64),
        "ck": pa.array(["A", "B", "A", "C", "B"]),
        "pk": pa.array([None, None, "P2", "P1", None]),
        "d": pa.array(np.zeros(5, dtype="datetime64[ns]")),
    })
    table = table.append_column("ph", pa.array(_hashes(table.column("pk").combine_chunks())))
    codes = np.array([0, 1, 0, 2, 1])
    first = np.array([0, 1, 3])
    store = context_rollups.RowCodes(tempfile.TemporaryDirectory(dir=tmp_path), 1)
    try:
        context_rollups.save_part(store.directory, 0, table, codes, first,
                                  np.zeros(3, dtype=np.int64))
        store.finish()
        cases = pa.ipc.open_file(str(store.directory / "cases_0000.arrow")).read_all()
        ph = table.column("ph").to_numpy()
        assert cases.column("pk").to_pylist() == ["P2", None, "P1"]
        assert cases.column("ph").to_numpy().tolist() == [ph[2], ph[1], ph[3]]
    finally:
        store.close()
