"""Session 6: the context pass's steps in numpy (context_parts), IPC part files, read-ahead.

The whole-pass equality with ``feature_context`` is in test_scale_context_parts.py;
these tests pin the pieces on small data against brute force, including the cases
the real data hardly has (hash collisions, timestamps within a day, a person with
many case days).
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pyarrow as pa
import pytest

from pv_identify.stream import context_parts, history
from pv_identify.stream.partition import PartFiles
from pv_identify.stream.readahead import read_ahead


def _brute_groups(values: list, missing: list[bool]) -> list[int]:
    seen: dict = {}
    out = []
    alone = 0
    for v, m in zip(values, missing, strict=True):
        if m:
            out.append(("missing", alone))
            alone += 1
        else:
            out.append(seen.setdefault(v, len(seen)))
    base = len(seen)
    return [c if isinstance(c, int) else base + c[1] for c in out]


@pytest.mark.parametrize("collide", [False, True])
def test_group_codes_numbers_ids_by_first_appearance_even_when_hashes_collide(collide):
    """Codes by first appearance, missing ids each their own group after the others;
    a hash shared by different ids (forced here) falls back to the ids themselves."""
    rng = np.random.default_rng(1)
    ids = [f"c{int(i)}" for i in rng.integers(0, 40, 300)]
    missing = rng.random(300) < 0.1
    values = pa.array([None if m else v for v, m in zip(ids, missing, strict=True)])
    if collide:
        hashes = np.array([hash(v) % 5 for v in ids], dtype=np.uint64)  # many collisions
    else:
        hashes = np.array([hash(v) & 0xFFFFFFFFFFFF for v in ids], dtype=np.uint64)
    codes, first = context_parts.group_codes(values, hashes, missing)
    assert codes.tolist() == _brute_groups(ids, missing.tolist())
    assert len(first) == codes.max() + 1
    assert (codes[first] == np.arange(len(first))).all()
    assert all(codes[:f].tolist().count(codes[f]) == 0 for f in first)  # first rows


def _brute_history(person, date, cor):
    hist = []
    for p, d in zip(person, date, strict=True):
        earlier = [c for q, e, c in zip(person, date, cor, strict=True) if q == p and e < d]
        mask = 0
        for c in earlier:
            mask |= c
        hist.append(mask | (min(len(earlier), 3) << context_parts.BITS))
    return hist


@pytest.mark.parametrize("whole_days", [True, False])
def test_step_b_history_equals_brute_force(whole_days):
    """Strictly earlier cases of the same person (same-day cases are not history),
    persons with up to 40 case days (several doubling steps), timestamps within a day."""
    rng = np.random.default_rng(7)
    n = 600
    person = rng.integers(0, 25, n)
    day = 86_400 * 10**9
    date = rng.integers(0, 60, n) * day
    if not whole_days:
        date = date + rng.integers(0, 3, n) * 3_600 * 10**9
    cor = np.where(rng.random(n) < 0.3, 1 << rng.integers(0, context_parts.BITS, n), 0)
    names = [f"p{int(p)}" for p in person]
    cases = pa.table({
        "cp": pa.array(rng.integers(0, 3, n).astype(np.int32)),
        "ci": pa.array(np.arange(n, dtype=np.int32)),
        "pk": pa.array(names),
        "ph": pa.array(np.array([hash(s) % 7 for s in names], dtype=np.uint64)),
        "d": pa.array(date.astype(np.int64)),
        "cor": pa.array(cor.astype(np.int32)),
    })
    cp, ci, hist = context_parts.step_b(cases)
    assert ci.tolist() == list(range(n))
    assert cp.tolist() == cases.column("cp").to_pylist()
    assert hist.tolist() == _brute_history(person.tolist(), date.tolist(), cor.tolist())


def test_date_ranks_keep_the_order_and_ties():
    day = 86_400 * 10**9
    for ns in (np.array([5, 3, 3, 9, 0]) * day - 40 * day,
               np.array([5, 3, 3, 9, 0]) * day + np.array([0, 1, 1, 0, 7])):
        ranks = context_parts._date_ranks(ns.astype(np.int64))
        assert (np.sign(ranks[:, None] - ranks[None, :])
                == np.sign(ns[:, None] - ns[None, :])).all()


def test_earlier_or_is_a_segmented_exclusive_scan():
    rng = np.random.default_rng(3)
    lengths = [1, 5, 1, 33, 2, 17]
    rank = np.concatenate([np.arange(k) for k in lengths])
    values = rng.integers(0, 1 << 8, len(rank))
    got = context_parts._earlier_or(values, rank)
    start = 0
    for k in lengths:
        acc = 0
        for i in range(start, start + k):
            assert got[i] == acc
            acc |= int(values[i])
        start += k


def test_part_files_in_arrow_ipc(tmp_path):
    """file_format='arrow': per-part IPC files in row order, a new file on another schema,
    parts given by the caller."""
    files = PartFiles(tmp_path, 3, ["k"], 'hash("k")', 1, "rows", "uncompressed",
                      file_format="arrow")
    rows = np.arange(20)
    files.add(pa.table({"row": rows[:10], "k": pa.array([str(i % 4) for i in range(10)])}),
              (rows[:10] % 3).astype(np.int64))
    files.add(pa.table({"row": rows[10:], "k": pa.array(np.arange(10, 20) % 4)}),
              (rows[10:] % 3).astype(np.int64))
    files.close()
    for k in range(3):
        paths = files.files[k]
        assert [p.suffix for p in paths] == [".arrow", ".arrow"]  # string, then int ids
        got = []
        for path in paths:
            with pa.OSFile(str(path), "rb") as source:
                got += pa.ipc.open_file(source).read_all().column("row").to_pylist()
        assert got == [r for r in range(20) if r % 3 == k]
    with pytest.raises(ValueError, match="file_format"):
        PartFiles(tmp_path, 2, ["k"], 'hash("k")', 4, "x", "lz4", file_format="csv")


def test_context_reader_merges_arrow_parts(tmp_path):
    import tempfile

    rng = np.random.default_rng(5)
    n = 500
    owner = rng.integers(0, 3, n)
    paths = []
    for k in range(3):
        rows = np.flatnonzero(owner == k)
        table = pa.table({"row": rows.astype(np.int64), "slot": rows.astype(np.int32),
                          "ctx": rows * 11, "year": (rows % 7).astype(np.int16)})
        path = tmp_path / f"sorted_{k}.arrow"
        with pa.ipc.new_file(str(path), table.schema) as writer:
            writer.write_table(table, max_chunksize=int(rng.integers(5, 60)))
        paths.append(path)
    reader = history.ContextReader(paths, tempfile.TemporaryDirectory(dir=tmp_path), epoch=1)
    tables = [reader.take(t).table for t in (7, 0, 300, 193)]
    reader.close()
    merged = pa.concat_tables(tables)
    assert merged.column("ctx").to_pylist() == [r * 11 for r in range(n)]
    assert merged.column("year").to_pylist() == [r % 7 for r in range(n)]


def test_read_ahead_keeps_order_raises_in_place_and_stops_when_closed():
    assert list(read_ahead(iter(range(50)), depth=3)) == list(range(50))

    def failing():
        yield 1
        yield 2
        raise OSError("bad block")

    got = []
    with pytest.raises(OSError, match="bad block"):
        for item in read_ahead(failing()):
            got.append(item)
    assert got == [1, 2]

    produced = []

    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1

    before = threading.active_count()
    stream = read_ahead(endless(), depth=2)
    assert next(stream) == 0
    stream.close()
    time.sleep(0.1)
    assert threading.active_count() == before
    assert len(produced) <= 5  # bounded: it stopped reading
    with pytest.raises(ValueError):
        next(read_ahead(iter([]), depth=0))


def test_context_with_lz4_scratch_files_equals_uncompressed(tmp_path, extract, monkeypatch):
    """Many parts (lz4 scratch files) give the context of few (uncompressed)."""
    import pandas as pd

    import pv_identify as pv
    from pv_identify.stream.model_cache import ModelCache

    src = tmp_path / "x.parquet"
    extract.head(2000).sample(frac=1, random_state=1).to_parquet(src, index=False)
    tagger = pv.Tagger("default", model="default")
    got = []
    for limit in (100, 1):
        monkeypatch.setattr(context_parts, "UNCOMPRESSED_PARTS", limit)
        cache = ModelCache(tagger)
        mapping = cache.prepare(list(pd.read_parquet(src).columns))
        reader = history.case_context(src, mapping, cache, 300, parts=4)
        try:
            got.append(reader.take(2000).table.column("ctx").to_numpy())
        finally:
            reader.close()
    assert context_parts.scratch_compression(4) == "lz4"
    assert np.array_equal(got[0], got[1])


@pytest.mark.parametrize("cache_entries", [100_000, 40])
def test_model_run_summary_counts_equal_the_tagged_rows(tmp_path, extract, cache_entries):
    """The model path's summary (one count row per distinct output and chunk, rule ids
    numbered per slot) counts what pv.tag gives, also when the slot cache is flushed."""
    from collections import Counter

    import pandas as pd

    import pv_identify as pv
    from pv_identify.schema import ID_SEPARATOR
    from pv_identify.stream import runner

    src = tmp_path / "x.parquet"
    frame = extract.head(3000).sample(frac=1, random_state=2).reset_index(drop=True)
    frame.to_parquet(src, index=False)
    tagger = pv.Tagger("default", model="default")
    summary = runner.tag_file(src, None, tagger, chunk_rows=700, progress=False,
                              cache_entries=cache_entries)
    expected = tagger.tag(pd.read_parquet(src))
    assert summary.rows == len(expected)
    assert dict(summary.labels) == {k: v for k, v in Counter(
        expected["pv_label"].astype(str)).items() if v}
    assert dict(summary.sources) == dict(Counter(expected["pv_source"].astype(str)))
    rules: Counter[str] = Counter()
    for ids in expected["pv_rule_ids"].astype(str):
        rules.update(i for i in ids.split(ID_SEPARATOR) if i)
    assert rules and dict(summary.rules) == dict(rules)
    assert summary.partner_violence == int(expected["pv_partner_violence"].sum())
    assert summary.domestic_violence == int(expected["pv_domestic_violence"].sum())
