"""Writers round-trip (CSV, Parquet, SPSS) and the CLI command."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from pv_identify.synth import ExtractWriteError, SynthConfig, generate, write_synthetic

N, SEED = 3_000, 21
DATES = ["pleegdatum", "inschrijvingsdatum", "afdoeningsdatum", "geboortedatum"]


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return generate(N, seed=SEED)


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if col in DATES:
            out[col] = pd.to_datetime(out[col]).astype("datetime64[s]")
        elif col in ("feit_nr", "vrijheidsstraf_dagen"):
            out[col] = out[col].astype("int64")
        elif col == "bsn_aanwezig":
            out[col] = out[col].map({True: True, False: False, "ja": True, "nee": False,
                                     "true": True, "false": False}).astype(bool)
        else:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
            out[col] = out[col].replace("", None)
    return out.reset_index(drop=True)


def test_csv_round_trip(tmp_path: Path, expected: pd.DataFrame) -> None:
    path = write_synthetic(tmp_path / "x.csv", N, seed=SEED, chunk_rows=500)
    got = pd.read_csv(path, encoding="utf-8")
    pd.testing.assert_frame_equal(_normalise(got), _normalise(expected))
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_parquet_round_trip(tmp_path: Path, expected: pd.DataFrame) -> None:
    import pyarrow.parquet as pq

    path = write_synthetic(tmp_path / "x.parquet", N, seed=SEED, chunk_rows=500)
    assert pq.ParquetFile(path).metadata.num_rows == N
    got = pd.read_parquet(path)
    pd.testing.assert_frame_equal(_normalise(got), _normalise(expected))


def test_parquet_is_streamed_in_chunks(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    cfg = SynthConfig(block_persons=64)
    path = write_synthetic(tmp_path / "s.parquet", N, seed=SEED, config=cfg, chunk_rows=500)
    assert pq.ParquetFile(path).metadata.num_row_groups > 1
    pd.testing.assert_frame_equal(_normalise(pd.read_parquet(path)),
                                  _normalise(generate(N, seed=SEED, config=cfg)))


def test_sav_round_trip_with_value_labels(tmp_path: Path, expected: pd.DataFrame) -> None:
    import pyreadstat

    path = write_synthetic(tmp_path / "x.sav", N, seed=SEED)
    _, meta = pyreadstat.read_sav(str(path))
    assert meta.variable_value_labels["sekse"] == {1: "man", 2: "vrouw"}
    assert "vrijspraak" in meta.variable_value_labels["afdoening"].values()
    assert meta.readstat_variable_types["sekse"] == "double"
    assert meta.original_variable_types["pleegdatum"].startswith("DATE")
    got, _ = pyreadstat.read_sav(str(path), apply_value_formats=True)
    pd.testing.assert_frame_equal(_normalise(got), _normalise(expected))


def test_unknown_suffix_and_missing_dir(tmp_path: Path) -> None:
    with pytest.raises(ExtractWriteError):
        write_synthetic(tmp_path / "x.xlsx", 10)
    with pytest.raises(ExtractWriteError):
        write_synthetic(tmp_path / "nope" / "x.csv", 10)
    assert not list(tmp_path.iterdir())


def test_cli_command(tmp_path: Path) -> None:
    from pv_identify.cli import synth

    parser = argparse.ArgumentParser()
    synth.register(parser.add_subparsers())
    out = tmp_path / "cli.parquet"
    args = parser.parse_args(["synth", str(out), "-n", "2000", "--seed", "4",
                              "--set", "ex_partner_share=0.3"])
    assert args.func(args) == 0
    df = pd.read_parquet(out)
    assert len(df) == 2000


def test_bundled_sample_is_current() -> None:
    sample = Path(__file__).resolve().parents[2] / "examples" / "sample_extract.csv"
    assert sample.exists() and sample.stat().st_size < 2_000_000
    got = pd.read_csv(sample)
    assert 3000 <= len(got) <= 5000
    assert "true_relationship" in got.columns
    # the generator's rows (seed 2022) with the real-style variants of make_sample.py
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample", sample.with_name(
        "make_sample.py"))
    make_sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_sample)
    fresh = generate(len(got), seed=2022)
    pd.testing.assert_frame_equal(_normalise(got.drop(columns="artikelkwalificatie")),
                                  _normalise(fresh.drop(columns="artikelkwalificatie")))
    text = pd.read_csv(sample, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(text, make_sample.build())
    assert make_sample.check(sample) == []


def test_make_sample_help_writes_nothing(tmp_path, capsys) -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "examples" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("make_sample", path)
    make_sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_sample)
    before = make_sample.OUT.stat().st_mtime_ns
    with pytest.raises(SystemExit) as info:
        make_sample.main(["--help"])
    assert info.value.code == 0 and "--no-variants" in capsys.readouterr().out
    assert make_sample.OUT.stat().st_mtime_ns == before


def test_one_write_extract():
    """Writing a frame has one entry point (io); the generator's writer has its own name."""
    import pv_identify
    import pv_identify.synth as synth
    from pv_identify.io import writers

    assert not hasattr(synth, "write_extract")
    assert pv_identify.write_extract is writers.write_extract


def test_sample_shows_what_default_adds() -> None:
    """The bundled sample has ex-partner wording and clerk abbreviations (issue 15)."""
    import pv_identify as pv

    sample = Path(__file__).resolve().parents[2] / "examples" / "sample_extract.csv"
    df = pd.read_csv(sample, dtype=str)
    wodc, default = pv.tag(df, "wodc2022"), pv.tag(df, "default")
    assert (wodc["pv_label"] == "ex_partner").sum() == 0
    assert (default["pv_label"] == "ex_partner").sum() >= 40
    assert default["pv_partner_violence"].sum() >= wodc["pv_partner_violence"].sum() + 30
    missed = wodc["pv_label"].eq("none") & default["pv_partner_violence"]
    assert df.loc[missed, "artikelkwalificatie"].str.contains("tgn|levensgez\\.|ex-").any()
