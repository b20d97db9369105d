"""Session 9 (issue 17): the first partner-violence case of a person part ranked with one sort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from pv_identify.stream import rollup_parts


@pytest.mark.parametrize("case", ["days", "missing", "all_missing", "times", "repeated_r0",
                                  "wide", "tiny", "old_dates"])
def test_rank_order_is_the_lexsort(case):
    rng = np.random.default_rng(11)
    n = 2 if case == "tiny" else 5000
    codes = rng.integers(0, 300, n).astype(np.int64)
    ns = rng.integers(0, 40, n).astype(np.int64) * 86_400 * 10**9 + 10**18
    share = {"missing": 0.3, "all_missing": 1.0}.get(case, 0.0)
    missing = rng.random(n) < share
    ns[missing] = 0
    r0 = rng.permutation(10 * n)[:n].astype(np.int64)
    if case == "times":
        ns += rng.integers(0, 3, n) * 3_600 * 10**9
    elif case == "repeated_r0":
        r0[::7] = r0[0]
    elif case == "wide":
        codes = codes << 40
    elif case == "old_dates":  # before 1970 and spanning centuries
        ns = ns - 10**18 - rng.integers(0, 3, n) * 3 * 10**18 // 86_400_000_000_000 * 86_400 * 10**9
    got = rollup_parts.rank_order(codes, ns, missing, r0)
    assert got.tolist() == np.lexsort((r0, ns, missing, codes)).tolist()


def test_first_case_ties_and_missing_dates():
    """Per person: the earliest date; equal dates: the first row; no date: last."""
    day = np.datetime64("2020-01-01", "ns")
    rows = pa.table({
        "pk": pa.array(["Y", "X", "X", "Y", "X", None, "Z"]),
        "r0": pa.array([1, 2, 5, 7, 9, 11, 12], pa.int64()),
        "pv": pa.array([True, True, True, True, False, True, True]),
        "dv": pa.array([True, True, True, False, False, False, False]),
        "ck": pa.array(["D", "B", "A", "E", None, "F", "G"]),
        "d": pa.array([None, day, day, day, None, day, None], pa.timestamp("ns")),
    })
    got = rollup_parts.aggregate_persons(rows)
    assert got.column("pk").to_pylist() == ["Y", "X", None, "Z"]
    # Y: D has no date, E does; X: B (row 2) and A (row 5) on the same date
    assert got.column("fck").to_pylist() == ["E", "B", "F", "G"]
    assert got.column("fd").to_pylist()[:3] == [pd.Timestamp("2020-01-01")] * 3
    assert got.column("fd").to_pylist()[3] is None
    assert got.column("npv").to_pylist() == [2, 2, 1, 1]
    assert got.column("ndv").to_pylist() == [1, 2, 0, 0]
    assert got.column("n").to_pylist() == [2, 3, 1, 1]


@pytest.mark.parametrize("seed", [0, 1])
def test_aggregate_persons_equals_the_lexsort_ranking(seed, monkeypatch):
    """Random person rows (missing persons and dates, many equal dates): the table is the
    one the four-key lexsort gave."""
    rng = np.random.default_rng(seed)
    n = 3000
    days = rng.integers(0, 5, n).astype("datetime64[D]").astype("datetime64[ns]")
    rows = pa.table({
        "pk": pa.array([None if rng.random() < 0.05 else f"P{i}"
                        for i in rng.integers(0, 400, n)], pa.string()),
        "r0": pa.array(rng.permutation(20 * n)[:n].astype(np.int64)),
        "pv": pa.array(rng.random(n) < 0.4), "dv": pa.array(rng.random(n) < 0.3),
        "ck": pa.array([f"C{i}" for i in range(n)]),
        "d": pa.array(days, mask=rng.random(n) < 0.2),
    })
    got = rollup_parts.aggregate_persons(rows)
    monkeypatch.setattr(rollup_parts, "rank_order",
                        lambda codes, ns, missing, r0: np.lexsort((r0, ns, missing, codes)))
    assert got.equals(rollup_parts.aggregate_persons(rows))
