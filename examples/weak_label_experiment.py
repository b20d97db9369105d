"""Weak supervision for the free-text model: train + unlabelled texts labelled by the rules.

Issue 14 leaves open "more training signal from unlabelled real texts found the same way
(reserved sources excluded), weakly labelled by the rules, with the effect of that shown
separately". This script measures that effect; it changes nothing that ships.

    python examples/weak_label_experiment.py                      # every variant
    python examples/weak_label_experiment.py --variants base,decided
    python examples/weak_label_experiment.py --corpus PATH --unlabelled PATH --n-boot 2000

Data: the corpus ``train`` split (human labels) and ``tests/data/unlabelled_texts.jsonl``
(real passages from the stored search pages, no label; see ``tests/data/README.md``).
Every unlabelled text is tagged by the rules alone (``Tagger("default")``, text mode) and
gets the corpus class of the rule label (:func:`pv_identify.evaluate.corpus.class_of`;
``none`` -> ``other``). Variants, everything else as in ``examples/train_text_model.py``
(its ``PARAMS``, masked copies included, sigmoid calibration):

* ``base``: train only;
* ``decided``: train + the unlabelled texts on which a rule decided (``pv_source ==
  "rule"``; this includes rules that decide "no relationship", e.g. ``grammar.unrelated``);
* ``all``: train + every unlabelled text (undecided ones as ``other``);
* ``decided_w05`` / ``all_w05``: the same with sample weight 0.5 on the weak texts.

Weak texts are added to the *training* folds only: the out-of-fold predictions are those
of the 864 (or however many) human-labelled train texts under the same 5 source-grouped
folds as :func:`pv_identify.model.text_policy.out_of_fold`, and the rule precision the
``rules_first`` policy reads is computed on the human-labelled texts only (weak texts
agree with the rules by construction). The estimator has no ``sample_weight``, so the
fit here is :class:`WeightedTextClassifier`, a copy of
:meth:`TextRelationshipClassifier.fit` that passes weights to the linear model and the
calibrator; with all weights 1 it reproduces the estimator's out-of-fold figures exactly.

Printed: (a) out-of-fold macro-F1 of rules + model under the policy chosen by
:func:`~pv_identify.model.text_policy.select_policy`, and that setting; (b) on ``dev``,
macro-F1 of the model alone (argmax) and of rules + model with the cross-validated policy,
plus two diagnostics (rules + model with the model allowed to decide at threshold 0.5,
and the multi-class log loss), each variant against ``base`` with a paired cluster
bootstrap by source. The ``test`` split is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from pv_identify.combine_text import TextPolicy
from pv_identify.evaluate.corpus import class_of, load_corpus
from pv_identify.model.text_card import paired_compare
from pv_identify.model.text_estimator import TextRelationshipClassifier, as_texts
from pv_identify.model.text_features import load_cues
from pv_identify.model.text_policy import macro_f1, policy_settings, score_texts, select_policy
from pv_identify.schema import text_class
from pv_identify.tagger import Tagger
from pv_identify.text.pipeline import tag_texts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_text_model import PARAMS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "real_texts"
UNLABELLED = ROOT / "tests" / "data" / "unlabelled_texts.jsonl"
VARIANTS = ("base", "decided", "all", "decided_w05", "all_w05")
#: Diagnostic policy: the model decides wherever no confident rule did, from 0.5.
OPEN_POLICY = TextPolicy("rules_first", threshold=0.5, rule_confidence=0.6,
                         overrule_threshold=1.0)


class WeightedTextClassifier(TextRelationshipClassifier):
    """The text model with per-text weights and a mask of the human-labelled texts.

    A copy of :meth:`TextRelationshipClassifier.fit` for this experiment only: weights go
    to the logistic regression and the sigmoid calibrator (a masked copy inherits the
    weight of its text); ``rule_precision_`` is computed on the texts with
    ``labelled=True``.
    """

    def fit(self, X: Any, y: Any, groups: Any = None, sample_weight: Any = None,
            labelled: Any = None) -> WeightedTextClassifier:
        texts, _ = as_texts(X)
        y_arr = np.asarray([str(v) for v in y], dtype=object)
        weight = (np.ones(len(texts)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=float))
        human = (np.ones(len(texts), dtype=bool) if labelled is None
                 else np.asarray(labelled, dtype=bool))
        self.cues_ = load_cues(self.cues).to_dict()
        matcher = self._matcher()
        compiled = matcher.compiled
        matches = [matcher.match(t) for t in texts]
        base = np.arange(len(texts)) if groups is None else np.asarray(groups, dtype=object)
        fit_matches, g_fit, (y_fit, w_fit), n_copies = self._training_rows(
            matcher, matches, base, y_arr, weight)
        self.char_vectorizer_, self.word_vectorizer_, self.feature_vectorizer_ = \
            self._make_vectorizers()
        matrix = self._blocks(fit_matches, compiled, fit=True)
        linear = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                    max_iter=self.max_iter, random_state=self.random_state)
        _, counts = np.unique(y_fit, return_counts=True)
        with threadpool_limits(limits=1):
            folds = self._folds(y_fit, g_fit, int(min(self.cv, counts.min())))
            self.calibrated_ = CalibratedClassifierCV(linear, method=self.calibration,
                                                      cv=folds, ensemble=False)
            self.calibrated_.fit(matrix, y_fit, sample_weight=w_fit)
        self.linear_ = self.calibrated_.calibrated_classifiers_[0].estimator
        self.classes_ = self.calibrated_.classes_
        kept = [i for i in range(len(texts)) if human[i]]
        self._fitted_facts(matcher, [matches[i] for i in kept], y_arr[kept], n_copies)
        self.n_train_texts_ = len(texts)
        return self


def load_unlabelled(path: Path) -> pd.DataFrame:
    """The unlabelled texts with their rule label, class and whether a rule decided."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    frame = pd.DataFrame(rows)
    tagged = tag_texts(frame["context"], tagger=Tagger("default"))
    frame["rule_label"] = tagged["pv_label"].astype(str).to_numpy()
    frame["weak"] = [class_of(label) for label in frame["rule_label"]]
    frame["decided"] = (tagged["pv_source"].astype(str) == "rule").to_numpy()
    return frame


