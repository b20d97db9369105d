"""Session 7 (issue 17): the context steps on two threads; the roll-ups from the context parts.

The steps' results and the roll-ups must not depend on how the work is spread:
one thread or two, any number of parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from rollup_expect import expected_rollups, same_parquet

from pv_identify.stream import context_parts, history
from pv_identify.stream.model_cache import ModelCache
from pv_identify.stream.partition import earliest_dates, first_positions


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


# -- roll-ups taken from the context pass (stream/context_rollups.py) ----------------------


import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from pv_identify.stream import context_rollups, rollup_parts, rollups, runner  # noqa: E402


@pytest.fixture
def parts(monkeypatch):
    """Context parts of ~800 rows, roll-up parts of ~1,000, small buffers and batches;
    records the parts each RowCodes aggregated."""
    monkeypatch.setattr(history, "ROWS_PER_PART", 800)
    monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 1000)
    monkeypatch.setattr(rollup_parts, "_MERGE_GROUP_ROWS", (50, 50))
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    monkeypatch.setattr(context_rollups, "_FLUSH_BYTES", 300)  # many appends a part
    used: list[int] = []
    real = context_rollups.RowCodes.aggregate

    def aggregate(self, k, labels, with_person):
        used.append(k)
        return real(self, k, labels, with_person)

    monkeypatch.setattr(context_rollups.RowCodes, "aggregate", aggregate)
    return used


@pytest.fixture(scope="module")
def whole_cases(extract) -> pd.DataFrame:
    """Shuffled rows, every case id present; missing persons and dates."""
    frame = extract.head(5000).sample(frac=1, random_state=5).reset_index(drop=True)
    rng = np.random.default_rng(3)
    frame.loc[rng.choice(len(frame), 40, replace=False), "jds_nummer"] = None
    frame.loc[rng.choice(len(frame), 200, replace=False), "inschrijvingsdatum"] = pd.NaT
    # a case whose first rows have no person: its person is its first non-missing one
    frame.loc[[10, 2000, 4000], "parketnummer"] = "LATE-PERSON"
    frame.loc[[10], "jds_nummer"] = None
    frame.loc[[2000], "jds_nummer"] = "P-2000"
    frame.loc[[4000], "jds_nummer"] = "P-4000"
    # a case with no person at all and a person with cases in several parts
    frame.loc[[20, 3000], "parketnummer"] = "NO-PERSON"
    frame.loc[[20, 3000], "jds_nummer"] = None
    assert frame["parketnummer"].notna().all()
    return frame


def _run(src, tmp_path, shipped, **paths):
    out = tmp_path / "out.parquet"
    summary = runner.tag_file(src, out, shipped, chunk_rows=700, progress=False, **paths)
    return out, summary


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_rollups_from_the_context_pass_equal_in_memory(tmp_path, parts, whole_cases, shipped,
                                                       n_jobs):
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(whole_cases, preserve_index=False), src,
                   row_group_size=900)
    cases, persons = tmp_path / "cases.parquet", tmp_path / "persons.parquet"
    out = tmp_path / "out.parquet"
    summary = runner.tag_file(src, out, shipped, chunk_rows=700, progress=False,
                              n_jobs=n_jobs, cases_path=cases, persons_path=persons)
    assert len(set(parts)) > 1  # the context pass's parts were rolled up
    exp_cases, exp_persons = expected_rollups(out, tmp_path)
    same_parquet(cases, exp_cases)
    same_parquet(persons, exp_persons)
    whole = pd.read_parquet(exp_persons)
    assert summary.persons == len(whole)
    assert summary.cases == len(pd.read_parquet(exp_cases))
    # the tagged file is the one a run without roll-ups writes
    (tmp_path / "plain").mkdir()
    plain, _ = _run(src, tmp_path / "plain", shipped)
    assert pq.read_table(plain).equals(pq.read_table(out))
    assert not list(tmp_path.glob(".pv_rollup_*"))


def test_rollups_from_the_context_pass_only_cases_or_persons(tmp_path, parts, whole_cases,
                                                             shipped):
    src = tmp_path / "in.parquet"
    whole_cases.to_parquet(src, index=False)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    out, _ = _run(src, tmp_path / "a", shipped, cases_path=tmp_path / "a" / "cases.parquet")
    _run(src, tmp_path / "b", shipped, persons_path=tmp_path / "b" / "persons.parquet")
    assert parts
    exp_cases, exp_persons = expected_rollups(out, tmp_path)
    same_parquet(tmp_path / "a" / "cases.parquet", exp_cases)
    same_parquet(tmp_path / "b" / "persons.parquet", exp_persons)


@pytest.mark.parametrize("change", ["missing_case", "int_ids", "no_person"])
def test_other_files_split_the_keys_as_before(tmp_path, parts, whole_cases, shipped, change):
    """Rows without a case id (each its own case in the context pass, one case in the
    roll-ups), ids that are not strings, no person column: the key rows are split."""
    frame = whole_cases.copy()
    if change == "missing_case":
        frame.loc[[7, 3500], "parketnummer"] = None
    elif change == "int_ids":
        for col in ("parketnummer", "jds_nummer"):
            frame[col] = pd.Series(pd.factorize(frame[col])[0]).astype("int64")
    else:
        frame = frame.drop(columns=["jds_nummer"])
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    cases = tmp_path / "cases.parquet"
    persons = tmp_path / "persons.parquet" if change != "no_person" else None
    out, _ = _run(src, tmp_path, shipped, cases_path=cases, persons_path=persons)
    assert parts == []
    exp_cases, exp_persons = expected_rollups(out, tmp_path, persons is not None)
    same_parquet(cases, exp_cases)
    if persons is not None:
        same_parquet(persons, exp_persons)


def test_part_aggregate_equals_the_key_rows_aggregate(tmp_path):
    """RowCodes.aggregate on a part gives aggregate_cases' table on its key rows."""
    import tempfile

    from pv_identify.schema import LABELS, NONE

    rng = np.random.default_rng(0)
    n = 3000
    ck = pa.array([f"C{i}" for i in rng.integers(0, 700, n)])
    pk = pa.array([None if rng.random() < 0.05 else f"P{i}" for i in rng.integers(0, 300, n)])
    days = rng.integers(0, 4000, n).astype("datetime64[D]").astype("datetime64[ns]")
    d = pa.array(days, mask=rng.random(n) < 0.1)
    rows = np.sort(rng.choice(10 * n, n, replace=False)).astype(np.int64)
    table = pa.table({"row": rows, "ck": ck, "pk": pk, "d": d})
    codes = np.asarray(pd.factorize(ck.to_numpy(zero_copy_only=False))[0], dtype=np.int64)
    labels = list(LABELS)
    lab = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(labels), n).astype(np.int8)),
                                         pa.array(labels))
    pv_ = rng.random(n) < 0.3
    dv_ = pv_ | (rng.random(n) < 0.2)
    outputs = pa.table({"pv_label": lab, "pv_partner_violence": pv_,
                        "pv_domestic_violence": dv_})
    store = context_rollups.RowCodes(tempfile.TemporaryDirectory(dir=tmp_path), 2)
    try:
        first = first_positions(codes)
        context_rollups.save_part(store.directory, 1, table, codes, first,
                                  earliest_dates(table.column("d"), codes, len(first)))
        order = rng.permutation(n)  # the chunk has the part's rows somewhere
        chunk = np.empty(n, dtype=np.uint8)
        chunk[order] = context_rollups.row_codes(outputs)
        half = n // 2
        store.positions([(1, order[:half])])
        store.add(chunk)
        store.positions([(1, order[half:])])
        store.add(chunk)
        assert store.finish() == [1]
        label_codes = [LABELS.index(x) for x in LABELS if x != NONE]
        got = store.aggregate(1, label_codes, True)
    finally:
        store.close()
    keys = pa.table({"row": rows, "ck": ck, "pk": pk, "d": d,
                     "lab": rollups.label_codes(pa.chunked_array([lab])),
                     "pv": pv_, "dv": dv_})
    expected = rollup_parts.aggregate_cases(keys, label_codes, True)
    assert got.equals(expected)


