"""Session 15 (issue 17): pass 1's main thread.

The distinct tagger's store of output rows is kept in growable numpy columns
(:class:`~pv_identify.stream.column_store.ColumnStore`) instead of a frame
concatenated at every chunk; the model cache reads its new slots' rule parts from
those columns. Same frames, the same files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pv_identify.stream.column_store import ColumnStore

_LABEL = pd.CategoricalDtype(["partner", "none", "child"])


def _frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    strings = np.array(["a", "b;c", None, "d"], dtype=object)
    return pd.DataFrame({
        "label": pd.Categorical.from_codes(rng.integers(-1, 3, n), dtype=_LABEL),
        "flag": rng.random(n) < 0.5,
        "ids": strings[rng.integers(0, 4, n)],
        "score": np.where(rng.random(n) < 0.2, np.nan, rng.random(n)),
    }, index=np.arange(n) + 1000)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The store before: the first frame, then ``pd.concat`` one frame at a time."""
    store = None
    for frame in frames:
        frame = frame.reset_index(drop=True)
        store = frame if store is None or not len(store) else pd.concat(
            [store, frame], ignore_index=True)
    assert store is not None
    return store


@pytest.mark.parametrize("sizes", [(5,), (0, 3, 7), (1, 1, 1, 40, 0, 2), (17, 300, 9)])
def test_column_store_equals_the_concatenated_frames(sizes):
    """Frames appended one by one give ``pd.concat``'s frame (values, dtypes, index),
    an empty first frame included; takes and column views give the rows' kept values."""
    rng = np.random.default_rng(len(sizes))
    frames = [_frame(rng, n) for n in sizes]
    store = ColumnStore()
    for i, frame in enumerate(frames):
        store.append(frame)
        expected = _concat(frames[:i + 1])
        got = store.frame()
        pd.testing.assert_frame_equal(got, expected)
        assert list(got.dtypes) == list(expected.dtypes)
        assert isinstance(got.index, pd.RangeIndex) and got.attrs == {}
        assert len(store) == len(expected)
    assert store.columnar
    rows = rng.integers(0, len(store), 50) if len(store) else np.zeros(0, dtype=np.int64)
    taken = store.take(rows)
    whole = _concat(frames)
    assert np.array_equal(taken["label"], whole["label"].cat.codes.to_numpy()[rows])
    assert list(taken["ids"]) == list(whole["ids"].to_numpy()[rows])
    assert np.array_equal(store.column("flag", 1, 4), whole["flag"].to_numpy()[1:4])


def test_column_store_appends_kept_values_and_keeps_frames_it_gave():
    """Kept values (codes) appended give the frame of the same rows; a frame handed
    out before an append does not change."""
    rng = np.random.default_rng(5)
    first, second = _frame(rng, 30), _frame(rng, 1000)
    store = ColumnStore()
    store.append(first)
    before = store.frame().copy(deep=True)
    handed = store.frame()
    store.append_values({c: ColumnStore.kept(second[c]) for c in second.columns})
    pd.testing.assert_frame_equal(handed, before)
    pd.testing.assert_frame_equal(store.frame(), _concat([first, second]))


def test_column_store_other_layouts_go_through_concat():
    """A frame with other categories or columns, or a pandas extension column, gives
    what ``pd.concat`` gives (and the store keeps going from there)."""
    rng = np.random.default_rng(9)
    first = _frame(rng, 20)
    other = _frame(rng, 10)
    other["label"] = other["label"].cat.add_categories(["ex_partner"])
    store = ColumnStore()
    store.append(first)
    store.append(other)
    pd.testing.assert_frame_equal(store.frame(), _concat([first, other]))
    third = _frame(rng, 4)
    store.append(third)
    pd.testing.assert_frame_equal(store.frame(), _concat([first, other, third]))

    typed = pd.DataFrame({"ids": pd.array(["x", None, "y"], dtype="string"),
                          "flag": [True, False, True]})
    plain = ColumnStore()
    plain.append(typed)
    plain.append(typed.iloc[:2])
    assert not plain.columnar
    pd.testing.assert_frame_equal(plain.frame(), _concat([typed, typed.iloc[:2]]))
    with pytest.raises(RuntimeError):
        plain.append_values({"ids": np.array(["z"], dtype=object), "flag": np.array([True])})