def fit_variant(train: pd.DataFrame, weak: pd.DataFrame | None,
                weight: float) -> WeightedTextClassifier:
    """Fit on the human-labelled texts plus ``weak`` (weighted ``weight``)."""
    parts = [train.assign(weak_weight=1.0, human=True, label=train["relationship"])]
    if weak is not None and len(weak):
        parts.append(weak.assign(weak_weight=weight, human=False, label=weak["weak"]))
    data = pd.concat(parts, ignore_index=True)
    params: dict[str, Any] = dict(PARAMS)
    model = WeightedTextClassifier(calibration="sigmoid", **params)
    return model.fit(list(data["context"]), list(data["label"]),
                     groups=list(data["source"]), sample_weight=data["weak_weight"],
                     labelled=data["human"])


def out_of_fold_weak(train: pd.DataFrame, weak: pd.DataFrame | None, weight: float) -> list:
    """Out-of-fold scores of the train texts; weak texts join every training fold."""
    y = train["relationship"].astype(str).to_numpy()
    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    folds = []
    for fit_rows, held in splitter.split(np.zeros((len(train), 1)), y,
                                         groups=train["source"].to_numpy()):
        model = fit_variant(train.iloc[fit_rows], weak, weight)
        folds.append(score_texts(model, list(train["context"].iloc[held]), held))
    return folds


