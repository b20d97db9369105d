"""Propensity matching with ties and the balance table, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cohort.matching import _nearest_with_ties


def groups() -> tuple[pd.DataFrame, pd.DataFrame]:
    # one binary covariate x: treated T1 (x=1), T2 (x=0); controls C1-C3 (x=1), C4-C7 (x=0)
    treated = pd.DataFrame({"person_id": ["T1", "T2"], "x": [1, 0], "age": [30.0, 40.0]})
    controls = pd.DataFrame(
        {"person_id": [f"C{i}" for i in range(1, 8)], "x": [1, 1, 1, 0, 0, 0, 0],
         "age": [20.0, 30.0, 40.0, 30.0, 35.0, 40.0, 45.0]}
    )
    return treated, controls


def test_saturated_model_ties_and_weights() -> None:
    treated, controls = groups()
    m = cohort.match(treated, controls, covariates=["x"])
    # saturated logit: P(T | x=1) = 1/4, P(T | x=0) = 1/5
    s = m.scores.set_index("person_id")["pscore"]
    assert s["T1"] == pytest.approx(1 / 4, abs=1e-5)
    assert s["C5"] == pytest.approx(1 / 5, abs=1e-5)
    # caliper: 0.2 * sd of the 9 logits; d = ln(1/3) - ln(1/4); sd = d * sqrt(5/18)
    d = math.log(1 / 3) - math.log(1 / 4)
    assert m.caliper == pytest.approx(0.2 * d * math.sqrt(5 / 18), rel=1e-5)
    mc = m.matched.set_index("person_id")
    # T1 ties with C1-C3 (weight 1/3 each), T2 with C4-C7 (1/4 each)
    assert mc.loc[["C1", "C2", "C3"], "weight"].tolist() == pytest.approx([1 / 3] * 3)
    assert set(mc.loc[["C1", "C2", "C3"], "match_id"]) == {"T1"}
    assert mc.loc[["C4", "C5", "C6", "C7"], "weight"].tolist() == pytest.approx([1 / 4] * 4)
    assert m.summary.loc["controls weighted", "count"] == pytest.approx(2.0)


def test_balance_before_and_after() -> None:
    treated, controls = groups()
    m = cohort.match(treated, controls, covariates=["x", "age"])
    b = m.balance.set_index("covariate")
    # before: mean x 1/2 vs 3/7; variances 1/2 and (7 * 3/7 * 4/7) / 6 = 2/7
    pooled = math.sqrt((0.5 + 2 / 7) / 2)
    assert b.loc["x", "std_diff_before"] == pytest.approx(100 * (0.5 - 3 / 7) / pooled)
    assert np.isnan(b.loc["x", "var_ratio_before"])  # binary: no variance ratio
    # age before: treated mean 35, var 50; controls mean 240/7
    ages = np.array([20.0, 30.0, 40.0, 30.0, 35.0, 40.0, 45.0])
    vc = ages.var(ddof=1)
    assert b.loc["age", "mean_control_before"] == pytest.approx(240 / 7)
    assert b.loc["age", "var_ratio_before"] == pytest.approx(50 / vc)
    assert b.loc["age", "std_diff_before"] == pytest.approx(
        100 * (35 - 240 / 7) / math.sqrt((50 + vc) / 2)
    )


def test_balance_after_uses_weights() -> None:
    treated, controls = groups()
    m = cohort.match(treated, controls, covariates=["x"])
    b = m.balance.set_index("covariate")
    # after: controls (1/3 * 3 * x=1 + 1/4 * 4 * x=0) / 2 = 1/2 = treated mean
    assert b.loc["x", "mean_control_after"] == pytest.approx(0.5)
    assert b.loc["x", "std_diff_after"] == pytest.approx(0.0, abs=1e-9)


def test_nearest_without_replacement_and_caliper() -> None:
    t = np.array([0.0, 0.0])
    c = np.array([0.0, 0.05, 1.0])
    pairs = _nearest_with_ties(t, c, c, caliper=0.1, order=np.array([0, 1]))
    assert [(i, list(cs)) for i, cs in pairs] == [(0, [0]), (1, [1])]
    pairs = _nearest_with_ties(t, c, c, caliper=0.01, order=np.array([0, 1]))
    assert [(i, list(cs)) for i, cs in pairs] == [(0, [0])]  # T1 is off the caliper


def test_ties_are_identical_scores_not_equal_distances() -> None:
    # point 8: controls at 0.4 and 0.6 are equally far from 0.5 but have different
    # scores: no tie, the first (lower) one is taken
    c = np.array([0.4, 0.6, 2.0])
    pairs = _nearest_with_ties(np.array([0.5]), c, c, 1.0, np.array([0]))
    assert list(pairs[0][1]) == [0]
    # two controls with the identical score 0.6 are a tie: both, weight 1/2 each
    c = np.array([0.6, 0.6, 2.0])
    pairs = _nearest_with_ties(np.array([0.5]), c, c, 1.0, np.array([0]))
    assert sorted(pairs[0][1]) == [0, 1]


def test_caliper_scale_is_a_parameter() -> None:
    treated, controls = groups()
    pl = cohort.match(treated, controls, covariates=["x"], caliper_scale="log")
    # log scale: d = ln(1/4) - ln(1/5); 9 values, 3 at ln(1/4) (T1, C1-C3)... sd = d*sqrt(5/18)
    # (2 treated + 7 controls: 4 at x=1, 5 at x=0 -> same shape as the logit case)
    d = math.log(1 / 4) - math.log(1 / 5)
    assert pl.caliper == pytest.approx(0.2 * d * math.sqrt(5 / 18), rel=1e-4)
    pp = cohort.match(treated, controls, covariates=["x"], caliper_scale="pscore")
    assert pp.caliper == pytest.approx(0.2 * (1 / 4 - 1 / 5) * math.sqrt(5 / 18), rel=1e-4)
    with pytest.raises(cohort.MatchingError, match="caliper_scale"):
        cohort.match(treated, controls, covariates=["x"], caliper_scale="odds")


def test_treated_in_pool_is_an_error() -> None:
    treated, controls = groups()
    with pytest.raises(cohort.MatchingError, match="both treated and control"):
        cohort.match(treated, pd.concat([controls, treated]), covariates=["x"])


def test_missing_covariates_leave_treated_unmatched() -> None:
    # point 8: the report leaves treated persons with missing covariates unmatched
    treated, controls = groups()
    treated.loc[0, "age"] = np.nan
    m = cohort.match(treated, controls, covariates=["x", "age"])
    assert m.summary.loc["treated", "count"] == 2
    assert m.summary.loc["treated with missing covariates", "count"] == 1
    assert "T1" not in set(m.matched["person_id"])
    # a missing category: unmatched by default, its own level with missing="level"
    treated, controls = groups()
    treated["sex"], controls["sex"] = ["man", None], ["man"] * 7
    m = cohort.match(treated, controls, covariates=["x", "sex"])
    assert m.summary.loc["treated with missing covariates", "count"] == 1
    m = cohort.match(treated, controls, covariates=["x", "sex"], missing="level")
    assert m.summary.loc["treated with missing covariates", "count"] == 0
