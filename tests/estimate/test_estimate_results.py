import warnings

import numpy as np
import pytest

from pv_identify.estimate import (
    EstimateError,
    EstimateWarning,
    SampleDesign,
    draw_stratified,
    estimate_extract,
    tagged_columns,
)
from pv_identify.schema import TRUTH_COLUMN

TRIPLE = {"estimate", "low", "high"}


@pytest.fixture(scope="module")
def drawn(sample_view):
    return draw_stratified(sample_view, 300, seed=7)


def test_result_layout_and_consistency(sample_tagged, sample_view, drawn):
    truth = sample_tagged[TRUTH_COLUMN].to_numpy(dtype=object)
    res = estimate_extract(sample_view, drawn, drawn.rows, truth[drawn.rows])
    for target in ("partner_violence", "ex_partner", "domestic_violence"):
        for kind in ("total", "share"):
            rec = res[target][kind]
            assert TRIPLE <= set(rec) and rec["low"] <= rec["estimate"] <= rec["high"]
        assert res[target]["total"]["estimate"] == pytest.approx(
            4000 * res[target]["share"]["estimate"], abs=0.01)
    for system in ("rules", "model", "combined"):
        for kind in ("precision", "recall"):
            rec = res[system][kind]
            assert TRIPLE <= set(rec) and 0 <= rec["low"] <= rec["estimate"] <= rec["high"] <= 1
    # the truth is inside the intervals for this draw, and totals are plausible
    pv = np.isin(truth, ["partner", "ex_partner"]).sum()
    assert res["partner_violence"]["total"]["low"] <= pv <= res["partner_violence"]["total"][
        "high"]
    assert res["partner_violence"]["counted"]["combined"] == int(sample_view.partner.sum())
    years = res["by_year"]
    assert set(years) == set(np.unique(sample_view.year))
    assert sum(b["rows"] for b in years.values()) == 4000
    assert sum(b["annotated"] for b in years.values()) == 300
    assert set(res["by_source"]) == {"court", "prosecutor"}
    assert res["warnings"] == []


def test_perfect_labels_give_exact_precision_of_the_tagger(sample_view, drawn):
    # if the annotator agrees with the tagger everywhere, precision and recall are 1
    labels = sample_view.label[drawn.rows]
    res = estimate_extract(sample_view, drawn, drawn.rows, labels)
    assert res["combined"]["precision"]["estimate"] == 1.0
    assert res["combined"]["recall"]["estimate"] == 1.0
    total = res["partner_violence"]["total"]
    assert total["low"] <= sample_view.partner.sum() <= total["high"]


def test_unfilled_rows_warn_and_thin_strata_warn(sample_tagged, sample_view, drawn):
    truth = sample_tagged[TRUTH_COLUMN].to_numpy(dtype=object)[drawn.rows].copy()
    small = drawn.strata.loc[drawn.strata["sampled"] == 2, "stratum"].iloc[0]
    drop = np.flatnonzero(drawn.row_stratum == small)[0]
    truth[drop] = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = estimate_extract(sample_view, drawn, drawn.rows, truth)
    messages = [str(w.message) for w in caught if w.category is EstimateWarning]
    assert res["warnings"] == messages and len(messages) == 2
    assert "fewer than 2 annotated rows" in messages[0] and small in messages[0]
    assert "1 of 300 drawn row(s) are not annotated" in messages[1]
    assert res["design"]["annotated"] == 299
    truth[np.flatnonzero(drawn.row_stratum == small)] = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimateWarning)
        with pytest.raises(EstimateError, match="no annotated row"):
            estimate_extract(sample_view, drawn, drawn.rows, truth)


def test_sheet_must_match_design_and_extract(sample_tagged, sample_view, drawn):
    labels = np.full(drawn.n, "none", dtype=object)
    with pytest.raises(EstimateError, match="missing from the sheet"):
        estimate_extract(sample_view, drawn, drawn.rows[1:], labels[1:])
    rows = drawn.rows.copy()
    rows[0] = np.setdiff1d(np.arange(4000), drawn.rows)[0]
    with pytest.raises(EstimateError, match="sheet rows 2 are not in the sample design"):
        estimate_extract(sample_view, drawn, rows, labels)
    other = tagged_columns(sample_tagged.assign(pv_score=0.3))
    with pytest.raises(EstimateError, match="differently tagged extract"):
        estimate_extract(other, drawn, drawn.rows, labels)
    active = SampleDesign("active", 4000, drawn.strata, drawn.rows, drawn.row_stratum)
    with pytest.raises(EstimateError, match="no inclusion probabilities"):
        estimate_extract(sample_view, active, drawn.rows, labels)
