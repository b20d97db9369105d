"""Two experiments on the text model that did not change what ships (round 2, session 39).

``grid``: the text model's settings by 5-fold cross-validation grouped by source on
``train`` (out-of-fold macro-F1 of the model alone and of the rules alone; the rules were
written from train, so they look better there than on new text).

``rules``: each deciding rule's precision on the replay of the corpus history (text the
rules of its day had not seen), over the earlier batches and the later 35.

``combiner``: extra inputs for the learned combiner of the ``stacked`` policy, measured
by forward chaining on the replay of the corpus history (``models/pv_text_default.replay.json``;
each batch after the first 500 items predicted by a combiner fitted on the batches before
it, as :func:`pv_identify.model.text_replay.replay_stacker` does for the shipped inputs).

Usage::

    python examples/text_model_experiments.py grid        # ~5 minutes
    python examples/text_model_experiments.py combiner    # ~1 minute
    python examples/text_model_experiments.py rules       # seconds
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pv_identify.evaluate.corpus import load_corpus  # noqa: E402
from pv_identify.model import text_replay  # noqa: E402
from pv_identify.model.text_card import CLASSES, class_metrics  # noqa: E402
from pv_identify.model.text_estimator import TextRelationshipClassifier  # noqa: E402
from pv_identify.model.text_policy import out_of_fold  # noqa: E402
from pv_identify.schema import text_class  # noqa: E402

sys.path.insert(0, str(ROOT / "examples"))
from train_text_model import PARAMS  # noqa: E402

GRID: list[dict] = [{}, {"C": 1.0}, {"C": 16.0}, {"max_features": 20000},
                    {"max_features": 40000, "min_df": 1},
                    {"word_ngram_range": (1, 3), "max_features": 20000}]


def grid() -> None:
    train = load_corpus(ROOT / "tests" / "data" / "real_texts.jsonl", splits=["train"])
    texts = [d["context"] for d in train]
    gold = np.asarray([d["relationship"] for d in train], dtype=object)
    for change in GRID:
        model = TextRelationshipClassifier(calibration="sigmoid", **{**PARAMS, **change})
        folds = out_of_fold(model, texts, list(gold), [d["source"] for d in train],
                            n_splits=5, random_state=0)
        by_model = np.empty(len(gold), dtype=object)
        by_rules = np.empty(len(gold), dtype=object)
        for fold in folds:
            order = [fold.classes.index(c) for c in CLASSES]
            by_model[fold.index] = np.asarray(CLASSES, dtype=object)[
                fold.proba[:, order].argmax(axis=1)]
            by_rules[fold.index] = [text_class(label) for label in fold.rule_labels]
        model_f1 = class_metrics(gold, by_model)["macro_f1"]
        rules_f1 = class_metrics(gold, by_rules)["macro_f1"]
        print(f"{change or 'shipped settings'}: model {model_f1:.3f}, rules {rules_f1:.3f}",
              flush=True)


def _with(extra: Callable[[np.ndarray], list[np.ndarray]]) -> Callable[..., np.ndarray]:
    shipped = text_replay.stack_features

    def features(*args: object) -> np.ndarray:
        X = shipped(*args)
        return np.hstack([X, *extra(X)])
    return features


def _fit(C: float) -> Callable[..., object]:
    def fit(X: np.ndarray, y: object, C: float = C) -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(
            X, np.asarray(list(y), dtype=object))  # type: ignore[call-overload]
    return fit


def combiner() -> None:
    # columns of stack_features: p (0:4), log p (4:8), rules one-hot (8:12), precision (12)
    variants: dict[str, Callable[[np.ndarray], list[np.ndarray]]] = {
        "shipped inputs": lambda X: [],
        "+ agreement": lambda X: [(X[:, 8:12] * X[:, 0:4]).sum(1, keepdims=True),
                                  (X[:, 8:12] * X[:, 4:8]).sum(1, keepdims=True)],
        "+ agreement x precision": lambda X: [
            (X[:, 8:12] * X[:, 0:4]).sum(1, keepdims=True),
            (X[:, 8:12] * X[:, 4:8]).sum(1, keepdims=True),
            (X[:, 8:12] * X[:, 0:4]).sum(1, keepdims=True) * X[:, 12:13]],
        "+ rules one-hot x p": lambda X: [X[:, 8:12] * X[:, 0:4]],
        "+ agreement, one-hot x p, max p": lambda X: [
            (X[:, 8:12] * X[:, 0:4]).sum(1, keepdims=True),
            (X[:, 8:12] * X[:, 4:8]).sum(1, keepdims=True),
            X[:, 8:12] * X[:, 0:4], X[:, 0:4].max(1, keepdims=True)],
    }
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    shipped_features, shipped_fit = text_replay.stack_features, text_replay.fit_stacker
    try:
        for name, extra in variants.items():
            for C in (0.1, 0.3, 1.0):
                text_replay.stack_features = _with(extra)  # type: ignore[assignment]
                text_replay.fit_stacker = _fit(C)  # type: ignore[assignment]
                row = text_replay.replay_stacker(chosen, C=C).table.loc["stacked"]
                print(f"{name}, C={C}: macro-F1 {row['macro_f1']:.3f}, ex_partner F1 "
                      f"{row['ex_partner_f1']:.3f}, PV precision {row['pv_precision']:.3f}, "
                      f"recall {row['pv_recall']:.3f} ({int(row['items'])} items)", flush=True)
    finally:
        text_replay.stack_features, text_replay.fit_stacker = shipped_features, shipped_fit


def rules(late: int = 35, top: int = 12) -> None:
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    folds, items = text_replay.replay_folds(frame)
    gold = items["gold"].to_numpy(dtype=object)
    counts: dict[str, np.ndarray] = {}
    for k, fold in enumerate(folds):
        part = int(k >= len(folds) - late)
        for i, winner, label in zip(fold.index, fold.winners, fold.rule_labels, strict=True):
            if winner:
                row = counts.setdefault(winner, np.zeros((2, 2), dtype=int))
                row[part] += (1, int(text_class(label) == gold[i]))
    print(f"deciding rule: right/decided on the earlier {len(folds) - late} batches | "
          f"on the later {late}")
    for rule, (early, later) in sorted(counts.items(), key=lambda kv: -kv[1].sum())[:top]:
        print(f"{rule:40s} {early[1]:4d}/{early[0]:<4d} | {later[1]:4d}/{later[0]:<4d}"
              f" {later[1] / max(later[0], 1):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiment", choices=["grid", "combiner", "rules"])
    args = parser.parse_args(argv)
    {"grid": grid, "combiner": combiner, "rules": rules}[args.experiment]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
