import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.model import labels_from_sheet, select_for_annotation, write_sheet
from pv_identify.model.default import build_default_model
from pv_identify.model.estimator import TrainingDataError
from pv_identify.model.metrics import bootstrap_table, targets_synthetic
from pv_identify.model.train import grouped_split, train_model, weights_from_sheet
from pv_identify.synth import generate

ROOT = Path(__file__).resolve().parents[2]


def test_grouped_split_disjoint(extract):
    df, _ = extract
    train, test = grouped_split(df["jds_nummer"], 0.25, seed=3)
    assert set(df["jds_nummer"].iloc[train]).isdisjoint(df["jds_nummer"].iloc[test])
    again = grouped_split(df["jds_nummer"], 0.25, seed=3)
    assert (again[1] == test).all()


def test_bootstrap_table():
    gold = np.array(["partner"] * 10 + ["none"] * 10)
    pred = np.array(["partner"] * 8 + ["none"] * 12)
    table = bootstrap_table(targets_synthetic(gold, pred), n_boot=200)
    row = table.loc["flag:partner_violence"]
    assert row["precision"] == 1.0 and row["recall"] == 0.8
    assert row["recall_low"] <= 0.8 <= row["recall_high"]


def test_retrain_reproduces_metrics(tmp_path):
    kw = {"rows": 8000, "n_boot": 100, "rulings": ROOT / "tests/data/rulings_dev.jsonl"}
    a = build_default_model(tmp_path / "a", **kw)
    b = build_default_model(tmp_path / "b", **kw)
    assert a["metrics"] == b["metrics"]
    assert a["weights_sha256"] == b["weights_sha256"]
    assert (tmp_path / "a" / "pv_default.card.md").read_text().count("rules default + model")


def test_shipped_model_manifest_matches_code():
    manifest_path = ROOT / "models" / "pv_default.manifest.json"
    if not manifest_path.is_file():
        pytest.skip("no shipped model")
    manifest = json.loads(manifest_path.read_text())
    from pv_identify.model.default import REPRODUCE

    assert manifest["reproduce"] == REPRODUCE
    model = pv.model.load_model(ROOT / "models" / "pv_default.pvmodel")
    assert model.version_ == manifest["version"]
    assert (ROOT / "models" / "pv_default.pvmodel").stat().st_size < 5_000_000


@pytest.mark.slow
def test_full_retrain_equals_shipped(tmp_path):
    shipped = json.loads((ROOT / "models" / "pv_default.manifest.json").read_text())
    manifest = build_default_model(tmp_path, rulings=ROOT / "tests/data/rulings_dev.jsonl",
                                   corpus=ROOT / "tests/data/real_texts")
    assert manifest["metrics"] == shipped["metrics"]
    assert manifest["ruleset"] == shipped["ruleset"]
    # Weights are compared by their predictions: the last bits of a solver's float
    # arithmetic differ between BLAS builds, so a hash of the raw weights is not portable.
    retrained = pv.model.load_model(tmp_path / "pv_default.pvmodel")
    original = pv.model.load_model(ROOT / "models" / "pv_default.pvmodel")
    sample = generate(3000, seed=99)
    np.testing.assert_allclose(retrained.predict_proba(sample), original.predict_proba(sample),
                               atol=1e-6)


def test_annotation_loop(tiny_model, extract, tmp_path):
    df, labels = extract
    tagged = pv.tag(df, model=tiny_model)
    sheet = select_for_annotation(tagged, 40, seed=1)
    assert len(sheet) == 40 and sheet["pv_row"].is_unique
    assert {"pv_evidence", "pv_score", "gold_relationship", "reason"} <= set(sheet.columns)
    assert sheet["inclusion_probability"].isna().all()  # active design: no probabilities
    csv = write_sheet(sheet, tmp_path / "sheet.csv")[0]
    xlsx = write_sheet(sheet, tmp_path / "sheet.xlsx")[0]
    assert csv.is_file() and xlsx.is_file()
    filled = pd.read_csv(csv, dtype=str, keep_default_na=False)
    filled["gold_relationship"] = labels[filled["pv_row"].astype(int)]
    got = labels_from_sheet(df, filled)
    assert (got != "").sum() == 40
    legacy = filled.rename(columns={"gold_relationship": "gold_label"})
    assert labels_from_sheet(df, legacy).equals(got)  # the earlier sheet format still reads
    assert (weights_from_sheet(df, filled)[got != ""] == 1).all()
    result = train_model(df, got, test_size=0.0, seed=0)
    assert result.model.n_train_rows_ == 40