def test_distinct_store_with_extra_fields_equals_the_rules_per_row(extract, shipped):
    """The model path's distinct tagger (rule fields + disposal) over many chunks: the
    store's rows are the rules' output of each slot's rows, new slots of known rule
    fields taken from the numpy columns, and the model cache's rule parts agree."""
    from pv_identify.schema import OUT_EVIDENCE, OUT_LABEL, OUT_RULE_IDS, OUT_SOURCE
    from pv_identify.stream.model_cache import ModelCache

    cache = ModelCache(shipped)
    frame = extract.head(6000)
    rules_only = pv_rules(shipped)
    for start in range(0, len(frame), 450):
        chunk = frame.iloc[start:start + 450]
        out = cache.outputs(chunk)
        expected = rules_only.tag(chunk)
        for col in (OUT_RULE_IDS, OUT_EVIDENCE):
            assert out[col].tolist() == expected[col].tolist(), col
    store = cache.distinct.store
    assert cache.distinct.kept.columnar
    assert len(store) == cache.distinct.stored == len(cache._slot_parts["fired"])
    parts = cache._slot_parts
    assert np.array_equal(parts["fired"], (store[OUT_SOURCE].astype(object) == "rule").to_numpy())
    assert np.array_equal(parts["label_code"], store[OUT_LABEL].cat.codes.to_numpy())
    names = cache._part_names("rule_code", cache._rule_ids)
    assert list(names[parts["rule_code"]]) == list(store[OUT_RULE_IDS])
    # every slot's row is the rules' output of a row with its fields
    keys = cache.distinct.key_columns
    firsts = frame.drop_duplicates(keys).reset_index(drop=True)
    tagged = rules_only.tag(firsts)
    by_key = {tuple(r): i for i, r in enumerate(firsts[keys].itertuples(index=False))}
    assert len(by_key) == len(store)
    slots = cache.distinct.slots([firsts[c] for c in keys], lambda rows: firsts[keys].iloc[rows],
                                 len(firsts))
    order = np.argsort(slots)
    for col in store.columns:
        got = store[col].iloc[slots[order]].reset_index(drop=True)
        want = tagged[col].iloc[order].reset_index(drop=True)
        pd.testing.assert_series_equal(got, want, check_names=False)


def pv_rules(tagger):
    import pv_identify as pv

    return pv.Tagger(**{**tagger.get_params(), "model": None})


def test_slot_parts_grow_in_place_and_equal_one_chunk(extract, shipped):
    """The model cache's slot parts over many chunks (views of arrays that grow by
    doubling, reused while they have room) equal the parts of one cache given the
    whole frame at once, row by row; classes split the rows the same way."""
    from pv_identify.stream.model_cache import ModelCache

    frame = extract.head(6000)
    chunked, whole = ModelCache(shipped), ModelCache(shipped)
    bases = []
    for start in range(0, len(frame), 450):
        chunked.outputs(frame.iloc[start:start + 450])
        bases.append(chunked._slot_parts["decision"].base)
    assert len({id(b) for b in bases}) < len(bases) / 2  # the same array, chunk after chunk
    whole.outputs(frame)

    def row_slots(cache):
        keys = cache.distinct.key_columns
        return cache.distinct.slots([frame[c] for c in keys],
                                    lambda rows: frame[keys].iloc[rows], len(frame))

    a, b = row_slots(chunked), row_slots(whole)
    pa_, pb = chunked._slot_parts, whole._slot_parts
    assert set(pa_) == set(pb)
    for name in pa_:
        assert len(pa_[name]) == chunked.distinct.stored, name
        if name == "cls":
            pairs = set(zip(pa_[name][a].tolist(), pb[name][b].tolist(), strict=True))
            assert len(pairs) == len({x for x, _ in pairs}) == len({y for _, y in pairs})
        elif name in ("rule_code", "evidence_code"):
            known = chunked._rule_ids if name == "rule_code" else chunked._evidence_ids
            other = whole._rule_ids if name == "rule_code" else whole._evidence_ids
            assert list(chunked._part_names(name, known)[pa_[name][a]]) == list(
                whole._part_names(name, other)[pb[name][b]]), name
        else:
            assert pa_[name][a].dtype == pb[name][b].dtype, name
            assert np.array_equal(pa_[name][a], pb[name][b]), name


