import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import pv_identify as pv
from pv_identify.model import RelationshipClassifier, TrainingDataError, build_features


def test_features_distinct_and_no_truth(extract):
    df, _ = extract
    fs = build_features(df)
    assert len(fs.codes) == len(df) and len(fs.table) < len(df)
    assert fs.counts.sum() == len(df)
    assert not fs.table["tokens"].str.contains("true_relationship").any()


def test_history_uses_only_earlier_cases():
    base = {"jds_nummer": ["P1", "P1"], "parketnummer": ["c1", "c2"],
            "wetsartikel": ["300 Sr", "300 Sr"],
            "maatschappelijke_classificatie": ["huiselijk geweld partnermishandeling", ""],
            "inschrijvingsdatum": ["2020-01-01", "2019-01-01"]}
    fs = build_features(pd.DataFrame(base))
    tokens = fs.table["tokens"].iloc[fs.codes].tolist()
    assert "hist:partner_mc" not in tokens[0]  # the later case is not history
    assert "hist:partner_mc" in tokens[1] or "hist:" not in tokens[1]
    fs2 = build_features(pd.DataFrame({**base, "inschrijvingsdatum": ["2018-01-01",
                                                                      "2019-01-01"]}))
    assert "hist:partner_mc" in fs2.table["tokens"].iloc[fs2.codes[1]]


def test_estimator_conventions(tiny_model, extract):
    df, labels = extract
    assert clone(tiny_model).get_params()["C"] == tiny_model.C
    proba = tiny_model.predict_proba(df.head(500))
    assert proba.shape == (500, len(tiny_model.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert set(tiny_model.predict(df.head(50))) <= set(tiny_model.classes_)
    assert RelationshipClassifier().fit(df.head(3000), labels[:3000]) is not None


def test_bad_labels(extract):
    df, _ = extract
    with pytest.raises(TrainingDataError, match="unknown label"):
        RelationshipClassifier().fit(df.head(100), ["vriend"] * 100)


def test_tag_with_model_policy(tiny_model, extract):
    df, _ = extract
    rules_only = pv.tag(df, "default")
    tagged = pv.tag(df, "default", model=tiny_model, threshold=0.5)
    assert list(tagged.columns) == list(rules_only.columns)
    assert tagged.index.equals(df.index)
    assert tagged["pv_score"].notna().all()
    fired = rules_only["pv_source"] == "rule"
    specific = fired & (rules_only["pv_label"] != "domestic_unspecified")
    assert (tagged.loc[specific, "pv_label"] == rules_only.loc[specific, "pv_label"]).all()
    model_rows = tagged["pv_source"] == "model"
    assert model_rows.any()
    unfired = model_rows & ~fired
    pv_rows = unfired & tagged["pv_partner_violence"]
    assert (tagged.loc[pv_rows, "pv_score"] >= 0.5).all()
    assert tagged.attrs["pv_identify"]["model"]["threshold"] == 0.5
    strict = pv.tag(df, "default", model=tiny_model, threshold=0.99)
    assert strict["pv_partner_violence"].sum() <= tagged["pv_partner_violence"].sum()
    with pytest.raises(pv.errors.PvIdentifyError):
        pv.tag(df.head(5), model=tiny_model, threshold=2)


def test_explain_model_decision(tiny_model):
    result = pv.explain(mc="huiselijk geweld", article="285b Sr", model=tiny_model,
                        threshold=0.05)
    text = str(result)
    assert "weighed most" in text or "Model (not deciding)" in text
    assert result.model is not None and len(result.model.contributions) > 0


def test_additive_decision_matches_sklearn_on_the_shipped_model():
    """predict_proba_table sums the decision in parts (slot, context, year); on the shipped
    model and random feature rows it equals scikit-learn's one-sum decision_function and
    calibrated probabilities within 1e-12, and the parts partition the tokens."""
    import numpy as np

    from pv_identify.model import resolve_model
    from pv_identify.model.estimator import CONTEXT, SLOT, YEAR, token_part
    from pv_identify.synth import generate

    model = resolve_model("default")
    table = model.features(generate(3000, seed=23).drop(columns=["true_relationship"])).table
    rng = np.random.default_rng(0)
    vocab = list(model.token_vectorizer_.vocabulary_)
    # random token bags too: any mix of tokens, unknown and repeated ones
    bags = [" ".join([*rng.choice(vocab, size=rng.integers(0, 25)).tolist(), "zz:unknown"])
            for _ in range(500)]
    extra = table.sample(500, replace=True, random_state=1).assign(tokens=bags)
    table = pd.concat([table, extra], ignore_index=True)
    matrix = model._transform(table)
    expected = model.linear_.decision_function(matrix)
    got = model.decision_table(table)
    assert np.abs(got - expected).max() <= 1e-12
    proba = model.predict_proba_table(table)
    assert np.abs(proba - model.calibrated_.predict_proba(matrix)).max() <= 1e-12
    # every vocabulary token lands in exactly one part, by its prefix
    parts = {token_part(t) for t in vocab}
    assert parts == {SLOT, CONTEXT, YEAR}
    for bag in bags[:50]:
        split = model.token_ids(bag)
        ids = [i for part in split for i in part]
        assert len(ids) == len(set(ids)) == len({t for t in bag.split() if t in vocab})