def test_sheet_weights_are_inverse_inclusion_probabilities(extract):
    df, _ = extract
    sheet = pd.DataFrame({"pv_row": ["0", "1", "2", "3", "4"],
                          "stratum": ["a", "a", "b", "b", "b"],
                          "inclusion_probability": ["0.5", "0.5", "0.1", "0.1", "0.1"],
                          "gold_relationship": ["none", "partner", "none", "none", ""]})
    w = weights_from_sheet(df, sheet)
    # stratum b: 2 of 3 drawn rows labelled -> each stands for 1/0.1 * 3/2 = 15 offences
    raw = [2.0, 2.0, 15.0, 15.0]
    np.testing.assert_allclose(w.iloc[:4], np.array(raw) / np.mean(raw))
    assert w.iloc[4] == 0 and (w.iloc[5:] == 0).all()
    bad = sheet.assign(inclusion_probability=["0.5", "0.5", "0", "0.1", "0.1"])
    with pytest.raises(TrainingDataError, match="sheet rows 4"):
        weights_from_sheet(df, bad)


def test_weights_change_the_fit(extract):
    df, labels = extract
    rows = np.arange(0, 3000)
    y = np.full(len(df), "", dtype=object)
    y[rows] = labels[rows]
    w = np.zeros(len(df))
    w[rows] = np.where(np.isin(labels[rows], ["partner", "ex_partner"]), 5.0, 1.0)
    plain = train_model(df, y, test_size=0.0, params={"max_iter": 100})
    weighted = train_model(df, y, test_size=0.0, params={"max_iter": 100}, sample_weight=w)
    assert weighted.info["weighted"] and not plain.info["weighted"]
    score_plain = plain.model.predict_proba(df.head(2000))
    score_weighted = weighted.model.predict_proba(df.head(2000))
    assert not np.allclose(score_plain, score_weighted)


def test_cli_train_and_sample(tmp_path, extract):
    df, labels = extract
    data = df.head(6000).assign(gold=labels[:6000])
    path = tmp_path / "x.csv"
    data.to_csv(path, index=False)
    model = tmp_path / "m.pvmodel"
    run = [sys.executable, "-c", "import sys; from pv_identify.cli import build_parser; "
           "import pv_identify.cli.train as t, pv_identify.cli.sample as s, argparse; "
           "p = argparse.ArgumentParser(); sp = p.add_subparsers(); t.register(sp); "
           "s.register(sp); a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))"]
    out = subprocess.run([*run, "train", str(path), "-o", str(model), "--label-column",
                          "gold", "--n-boot", "50"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert model.is_file() and (tmp_path / "m.card.md").is_file()
    sheet = tmp_path / "s.xlsx"
    out = subprocess.run([*run, "sample", str(path), "-o", str(sheet), "-n", "20",
                          "--model", str(model), "--design", "active"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert sheet.is_file() and (tmp_path / "s.xlsx.design.json").is_file()


def test_train_default_model_script_needs_out_or_force(capsys):
    """The script never overwrites the shipped model by default (issue 15)."""
    import importlib.util

    path = ROOT / "examples" / "train_default_model.py"
    spec = importlib.util.spec_from_file_location("train_default_model", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = ROOT / "models" / "pv_default.pvmodel"
    before = shipped.stat().st_mtime_ns if shipped.exists() else None
    with pytest.raises(SystemExit) as info:
        script.main([])
    assert info.value.code == 2 and "--force" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        script.main(["--help"])
    help_text = capsys.readouterr().out
    assert info.value.code == 0 and "(default: 300000)" in help_text
    assert (shipped.stat().st_mtime_ns if shipped.exists() else None) == before
