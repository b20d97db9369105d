"""Issue 17: out-of-core roll-ups of tag_file equal the in-memory roll-ups of the whole file.

Whole (one key file) and in parts (key rows split by case while they are appended).
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
from pv_identify.stream import partition, rollup_parts, rollups, runner


@pytest.fixture(scope="module")
def messy(extract) -> pd.DataFrame:
    """Unsorted, with missing case and person ids and missing dates."""
    frame = extract.head(6000).sample(frac=1, random_state=3).reset_index(drop=True)
    rng = np.random.default_rng(7)
    frame.loc[rng.choice(len(frame), 40, replace=False), "parketnummer"] = None
    frame.loc[rng.choice(len(frame), 40, replace=False), "jds_nummer"] = None
    frame.loc[rng.choice(len(frame), 300, replace=False), "inschrijvingsdatum"] = pd.NaT
    # partner-violence rows without a person id: that group's first PV case must agree
    partner = frame.index[frame["true_relationship"] == "partner"]
    frame.loc[partner[:5], "jds_nummer"] = None
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


def _write_input(frame: pd.DataFrame, tmp_path: Path, fmt: str) -> Path:
    """Write the input extract (Parquet without pandas metadata, so nullable ints come
    back as float chunks; or CSV)."""
    src = tmp_path / f"in.{fmt}"
    if fmt == "parquet":
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(table, src, row_group_size=1000)
    else:
        frame.to_csv(src, index=False)
    return src


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
    src = _write_input(frame, tmp_path, fmt)
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


def test_parquet_rollups_take_the_arrow_route(tmp_path, monkeypatch, messy):
    """Only the first batch of each Parquet roll-up goes through pandas (the check)."""
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    src = tmp_path / "in.parquet"
    messy.to_parquet(src, index=False)
    calls = {"cases": 0, "persons": 0}
    case_frame, person_frame = rollups.RollupStore._case_frame, rollups.RollupStore._person_frame

    def count(kind, real):
        def wrapped(*args, **kwargs):
            calls[kind] += 1
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(rollups.RollupStore, "_case_frame", count("cases", case_frame))
    monkeypatch.setattr(rollups.RollupStore, "_person_frame", count("persons", person_frame))
    out, cases, persons = (tmp_path / f"{n}.parquet" for n in ("out", "cases", "persons"))
    runner.tag_file(src, out, "default", chunk_rows=700, progress=False,
                    cases_path=cases, persons_path=persons)
    assert calls == {"cases": 1, "persons": 1}
    exp_cases, exp_persons = _expected(out, tmp_path, "parquet")
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_packed_counts_widen_when_a_case_is_large(tmp_path, monkeypatch, messy, fmt):
    """With 4-bit fields (16 to a word) a case of 8+ offences could overflow: wider fields."""
    monkeypatch.setattr(rollups, "PER_WORD", 16)
    frame = messy.copy()
    partner = frame.index[frame["true_relationship"].isin(["partner", "ex_partner"])]
    frame.loc[partner[:40], "parketnummer"] = "big case"  # 40 (mostly PV) offences
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    widths = []
    real = rollups._cases_sql
    monkeypatch.setattr(rollups, "_cases_sql", lambda per_word: widths.append(per_word)
                        or real(per_word))
    out = tmp_path / "out.parquet"
    cases, persons = tmp_path / f"cases.{fmt}", tmp_path / f"persons.{fmt}"
    runner.tag_file(src, out, "default", chunk_rows=700, progress=False,
                    cases_path=cases, persons_path=persons)
    assert widths == [16, 8]
    exp_cases, exp_persons = _expected(out, tmp_path, fmt)
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)


# -- in parts: key rows split by case hash while appended, results merged by first row --


@pytest.fixture
def split(monkeypatch):
    """Parts of ~1,000 rows (the 6,000-row test file: 6 parts), small output batches."""
    monkeypatch.setattr(rollup_parts, "ROWS_PER_PART", 1000)
    monkeypatch.setattr(rollup_parts, "_BUFFER_ROWS", 1500)  # several row groups a part
    monkeypatch.setattr(rollup_parts, "_MIN_GROUP_ROWS", 100)
    monkeypatch.setattr(rollup_parts, "_MERGE_GROUP_ROWS", (50, 50))  # many merge reads
    monkeypatch.setattr(rollups, "BATCH_ROWS", 97)
    made = []
    real = rollups.RollupStore.__init__

    def init(self, *args, **kwargs):
        real(self, *args, **kwargs)
        made.append(self._parts)

    monkeypatch.setattr(rollups.RollupStore, "__init__", init)
    return made


@pytest.mark.parametrize("fmt,ids", [
    ("parquet", "str"), ("csv", "str"), ("parquet", "int_missing"), ("parquet", "int"),
])
def test_rollups_in_parts_equal_in_memory(tmp_path, split, messy, fmt, ids):
    frame = messy if ids == "str" else _int_ids(messy, ids == "int_missing")
    src = _write_input(frame, tmp_path, fmt)
    out = tmp_path / f"tagged.{fmt}"
    cases, persons = tmp_path / f"cases.{fmt}", tmp_path / f"persons.{fmt}"
    summary = runner.tag_file(src, out, "default", chunk_rows=700, progress=False,
                              cases_path=cases, persons_path=persons)
    assert split[-1] > 1  # the file was rolled up in parts
    exp_cases, exp_persons = _expected(out, tmp_path, fmt)
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)
    whole = _whole(out)
    by_person = pv.rollup_persons(whole)
    assert summary.cases == len(pv.rollup_cases(whole))
    assert summary.partner_violence_cases == int(pv.rollup_cases(whole)["partner_violence"].sum())
    assert summary.persons == len(by_person)
    assert summary.partner_violence_persons == int(
        (by_person["n_partner_violence_cases"] > 0).sum())
    assert not list(tmp_path.glob(".pv_rollup_*"))  # temporary files removed


def test_rollups_in_parts_with_the_model(tmp_path, split, messy, model):
    src = tmp_path / "in.parquet"
    messy.head(2500).to_parquet(src, index=False)
    out, cases, persons = (tmp_path / f"{n}.parquet" for n in ("out", "cases", "persons"))
    runner.tag_file(src, out, pv.Tagger("default", model=model), chunk_rows=700,
                    progress=False, cases_path=cases, persons_path=persons)
    assert split[-1] > 1
    exp_cases, exp_persons = _expected(out, tmp_path, "parquet")
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)


def test_rollups_in_parts_only_persons_or_cases(tmp_path, split, messy):
    src = tmp_path / "in.parquet"
    messy.to_parquet(src, index=False)
    out = tmp_path / "out.parquet"
    persons = tmp_path / "persons.parquet"
    runner.tag_file(src, out, "default", chunk_rows=700, progress=False, persons_path=persons)
    cases = tmp_path / "cases.parquet"
    runner.tag_file(src, tmp_path / "out2.parquet", "default", chunk_rows=700, progress=False,
                    cases_path=cases)
    exp_cases, exp_persons = _expected(out, tmp_path, "parquet")
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)


def test_rollups_in_parts_without_person_and_dates(tmp_path, split, messy):
    frame = messy.drop(columns=["jds_nummer", "inschrijvingsdatum", "pleegdatum"])
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    cases, persons = tmp_path / "cases.parquet", tmp_path / "persons.parquet"
    summary = runner.tag_file(src, tmp_path / "out.parquet", "default", chunk_rows=1000,
                              progress=False, cases_path=cases, persons_path=persons)
    assert split[-1] > 1
    expected = pv.rollup_cases(_whole(tmp_path / "out.parquet"))
    write_extract(expected.reset_index(), tmp_path / "exp.parquet", {})
    _same_file(cases, tmp_path / "exp.parquet")
    assert summary.persons is None and not persons.exists()


def test_large_case_in_parts(tmp_path, split, messy):
    """A case of 40 (mostly PV) offences is counted whole in its part."""
    frame = messy.copy()
    partner = frame.index[frame["true_relationship"].isin(["partner", "ex_partner"])]
    frame.loc[partner[:40], "parketnummer"] = "big case"
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    out, cases, persons = (tmp_path / f"{n}.parquet" for n in ("out", "cases", "persons"))
    runner.tag_file(src, out, "default", chunk_rows=700, progress=False,
                    cases_path=cases, persons_path=persons)
    assert split[-1] > 1
    got = pq.read_table(cases).to_pandas().set_index("parketnummer")
    assert got.loc["big case", "n_offences"] == 40
    exp_cases, exp_persons = _expected(out, tmp_path, "parquet")
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)


@pytest.mark.parametrize("file_format, suffix, background", [
    ("parquet", ".parquet", False), ("arrow", ".arrow", True)])
def test_key_parts_keep_every_case_whole(tmp_path, file_format, suffix, background):
    ids = np.array([f"c{i % 37}" for i in range(2000)], dtype=object)
    ids[::11] = None
    table = pa.table({"row": np.arange(2000), "ck": pa.array(ids, pa.string())})
    parts = rollup_parts.KeyParts(tmp_path, 4, table.schema, background=background,
                                  file_format=file_format)
    for start in range(0, 2000, 300):
        parts.write_table(table.slice(start, 300))
    parts.close()
    paths = parts.part_paths()
    assert all(p is not None and p.suffix == suffix for p in paths)
    seen = [partition.read_part(p) for p in paths]
    assert sum(t.num_rows for t in seen) == 2000
    got = pa.concat_tables(seen).sort_by("row")
    assert got.column("ck").to_pylist() == ids.tolist()
    owners: dict = {}
    for k, t in enumerate(seen):
        rows = t.column("row").to_numpy()
        assert (np.diff(rows) > 0).all()  # a part keeps the rows' order
        for case in set(t.column("ck").to_pylist()):
            assert owners.setdefault(case, k) == k  # a case (also the missing id) in one part


def test_merge_sorted_gives_first_row_order(tmp_path):
    rng = np.random.default_rng(1)
    r0 = rng.permutation(5000)[:3000]
    paths = []
    for k in range(3):
        mine = np.sort(r0[k::3])
        path = tmp_path / f"{k}.parquet"
        pq.write_table(pa.table({"r0": mine, "v": mine * 2}), path, row_group_size=77)
        paths.append(path)
    got = pa.concat_tables(rollup_parts.merge_sorted(paths, ["r0", "v"], 250))
    assert got.column("r0").to_pylist() == sorted(r0.tolist())
    assert got.column("v").to_pylist() == [2 * x for x in sorted(r0.tolist())]
    sizes = [t.num_rows for t in rollup_parts.merge_sorted(paths, ["v"], 250)]
    assert max(sizes) <= 250 and sum(sizes) == 3000


def test_key_parts_worker_error_is_raised(tmp_path):
    """A table the worker thread cannot write fails the run (at a later write or close)."""
    good = pa.table({"row": np.arange(10), "ck": pa.array([f"c{i}" for i in range(10)])})
    parts = rollup_parts.KeyParts(tmp_path, 3, good.schema, background=True)
    parts.write_table(good)
    bad = pa.table({"row": pa.array(["x"] * 10), "ck": good.column("ck")})  # row not int
    with pytest.raises(pa.ArrowInvalid):
        for _ in range(4):
            parts.write_table(bad)
    parts.close()  # closing after the error (the runner's clean-up) does not raise again
    parts = rollup_parts.KeyParts(tmp_path / "x", 3, good.schema, background=True)
    parts.write_table(bad)
    with pytest.raises(pa.ArrowInvalid):
        parts.close()  # the last tables' errors come out of close
    parts.close()


def test_header_only_input_gives_header_only_rollups(tmp_path):
    """No rows: the roll-ups are files with the in-memory roll-ups' columns, not 0 bytes."""
    src = tmp_path / "in.csv"
    src.write_text("parketnummer,jds_nummer,artikelkwalificatie,inschrijvingsdatum\n",
                   encoding="utf-8")
    cases, persons = tmp_path / "cases.csv", tmp_path / "persons.csv"
    summary = runner.tag_file(src, tmp_path / "out.csv", "default", progress=False,
                              cases_path=cases, persons_path=persons)
    assert summary.cases == 0 and summary.persons == 0
    tagged = pv.tag(pd.read_csv(src))
    exp_cases, exp_persons = tmp_path / "exp_cases.csv", tmp_path / "exp_persons.csv"
    write_extract(pv.rollup_cases(tagged).reset_index(), exp_cases, {})
    write_extract(pv.rollup_persons(tagged).reset_index(), exp_persons, {})
    _same_file(cases, exp_cases)
    _same_file(persons, exp_persons)
    assert cases.read_text(encoding="utf-8").startswith("parketnummer,jds_nummer,n_offences")
