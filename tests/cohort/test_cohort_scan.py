"""Issue 17: the cohort reads only its columns and persons, in chunks, with identical results."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify import cohort
from pv_identify.cli import cohort as cli_cohort
from pv_identify.io.readers import read_extract
from pv_identify.synth import generate


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    frame = pv.tag(generate(8_000, seed=5), "wodc2022")
    frame.loc[[3, 400, 4000], "jds_nummer"] = None  # rows without person
    return frame.drop(columns=["true_relationship"])


def _same(a: cohort.ControlGroup, b: cohort.ControlGroup) -> None:
    pd.testing.assert_frame_equal(a.attrition, b.attrition)
    pd.testing.assert_frame_equal(a.index.reset_index(drop=True), b.index.reset_index(drop=True))
    pd.testing.assert_frame_equal(a.covariates.reset_index(drop=True),
                                  b.covariates.reset_index(drop=True))
    pd.testing.assert_frame_equal(a.recidivism.table, b.recidivism.table)
    pd.testing.assert_frame_equal(a.recidivism.persons.reset_index(drop=True),
                                  b.recidivism.persons.reset_index(drop=True))


@pytest.mark.parametrize("fmt", ["parquet", "date32", "csv"])
def test_scanned_cohort_equals_whole_file(tmp_path: Path, tagged, fmt) -> None:
    src = tmp_path / f"tagged.{'csv' if fmt == 'csv' else 'parquet'}"
    if fmt == "parquet":
        tagged.to_parquet(src, index=False, row_group_size=1_000)
    elif fmt == "date32":  # Parquet dates (read whole: Python date objects)
        dates = ["pleegdatum", "inschrijvingsdatum", "afdoeningsdatum", "geboortedatum"]
        frame = tagged.assign(**{c: tagged[c].dt.date for c in dates})
        frame.to_parquet(src, index=False, row_group_size=1_000)
        assert read_extract(src)["pleegdatum"].dtype == object
    else:
        tagged.to_csv(src, index=False)
    whole = cohort.build_control_group(read_extract(src))
    part = cohort.read_cohort_offences(src, chunk_rows=1_500)
    assert part is not None and 0 < len(part) < len(tagged)
    assert "artikelkwalificatie" not in part.columns  # only the cohort's columns
    assert len(whole.covariates) > 20
    _same(cohort.build_control_group(part), whole)


def test_scan_keeps_asked_persons_and_skips_untagged(tmp_path: Path, tagged) -> None:
    src = tmp_path / "tagged.parquet"
    tagged.to_parquet(src, index=False)
    part = cohort.read_cohort_offences(src)
    outside = next(p for p in tagged["jds_nummer"].dropna().unique()
                   if p not in set(part["jds_nummer"]))
    kept = cohort.read_cohort_offences(src, keep_persons=[outside])
    mine = tagged.loc[tagged["jds_nummer"] == outside]
    assert kept.loc[kept["jds_nummer"] == outside].index.tolist() == mine.index.tolist()
    raw = tmp_path / "raw.parquet"
    tagged.drop(columns=["pv_partner_violence"]).to_parquet(raw, index=False)
    assert cohort.read_cohort_offences(raw) is None


def test_cli_on_scanned_file_equals_whole(tmp_path: Path, tagged) -> None:
    src = tmp_path / "tagged.parquet"
    tagged.to_parquet(src, index=False, row_group_size=2_000)
    parser = argparse.ArgumentParser()
    cli_cohort.register(parser.add_subparsers())
    args = parser.parse_args(["cohort", str(src), "--out-dir", str(tmp_path / "out")])
    assert args.func(args) == 0
    whole = cohort.build_control_group(read_extract(src))
    got = pd.read_csv(tmp_path / "out" / "covariates.csv")
    assert len(got) == len(whole.covariates)
    assert got["person_id"].astype(str).tolist() == \
        whole.covariates["person_id"].astype(str).tolist()
