"""Session 17 (issue 17): the streamed roll-up saves no person rows beside a Parquet case file.

A model run whose cases are runs of rows writes both roll-ups while it tags the file
(session 12). Whether the persons came in runs is known only at the end; if they did
not, the persons are rolled up in parts from one row per case. Those rows were saved
as they came (an Arrow IPC file: ~2 GB at 50M rows, written for the rare file whose
persons are not runs); when the case roll-up goes to a Parquet file they are now read
back from it instead. Same outputs (schema metadata included) as from the saved rows,
and equal to the in-memory roll-ups; CSV case output and persons without cases still
save the rows.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rollup_expect import blank, expected_rollups, same_as_expected, small_parts

from pv_identify.stream import rollups, runner


@pytest.fixture(scope="module")
def frame(extract) -> pd.DataFrame:
    """Rows in the generator's order (every case one run), some persons and dates missing.

    Cases without a person are one person of the roll-ups in many runs: the persons
    take the parts' route.
    """
    return blank(extract.head(4000).reset_index(drop=True), persons=60, dates=300)


@pytest.fixture
def parts(monkeypatch):
    small_parts(monkeypatch)
    monkeypatch.setattr(rollups, "STREAM_BATCH_ROWS", 61)


@pytest.fixture
def routes(monkeypatch):
    """Record the person rows saved (IPC files opened) and the case files read back."""
    seen: dict[str, list[str]] = {"saved": [], "read_back": []}
    real_new_file = pa.ipc.new_file

    def new_file(sink, schema, *args, **kwargs):
        seen["saved"].append(str(sink))
        return real_new_file(sink, schema, *args, **kwargs)

    real_rows = rollups.RollupStore._case_file_rows

    def case_file_rows(self, path):
        # the run's outputs are staged: the finished case file is still its temporary file
        assert path.exists() and path.name.startswith(".cases.") and path.suffix == ".tmp"
        seen["read_back"].append(path.name.split(".")[1])
        return real_rows(self, path)

    monkeypatch.setattr(pa.ipc, "new_file", new_file)
    monkeypatch.setattr(rollups.RollupStore, "_case_file_rows", case_file_rows)
    return seen


def _run(frame, tmp_path, tagger, name="run", cases="cases.parquet",
         persons="persons.parquet"):
    folder = tmp_path / name
    folder.mkdir()
    src = folder / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=900)
    out = folder / "out.parquet"
    paths = {"cases_path": folder / cases if cases else None,
             "persons_path": folder / persons if persons else None}
    summary = runner.tag_file(src, out, tagger, chunk_rows=700, progress=False, **paths)
    return out, paths["cases_path"], paths["persons_path"], summary


def _saved_person_rows(seen) -> list[str]:
    return [p for p in seen["saved"] if p.endswith("person_rows.arrow")]


def test_parquet_cases_save_no_person_rows(tmp_path, frame, shipped, parts, routes):
    """Persons not in runs, a Parquet case file: the person rows come from that file."""
    out, cases, persons, summary = _run(frame, tmp_path, shipped)
    assert _saved_person_rows(routes) == []
    assert routes["read_back"] == ["cases"]
    same_as_expected(out, cases, persons, tmp_path)
    assert summary.persons == pq.read_metadata(persons).num_rows
    assert summary.partner_violence_persons == int(
        (pq.read_table(persons).column("n_partner_violence_cases").to_numpy() > 0).sum())
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["in.parquet", *(f"{n}.parquet{m}" for n in ("out", "cases", "persons")
                         for m in ("", ".meta.json"))])


def test_read_back_equals_the_saved_rows(tmp_path, frame, shipped, parts, routes,
                                         monkeypatch):
    """The persons from the case file are the persons from the saved rows, file for file."""
    got = _run(frame, tmp_path, shipped, "read_back")
    real = rollups.file_format
    monkeypatch.setattr(rollups, "file_format",
                        lambda path: "csv" if str(path).endswith("cases.parquet") else real(path))
    expected = _run(frame, tmp_path, shipped, "saved")
    assert routes["read_back"] == ["cases"]
    assert len(_saved_person_rows(routes)) == 1
    for a, b in zip(got[:3], expected[:3], strict=True):
        assert pq.read_table(a).equals(pq.read_table(b), check_metadata=True)
        # the same row groups too: the merge's batches follow the cases' first rows
        sizes = [[m.row_group(g).num_rows for g in range(m.num_row_groups)]
                 for m in (pq.read_metadata(a), pq.read_metadata(b))]
        assert sizes[0] == sizes[1]
    for name in ("cases", "partner_violence_cases", "persons", "partner_violence_persons"):
        assert getattr(got[3], name) == getattr(expected[3], name)


@pytest.mark.parametrize("cases", ["cases.csv", None])
def test_without_a_parquet_case_file_the_rows_are_saved(tmp_path, frame, shipped, parts,
                                                        routes, cases):
    """A CSV case file (not read back) or none at all: the person rows are saved as before."""
    out, _, persons, summary = _run(frame, tmp_path, shipped, cases=cases)
    assert len(_saved_person_rows(routes)) == 1
    assert routes["read_back"] == []
    _, exp_persons = expected_rollups(out, tmp_path)
    assert pq.read_table(persons).equals(pq.read_table(exp_persons))
    assert summary.persons == pq.read_metadata(persons).num_rows
