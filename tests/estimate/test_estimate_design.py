import numpy as np
import pandas as pd
import pytest

from pv_identify.estimate import (
    EstimateError,
    SampleDesign,
    draw_stratified,
    parse_strata,
    stratum_keys,
)


def test_stratified_draw_is_reproducible_and_has_inclusion_probabilities(sample_view):
    a = draw_stratified(sample_view, 200, by=("signal", "band"), seed=4)
    b = draw_stratified(sample_view, 200, by=("signal", "band"), seed=4)
    c = draw_stratified(sample_view, 200, by=("signal", "band"), seed=5)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert not np.array_equal(a.rows, c.rows)
    assert a.n == 200 and len(np.unique(a.rows)) == 200
    keys = stratum_keys(sample_view, ("signal", "band"))
    np.testing.assert_array_equal(keys[a.rows], a.row_stratum)
    sizes = pd.Series(keys).value_counts()
    strata = a.strata.set_index("stratum")
    assert (strata["rows"] == sizes.loc[strata.index]).all()
    drawn = pd.Series(a.row_stratum).value_counts()
    assert (strata["sampled"] == drawn.loc[strata.index]).all()
    np.testing.assert_allclose(a.inclusion_probability(),
                               strata.loc[a.row_stratum, "sampled"].to_numpy()
                               / strata.loc[a.row_stratum, "rows"].to_numpy())


def test_within_stratum_draw_is_uniform(sample_view):
    # every row of a stratum is equally likely: inclusion frequencies over many seeds
    hits = np.zeros(len(sample_view))
    for seed in range(300):
        hits[draw_stratified(sample_view, 40, by=("signal",), seed=seed,
                             allocation="proportional").rows] += 1
    keys = stratum_keys(sample_view, ("signal",))
    for key in np.unique(keys):
        freq = hits[keys == key] / 300
        pi = draw_stratified(sample_view, 40, by=("signal",), allocation="proportional"
                             ).strata.set_index("stratum").loc[key, "inclusion_probability"]
        assert abs(freq.mean() - pi) < 1e-9  # fixed n_h per stratum
        if (keys == key).sum() > 100:
            assert freq.std() < 4 * np.sqrt(pi * (1 - pi) / 300)


def test_sidecar_round_trip(sample_view, tmp_path):
    design = draw_stratified(sample_view, 150, by=("signal", "year"), allocation="proportional",
                             seed=2, extract="x.csv")
    back = SampleDesign.read(design.write(tmp_path / "d.json"))
    np.testing.assert_array_equal(back.rows, design.rows)
    np.testing.assert_array_equal(back.row_stratum, design.row_stratum)
    pd.testing.assert_frame_equal(back.strata, design.strata, check_dtype=False)
    assert (back.by, back.allocation, back.fingerprint) == (design.by, "proportional",
                                                            sample_view.fingerprint())


def test_parse_strata():
    assert parse_strata(None, has_model=True) == ("signal", "band")
    assert parse_strata(None, has_model=False) == ("signal",)
    assert parse_strata("year, signal", has_model=False) == ("signal", "year")
    assert parse_strata("none", has_model=True) == ()
    with pytest.raises(EstimateError, match="unknown stratifier"):
        parse_strata("signal,colour", has_model=True)
    with pytest.raises(EstimateError, match="needs model scores"):
        parse_strata("band", has_model=False)


def test_simple_random_sample_is_one_stratum(sample_view):
    design = draw_stratified(sample_view, 100, by=(), seed=1)
    assert list(design.strata["stratum"]) == ["all"]
    assert design.inclusion_probability()[0] == pytest.approx(100 / len(sample_view))
