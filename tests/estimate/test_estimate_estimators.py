import math

import numpy as np
import pytest
from scipy.stats import binomtest

from pv_identify.estimate import (
    Estimate,
    StratifiedSample,
    estimate_ratio,
    estimate_total,
    proportion_interval,
    total_variance,
)


def test_total_and_variance_match_the_textbook_formula():
    # stratum 0: N=100, sample y = 1,0,0,1 ; stratum 1: N=50, sample y = 0,0,1
    codes = np.array([0, 0, 0, 0, 1, 1, 1])
    y = np.array([1, 0, 0, 1, 0, 0, 1], dtype=float)
    sample = StratifiedSample(codes, np.array([100, 50]))
    est = estimate_total(sample, y)
    assert est.estimate == pytest.approx(100 * 0.5 + 50 / 3)
    s2_0, s2_1 = np.var([1, 0, 0, 1], ddof=1), np.var([0, 0, 1], ddof=1)
    var = 100**2 * (1 - 4 / 100) * s2_0 / 4 + 50**2 * (1 - 3 / 50) * s2_1 / 3
    assert est.se == pytest.approx(math.sqrt(var))
    assert est.df == 7 - 2


def test_census_stratum_adds_no_variance():
    sample = StratifiedSample(np.array([0, 0, 0, 1, 1]), np.array([3, 10]))
    z = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    assert total_variance(sample, z) == 0.0


def test_ratio_is_weighted_and_linearised():
    rng = np.random.default_rng(1)
    codes = np.repeat([0, 1, 2], [30, 20, 10])
    sizes = np.array([3000, 400, 50])
    x = rng.integers(0, 2, len(codes)).astype(float)
    y = x * rng.integers(0, 2, len(codes))
    sample = StratifiedSample(codes, sizes)
    got = estimate_ratio(sample, y, x)
    w = sample.weights
    r = (w * y).sum() / (w * x).sum()
    assert got.estimate == pytest.approx(r)
    z = (y - r * x) / (w * x).sum()
    assert got.se == pytest.approx(math.sqrt(total_variance(sample, z)))
    assert got.n == int((x != 0).sum())


def test_ratio_without_denominator_is_undefined():
    sample = StratifiedSample(np.array([0, 0]), np.array([10]))
    got = estimate_ratio(sample, np.zeros(2), np.zeros(2))
    assert math.isnan(got.estimate) and got.n == 0
    assert all(math.isnan(v) for v in proportion_interval(got))


def test_lonely_row_gets_conservative_nonzero_variance():
    sample = StratifiedSample(np.array([0, 0, 0, 1]), np.array([10, 10]))
    y = np.array([0.0, 0.0, 0.0, 1.0])
    assert total_variance(sample, y) > 0


def test_korn_graubard_is_clopper_pearson_for_simple_random_sampling():
    n, x = 80, 12
    p = x / n
    est = Estimate(p, math.sqrt(p * (1 - p) / n), n, n - 1)
    low, high = proportion_interval(est, 0.95, "beta")
    ref = binomtest(x, n).proportion_ci(0.95, method="exact")
    assert (low, high) == pytest.approx((ref.low, ref.high), rel=1e-9)


def test_korn_graubard_does_not_collapse_when_all_rows_agree():
    low, high = proportion_interval(Estimate(1.0, 0.0, 7, 6), 0.95, "beta")
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / 7))
    assert proportion_interval(Estimate(1.0, 0.0, 7, 6), 0.95, "wald") == (1.0, 1.0)
