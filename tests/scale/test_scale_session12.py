"""Session 12 (issue 17): the roll-ups written while a model run tags the file.

When every case is one run of consecutive rows (step A checks it), the case roll-up is
computed from the runs of case ids chunk by chunk (``stream/case_runs.py``) in a thread
beside pass 2, and the person roll-up from the runs of persons over those cases
(``stream/person_runs.py``), kept if no person came in two runs (else the persons are
rolled up in parts from the saved person rows). Outputs equal the in-memory roll-ups
and the parts' route; a file with a scattered case keeps the parts' route.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rollup_expect import blank, same_as_expected, small_parts

from pv_identify.stream import (
    case_runs,
    person_runs,
    rollups,
    runner,
)
from pv_identify.stream.case_runs import CaseRuns, aggregate_runs, run_codes
from pv_identify.stream.context_rollups import runs_are_cases
from pv_identify.stream.person_runs import PersonRuns, run_starts
from pv_identify.stream.rollup_parts import aggregate_cases, aggregate_persons, person_rows

LABEL_CODES = [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.fixture(scope="module")
def frame(extract) -> pd.DataFrame:
    """Rows in the generator's order (every case one run) with missing persons and dates."""
    return blank(extract.head(4000).reset_index(drop=True), persons=60, dates=300)


@pytest.fixture(scope="module")
def whole_persons(extract) -> pd.DataFrame:
    """Rows in the generator's order, every row with its person (persons in runs)."""
    out = blank(extract.head(4000).reset_index(drop=True), persons=0, dates=300, seed=5)
    assert out["jds_nummer"].notna().all()
    return out


@pytest.fixture
def parts(monkeypatch):
    """Small context and roll-up parts, small merge groups and output batches."""
    small_parts(monkeypatch)
    monkeypatch.setattr(rollups, "STREAM_BATCH_ROWS", 61)


def _run(frame, tmp_path, tagger, name="run"):
    folder = tmp_path / name
    folder.mkdir()
    src = folder / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=900)
    out, cases, persons = (folder / f"{n}.parquet" for n in ("out", "cases", "persons"))
    summary = runner.tag_file(src, out, tagger, chunk_rows=700, progress=False,
                              cases_path=cases, persons_path=persons)
    return out, cases, persons, summary


def _streams(monkeypatch):
    """Count the runs in which the case roll-up was streamed."""
    calls: list[int] = []
    real = rollups.RollupStore.stream_cases

    def wrapped(self, *args):
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(rollups.RollupStore, "stream_cases", wrapped)
    return calls


def _from_saved(monkeypatch):
    """Count the runs whose persons were rolled up in parts from the saved rows."""
    calls: list[int] = []
    real = rollups.RollupStore._persons_from

    def wrapped(self, *args):
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(rollups.RollupStore, "_persons_from", wrapped)
    return calls