def test_context_rollup_files_go_on_an_error(tmp_path, parts, whole_cases, shipped,
                                             monkeypatch):
    """An error during pass 2 removes the context pass's roll-up parts too."""
    import tempfile

    src = tmp_path / "in.parquet"
    whole_cases.to_parquet(src, index=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    calls = []
    real = context_rollups.RowCodes.add

    def add(self, codes):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk gone")
        return real(self, codes)

    monkeypatch.setattr(context_rollups.RowCodes, "add", add)
    with pytest.raises(RuntimeError, match="disk gone"):
        _run(src, tmp_path, shipped, cases_path=tmp_path / "cases.parquet")
    assert not list(scratch.iterdir())
    assert not (tmp_path / "cases.parquet").exists()


def test_model_outputs_have_small_first_row_dictionaries(tmp_path, whole_cases, shipped):
    """The rule-id and evidence columns of the model path hold each string once, in
    order of first row (what a Parquet reader rebuilds), with the values of the slots'
    dictionaries; the file read back equals the one written from those."""
    from pv_identify.stream.distinct import dictionary_take

    src = tmp_path / "in.parquet"
    whole_cases.to_parquet(src, index=False)
    table = pq.read_table(src)
    cache = ModelCache(shipped)
    outputs = cache.arrow_outputs(table)
    store = cache.distinct.store_arrow()
    slots = cache._last[0]
    reference = dictionary_take(store.select(["pv_rule_ids", "pv_evidence"]), slots)
    for name in ("pv_rule_ids", "pv_evidence"):
        got = outputs.column(name).combine_chunks()
        assert got.type == reference.column(name).type
        values = got.dictionary.to_pylist()
        assert len(values) == len(set(values))
        decoded = got.dictionary_decode().to_pylist()
        assert decoded == reference.column(name).combine_chunks().dictionary_decode().to_pylist()
        assert values == list(dict.fromkeys(decoded))  # first-row order
    pq.write_table(outputs, tmp_path / "a.parquet")
    pq.write_table(outputs.set_column(outputs.schema.get_field_index("pv_rule_ids"),
                                      "pv_rule_ids", reference.column("pv_rule_ids"))
                   .set_column(outputs.schema.get_field_index("pv_evidence"), "pv_evidence",
                               reference.column("pv_evidence")), tmp_path / "b.parquet")
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))
