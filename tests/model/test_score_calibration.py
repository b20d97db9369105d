"""``pv_score`` mapped to unseen text: the map, its fit, its measures, its use and storage."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit
from sklearn.metrics import log_loss

from pv_identify.combine_score import ScoreCalibration, fit_score_calibration
from pv_identify.combine_stack import STACK_CLASSES, STACK_FEATURES, Stacker
from pv_identify.combine_text import combine_text
from pv_identify.errors import ModelFileError
from pv_identify.evaluate.metrics import score_metrics
from pv_identify.model.score_replay import (
    MAPPED,
    RAW,
    replay_score_calibration,
    score_calibration_lines,
    score_calibration_used,
)
from pv_identify.model.text_replay import read_replay, select_replay_policy


def test_the_map_is_platt_scaling_keeps_the_order_and_nan():
    cal = ScoreCalibration(slope=1.2, intercept=-0.6, n=10)
    s = np.array([0.05, 0.3, 0.5, 0.9, np.nan])
    out = cal.apply(s)
    np.testing.assert_allclose(out[:4], expit(1.2 * logit(s[:4]) - 0.6))
    assert np.isnan(out[4])
    assert np.all(np.diff(out[:4]) > 0)  # order kept
    # the identity map gives the scores back (within the clip of 1e-4)
    np.testing.assert_allclose(ScoreCalibration(1.0, 0.0).apply([0.2, 0.7]), [0.2, 0.7])
    assert 0 < cal.apply([0.0])[0] < cal.apply([1.0])[0] < 1


def test_the_fit_recovers_a_known_map_and_is_rounded():
    rng = np.random.default_rng(0)
    s = rng.uniform(0.01, 0.99, 40_000)
    truth = expit(0.8 * logit(s) - 0.5)  # an over-confident, too high score
    y = rng.random(len(s)) < truth
    cal = fit_score_calibration(s, y)
    assert cal.slope == pytest.approx(0.8, abs=0.03)
    assert cal.intercept == pytest.approx(-0.5, abs=0.03)
    assert cal.n == len(s)
    assert cal.slope == round(cal.slope, 8)
    # mapped, the score states the observed share; unmapped it does not
    assert score_metrics(cal.apply(s), y)["ece"] < 0.01 < score_metrics(s, y)["ece"]


@pytest.mark.parametrize("score, flags, message", [
    ([0.2, 0.8], [True], "same length"),
    ([0.2, np.nan], [True, False], "finite"),
    ([0.2, 0.8], [True, True], "with and without"),
])
def test_the_fit_refuses_what_it_cannot_calibrate(score, flags, message):
    with pytest.raises(ValueError, match=message):
        fit_score_calibration(score, flags)


@pytest.mark.parametrize("data, message", [
    ({"slope": 1.0, "intercept": 0.0}, "lacks 'method'"),
    ({"method": "isotonic", "slope": 1.0, "intercept": 0.0}, "must be 'platt'"),
    ({"method": "platt", "slope": "steep", "intercept": 0.0}, "must be numbers"),
    ({"method": "platt", "slope": -1.0, "intercept": 0.0}, "must be positive"),
    ({"method": "platt", "slope": float("inf"), "intercept": 0.0}, "finite"),
])
def test_stored_maps_are_checked(data, message):
    with pytest.raises(ValueError, match=message):
        ScoreCalibration.from_dict(data)


def test_the_map_round_trips_as_plain_json():
    cal = ScoreCalibration(1.17534084, -0.59316726, 4740)
    data = json.loads(json.dumps(cal.to_dict()))
    assert ScoreCalibration.from_dict(data) == cal


def test_score_metrics_agree_with_scikit_learn_and_a_hand_count():
    s = np.array([0.05, 0.15, 0.15, 0.85, 0.95, np.nan])
    y = np.array([False, False, True, True, True, True])
    m = score_metrics(s, y)
    assert m["n"] == 5  # the NaN score is left out
    assert m["log_loss"] == pytest.approx(log_loss(y[:5], s[:5]))
    assert m["brier"] == pytest.approx(np.mean((s[:5] - y[:5]) ** 2))
    # bins: [0.0, 0.1) 1 item 0.05 vs 0; [0.1, 0.2) 2 items 0.15 vs 0.5; 0.85 vs 1; 0.95 vs 1
    assert m["ece"] == pytest.approx((0.05 + 2 * 0.35 + 0.15 + 0.05) / 5)
    assert m["mean_score"] == pytest.approx(s[:5].mean())
    assert m["share"] == pytest.approx(0.6)
    assert np.isnan(score_metrics([0.2, 0.4], [True, True])["auc"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["partner", "ex_partner", "child", "none"]),
                          st.booleans(),
                          st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4)),
                min_size=1, max_size=12),
       st.sampled_from(["rules_only", "rules_first", "model_first", "stacked"]))
def test_the_map_changes_the_score_and_nothing_else(rows, policy):
    labels = [r[0] for r in rows]
    fired = [r[1] or r[0] != "none" for r in rows]
    winners = ["R1" if f else "" for f in fired]
    proba = np.asarray([r[2] for r in rows])
    proba = proba / proba.sum(axis=1, keepdims=True)
    stacker = Stacker(STACK_CLASSES, ((0.0,) * len(STACK_FEATURES),) * 4, (1.0, 0.5, 0.0, 0.2))
    args = (labels, fired, winners, proba, STACK_CLASSES)
    kw = {"policy": policy, "stacker": stacker, "precision": {"R1": [10, 6]}}
    cal = ScoreCalibration(1.3, -0.7)
    plain = combine_text(*args, **kw)
    mapped = combine_text(*args, **kw, score_calibration=cal)
    assert list(mapped.label) == list(plain.label)
    assert list(mapped.source) == list(plain.source)
    assert list(mapped.model_label) == list(plain.model_label)
    np.testing.assert_allclose(mapped.score, cal.apply(plain.score))


def _replay(tmp_path, batches: int = 4):
    """A replay whose model says s_pv 0.8 where half the texts are partner violence, and
    0.6 where a tenth are."""
    items = []
    for b in range(batches):
        for j in range(40):
            high = j < 20
            pv = j % 2 == 0 if high else j % 10 == 0
            # ex_partner, family, other, partner
            proba = [0.1, 0.1, 0.1, 0.7] if high else [0.1, 0.1, 0.3, 0.5]
            items.append({"id": f"y{b}-{j}", "commit": f"c{b}",
                          "gold": "partner" if pv else "other", "hard": False,
                          "source": f"s{b}-{j}", "pred": {"rules": "partner"},
                          "scores": {"winner": "R1", "fired": True, "rule_label": "partner",
                                     "temporal": False, "proba": proba}})
    batch = {"items": 40, "classes": ["ex_partner", "family", "other", "partner"],
             "precision": {"R1": [30, 3]}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"format": 2, "grid": ["rules"], "items": items,
                                "batches": [{"commit": f"c{b}", **batch}
                                            for b in range(batches)]}), encoding="utf-8")
    return select_replay_policy(read_replay(path))


def test_the_replay_map_is_measured_by_forward_chaining(tmp_path):
    result = replay_score_calibration(_replay(tmp_path), warmup=40)
    # the first batch only fits; every later one is mapped by a fit on the ones before
    assert list(result.evaluated) == [False] * 40 + [True] * 120
    high = np.tile(np.arange(40) < 20, 4)
    np.testing.assert_allclose(result.raw[high], 0.8)
    np.testing.assert_allclose(result.raw[~high], 0.6)
    assert np.isnan(result.mapped[:40]).all()
    # mapped, each score states its observed share
    np.testing.assert_allclose(result.mapped[40:][high[40:]], 0.5, atol=0.01)
    np.testing.assert_allclose(result.mapped[40:][~high[40:]], 0.1, atol=0.01)
    assert result.calibration.n == 160
    assert list(result.table.index) == [RAW, MAPPED]
    assert result.table.loc[MAPPED, "log_loss"] < result.table.loc[RAW, "log_loss"]
    assert result.use
    text = "\n".join(score_calibration_lines(result))
    assert "It lowers the log loss and is used." in text
    assert "| 0.6-0.7 | 60, 0.600, 0.100" in text
    assert "| 0.7-0.8 | 60, 0.800, 0.500" in text  # 0.1 + 0.7 rounds below 0.8


def test_scores_that_do_not_rank_are_not_mapped(tmp_path):
    with pytest.raises(ValueError, match="do not go with more partner violence"):
        fit_score_calibration([0.2, 0.2, 0.8, 0.8], [True, True, False, True])


@pytest.mark.parametrize("mapped, used", [(0.26, True), (0.2838, False), (0.30, False)])
def test_the_map_ships_only_if_it_lowers_the_log_loss(mapped, used):
    table = pd.DataFrame({"log_loss": {RAW: 0.2838, MAPPED: mapped}})
    assert score_calibration_used(table) is used


def _tiny_text_model():
    from pv_identify.model.text_estimator import TextRelationshipClassifier

    train = [("Hij mishandelde zijn vrouw in hun woning", "partner"),
             ("Hij belaagde zijn ex-vriendin na de scheiding", "ex_partner"),
             ("De vader mishandelde zijn zoontje", "family"),
             ("Een voorbijganger werd op straat geslagen", "other")] * 4
    return TextRelationshipClassifier(cv=2, min_df=1).fit([t for t, _ in train],
                                                         [c for _, c in train])


def test_the_map_is_stored_checked_and_applied_behind_every_door(tmp_path):
    import spacy

    import pv_identify as pv
    from pv_identify.model.text_persist import (
        load_text_model,
        save_text_model,
        text_weights_fingerprint,
    )
    from pv_identify.text import load, tag_texts

    model = _tiny_text_model()
    texts = ["Hij sloeg zijn vrouw", "Zij bedreigde haar ex na de relatiebreuk",
             "De man sloeg een agent"]
    plain = tag_texts(texts, tagger=pv.Tagger(text_model=model))
    before = text_weights_fingerprint(model)
    cal = ScoreCalibration(1.2, -0.6, 100)
    model.score_calibration_ = cal.to_dict()
    assert text_weights_fingerprint(model) != before  # --check sees the map
    path = tmp_path / "m.pvmodel"
    save_text_model(model, path)
    again = load_text_model(path, check_versions=False)
    assert again.score_calibration_ == model.score_calibration_

    tagger = pv.Tagger(text_model=again)
    out = tag_texts(texts, tagger=tagger)
    assert list(out["pv_label"]) == list(plain["pv_label"])
    np.testing.assert_allclose(out["pv_score"], cal.apply(plain["pv_score"]))
    folder = tmp_path / "pipe"
    load(tagger=tagger).to_disk(folder)
    reloaded = spacy.load(folder)
    for text, score in zip(texts, out["pv_score"], strict=True):
        assert tagger.explain_text(text).output["pv_score"] == pytest.approx(score)
        assert reloaded(text)._.pv_score == pytest.approx(score)
    # a refit drops the map: it belongs to one set of weights
    assert not hasattr(model.fit(["Hij sloeg zijn vrouw", "De man sloeg een agent"] * 4,
                                 ["partner", "other"] * 4), "score_calibration_")


def test_a_broken_stored_map_fails_at_loading_with_the_file(tmp_path):
    from pv_identify.model.text_persist import load_text_model, save_text_model

    model = _tiny_text_model()
    model.score_calibration_ = {"method": "platt", "slope": -1.0, "intercept": 0.0}
    path = tmp_path / "broken.pvmodel"
    save_text_model(model, path)
    with pytest.raises(ModelFileError, match=r"broken\.pvmodel: the model's "
                                             r"score_calibration_ is not valid"):
        load_text_model(path, check_versions=False)
