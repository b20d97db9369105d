"""Issue 17: roll-ups of a file split into hash parts equal the in-memory roll-ups.

Above ``rollups.WHOLE_FILE_ROWS`` key rows the roll-up queries run per case part, then
per person part, and the outputs merge the parts' files by first row; forced here on
small files (the whole-file route is covered by test_scale_rollups_stream.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pv_identify as pv
from pv_identify.io.readers import iter_arrow, read_extract
from pv_identify.io.writers import write_extract
from pv_identify.stream import rollups, runner


@pytest.fixture(scope="module")
def messy(extract) -> pd.DataFrame:
    """Unsorted, with missing case and person ids, missing dates and a case of several
    persons (its person is its first row's)."""
    frame = extract.head(6000).sample(frac=1, random_state=5).reset_index(drop=True)
    rng = np.random.default_rng(9)
    frame.loc[rng.choice(len(frame), 40, replace=False), "parketnummer"] = None
    frame.loc[rng.choice(len(frame), 40, replace=False), "jds_nummer"] = None
    frame.loc[rng.choice(len(frame), 300, replace=False), "inschrijvingsdatum"] = pd.NaT
    frame.loc[[10, 2000, 5000], "parketnummer"] = "MIXED"
    frame.loc[[10, 2000, 5000], "jds_nummer"] = [None, "PERSON-X", "PERSON-Y"]
    return frame


def _whole(tagged: Path) -> pd.DataFrame:
    if tagged.suffix == ".parquet":
        return pd.concat([t.to_pandas() for t in iter_arrow(tagged, chunk_rows=700)],
                         ignore_index=True)
    whole = read_extract(tagged)
    for col in ("pv_partner_violence", "pv_domestic_violence"):
        whole[col] = whole[col].map({"True": True, "False": False}).astype(bool)
    return whole


def _same_file(got: Path, expected: Path) -> None:
    if got.suffix == ".csv":
        assert got.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    else:
        left, right = pq.read_table(got), pq.read_table(expected)
        assert left.schema.equals(right.schema), (left.schema, right.schema)
        assert left.equals(right)


def _run(tmp_path: Path, frame: pd.DataFrame, fmt: str, ints: bool = False) -> dict:
    src = tmp_path / f"in.{fmt}"
    if fmt == "parquet":
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(table, src, row_group_size=1000)
    else:
        frame.to_csv(src, index=False)
    out = tmp_path / f"tagged.{fmt}"
    cases, persons = tmp_path / f"cases.{fmt}", tmp_path / f"persons.{fmt}"
    summary = runner.tag_file(src, out, "default", chunk_rows=700, progress=False,
                              cases_path=cases, persons_path=persons)
    whole = _whole(out)
    exp_cases, exp_persons = tmp_path / f"exp_cases.{fmt}", tmp_path / f"exp_persons.{fmt}"
    write_extract(pv.rollup_cases(whole).reset_index(), exp_cases, {})
    write_extract(pv.rollup_persons(whole).reset_index(), exp_persons, {})
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)
    person_rollup = pv.rollup_persons(whole)
    assert summary.cases == len(pv.rollup_cases(whole))
    assert summary.persons == len(person_rollup)
    assert summary.partner_violence_persons == int(
        (person_rollup["n_partner_violence_cases"] > 0).sum())
    assert not list(tmp_path.glob(".pv_rollup_*"))
    return {"whole": whole}


@pytest.mark.parametrize("fmt,ids,per_part", [
    ("parquet", "str", 777), ("csv", "str", 777), ("parquet", "int_missing", 1000),
    ("parquet", "str", 97),
])
def test_rollups_in_parts_equal_in_memory(tmp_path, monkeypatch, messy, fmt, ids, per_part):
    """Cases and persons in 6-62 parts, merged back in first-row order, small batches."""
    monkeypatch.setattr(rollups, "ROWS_PER_PART", per_part)
    monkeypatch.setattr(rollups, "WHOLE_FILE_ROWS", per_part)
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    monkeypatch.setattr(rollups, "_MERGE_GROUP_ROWS", (50, 50))
    frame = messy
    if ids == "int_missing":
        frame = messy.copy()
        for col in ("parketnummer", "jds_nummer"):
            codes = pd.Series(pd.factorize(frame[col])[0], dtype="Int64")
            frame[col] = codes.mask(codes < 0)
    _run(tmp_path, frame, fmt)


