from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.evaluate.metrics import (
    binary_metrics,
    bootstrap_counts,
    calibration_table,
    confusion_matrix,
    paired_test,
    per_label_metrics,
    pr_curve,
    wilson_interval,
)


def test_binary_metrics_point_values():
    gold = [True, True, True, False, False, False]
    pred = [True, True, False, True, False, False]
    m = binary_metrics(gold, pred, n_boot=200)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 1, 1, 2)
    assert math.isclose(m["precision"].value, 2 / 3)
    assert math.isclose(m["recall"].value, 2 / 3)
    assert math.isclose(m["f1"].value, 2 / 3)
    assert m["precision"].low <= m["precision"].value <= m["precision"].high


def test_undefined_precision_is_nan():
    m = binary_metrics([True, False], [False, False], n_boot=50)
    assert math.isnan(m["precision"].value)
    assert m["precision"].format() == "n/a"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=60), st.integers(0, 10))
def test_bootstrap_counts_keep_totals(cells, n_clusters):
    cells = np.array(cells)
    cluster = None if n_clusters == 0 else np.arange(len(cells)) % n_clusters
    obs, reps = bootstrap_counts(cells, 4, cluster=cluster, n_boot=20, seed=1)
    assert obs.sum() == len(cells)
    assert reps.shape == (20, 4)
    if cluster is None:
        assert (reps.sum(axis=1) == len(cells)).all()
    # a cell that never occurs never appears in a replicate
    assert (reps[:, obs == 0] == 0).all()


def test_cluster_bootstrap_resamples_whole_clusters():
    # two clusters: one all-tp (3 rows), one all-tn (1 row): replicate totals are 3k + (2-k)
    cells = np.array([3, 3, 3, 0])
    cluster = np.array(["a", "a", "a", "b"])
    _, reps = bootstrap_counts(cells, 4, cluster=cluster, n_boot=200, seed=0)
    assert set(np.unique(reps[:, 3])) <= {0, 3, 6}
    assert ((reps[:, 3] // 3 + reps[:, 0]) == 2).all()


def test_bootstrap_is_reproducible():
    cells = np.random.default_rng(0).integers(0, 4, 500)
    a = bootstrap_counts(cells, 4, n_boot=50, seed=7)[1]
    b = bootstrap_counts(cells, 4, n_boot=50, seed=7)[1]
    assert (a == b).all()


def test_paired_test_identical_and_different():
    rng = np.random.default_rng(1)
    gold = rng.random(2000) < 0.3
    a = gold & (rng.random(2000) < 0.6)
    same = paired_test(gold, a, a, n_boot=200)
    assert same.metrics.loc["f1", "diff"] == 0
    assert math.isnan(same.mcnemar_p)
    b = gold & (rng.random(2000) < 0.95)
    better = paired_test(gold, a, b | a, n_boot=300)
    assert better.metrics.loc["recall", "diff"] > 0
    assert better.metrics.loc["recall", "p_value"] < 0.01
    assert better.metrics.loc["recall", "diff_low"] > 0
    assert better.mcnemar_p < 0.01
    assert better.discordant[0] == 0


def test_confusion_and_per_label():
    gold = pd.Series(["partner", "partner", "child", "none", "none"])
    pred = pd.Series(["partner", "none", "domestic_unspecified", "none", "none"])
    cm = confusion_matrix(gold, pred)
    assert list(cm.index) == ["partner", "child", "domestic_unspecified", "none"]
    assert cm.loc["partner", "none"] == 1
    assert cm.to_numpy().sum() == 5
    pl = per_label_metrics(gold, pred, n_boot=100)
    assert pl.loc["partner", "precision"] == 1.0
    assert pl.loc["partner", "recall"] == 0.5
    assert pl.loc["none", "support"] == 2
    assert pl.loc["none", "predicted"] == 3


def test_wilson_interval():
    lo, hi = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert lo[0] == 0 and 0 < hi[0] < 0.35
    assert lo[1] < 0.5 < hi[1]
    assert hi[2] == 1.0
    lo, hi = wilson_interval(np.array([0]), np.array([0]))
    assert math.isnan(lo[0])


def test_curves():
    rng = np.random.default_rng(2)
    gold = rng.random(1000) < 0.3
    score = np.clip(gold * 0.5 + rng.random(1000) * 0.5, 0, 1)
    score[:10] = np.nan
    pr = pr_curve(gold, score)
    assert 0.5 < pr.attrs["average_precision"] <= 1
    cal = calibration_table(gold, score)
    assert cal["n"].sum() == 990
    assert "brier" in cal.attrs
    assert pr_curve([True, True], [0.1, 0.2]).empty