def test_pass_one_fetches_a_chunks_new_slots_once(extract, shipped):
    """``slots_of`` (pass 1) fetches each chunk's new slots' rows once -- the rules take
    the rows of new rule fields from them, the model's parts all -- and gives the
    slots, parts and outputs of a cache that fetched twice (the rows held dropped)."""
    from pv_identify.stream.model_cache import ModelCache

    frame = extract.head(5000)
    once, twice = ModelCache(shipped), ModelCache(shipped)
    for cache in (once, twice):
        cache.prepare(frame.columns)
    keys = once.distinct.key_columns
    calls: list[int] = []
    for start in range(0, len(frame), 400):
        chunk = frame.iloc[start:start + 400]

        def fetch(rows, chunk=chunk):
            calls.append(len(rows))
            return chunk[keys].iloc[rows]

        before = len(calls)
        new = once.distinct.stored
        got = once.slots_of([chunk[c] for c in keys], fetch, len(chunk))
        assert len(calls) - before == (1 if once.distinct.stored > new else 0)
        real = twice.distinct._rule_outputs

        def dropping(*args, real=real):
            out = real(*args)
            twice.distinct.fetched = None
            return out

        twice.distinct._rule_outputs = dropping
        expected = twice.slots_of([chunk[c] for c in keys], lambda rows, chunk=chunk:
                                  chunk[keys].iloc[rows], len(chunk))
        assert np.array_equal(got, expected)
    for name in once._slot_parts:
        assert np.array_equal(once._slot_parts[name], twice._slot_parts[name]), name
    for cache in (once, twice):
        cache.distinct.fetched = None
    pd.testing.assert_frame_equal(once.outputs(frame), twice.outputs(frame))


def _hashes_in_runs(rng, n_groups, repeat):
    values = rng.integers(0, 2**63, n_groups, dtype=np.int64).astype(np.uint64)
    return np.repeat(values, rng.integers(1, repeat + 1, n_groups))


def test_run_groups_equal_factorize_or_decline():
    """Hashes in runs (each hash one run) give ``pd.factorize``'s codes and first rows;
    a hash in two runs gives None (the caller factorises)."""
    from pv_identify.stream.context_parts import run_groups
    from pv_identify.stream.partition import first_positions

    rng = np.random.default_rng(1)
    for n_groups, repeat in ((1, 1), (1, 5), (200, 1), (3000, 4)):
        hashes = _hashes_in_runs(rng, n_groups, repeat)
        got = run_groups(hashes)
        assert got is not None
        codes = np.asarray(pd.factorize(hashes)[0], dtype=np.int64)
        assert np.array_equal(got[0], codes) and got[0].dtype == np.int64
        assert np.array_equal(got[1], first_positions(codes))
        other = np.array([hashes[0] ^ np.uint64(1)], dtype=np.uint64)
        again = np.concatenate([hashes, other, hashes[:1]])  # the first hash back later
        assert run_groups(again) is None
    assert run_groups(np.zeros(0, dtype=np.uint64)) is None


@pytest.mark.parametrize("runs", [True, False])
def test_group_codes_the_same_with_and_without_runs(monkeypatch, runs):
    """``group_codes`` gives the same codes and first rows through the runs' route as
    through ``pd.factorize`` (missing ids, a hash shared by two ids included)."""
    import pyarrow as pa

    from pv_identify.stream import context_parts

    rng = np.random.default_rng(2)
    hashes = _hashes_in_runs(rng, 500, 3)
    if not runs:
        hashes = hashes[rng.permutation(len(hashes))]
    ids = pa.array([f"id{h}" for h in hashes.tolist()])
    missing = rng.random(len(hashes)) < 0.05
    clash = hashes.copy()
    clash[clash == clash[-1]] = clash[0]  # two ids, one hash: exact codes from the ids
    for h, miss in ((hashes, None), (hashes, missing), (clash, None)):
        fast = context_parts.group_codes(ids, h, miss)
        monkeypatch.setattr(context_parts, "run_groups", lambda _: None)
        slow = context_parts.group_codes(ids, h, miss)
        monkeypatch.undo()
        assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])


def _cases(rng, n, persons, days, hashes=None):
    import pyarrow as pa

    ids = rng.integers(0, persons, n)
    if hashes is None:
        hashes = rng.integers(0, 2**63, persons, dtype=np.int64).astype(np.uint64)
    base = np.datetime64("2010-01-01", "ns").astype(np.int64)
    d = base + rng.integers(0, days, n) * 86_400 * 10**9
    return pa.table({
        "cp": pa.array(rng.integers(0, 4, n).astype(np.int32)),
        "ci": pa.array(np.arange(n, dtype=np.int32)),
        "pk": pa.array([f"p{i}" for i in ids]),
        "ph": pa.array(hashes[ids]),
        "d": pa.array(d),
        "cor": pa.array(rng.integers(0, 1 << 13, n).astype(np.int32)),
    })