def dev_outputs(model: WeightedTextClassifier, dev: pd.DataFrame) -> dict[str, Any]:
    """Model-alone and combined labels on dev, and the model's probabilities."""
    tagger = Tagger("default", text_model=model)
    out: dict[str, Any] = {"alone": np.asarray(model.predict(dev["context"]), dtype=object)}
    for key, policy in (("comb", "rules_first"), ("open", OPEN_POLICY)):
        tagged = tag_texts(dev["context"], tagger=tagger, policy=policy)
        out[key] = np.array([text_class(x) for x in tagged["pv_label"].astype(str)])
        out[f"{key}_model"] = int((tagged["pv_source"].astype(str) == "model").sum())
    proba = model.predict_proba(dev["context"])
    out["log_loss"] = float(log_loss(dev["relationship"], proba, labels=model.classes_))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--unlabelled", type=Path, default=UNLABELLED)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--n-boot", type=int, default=2000)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", UserWarning)
    train = pd.DataFrame(load_corpus(args.corpus, splits=["train"]))
    dev = pd.DataFrame(load_corpus(args.corpus, splits=["dev"]))
    unl = load_unlabelled(args.unlabelled)
    print(f"train {len(train)} items, dev {len(dev)}; unlabelled {len(unl)} texts from "
          f"{unl['source'].nunique()} sources")
    print("rule labels (all):", unl["rule_label"].value_counts().to_dict())
    print("weak classes (all):", unl["weak"].value_counts().to_dict())
    print("weak classes (a rule decided):",
          unl.loc[unl["decided"], "weak"].value_counts().to_dict())
    gold = dev["relationship"].astype(str).to_numpy()
    hard = dev["hard"].to_numpy(dtype=bool)
    results: dict[str, dict[str, Any]] = {}
    rows = []
    for name in args.variants.split(","):
        start = time.time()
        weight = 0.5 if name.endswith("_w05") else 1.0
        weak = {"base": None, "decided": unl[unl["decided"]], "all": unl}[name.split("_")[0]]
        folds = out_of_fold_weak(train, weak, weight)
        policy, table = select_policy(folds, list(train["relationship"]),
                                      hard=train["hard"].to_numpy(dtype=bool))
        model = fit_variant(train, weak, weight)
        model.policy_ = policy_settings(policy)
        res = dev_outputs(model, dev)
        results[name] = res
        best_open = table[table["threshold"] < 1.0].iloc[0]
        rows.append({
            "variant": name, "n_weak": 0 if weak is None else len(weak), "weight": weight,
            "cv_policy": "{threshold}/{rule_confidence}/{overrule_threshold}".format(
                **policy_settings(policy)),
            "cv_macro_f1": table["macro_f1"].iloc[0],
            "cv_hard": table["hard_macro_f1"].iloc[0],
            "cv_rules_only": table["macro_f1"].iloc[-1],
            "cv_best_below_1": best_open["macro_f1"],
            "dev_alone": macro_f1(gold, res["alone"]),
            "dev_alone_hard": macro_f1(gold[hard], res["alone"][hard]),
            "dev_comb": macro_f1(gold, res["comb"]),
            "dev_comb_model_decided": res["comb_model"],
            "dev_open": macro_f1(gold, res["open"]),
            "dev_open_model_decided": res["open_model"],
            "dev_log_loss": res["log_loss"],
        })
        print(f"{name}: done in {time.time() - start:.0f}s", flush=True)
    print("\n" + pd.DataFrame(rows).round(4).to_string(index=False))
    if "base" in results:
        print("\npaired cluster bootstrap by source on dev (variant - base, macro-F1):")
        for name, res in results.items():
            if name == "base":
                continue
            for key in ("alone", "comb", "open"):
                cmp = paired_compare(gold, results["base"][key], res[key],
                                     cluster=dev["source"].to_numpy(), n_boot=args.n_boot)
                r = cmp.loc["macro_f1"]
                changed = int((results["base"][key] != res[key]).sum())
                print(f"  {name:12s} {key:5s} {r['a']:.3f} -> {r['b']:.3f}  diff "
                      f"{r['diff']:+.3f} [{r['diff_low']:+.3f}, {r['diff_high']:+.3f}] "
                      f"p={r['p_value']:.2f}  labels changed: {changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
