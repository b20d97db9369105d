"""Issue 17, roll-ups in parts: the Arrow IPC part files, the threads and the heap setting.

The roll-up of a large file keeps its temporary parts as Arrow IPC files, rolls up two
case parts at a time, and rolls up and writes the persons in a thread while the case
roll-up is written. The values are checked against the in-memory roll-ups in
test_scale_rollups_stream.py; here: the pieces, and that a failure anywhere fails the
run and leaves no output.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pv_identify.stream import heap, partition, rollup_parts, rollups, runner


@pytest.fixture
def split(monkeypatch):
    """Parts of ~500 rows, so a 3,000-row file is rolled up in parts."""
    monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 500)
    monkeypatch.setattr(rollup_parts, "_BUFFER_ROWS", 700)
    monkeypatch.setattr(rollup_parts, "_MIN_GROUP_ROWS", 50)
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)


@pytest.fixture
def source(tmp_path, extract):
    src = tmp_path / "in.parquet"
    extract.head(3000).to_parquet(src, index=False)
    return src


def test_part_files_reject_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="feather"):
        partition.PartFiles(tmp_path, 2, ["ck"], 'hash("ck")', 10, "x", "none",
                            file_format="feather")


@pytest.mark.parametrize("suffixes", [(".arrow",) * 3, (".arrow", ".parquet", ".arrow")])
def test_merge_sorted_reads_arrow_files(tmp_path, suffixes):
    rng = np.random.default_rng(1)
    r0 = rng.permutation(5000)[:3000]
    paths = []
    for k, suffix in enumerate(suffixes):
        mine = np.sort(r0[k::3])
        paths.append(tmp_path / f"{k}{suffix}")
        rollup_parts.write_sorted(pa.table({"r0": mine, "v": mine * 2}), paths[-1], 77)
    got = pa.concat_tables(rollup_parts.merge_sorted(paths, ["r0", "v"], 250))
    assert got.column("r0").to_pylist() == sorted(r0.tolist())
    assert got.column("v").to_pylist() == [2 * x for x in sorted(r0.tolist())]
    sizes = [t.num_rows for t in rollup_parts.merge_sorted(paths, ["v"], 250)]
    assert max(sizes) <= 250 and sum(sizes) == 3000


def test_ordered_map_keeps_order_and_bounds_the_work_in_flight():
    running = [0]
    most = [0]
    lock = threading.Lock()

    def work(i: int, delay: float) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(delay)
        with lock:
            running[0] -= 1
        return i * i

    items = [(i, 0.02 if i % 3 == 0 else 0.001) for i in range(12)]
    assert list(rollup_parts.ordered_map(work, items, workers=2)) == [i * i for i in range(12)]
    assert most[0] == 2


def test_ordered_map_raises_the_first_error_and_stops():
    started = []

    def work(i: int) -> int:
        started.append(i)
        if i == 2:
            raise KeyError(i)
        return i

    results = rollup_parts.ordered_map(work, [(i,) for i in range(50)], workers=2)
    with pytest.raises(KeyError):
        for _ in results:
            pass
    assert len(started) < 50  # the items after the error are not started


def test_kept_heap_sets_the_thresholds_and_trims_even_on_error(monkeypatch):
    calls = []

    class FakeLibc:
        def mallopt(self, param, value):
            calls.append(("mallopt", param, value))
            return 1

        def malloc_trim(self, pad):
            calls.append(("trim", pad))
            return 1

    monkeypatch.setattr(heap, "glibc", FakeLibc)
    with pytest.raises(RuntimeError), heap.kept_heap():
        assert calls == [("mallopt", -3, 32 << 20), ("mallopt", -1, 64 << 20)]
        raise RuntimeError
    assert calls[-1] == ("trim", 0)
    monkeypatch.setattr(heap, "glibc", lambda: None)  # not glibc: nothing is called
    with heap.kept_heap():
        pass
    assert len(calls) == 3


def _outputs(tmp_path):
    return tmp_path / "out.parquet", tmp_path / "cases.parquet", tmp_path / "persons.parquet"


def _nothing_left(tmp_path):
    out, cases, persons = _outputs(tmp_path)
    assert not out.exists() and not cases.exists() and not persons.exists()
    assert not list(tmp_path.glob(".pv_rollup_*"))
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_person_thread_error_fails_the_run(tmp_path, split, source, monkeypatch):
    def broken(rows):
        raise RuntimeError("person part")

    monkeypatch.setattr(rollups, "aggregate_persons", broken)
    out, cases, persons = _outputs(tmp_path)
    with pytest.raises(RuntimeError, match="person part"):
        runner.tag_file(source, out, "default", chunk_rows=700, progress=False,
                        cases_path=cases, persons_path=persons)
    _nothing_left(tmp_path)


def test_case_output_error_stops_the_person_thread(tmp_path, split, source, monkeypatch):
    real = rollups.RollupStore._write_cases

    def broken(self, path, metadata, batches, *args):
        def failing():
            yield from batches
            time.sleep(0.2)  # the person roll-up has been written (staged) by now
            raise OSError("disk full")
        real(self, path, metadata, failing(), *args)

    monkeypatch.setattr(rollups.RollupStore, "_write_cases", broken)
    out, cases, persons = _outputs(tmp_path)
    with pytest.raises(OSError, match="disk full"):
        runner.tag_file(source, out, "default", chunk_rows=700, progress=False,
                        cases_path=cases, persons_path=persons)
    _nothing_left(tmp_path)


def test_rollups_in_parts_use_arrow_files(tmp_path, split, source, monkeypatch):
    """The run's key and person parts are Arrow IPC files, all removed afterwards."""
    seen = []
    real = partition.read_part

    def read(path):
        seen.append(path.suffix)
        return real(path)

    monkeypatch.setattr(rollups, "read_part", read)
    out, cases, persons = _outputs(tmp_path)
    summary = runner.tag_file(source, out, "default", chunk_rows=700, progress=False,
                              cases_path=cases, persons_path=persons)
    assert len(seen) > 6 and set(seen) == {".arrow"}
    assert pq.read_table(cases).num_rows == summary.cases
    assert pq.read_table(persons).num_rows == summary.persons
    assert not list(tmp_path.glob(".pv_rollup_*"))


