"""The learned combiner (policy ``stacked``): inputs, fitting, storage, combination, replay."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pv_identify.combine_stack import (
    STACK_CLASSES,
    STACK_FEATURES,
    Stacker,
    fit_stacker,
    stack_features,
)
from pv_identify.combine_text import TextPolicy, as_policy, combine_text
from pv_identify.model.text_replay import (
    read_replay,
    replay_stacker,
    select_replay_policy,
    stacker_used,
)


def _proba(*rows: tuple[float, float, float, float]) -> np.ndarray:
    return np.asarray(rows, dtype=float)


def test_features_follow_the_documented_columns_whatever_the_class_order():
    proba = _proba((0.7, 0.1, 0.1, 0.1), (0.1, 0.1, 0.2, 0.6))
    args = (["partner", "none"], [True, False], ["R1", ""], [True, False],
            {"R1": [8, 6]})
    X = stack_features(proba, STACK_CLASSES, *args)
    assert X.shape == (2, len(STACK_FEATURES))
    col = dict(zip(STACK_FEATURES, X[0], strict=True))
    assert col["p_partner"] == pytest.approx(0.7)
    assert col["log_p_other"] == pytest.approx(np.log(0.1))
    assert col["rules_partner"] == 1.0 and col["rules_other"] == 0.0
    assert col["rule_precision"] == pytest.approx(7 / 10)  # (6 + 1) / (8 + 2)
    assert col["log1p_rule_support"] == pytest.approx(np.log1p(8))
    assert (col["fired"], col["temporal"], col["rule_decided"]) == (1.0, 1.0, 1.0)
    assert col["rules_partner_x_precision"] == pytest.approx(0.7)
    none = dict(zip(STACK_FEATURES, X[1], strict=True))
    assert none["rules_other"] == 1.0 and none["rule_precision"] == 0.0
    assert none["rule_decided"] == 0.0
    # the same probabilities in a tree model's column order give the same inputs
    order = ["ex_partner", "family", "other", "partner"]
    shuffled = proba[:, [list(STACK_CLASSES).index(c) for c in order]]
    np.testing.assert_array_equal(stack_features(shuffled, order, *args), X)


def test_features_refuse_missing_classes_and_ragged_inputs():
    with pytest.raises(ValueError, match="lack the classes"):
        stack_features(np.ones((1, 3)) / 3, ["partner", "family", "other"], ["none"],
                       [False], [""], [False], {})
    with pytest.raises(ValueError, match="different numbers"):
        stack_features(_proba((0.25, 0.25, 0.25, 0.25)), STACK_CLASSES, ["none", "none"],
                       [False], [""], [False], {})


def _data(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    # the rules say partner; whether that holds is in the model's P(other)
    rng = np.random.default_rng(seed)
    p_other = rng.uniform(0, 1, n)
    rest = (1 - p_other) / 3
    proba = np.c_[rest, rest, rest, p_other]
    X = stack_features(proba, STACK_CLASSES, ["partner"] * n, [True] * n, ["R"] * n,
                       [False] * n, {"R": [50, 30]})
    return X, np.where(p_other > 0.5, "other", "partner")


def test_fitted_combiner_learns_when_a_rule_fails_and_is_reproducible():
    X, y = _data()
    stacker = fit_stacker(X, y)
    assert set(stacker.classes) == {"other", "partner"}
    assert (stacker.predict(X) == y).mean() > 0.95
    proba = stacker.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert fit_stacker(X, y) == stacker  # the same data give the same stored numbers


def test_combiner_round_trips_as_plain_data_and_refuses_other_inputs():
    stacker = fit_stacker(*_data())
    data = json.loads(json.dumps(stacker.to_dict()))
    assert Stacker.from_dict(data) == stacker
    with pytest.raises(ValueError, match="other inputs"):
        Stacker.from_dict({**data, "features": data["features"][:-1]})
    with pytest.raises(ValueError, match="lacks 'coef'"):
        Stacker.from_dict({k: v for k, v in data.items() if k != "coef"})
    with pytest.raises(ValueError, match="one coefficient row"):
        Stacker(("partner", "other"), (tuple([0.0] * len(STACK_FEATURES)),), (0.0, 0.0))
    with pytest.raises(ValueError, match="must be among"):
        Stacker(("spouse",), (tuple([0.0] * len(STACK_FEATURES)),), (0.0,))


def _always(cls: str) -> Stacker:
    zero = tuple([0.0] * len(STACK_FEATURES))
    return Stacker(STACK_CLASSES, (zero,) * 4,
                   tuple(5.0 if c == cls else 0.0 for c in STACK_CLASSES))


def test_stacked_policy_labels_names_family_and_sources():
    labels = ["child", "partner", "none", "domestic_unspecified"]
    args = (labels, [True, True, False, True], ["R1", "R2", "", "R3"],
            np.full((4, 4), 0.25), STACK_CLASSES)
    fam = combine_text(*args, policy="stacked", stacker=_always("family"))
    # the rules' family relation is kept; elsewhere the unspecified one
    assert list(fam.label) == ["child", "domestic_unspecified", "domestic_unspecified",
                               "domestic_unspecified"]
    assert list(fam.source) == ["rule", "model", "model", "rule"]
    other = combine_text(*args, policy="stacked", stacker=_always("other"))
    assert list(other.label) == ["none"] * 4
    assert list(other.source) == ["model", "model", "none", "model"]
    np.testing.assert_allclose(other.score, 0.5)  # pv_score stays the model's s_pv
    with pytest.raises(ValueError, match="'stacked' policy needs"):
        combine_text(*args, policy="stacked")


def test_a_model_chosen_policy_applies_when_none_is_named():
    chosen = {"name": "stacked", "threshold": 0.6, "rule_confidence": 0.8,
              "min_support": 5, "overrule_threshold": 1.0}
    assert as_policy(None, None, chosen).name == "stacked"
    assert as_policy("rules_first", None, chosen) == TextPolicy(
        "rules_first", threshold=0.6, rule_confidence=0.8, overrule_threshold=1.0)
    assert as_policy(None, None, {"threshold": 0.7}).name == "rules_first"


def _batch_items(commit: str, start: int) -> list[dict]:
    # a rule that says partner: right where the model's P(other) is low
    items = []
    for j in range(10):
        wrong = j % 2 == 0
        p_other = 0.9 if wrong else 0.1
        rest = (1 - p_other) / 3
        items.append({"id": f"y{start + j}", "commit": commit,
                      "gold": "other" if wrong else "partner", "hard": False,
                      "source": f"s{start + j}", "pred": {"rules": "partner"},
                      "scores": {"winner": "R1", "fired": True, "rule_label": "partner",
                                 "temporal": False, "proba": [rest, rest, p_other, rest]}})
    return items


def test_replay_stacker_is_measured_by_forward_chaining(tmp_path):
    items = _batch_items("c1", 0) + _batch_items("c2", 10) + _batch_items("c3", 20)
    batch = {"items": 10, "classes": ["ex_partner", "family", "other", "partner"],
             "precision": {"R1": [30, 30]}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"format": 2, "grid": ["rules"], "items": items,
                                "batches": [{"commit": c, **batch}
                                            for c in ("c1", "c2", "c3")]}),
                    encoding="utf-8")
    chosen = select_replay_policy(read_replay(path))
    stacked = replay_stacker(chosen, warmup=10)
    # the first batch only trains; the others are predicted by combiners of earlier ones
    assert list(stacked.evaluated) == [False] * 10 + [True] * 20
    assert list(stacked.predicted[10:]) == list(chosen.items["gold"][10:])
    assert list(stacked.table.index) == ["rules", "rules_first", "stacked"]
    # every predicted item right (two of the four classes present: macro-F1 0.5)
    assert stacked.table.loc["stacked", "macro_f1"] == pytest.approx(0.5)
    assert stacked.table.loc["rules", "macro_f1"] < 0.5
    # it must *beat* the chosen rules_first settings to be used
    beats = stacked.table.loc["stacked", "macro_f1"] > stacked.table.loc["rules_first",
                                                                          "macro_f1"]
    assert stacked.use == beats
    assert set(stacked.stacker.classes) == {"other", "partner"}


@pytest.mark.parametrize("change, used", [
    ({}, True),
    # no better than the chosen rules_first settings
    ({("stacked", "macro_f1"): 0.73}, False),
    # precision below the rules alone
    ({("stacked", "pv_precision"): 0.70}, False),
    # ex_partner F1 below the rules alone (session 48's stacked combiner was 0.665 against
    # the rules' 0.663: used; 0.66 would not be)
    ({("stacked", "ex_partner_f1"): 0.66}, False),
])
def test_the_stacker_ships_only_if_it_keeps_precision_and_ex_partner_f1(change, used):
    table = pd.DataFrame({
        "macro_f1": {"rules": 0.7075, "rules_first": 0.7306, "stacked": 0.7398},
        "pv_precision": {"rules": 0.7141, "rules_first": 0.7553, "stacked": 0.7503},
        "ex_partner_f1": {"rules": 0.6628, "rules_first": 0.692, "stacked": 0.6654}})
    for (row, column), value in change.items():
        table.loc[row, column] = value
    assert stacker_used(table) is used


def test_a_stacked_model_gives_the_same_answer_behind_every_door_and_after_saving(tmp_path):
    import spacy

    import pv_identify as pv
    from pv_identify.model.text_estimator import TextRelationshipClassifier
    from pv_identify.model.text_persist import (
        load_text_model,
        save_text_model,
        text_weights_fingerprint,
    )
    from pv_identify.model.text_policy import score_texts
    from pv_identify.text import load, tag_texts

    train = [("Hij mishandelde zijn vrouw in hun woning", "partner"),
             ("Hij belaagde zijn ex-vriendin na de scheiding", "ex_partner"),
             ("De vader mishandelde zijn zoontje", "family"),
             ("Een voorbijganger werd op straat geslagen", "other"),
             ("Zij stak haar man neer tijdens een ruzie thuis", "partner"),
             ("De man stalkte zijn ex-vrouw met honderden berichten", "ex_partner"),
             ("Zij sloeg haar dochter", "family"),
             ("De buurman bedreigde de postbode", "other")] * 2
    X, y = [t for t, _ in train], [c for _, c in train]
    model = TextRelationshipClassifier(cv=2, min_df=1).fit(X, y)
    fold = score_texts(model, X, np.arange(len(X)))
    before = text_weights_fingerprint(model)
    model.stacker_ = fit_stacker(stack_features(
        fold.proba, fold.classes, fold.rule_labels, fold.fired, fold.winners, fold.temporal,
        fold.precision), y).to_dict()
    model.policy_ = {"name": "stacked", "threshold": 0.6, "rule_confidence": 0.8,
                     "min_support": 5, "overrule_threshold": 1.0}
    assert text_weights_fingerprint(model) != before  # --check sees the combiner
    path = tmp_path / "m.pvmodel"
    save_text_model(model, path)
    again = load_text_model(path, check_versions=False)
    assert again.stacker_ == model.stacker_
    assert text_weights_fingerprint(again) == text_weights_fingerprint(model)

    tagger = pv.Tagger(text_model=model)
    folder = tmp_path / "pipe"
    load(tagger=tagger).to_disk(folder)
    reloaded = spacy.load(folder)
    texts = ["Hij sloeg zijn vrouw", "Zij bedreigde haar ex na de relatiebreuk",
             "De man sloeg een agent", "Hij schopte zijn moeder"]
    out = tag_texts(texts, tagger=tagger)
    named = tag_texts(texts, tagger=tagger, policy="stacked")
    assert list(out["pv_label"]) == list(named["pv_label"])  # the model's choice applies
    for text, (_, row) in zip(texts, out.iterrows(), strict=True):
        exp = tagger.explain_text(text)
        assert (exp.output["pv_label"], exp.output["pv_source"],
                exp.output["pv_evidence"]) == (row["pv_label"], row["pv_source"],
                                               row["pv_evidence"])
        doc = reloaded(text)
        assert (doc._.pv_label, doc._.pv_source, doc._.pv_evidence) == (
            row["pv_label"], row["pv_source"], row["pv_evidence"])
