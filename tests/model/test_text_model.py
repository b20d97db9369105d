"""The free-text model: estimator conventions, features, policy, persistence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_estimator

from pv_identify.combine_text import TextPolicy, as_policy, combine_text
from pv_identify.errors import ModelFileError, RuleFileError
from pv_identify.model.text_estimator import TextRelationshipClassifier
from pv_identify.model.text_features import load_cues
from pv_identify.model.text_persist import (
    load_text_model,
    save_text_model,
    text_weights_fingerprint,
)
from pv_identify.model.text_policy import (
    FoldScores,
    combined_classes,
    out_of_fold,
    policy_settings,
    select_policy,
)

TEXTS = [
    ("Hij mishandelde zijn vrouw in hun woning", "partner"),
    ("De man sloeg zijn echtgenote met wie hij samenwoonde", "partner"),
    ("Zij stak haar man neer tijdens een ruzie thuis", "partner"),
    ("Hij bedreigde zijn vriendin in hun huis", "partner"),
    ("Hij belaagde zijn ex-vriendin na de scheiding", "ex_partner"),
    ("De man stalkte zijn ex-vrouw met honderden berichten", "ex_partner"),
    ("Hij wachtte zijn voormalige partner op nadat zij het had uitgemaakt", "ex_partner"),
    ("Zij bedreigde haar ex na de relatiebreuk", "ex_partner"),
    ("De vader mishandelde zijn zoontje", "family"),
    ("Zij sloeg haar dochter", "family"),
    ("Hij stak zijn broer neer", "family"),
    ("De man mishandelde zijn moeder", "family"),
    ("Hij sloeg een voorbijganger op straat", "other"),
    ("De man bedreigde een politieagent", "other"),
    ("Hij mishandelde de buurman na een ruzie", "other"),
    ("Een collega werd bedreigd op het werk", "other"),
]


@pytest.fixture(scope="module")
def toy():
    X = [t for t, _ in TEXTS] * 2
    y = [c for _, c in TEXTS] * 2
    return TextRelationshipClassifier(cv=2, min_df=1).fit(X, y), X, y


def test_estimator_conventions(toy):
    model, X, y = toy
    params = model.get_params()
    assert params["C"] == 4.0 and params["calibration"] == "sigmoid"
    fresh = clone(model)
    assert not hasattr(fresh, "classes_")
    assert fresh.fit(X, y) is fresh
    assert set(model.classes_) == {"partner", "ex_partner", "family", "other"}
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (model.predict(X) == np.asarray(y)).mean() > 0.9
    assert model.rule_precision_  # per deciding rule: [n, correct]
    assert model.cues_["name"] == "model_cues"


#: check_estimator checks that cannot apply to a text classifier, with the reason.
EXPECTED_FAILED = {
    "check_classifiers_train":
        "numbers are read as text (char/word n-grams of their digits); the accuracy "
        "targets on Gaussian blobs do not apply",
    "check_classifiers_classes":
        "numbers read as text cannot separate the synthetic classes",
    "check_classifier_data_not_an_array":
        "fits on synthetic numeric data whose text rendering is not separable",
    "check_classifiers_one_label_sample_weights": "fit takes no sample_weight",
    "check_class_weight_classifiers":
        "checks class-weighted accuracy on numeric blobs, which read as text do not "
        "separate",
    "check_decision_proba_consistency":
        "predict_proba is calibrated (sigmoid per class); decision_function is the raw "
        "linear model, so their orders can differ",
    "check_supervised_y_no_nan": "texts, not numbers: NaN in X is allowed as an empty text",
}


def test_check_estimator_runs_the_applicable_checks():
    results = []

    def callback(estimator, check_name, exception, status, expected_to_fail,
                 expected_to_fail_reason):
        results.append((check_name, status, exception))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(TextRelationshipClassifier(cv=2, max_iter=200),
                        expected_failed_checks=EXPECTED_FAILED, on_fail=None,
                        callback=callback)
    failed = [(n, repr(e)[:200]) for n, s, e in results if s == "failed"]
    assert not failed, failed
    passed = {n for n, s, _ in results if s == "passed"}
    assert {"check_get_params_invariance", "check_set_params", "check_fit_idempotent",
            "check_estimators_pickle", "check_fit2d_1sample", "check_n_features_in",
            "check_fit1d"} <= passed


def test_rule_hits_windows_and_cues_are_features(toy):
    model, _, _ = toy
    matcher = model._matcher()
    text = "Hij mishandelde zijn toenmalige echtgenote, niet zijn ex"
    doc = model.feature_docs([matcher.match(text)], matcher.compiled)[0].split(" ")
    assert "l:partner" in doc and "d:partner" in doc
    assert any(f.startswith("r:") for f in doc)
    assert "wc:partner:temporal_past" in doc       # cue inside the window of the hit
    assert "c:negation" in doc
    assert "wl:partner:mishandelde" in doc


def test_cue_words_are_data(tmp_path):
    cues = load_cues()
    assert "toenmalige" in cues.classes["temporal_past"]
    assert "gescheiden" in cues.classes["separation"]
    bad = tmp_path / "cues.yaml"
    bad.write_text("name: x\nversion: '1'\ncues:\n  temporal_past: [ex]\n  separation: [a]\n"
                   "  negation: [geen]\n  person: ['re:(']\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"cues\.yaml:7:"):
        load_cues(bad)


def _combine(rule, proba, temporal=True, policy="rules_first", precision=None):
    return combine_text([rule], [rule != "none"], ["r.x" if rule != "none" else ""],
                        np.asarray([proba], dtype=float),
                        ["ex_partner", "family", "other", "partner"],
                        temporal=[temporal], precision=precision or {}, policy=policy)


def test_policy_model_overrules_partner_by_temporal_context_only():
    # rules say partner; the model is sure of ex_partner and a temporal cue is near
    out = _combine("partner", [0.8, 0.05, 0.05, 0.1])
    assert out.label[0] == "ex_partner" and out.source[0] == "model" and out.overruled[0]
    # without the temporal cue the confident rule stands
    out = _combine("partner", [0.8, 0.05, 0.05, 0.1], temporal=False)
    assert out.label[0] == "partner" and out.source[0] == "rule"
    # the model may not overrule a confident partner rule towards 'other'
    out = _combine("partner", [0.0, 0.0, 0.95, 0.05])
    assert out.label[0] == "partner" and out.source[0] == "rule"
    # and the reverse direction: ex_partner -> partner (relationship at the time)
    out = _combine("ex_partner", [0.1, 0.0, 0.0, 0.9])
    assert out.label[0] == "partner" and out.source[0] == "model"


def test_policy_model_decides_the_rest_and_weak_rules():
    out = _combine("none", [0.1, 0.1, 0.1, 0.7])
    assert out.label[0] == "partner" and out.source[0] == "model"
    out = _combine("none", [0.2, 0.2, 0.4, 0.2])  # s_pv 0.4, s_dv 0.6 -> family
    assert out.label[0] == "domestic_unspecified" and out.source[0] == "model"
    out = _combine("none", [0.0, 0.0, 0.9, 0.1])
    assert out.label[0] == "none" and out.source[0] == "none"
    weak = {"r.x": [20, 5]}  # a rule right on 5 of 20 training texts is not confident
    out = _combine("child", [0.0, 0.0, 0.9, 0.1], precision=weak)
    assert out.label[0] == "none" and out.source[0] == "model"
    out = _combine("child", [0.0, 0.0, 0.9, 0.1], precision={"r.x": [20, 19]})
    assert out.label[0] == "child" and out.source[0] == "rule"
    np.testing.assert_allclose(out.score, [0.1])


def test_threshold_one_means_the_model_decides_nothing():
    # a probability that rounds to exactly 1.0 must not decide at threshold 1.0
    sure = [0.0, 0.0, 0.0, 1.0]
    for name in ("rules_first", "model_first"):
        out = _combine("none", sure, policy=TextPolicy(name, threshold=1.0))
        assert out.label[0] == "none" and out.source[0] == "none"
        np.testing.assert_allclose(out.score, [1.0])
    weak = {"r.x": [20, 5]}
    out = _combine("child", [0.0, 0.0, 1.0, 0.0], precision=weak,
                   policy=TextPolicy(threshold=1.0))
    assert out.label[0] == "child" and out.source[0] == "rule"
    # just below 1.0 the same model decides
    out = _combine("none", sure, policy=TextPolicy(threshold=0.99))
    assert out.label[0] == "partner" and out.source[0] == "model"
    # overrule threshold 1.0 is "no overrule", even for a certain model
    out = _combine("partner", [1.0, 0.0, 0.0, 0.0],
                   policy=TextPolicy(overrule_threshold=1.0))
    assert out.label[0] == "partner" and out.source[0] == "rule" and not out.overruled[0]


def test_select_policy_leaves_everything_to_rules_the_model_does_not_beat():
    # the model's only decision (threshold <= 0.9) turns a right 'none' into a wrong
    # partner; at threshold 1.0 it decides nothing and ties the rules alone
    folds = [_fold(["none", "partner"], [[0.0, 0.0, 0.05, 0.95], [0.0, 0.0, 0.1, 0.9]],
                   [0, 1])]
    policy, table = select_policy(folds, ["other", "partner"])
    assert policy.threshold == 1.0
    assert table["macro_f1"].iloc[0] == table["macro_f1"].iloc[-1]  # = rules alone
    labels = combined_classes(folds, policy)
    assert list(labels) == ["other", "partner"]


def test_policies_are_switchable():
    out = _combine("child", [0.0, 0.0, 0.1, 0.9], policy="rules_only")
    assert out.label[0] == "child" and out.source[0] == "rule"
    np.testing.assert_allclose(out.score, [0.9])
    out = _combine("child", [0.0, 0.0, 0.1, 0.9], policy="model_first")
    assert out.label[0] == "partner" and out.source[0] == "model"
    with pytest.raises(ValueError, match="unknown policy"):
        TextPolicy("rules_last")


def test_save_and_load_text_model(toy, tmp_path):
    model, X, _ = toy
    path = tmp_path / "m.pvmodel"
    manifest = save_text_model(model, path, {"name": "toy", "version": "0.1"})
    assert manifest["kind"] == "text" and manifest["environment"]["scikit-learn"]
    assert manifest["ruleset_hash"] == model.ruleset_hash_
    again = load_text_model(path)
    np.testing.assert_allclose(again.predict_proba(X), model.predict_proba(X))
    data = bytearray(path.read_bytes())
    data[-200] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError):
        load_text_model(path)


def test_register_loader_refuses_a_text_model_and_vice_versa(toy, tmp_path):
    from pv_identify.model.persist import default_model_path

    with pytest.raises(ModelFileError, match="not a text model"):
        load_text_model(default_model_path())


def test_shipped_artefact_is_small_and_stamped():
    from pv_identify.model.text_persist import default_text_model_path

    path = default_text_model_path()
    assert path.stat().st_size < 5_000_000
    model = load_text_model(path)
    manifest = model.manifest_
    assert manifest["training_data"]["split"] == "train"
    assert len(manifest["training_data"]["sha256"]) == 64
    assert {"scikit-learn", "spacy", "pv_identify"} <= set(manifest["environment"])
    assert manifest["calibration"]["chosen"] in ("sigmoid", "isotonic")


def test_policy_settings_of_a_model_and_what_overrides_them():
    chosen = {"threshold": 0.8, "rule_confidence": 0.6, "min_support": 5,
              "overrule_threshold": 1.0}
    pol = as_policy(None, 0.5, chosen)  # the tagger default 0.5: the model's settings
    assert (pol.name, pol.threshold, pol.rule_confidence, pol.overrule_threshold) == \
        ("rules_first", 0.8, 0.6, 1.0)
    assert as_policy("model_first", None, chosen).threshold == 0.8
    assert as_policy("rules_first", 0.7, chosen).threshold == 0.7  # an explicit threshold
    assert as_policy("rules_first", 0.5).threshold == 0.5  # no model settings
    given = TextPolicy("rules_first", threshold=0.55)
    assert as_policy(given, 0.9, chosen) is given  # a TextPolicy is used as it is
    assert policy_settings(pol) == chosen


def _fold(rule_labels, proba, gold_index):
    n = len(rule_labels)
    return FoldScores(index=np.asarray(gold_index), rule_labels=list(rule_labels),
                      fired=[r != "none" for r in rule_labels],
                      winners=["r.x" if r != "none" else "" for r in rule_labels],
                      proba=np.asarray(proba, dtype=float),
                      classes=["ex_partner", "family", "other", "partner"],
                      temporal=np.zeros(n, dtype=bool), precision={"r.x": [50, 45]})


def test_select_policy_takes_the_best_out_of_fold_setting():
    # the rules miss two family texts (label none) the model sees with 0.75 and one
    # 'other' text the model wrongly calls family with 0.65: a threshold of 0.7 is best
    folds = [_fold(["none", "none", "none", "partner"],
                   [[0.0, 0.75, 0.25, 0.0], [0.0, 0.75, 0.25, 0.0],
                    [0.0, 0.65, 0.35, 0.0], [0.1, 0.0, 0.0, 0.9]], [0, 1, 2, 3]),
             _fold(["none", "child"], [[0.0, 0.0, 1.0, 0.0], [0.0, 0.9, 0.1, 0.0]], [4, 5])]
    gold = ["family", "family", "other", "partner", "other", "family"]
    grid = {"threshold": (0.5, 0.6, 0.7, 0.8), "rule_confidence": (0.8,),
            "overrule_threshold": (0.8,)}
    policy, table = select_policy(folds, gold, hard=[True] * 6, grid=grid)
    assert policy.name == "rules_first" and policy.threshold == 0.7
    assert table["macro_f1"].iloc[0] == table["macro_f1"].max() == 0.75  # no ex_partner
    assert np.isnan(table["threshold"].iloc[-1])  # last row: the rules alone
    assert table["macro_f1"].iloc[-1] < 0.75


def test_policy_ties_go_to_the_conservative_setting():
    folds = [_fold(["partner", "none"], [[0.0, 0.0, 0.1, 0.9], [0.0, 0.0, 1.0, 0.0]], [0, 1])]
    grid = {"threshold": (0.5, 0.9), "rule_confidence": (0.6, 0.9),
            "overrule_threshold": (0.7, 1.0)}
    policy, _ = select_policy(folds, ["partner", "other"], grid=grid)
    assert (policy.threshold, policy.rule_confidence, policy.overrule_threshold) == \
        (0.9, 0.6, 1.0)


def test_out_of_fold_scores_every_training_text_once():
    X = [t for t, _ in TEXTS] * 2
    y = [c for _, c in TEXTS] * 2
    groups = list(range(len(TEXTS))) * 2  # a text and its copy stay in one fold
    folds = out_of_fold(TextRelationshipClassifier(cv=2, min_df=1), X, y, groups,
                        n_splits=2)
    index = np.sort(np.concatenate([f.index for f in folds]))
    np.testing.assert_array_equal(index, np.arange(len(X)))
    for f in folds:
        held = {groups[i] for i in f.index}
        assert not held & {groups[i] for g in folds if g is not f for i in g.index}
        assert f.proba.shape == (len(f.index), 4)


def test_policy_settings_belong_to_the_weights(toy):
    model, X, y = toy
    before = text_weights_fingerprint(model)
    fitted = clone(model).fit(X, y)
    fitted.policy_ = {"threshold": 0.8, "rule_confidence": 0.6, "min_support": 5,
                      "overrule_threshold": 1.0}
    assert text_weights_fingerprint(fitted) != before  # --check sees a changed policy
    fitted.fit(X, y)
    assert not hasattr(fitted, "policy_")  # a refit drops settings of old weights
    assert text_weights_fingerprint(fitted) == before


def test_shipped_model_carries_the_policy_chosen_on_the_replay():
    from pv_identify.model.text_persist import default_text_model_path

    model = load_text_model(default_text_model_path())
    assert set(model.policy_) == {"name", "threshold", "rule_confidence", "min_support",
                                  "overrule_threshold"}
    assert model.manifest_["policy"]["threshold"] == model.policy_["threshold"]
    # the learned combiner is shipped exactly when it beat rules_first on the replay
    stacked = model.manifest_["policy"]["stacked"]
    assert (model.policy_["name"] == "stacked") == stacked["used"] == hasattr(model,
                                                                              "stacker_")
    if stacked["used"]:
        assert stacked["stacked_macro_f1"] > stacked["rules_first_macro_f1"]
        assert stacked["stacked_pv_precision"] >= stacked["rules_pv_precision"]
    assert "replay" in model.manifest_["policy"]["chosen_by"]
    # the cross-validation on train is still recorded beside it (the card shows it)
    assert 0 < model.manifest_["policy"]["cv_macro_f1_rules_only"] <= 1


def test_masked_text_replaces_relationship_phrases_only(toy):
    from pv_identify.model.text_features import masked_text

    model, _, _ = toy
    matcher = model._matcher()
    rules = matcher.compiled.rules
    match = matcher.match("Hij sloeg zijn ex-vriendin nadat zij ruzie hadden gekregen")
    masked = masked_text(match, rules, "iemand")
    assert "ex-vriendin" not in masked and "iemand" in masked.split()
    assert masked.startswith("hij sloeg") and masked.endswith("nadat zij ruzie hadden gekregen")
    again = matcher.match(masked)
    assert again.decision.label == "none"  # nothing left for the rules to read
    # time cues are context, not relationship phrases: they stay in the masked copy
    cue = masked_text(matcher.match("Hij sloeg zijn ex-vriendin nadat zij het had uitgemaakt"),
                      rules, "iemand")
    assert cue is not None and cue.endswith("nadat zij het had uitgemaakt")
    assert masked_text(matcher.match("Hij sloeg een voorbijganger"), rules, "iemand") is None


def test_masked_copies_teach_the_context_of_a_relationship():
    X = [t for t, _ in TEXTS] * 2
    y = [c for _, c in TEXTS] * 2
    plain = TextRelationshipClassifier(cv=2, min_df=1, calibration=None).fit(X, y)
    masked = TextRelationshipClassifier(cv=2, min_df=1, calibration=None,
                                        masked_copies=True).fit(X, y)
    assert plain.n_masked_copies_ == 0
    n_rel = sum(c != "other" for c in y)
    assert masked.n_masked_copies_ == n_rel  # every text with a relationship phrase
    assert masked.n_train_texts_ == len(X)
    # the rule precision is measured on the original texts only
    assert plain.rule_precision_ == masked.rule_precision_
    # a text whose only partner signal is its context: the break-up
    probe = ["Hij wachtte iemand op nadat zij het had uitgemaakt na de relatiebreuk"]
    k = list(masked.classes_).index("ex_partner")
    assert masked.predict_proba(probe)[0, k] > plain.predict_proba(probe)[0, k]
    assert masked.get_params()["mask_token"] == "iemand"