def test_two_case_workers_give_the_same_files(tmp_path, split, source, monkeypatch):
    got = {}
    for workers in (1, 2):
        monkeypatch.setattr(rollup_parts, "CASE_WORKERS", workers)
        monkeypatch.setattr(rollup_parts, "resident_bytes", lambda: 0)  # room for two
        out = tmp_path / f"out{workers}.parquet"
        cases = tmp_path / f"cases{workers}.parquet"
        persons = tmp_path / f"persons{workers}.parquet"
        runner.tag_file(source, out, "default", chunk_rows=700, progress=False,
                        cases_path=cases, persons_path=persons)
        got[workers] = (pq.read_table(cases), pq.read_table(persons))
    assert got[1][0].num_rows > 100
    assert got[1][0].equals(got[2][0]) and got[1][1].equals(got[2][1])


def _dictionary_columns(path):
    meta = pq.ParquetFile(path).metadata
    group = meta.row_group(0)
    return {meta.schema.column(i).name for i in range(group.num_columns)
            if any("DICTIONARY" in e for e in group.column(i).encodings)}


@pytest.mark.parametrize("in_parts", [False, True])
def test_rollup_ids_are_written_without_dictionaries(tmp_path, source, monkeypatch, in_parts):
    if in_parts:
        monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 500)
    out, cases, persons = _outputs(tmp_path)
    runner.tag_file(source, out, "default", progress=False, cases_path=cases,
                    persons_path=persons)
    case_dicts = _dictionary_columns(cases)
    assert "parketnummer" not in case_dicts and "jds_nummer" not in case_dicts
    assert {"labels", "n_offences"} <= case_dicts  # the other columns keep them
    person_dicts = _dictionary_columns(persons)
    assert not {"jds_nummer", "first_partner_violence_case"} & person_dicts
    assert "n_cases" in person_dicts
    assert "jds_nummer" in _dictionary_columns(out)  # the tagged file is written as before


def test_interrupted_wait_stops_the_person_thread():
    """Ctrl-C while the run waits for the person roll-up stops that thread first."""
    finished = []

    def job(stop):
        stop.wait(5)
        finished.append(stop.is_set())
        return 1

    task = rollups._Background(lambda f, *a: f(*a), job)
    real_join = task._thread.join
    calls = []

    def join(*args):
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real_join(*args)

    task._thread.join = join
    with pytest.raises(KeyboardInterrupt):
        task.result()
    assert finished == [True]  # stopped (not timed out) and waited for


def test_a_second_case_worker_only_with_room_under_the_budget(monkeypatch):
    mib = 1 << 20
    monkeypatch.setattr(rollup_parts, "MEMORY_BUDGET", 1024 * mib)
    monkeypatch.setattr(rollup_parts, "PART_MEMORY", 160 * mib)
    for resident, workers in [(600 * mib, 2), (704 * mib, 2), (705 * mib, 1),
                              (840 * mib, 1), (2000 * mib, 1), (None, 1)]:
        monkeypatch.setattr(rollup_parts, "resident_bytes", lambda r=resident: r)
        assert rollup_parts.case_workers() == workers, resident
    monkeypatch.setattr(rollup_parts, "CASE_WORKERS", 1)
    monkeypatch.setattr(rollup_parts, "resident_bytes", lambda: 0)
    assert rollup_parts.case_workers() == 1


def test_resident_bytes_reads_this_process():
    resident = heap.resident_bytes()
    assert resident is None or 10 << 20 < resident < 64 << 30


def test_free_heap_is_given_back_before_the_case_workers_are_chosen(tmp_path, split, source,
                                                                    monkeypatch):
    calls = []
    real_trim, real_workers = rollups.trim_heap, rollup_parts.case_workers
    monkeypatch.setattr(rollups, "trim_heap", lambda: (calls.append("trim"), real_trim())[1])
    monkeypatch.setattr(rollup_parts, "case_workers",
                        lambda: (calls.append("workers"), real_workers())[1])
    out, cases, persons = _outputs(tmp_path)
    runner.tag_file(source, out, "default", chunk_rows=700, progress=False,
                    cases_path=cases, persons_path=persons)
    assert calls[:2] == ["trim", "workers"]