def _keys(n: int, seed: int, runs: bool = True, no_person: float = 0.2) -> pa.Table:
    """Key rows of cases 1-4 rows long (in runs, or shuffled), some persons / dates missing."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 5, n)
    case = np.repeat(np.arange(n), sizes)
    if not runs:
        case = rng.permutation(case)
    m = len(case)
    person = case // 3
    pk = pa.array([f"p{p}" for p in person], mask=rng.random(m) < no_person)
    days = rng.integers(0, 4000, m).astype("datetime64[D]").astype("datetime64[ns]")
    d = pa.array(days, mask=rng.random(m) < 0.3)
    lab = rng.integers(-1, 9, m).astype(np.int8)
    return pa.table({
        "row": pa.array(np.arange(m, dtype=np.int64) + 40),
        "ck": pa.array([f"c{c:05d}" for c in case]), "pk": pk, "d": d,
        "lab": pa.array(lab), "pv": pa.array(rng.random(m) < 0.3),
        "dv": pa.array(rng.random(m) < 0.4)})


def test_run_codes():
    ids = pa.array(["a", "a", "b", "a", "a", "c"])
    assert run_codes(ids).tolist() == [0, 0, 1, 2, 2, 3]
    assert run_codes(pa.array(["x"])).tolist() == [0]
    assert run_codes(pa.array([], pa.string())).tolist() == []
    with pytest.raises(ValueError, match="missing"):
        run_codes(pa.array(["a", None]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_runs_give_the_cases_of_aggregate_cases(seed):
    keys = _keys(300, seed)
    for with_person in (True, False):
        got = aggregate_runs(keys, LABEL_CODES, with_person)
        assert got.equals(aggregate_cases(keys, LABEL_CODES, with_person))


@pytest.mark.parametrize("seed", [3, 4])
def test_case_runs_over_chunks_equal_the_whole(seed):
    """Cases cut by chunk boundaries (also over several chunks) are joined."""
    big = _keys(400, seed)
    # one long case over many small chunks, its person and date only in later rows
    long_case = pa.table({
        "row": pa.array(np.arange(len(big) + 40, len(big) + 90, dtype=np.int64)),
        "ck": pa.array(["zz"] * 50), "pk": pa.array([None] * 7 + ["pz"] * 43, pa.string()),
        "d": pa.array([None] * 9 + [np.datetime64(f"2020-01-0{1 + i % 9}", "ns")
                                    for i in range(41)], pa.timestamp("ns")),
        "lab": pa.array(np.full(50, 3, dtype=np.int8)), "pv": pa.array([True] * 50),
        "dv": pa.array([False] * 50)})
    whole = pa.concat_tables([big, long_case.cast(big.schema)]).combine_chunks()
    expected = aggregate_cases(whole, LABEL_CODES, True)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        got: list[pa.Table] = []
        runs = CaseRuns(LABEL_CODES, True, got.append)
        start = 0
        while start < len(whole):
            size = int(rng.integers(1, 60))
            runs.add(whole.slice(start, size))
            start += size
        runs.finish()
        table = pa.concat_tables(got).combine_chunks()
        assert runs.cases == table.num_rows == expected.num_rows
        assert table.equals(expected)


def test_case_runs_empty_and_single():
    got: list[pa.Table] = []
    runs = CaseRuns(LABEL_CODES, True, got.append)
    keys = _keys(1, 9)
    runs.add(keys.slice(0, 0))
    runs.finish()
    assert got == []
    runs = CaseRuns(LABEL_CODES, True, got.append)
    runs.add(keys)
    assert got == []  # the only case may go on in a next chunk
    runs.finish()
    assert len(got) == 1 and got[0].equals(aggregate_cases(keys, LABEL_CODES, True))


def test_runs_are_cases():
    codes = np.array([0, 0, 1, 2, 2, 2])
    assert runs_are_cases(codes, 3, np.array([0, 1, 2, 3, 4, 5]))
    assert runs_are_cases(codes, 3, np.array([0, 1, 7, 10, 11, 12]))  # others' rows between
    assert not runs_are_cases(codes, 3, np.array([0, 2, 3, 4, 5, 6]))  # a row of case 0 elsewhere
    assert not runs_are_cases(np.array([0, 1, 0]), 2, np.array([0, 1, 2]))  # case 0 twice
    assert runs_are_cases(np.array([0]), 1, np.array([5]))
    assert runs_are_cases(np.array([], dtype=np.int64), 0, np.array([], dtype=np.int64))


@pytest.mark.parametrize("which", ["whole_persons", "frame"])
def test_streamed_rollups_equal_the_in_memory_ones(tmp_path, which, request, shipped, parts,
                                                   monkeypatch):
    """Persons in runs: rolled up by runs; cases without a person (one person, in many
    runs): the persons are rolled up in parts from the saved rows."""
    streamed, saved = _streams(monkeypatch), _from_saved(monkeypatch)
    out, cases, persons, summary = _run(request.getfixturevalue(which), tmp_path, shipped)
    assert streamed == [1]
    assert saved == ([] if which == "whole_persons" else [1])
    same_as_expected(out, cases, persons, tmp_path)
    assert summary.cases == pq.read_metadata(cases).num_rows
    assert summary.persons == pq.read_metadata(persons).num_rows
    assert summary.partner_violence_cases == int(
        pq.read_table(cases).column("partner_violence").to_numpy().sum())
    assert summary.partner_violence_persons == int(
        (pq.read_table(persons).column("n_partner_violence_cases").to_numpy() > 0).sum())
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["in.parquet", *(f"{n}.parquet{m}" for n in ("out", "cases", "persons")
                         for m in ("", ".meta.json"))])


def test_a_person_in_two_runs_is_rolled_up_in_parts(tmp_path, whole_persons, shipped, parts,
                                                    monkeypatch):
    """A person's first case moved to the end: cases still runs, the person in two."""
    streamed, saved = _streams(monkeypatch), _from_saved(monkeypatch)
    frame = whole_persons
    ids, persons = frame["parketnummer"].to_numpy(), frame["jds_nummer"].to_numpy()
    firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    # a case whose next case has the same person
    at = next(i for j, i in enumerate(firsts[:-1]) if persons[i] == persons[firsts[j + 1]])
    case = frame["parketnummer"] == ids[at]
    moved = pd.concat([frame[~case], frame[case]], ignore_index=True)
    out, cases, persons_path, _ = _run(moved, tmp_path, shipped)
    assert streamed == [1] and saved == [1]
    same_as_expected(out, cases, persons_path, tmp_path)