def test_rollups_in_parts_without_person(tmp_path, monkeypatch, messy):
    monkeypatch.setattr(rollups, "ROWS_PER_PART", 1000)
    monkeypatch.setattr(rollups, "WHOLE_FILE_ROWS", 1000)
    frame = messy.drop(columns=["jds_nummer", "inschrijvingsdatum", "pleegdatum"])
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    cases, persons = tmp_path / "cases.parquet", tmp_path / "persons.parquet"
    summary = runner.tag_file(src, tmp_path / "out.parquet", "default", chunk_rows=1000,
                              progress=False, cases_path=cases, persons_path=persons)
    expected = pv.rollup_cases(_whole(tmp_path / "out.parquet"))
    write_extract(expected.reset_index(), tmp_path / "exp.parquet", {})
    _same_file(cases, tmp_path / "exp.parquet")
    assert summary.persons is None and not persons.exists()


def test_rollups_in_parts_widen_the_packed_counts(tmp_path, monkeypatch, messy):
    """A case too large for the packed fields in one part: all parts run again wider, and
    the roll-ups equal the whole-file route's (compared with it, not with the in-memory
    roll-up: for the group of missing persons with a partner-violence case the streamed
    route gives a first case where rollup_persons gives none, in both routes)."""
    monkeypatch.setattr(rollups, "PER_WORD", 16)
    frame = messy.copy()
    partner = frame.index[frame["true_relationship"].isin(["partner", "ex_partner"])]
    frame.loc[partner[:40], "parketnummer"] = "big case"
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    widths: list[int] = []
    real = rollups._cases_sql
    monkeypatch.setattr(rollups, "_cases_sql", lambda per_word: widths.append(per_word)
                        or real(per_word))
    outputs = {}
    for per_part in (10**9, 1000):
        monkeypatch.setattr(rollups, "ROWS_PER_PART", per_part)
        monkeypatch.setattr(rollups, "WHOLE_FILE_ROWS", per_part)
        widths.clear()
        cases = tmp_path / f"cases{per_part}.parquet"
        persons = tmp_path / f"persons{per_part}.parquet"
        summary = runner.tag_file(src, tmp_path / "out.parquet", "default", chunk_rows=700,
                                  progress=False, cases_path=cases, persons_path=persons)
        outputs[per_part] = (cases, persons, summary.cases, summary.persons,
                             summary.partner_violence_persons)
    assert widths[0] == 16 and widths[-6:] == [8] * 6 and set(widths) == {8, 16}
    whole, parts = outputs[10**9], outputs[1000]
    _same_file(parts[0], whole[0])
    _same_file(parts[1], whole[1])
    assert parts[2:] == whole[2:]


def test_merge_sorted_interleaves_parts(tmp_path, monkeypatch):
    """The merge gives the rows of files each sorted by key in global key order."""
    monkeypatch.setattr(rollups, "BATCH_ROWS", 13)
    rng = np.random.default_rng(2)
    keys = rng.permutation(5000)[:900]
    owner = rng.integers(0, 4, len(keys))
    paths = []
    for k in range(4):
        mine = np.sort(keys[owner == k])
        path = tmp_path / f"{k}.parquet"
        pq.write_table(pa.table({"r0": mine, "v": mine * 2}), path,
                       row_group_size=int(rng.integers(5, 60)))
        paths.append(path)
    paths.append(tmp_path / "empty.parquet")
    pq.write_table(pa.table({"r0": pa.array([], pa.int64()), "v": pa.array([], pa.int64())}),
                   paths[-1])
    batches = list(rollups._merge_sorted(paths, ["v"]))
    assert all(b.num_rows <= 13 for b in batches)
    got = pa.Table.from_batches(batches).column("v").to_numpy()
    assert got.tolist() == (np.sort(keys) * 2).tolist()
