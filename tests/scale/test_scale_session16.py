"""Session 16 (issue 17): pass 1 of the model path in larger chunks.

Without ``chunk_rows`` the model path's pass 1 over a Parquet file reads
:data:`~pv_identify.stream.runner.DEFAULT_CONTEXT_CHUNK_ROWS` rows at a time (it
reads only the rule fields, ids and date), pass 2 still
:data:`~pv_identify.stream.runner.DEFAULT_MODEL_CHUNK_ROWS`. The output must not
depend on it: these tests compare the default route with one chunk size for both
passes, and check which sizes each pass was given.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pv_identify.stream import history, runner


def _run(src, out, shipped, **kw):
    runner.tag_file(src, out / "tagged.parquet", shipped, progress=False,
                    cases_path=out / "cases.parquet", persons_path=out / "persons.parquet",
                    **kw)
    return {name: pd.read_parquet(out / f"{name}.parquet")
            for name in ("tagged", "cases", "persons")}


def _spy_starts(monkeypatch) -> list[int]:
    """Record the first row of every chunk pass 1 builds rows for (:func:`history._part_table`)."""
    starts: list[int] = []
    real = history._part_table

    def part_table(chunk, arrow, start, *args):
        starts.append(start)
        return real(chunk, arrow, start, *args)

    monkeypatch.setattr(history, "_part_table", part_table)
    return starts


def _spy_pass_two(monkeypatch) -> list[int]:
    """Record the chunk size pass 2 reads a Parquet file with (``iter_arrow``)."""
    sizes: list[int] = []
    real = runner.iter_arrow

    def iter_arrow(*args, **kwargs):
        sizes.append(kwargs["chunk_rows"])
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "iter_arrow", iter_arrow)
    return sizes


def test_pass_one_reads_larger_chunks_with_the_same_output(tmp_path, extract, shipped,
                                                           monkeypatch):
    """Default sizes: pass 1 in DEFAULT_CONTEXT_CHUNK_ROWS chunks (within the row
    groups), pass 2 in DEFAULT_MODEL_CHUNK_ROWS; tagged, case and person files equal
    those of one size for both passes (the old route), and the scores too."""
    frame = extract.head(6000)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src,
                   row_group_size=2500)
    monkeypatch.setattr(runner, "DEFAULT_MODEL_CHUNK_ROWS", 400)
    monkeypatch.setattr(runner, "DEFAULT_CONTEXT_CHUNK_ROWS", 1000)
    starts = _spy_starts(monkeypatch)
    pass_two = _spy_pass_two(monkeypatch)
    (tmp_path / "default").mkdir()
    got = _run(src, tmp_path / "default", shipped)
    # 1000-row chunks within 2500-row groups: 1000, 1000, 500 per group
    assert starts == [0, 1000, 2000, 2500, 3500, 4500, 5000]
    assert pass_two == [400]

    starts.clear()
    pass_two.clear()
    (tmp_path / "one").mkdir()
    expected = _run(src, tmp_path / "one", shipped, chunk_rows=400)
    assert starts == [g + r for g in (0, 2500, 5000) for r in range(0, 2500, 400)
                      if g + r < 6000]
    assert pass_two == [400]
    for name in ("tagged", "cases", "persons"):
        pd.testing.assert_frame_equal(got[name], expected[name], check_exact=True)
    assert got["tagged"]["pv_score"].notna().any()


def test_csv_and_a_given_size_keep_one_chunk_size(tmp_path, extract, shipped, monkeypatch):
    """A CSV file's pass 1 (pandas frames of every column) and a run given
    ``chunk_rows`` read pass 1 in the chunks of pass 2, as before."""
    frame = extract.head(3000)
    csv = tmp_path / "in.csv"
    frame.to_csv(csv, index=False)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src)
    monkeypatch.setattr(runner, "DEFAULT_MODEL_CHUNK_ROWS", 700)
    monkeypatch.setattr(runner, "DEFAULT_CONTEXT_CHUNK_ROWS", 1000)
    starts = _spy_starts(monkeypatch)
    runner.tag_file(csv, tmp_path / "csv.parquet", shipped, progress=False)
    assert starts == list(range(0, 3000, 700))
    starts.clear()
    runner.tag_file(src, tmp_path / "given.parquet", shipped, progress=False,
                    chunk_rows=600)
    assert starts == list(range(0, 3000, 600))
    starts.clear()
    runner.tag_file(src, tmp_path / "default.parquet", shipped, progress=False)
    assert starts == [0, 1000, 2000]
    via_csv = pd.read_parquet(tmp_path / "csv.parquet")
    for name in ("given", "default"):
        got = pd.read_parquet(tmp_path / f"{name}.parquet")
        for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_score"):
            assert got[col].astype(str).tolist() == via_csv[col].astype(str).tolist(), col


@pytest.mark.parametrize("value", [0, -5])
def test_chunk_rows_still_checked(tmp_path, extract, shipped, value):
    """A given ``chunk_rows`` below 1 is refused whatever the passes' defaults."""
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(extract.head(50), preserve_index=False), src)
    from pv_identify.errors import PvIdentifyError

    with pytest.raises(PvIdentifyError, match="at least 1"):
        runner.tag_file(src, tmp_path / "out.parquet", shipped, progress=False,
                        chunk_rows=value)


def _earlier_or_full(day_or, rank):
    """Step B's scan before session 16: every day at each step, a copy per step."""
    import numpy as np

    g = len(day_or)
    acc = day_or.copy()
    top = int(rank.max(initial=0))
    step = 1
    while step <= top:
        reach = rank[step:] >= step
        grown = acc.copy()
        grown[step:][reach] |= acc[:-step][reach]
        acc = grown
        step *= 2
    out = np.zeros(g, dtype=np.int64)
    later = np.flatnonzero(rank > 0)
    out[later] = acc[later - 1]
    return out


def _days(rng, persons: int, most: int):
    """Random persons' days: ``rank`` 0, 1, ... within each person, random signal bits."""
    import numpy as np

    counts = rng.integers(1, most + 1, persons)
    rank = np.concatenate([np.arange(c) for c in counts]) if persons else np.zeros(0, int)
    day_or = rng.integers(0, 1 << 12, len(rank)).astype(np.int64)
    day_or[rng.random(len(rank)) < 0.4] = 0
    return day_or, rank.astype(np.int64)


@pytest.mark.parametrize("persons, most", [(0, 1), (1, 1), (1, 70), (50, 3), (400, 40),
                                           (3, 129), (2000, 9)])
def test_earlier_or_equals_the_scan_over_every_day(persons, most):
    """The scan over the days that reach back equals the old one over every day, and
    the plain definition (OR of the person's earlier days) on the small cases."""
    import numpy as np

    from pv_identify.stream.context_parts import _earlier_or

    rng = np.random.default_rng(persons * 1000 + most)
    day_or, rank = _days(rng, persons, most)
    before = day_or.copy()
    got = _earlier_or(day_or, rank)
    assert np.array_equal(day_or, before)  # the input is not changed
    assert np.array_equal(got, _earlier_or_full(day_or, rank))
    if len(rank) <= 3000:
        expected = np.zeros(len(rank), dtype=np.int64)
        for i in range(len(rank)):
            for j in range(i - rank[i], i):
                expected[i] |= day_or[j]
        assert np.array_equal(got, expected)