def test_streamed_rollups_equal_the_parts_route(tmp_path, whole_persons, shipped, parts,
                                               monkeypatch):
    """The same files, schema metadata included, as with the case parts after pass 2."""
    streamed = _streams(monkeypatch)
    got = _run(whole_persons, tmp_path, shipped, "streamed")
    monkeypatch.setattr(runner, "contiguous_cases", lambda directory: False)
    expected = _run(whole_persons, tmp_path, shipped, "parts")
    assert streamed == [1]
    for a, b in zip(got[:3], expected[:3], strict=True):
        assert pq.read_table(a).equals(pq.read_table(b), check_metadata=True)
    for name in ("cases", "partner_violence_cases", "persons", "partner_violence_persons"):
        assert getattr(got[3], name) == getattr(expected[3], name)


def test_one_scattered_case_keeps_the_parts_route(tmp_path, frame, shipped, parts,
                                                  monkeypatch):
    streamed = _streams(monkeypatch)
    ids = frame["parketnummer"].to_numpy()
    i = int(np.flatnonzero(ids[1:] == ids[:-1])[0])  # the first case of two rows or more
    moved = pd.concat([frame.drop(index=i), frame.iloc[[i]]], ignore_index=True)
    out, cases, persons, _ = _run(moved, tmp_path, shipped)
    assert streamed == []
    same_as_expected(out, cases, persons, tmp_path)


def test_a_failing_stream_leaves_no_outputs(tmp_path, frame, shipped, parts, monkeypatch):
    def broken(self, keys):
        raise OSError("disk gone")

    monkeypatch.setattr(case_runs.CaseRuns, "add", broken)
    with pytest.raises(OSError, match="disk gone"):
        _run(frame, tmp_path, shipped)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["in.parquet"]


@pytest.mark.parametrize("where", ["case", "person"])
def test_a_failing_person_roll_up_leaves_no_outputs(tmp_path, whole_persons, shipped, parts,
                                                   monkeypatch, where):
    def broken(*args):
        raise OSError("disk gone")

    if where == "case":
        monkeypatch.setattr(rollups.RollupStore, "_case_table", broken)
    else:
        monkeypatch.setattr(person_runs, "person_table", broken)
    with pytest.raises(OSError, match="disk gone"):
        _run(whole_persons, tmp_path, shipped)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["in.parquet"]


def test_run_starts():
    assert run_starts(pa.array(["a", "a", "b", "a"])).tolist() == [0, 2, 3]
    assert run_starts(pa.array([None, None, "a", None, "a", "a"], pa.string())).tolist() == \
        [0, 2, 3, 4]
    assert run_starts(pa.array([], pa.string())).tolist() == []


@pytest.mark.parametrize("seed", [0, 1])
def test_person_runs_over_batches_equal_the_whole(tmp_path, seed):
    rows = person_rows(aggregate_cases(_keys(600, seed, no_person=0), LABEL_CODES, True))
    expected = aggregate_persons(rows).drop_columns(["r0"])
    rng = np.random.default_rng(seed)
    got: list[pa.Table] = []
    runs = PersonRuns(tmp_path, 3, got.append)
    start = 0
    while start < rows.num_rows:
        size = int(rng.integers(1, 40))
        runs.add(rows.slice(start, size))
        start += size
    runs.finish()
    assert pa.concat_tables(got).combine_chunks().equals(expected)
    assert runs.unique()
    assert not list(tmp_path.iterdir())  # the hash files are read and removed


def test_person_runs_find_a_person_in_two_runs(tmp_path):
    rows = person_rows(aggregate_cases(_keys(100, 2), LABEL_CODES, True))
    pk = rows.column("pk").to_pylist()
    j = next(i for i in range(2, len(pk)) if pk[i] not in (pk[0], pk[i - 1]) and
             pk[i - 1] != pk[0])
    pk[j] = pk[0]  # the first person again, after others
    rows = rows.set_column(0, "pk", pa.array(pk, pa.string()))
    runs = PersonRuns(tmp_path, 4, lambda table: None)
    runs.add(rows)
    runs.finish()
    assert not runs.unique()
