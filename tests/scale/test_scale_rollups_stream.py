"""Issue 17: out-of-core roll-ups of tag_file equal the in-memory roll-ups of the whole file."""

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
    """Unsorted, with missing case and person ids and missing dates."""
    frame = extract.head(6000).sample(frac=1, random_state=3).reset_index(drop=True)
    rng = np.random.default_rng(7)
    frame.loc[rng.choice(len(frame), 40, replace=False), "parketnummer"] = None
    frame.loc[rng.choice(len(frame), 40, replace=False), "jds_nummer"] = None
    frame.loc[rng.choice(len(frame), 300, replace=False), "inschrijvingsdatum"] = pd.NaT
    return frame


@pytest.fixture(scope="module")
def model(extract):
    from pv_identify.model import RelationshipClassifier

    part = extract.head(3000)
    return RelationshipClassifier(max_text_features=1000).fit(part, part["true_relationship"])


def _int_ids(frame: pd.DataFrame, missing: bool) -> pd.DataFrame:
    """Integer case and person ids (nullable when ``missing``: float chunks in pandas)."""
    out = frame.copy()
    for col in ("parketnummer", "jds_nummer"):
        codes = pd.Series(pd.factorize(out[col])[0], dtype="Int64")
        out[col] = codes.mask(codes < 0) if missing else codes.where(codes >= 0, 10**9)
    if not missing:
        out = out.astype({"parketnummer": "int64", "jds_nummer": "int64"})
    return out


def _whole(tagged_path: Path) -> pd.DataFrame:
    """The tagged file read back as tag_file's chunks are (CSV flags come back as text)."""
    if tagged_path.suffix == ".parquet":  # Arrow chunks: pandas types per chunk
        whole = pd.concat([t.to_pandas() for t in iter_arrow(tagged_path, chunk_rows=700)],
                          ignore_index=True)
    else:
        whole = read_extract(tagged_path)
    for col in ("pv_partner_violence", "pv_domestic_violence"):
        if whole[col].dtype == object:
            whole[col] = whole[col].map({"True": True, "False": False}).astype(bool)
    return whole


def _expected(tagged_path: Path, tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    whole = _whole(tagged_path)
    cases = pv.rollup_cases(whole)
    persons = pv.rollup_persons(whole)
    a, b = tmp_path / f"exp_cases.{fmt}", tmp_path / f"exp_persons.{fmt}"
    write_extract(cases.reset_index(), a, {})
    write_extract(persons.reset_index(), b, {})
    return a, b


def _same_file(got: Path, expected: Path) -> None:
    if got.suffix == ".csv":
        assert got.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    else:
        left, right = pq.read_table(got), pq.read_table(expected)
        assert left.schema.equals(right.schema), (left.schema, right.schema)
        assert left.equals(right)


@pytest.mark.parametrize("fmt,ids,with_model", [
    ("parquet", "str", False), ("csv", "str", False), ("parquet", "int_missing", False),
    ("parquet", "int", False), ("parquet", "str", True), ("csv", "str", True),
])
def test_streamed_rollups_equal_in_memory(tmp_path, monkeypatch, messy, model, fmt, ids,
                                          with_model):
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)  # many output batches
    frame = messy if ids == "str" else _int_ids(messy, ids == "int_missing")
    if with_model:
        frame = frame.head(2500)
    src = tmp_path / f"in.{fmt}"
    if fmt == "parquet":  # no pandas metadata: nullable ints come back as float chunks
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(table, src, row_group_size=1000)
    else:
        frame.to_csv(src, index=False)
    out = tmp_path / f"tagged.{fmt}"
    cases, persons = tmp_path / f"cases.{fmt}", tmp_path / f"persons.{fmt}"
    tagger = pv.Tagger("default", model=model if with_model else None)
    summary = runner.tag_file(src, out, tagger, chunk_rows=700, progress=False,
                              cases_path=cases, persons_path=persons)
    exp_cases, exp_persons = _expected(out, tmp_path, fmt)
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)
    whole = pv.rollup_persons(_whole(out))
    assert summary.persons == len(whole)
    assert summary.partner_violence_persons == int((whole["n_partner_violence_cases"] > 0).sum())
    assert summary.cases == len(pv.rollup_cases(_whole(out)))
    assert not list(tmp_path.glob(".pv_rollup_*"))  # temporary database removed


def test_rollups_without_person_and_dates(tmp_path, messy):
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
