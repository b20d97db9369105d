import numpy as np
import pytest

from pv_identify.estimate import EstimateError, allocate
from pv_identify.estimate.allocation import neyman_sd


def test_proportional_allocation_adds_up_and_follows_sizes():
    sizes = np.array([5000, 3000, 1500, 500])
    take = allocate(sizes, 200)
    assert take.sum() == 200
    np.testing.assert_array_equal(take, [100, 60, 30, 10])


def test_bounds_small_strata_taken_whole_and_minimum_respected():
    sizes = np.array([10_000, 40, 3, 1])
    take = allocate(sizes, 100, minimum=2)
    assert take.sum() == 100
    assert take[2] == 2 and take[3] == 1  # a 1-row stratum is taken whole
    assert (take <= sizes).all() and (take >= np.minimum(sizes, 2)).all()


def test_neyman_moves_rows_to_uncertain_strata():
    sizes = np.array([1000, 1000])
    sd = neyman_sd(np.array([0.01, 0.5]))
    take = allocate(sizes, 100, sd=sd)
    assert take.sum() == 100
    # n_h proportional to N_h * S_h: 0.0995 : 0.5
    assert take[1] == round(100 * 0.5 / (0.5 + np.sqrt(0.01 * 0.99)))


def test_neyman_caps_at_stratum_size_and_reallocates():
    sizes = np.array([20, 1000])
    take = allocate(sizes, 300, sd=neyman_sd(np.array([0.5, 0.01])))
    np.testing.assert_array_equal(take, [20, 280])


@pytest.mark.parametrize(("n", "message"), [(0, "at least 1"), (10_000, "exceeds"),
                                             (3, "fewer stratifiers")])
def test_impossible_sizes_are_clear_errors(n, message):
    with pytest.raises(EstimateError, match=message):
        allocate(np.array([100, 100, 100]), n)