def test_step_b_sorted_by_hash_and_date_equals_the_numbered_persons(monkeypatch):
    """Step B through one sort by (person hash, date) gives what numbering the persons
    and sorting by (number, date) gives -- ties of one day, one case per person, many
    days, hashes that agree in their high bits and two ids with one hash (these two
    through the numbered route) -- and takes the sort where it can."""
    from pv_identify.stream import context_parts

    rng = np.random.default_rng(4)
    near = (rng.integers(0, 2**40, 50, dtype=np.int64).astype(np.uint64) << np.uint64(24))
    near[1::2] = near[::2] + np.uint64(1)  # pairs equal but for the lowest bits
    shared = rng.integers(0, 2**63, 30, dtype=np.int64).astype(np.uint64)
    shared[7] = shared[3]  # persons 3 and 7: one hash
    cases = [(_cases(rng, 5000, 1500, 40), True), (_cases(rng, 3000, 3000, 9000), True),
             (_cases(rng, 4000, 200, 2), True), (_cases(rng, 1, 1, 1), True),
             (_cases(rng, 800, 50, 30, near), False), (_cases(rng, 600, 30, 30, shared), False)]
    for table, fast in cases:
        order = context_parts.person_date_order(
            table.column("pk"), table.column("ph").to_numpy(),
            context_parts._date_ranks(table.column("d").to_numpy()))
        assert (order is not None) == fast
        got = context_parts.step_b(table)
        monkeypatch.setattr(context_parts, "person_date_order", lambda *args: None)
        expected = context_parts.step_b(table)
        monkeypatch.undo()
        for a, b in zip(got, expected, strict=True):
            assert np.array_equal(a, b)


def test_pass_one_hashes_the_ids_in_the_read_ahead_thread(tmp_path, extract, shipped,
                                                          monkeypatch):
    """Parquet chunks' ids are taken and hashed in the read-ahead thread (the inserter
    only splits and writes); the files equal the CSV route's (ids hashed by the
    inserter) and ``pv.tag``'s; an error there surfaces and leaves no output."""
    import threading

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pv_identify.stream import history, runner

    frame = extract.head(4000)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=1500)
    csv = tmp_path / "in.csv"
    frame.to_csv(csv, index=False)
    seen: list[tuple[str, int]] = []
    real = history._Hasher.hashes

    def hashes(self, case, person):
        seen.append((threading.current_thread().name, len(case)))
        return real(self, case, person)

    monkeypatch.setattr(history._Hasher, "hashes", hashes)
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=600, progress=False,
                    cases_path=tmp_path / "cases.parquet")
    assert sum(n for _, n in seen) == 4000
    assert {name for name, _ in seen} == {"pv-read-ahead"}
    seen.clear()
    runner.tag_file(csv, tmp_path / "csv.parquet", shipped, chunk_rows=600, progress=False,
                    cases_path=tmp_path / "csv_cases.parquet")
    assert sum(n for _, n in seen) == 4000
    assert all(name.startswith("pv_context_insert") for name, _ in seen)
    got, via_csv = pd.read_parquet(out), pd.read_parquet(tmp_path / "csv.parquet")
    expected = shipped.tag(frame)
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
        assert via_csv[col].astype(str).tolist() == got[col].astype(str).tolist(), col
    assert got["pv_score"].tolist() == expected["pv_score"].tolist()
    assert via_csv["pv_score"].tolist() == got["pv_score"].tolist()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cases.parquet"),
                                  pd.read_parquet(tmp_path / "csv_cases.parquet"),
                                  check_dtype=False)

    def failing(self, case, person):
        raise RuntimeError("a hash that cannot be made")

    monkeypatch.setattr(history._Hasher, "hashes", failing)
    for path in list(tmp_path.iterdir()):
        if path.name not in ("in.parquet", "in.csv"):
            path.unlink()
    with pytest.raises(RuntimeError, match="cannot be made"):
        runner.tag_file(src, tmp_path / "out.parquet", shipped, chunk_rows=600, progress=False,
                        cases_path=tmp_path / "cases.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "in.parquet"]
    assert not [t for t in threading.enumerate() if t.name == "pv-read-ahead"]


def test_column_store_categories_in_another_order_are_not_mixed_up():
    """pandas calls unordered categoricals with the same categories in another order
    equal; their codes differ, so the store must not append one's codes to the other's."""
    first = pd.DataFrame({"label": pd.Categorical(["partner", "none", "none"],
                                                  categories=["partner", "none"])})
    swapped = pd.DataFrame({"label": pd.Categorical(["partner", "none"],
                                                    categories=["none", "partner"])})
    assert first["label"].dtype == swapped["label"].dtype  # what makes this a trap
    store = ColumnStore()
    store.append(first)
    assert not store.matches(swapped)
    store.append(swapped)
    assert store.frame()["label"].astype(str).tolist() == [
        "partner", "none", "none", "partner", "none"]
    pd.testing.assert_frame_equal(store.frame(), _concat([first, swapped]))
