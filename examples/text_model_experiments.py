"""Experiments on the text model that did not change what ships (round 2, sessions 39-56).

``grid``: the text model's settings by 5-fold cross-validation grouped by source on
``train`` (out-of-fold macro-F1 of the model alone and of the rules alone; the rules were
written from train, so they look better there than on new text).

``rules``: each deciding rule's precision on the replay of the corpus history (text the
rules of its day had not seen), over the earlier batches and the later 35.

``combiner``: extra inputs for the learned combiner of the ``stacked`` policy, measured
by forward chaining on the replay of the corpus history (``models/pv_text_default.replay.json``;
each batch after the first 500 items predicted by a combiner fitted on the batches before
it, as :func:`pv_identify.model.text_replay.replay_stacker` does for the shipped inputs).

``mentions`` (session 40): a model per relationship *mention* instead of per text. Every
relationship span the matcher keeps is a candidate ("is this the victim-offender tie?"),
described by its label, rule, kind, the words right before and after it, the words and
cue classes of its sentence and whether that sentence accuses somebody; a logistic
regression learns it from the train texts (a span is right when its class is the text's
gold class), and a text takes the class of its best span when that span's probability
reaches a threshold (else ``other``). Out-of-fold on train (5 folds grouped by source) and
trained on train, read on dev, against the rules alone.

``kinds`` (session 45): the *kind* of the deciding rule as a further combiner input -- a
phrase rule of the grammar or the text rules (``grammar.*``, ``text.*``) against a bare
word of a qualification set (``default.qual.*``, ``wodc.*``), alone, times the rules'
one-hot class, and the grammar apart -- by forward chaining on the replay as ``combiner``.

``nonlinear`` (session 55): a non-linear combiner in place of the logistic regression,
on the shipped inputs (gradient-boosted trees, a random forest), by forward chaining on
the replay as ``combiner``.

``review`` (session 56): the shipped ``stacked`` policy's partner-violence flag after
reading the least certain items by hand (:mod:`pv_identify.evaluate.review`), by forward
chaining on the replay: each item's class from a combiner fitted on earlier batches, its
order from the calibrated score of the model of its day, and (session 57) from that
score mapped to unseen text by a map fitted on the earlier batches, as ``pv_score`` is.

``learning`` (session 57): learning curves. How much would more labelled text move the
figures? (1) The text model trained on a share of the train sources (1/8 ... all; the
shares nested, two seeds), read out-of-fold on train (5 folds grouped by source) and on
dev, the model alone (its likeliest class); the rules alone beside it. (2) The learned
combiner by forward chaining on the replay, each batch predicted by a combiner fitted on
a share of the items before it. A straight line in log2 of the training size gives the
gain per doubling.

``sentences`` (session 57): sentence-level features of the relationship spans for the
text model: whether the span's sentence holds an offence word (the text rules' word sets
``violence``, ``offence_verb``, ``participle``, ``lethal_cue``) or an accusation word
(``accused_verb``), how far the nearest offence word in it stands, and which labels stand
in no sentence with either while the text tells an offence (the model's windows are four
tokens and blind to sentence ends). Out-of-fold on train and trained on train, read on
dev, the model alone and ``rules_first`` at the shipped settings, with and without.

``overrides`` (session 40): the shipped ``stacked`` combiner with one constraint at a time
(the ``rules_first`` or rules' label kept where both say partner or ex-partner, an
ex-partner label of ``rules_first`` kept, no partner-violence label added over
``rules_first``'s ``other``), by forward chaining on the replay.

Usage::

    python examples/text_model_experiments.py grid        # ~5 minutes
    python examples/text_model_experiments.py combiner    # ~1 minute
    python examples/text_model_experiments.py rules       # seconds
    python examples/text_model_experiments.py mentions    # ~1 minute
    python examples/text_model_experiments.py overrides   # ~30 seconds
    python examples/text_model_experiments.py kinds       # ~1 minute
    python examples/text_model_experiments.py nonlinear   # ~5 minutes
    python examples/text_model_experiments.py review      # ~30 seconds
    python examples/text_model_experiments.py learning    # ~15 minutes
    python examples/text_model_experiments.py sentences   # ~3 minutes
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
    train = load_corpus(ROOT / "tests" / "data" / "real_texts", splits=["train"])
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


def _with(extra: Callable[[np.ndarray], list[np.ndarray]],
          shipped: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """The ``shipped`` combiner inputs and ``extra``'s columns of them."""
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
    shipped = text_replay.stack_features
    _forward_chained({name: _with(extra, shipped) for name, extra in variants.items()})


def _forward_chained(variants: dict[str, Callable[..., np.ndarray]]) -> None:
    """Print the forward-chained ``stacked`` figures of each set of combiner inputs.

    Each value computes the inputs from the arguments of ``stack_features``; it is put in
    place of the shipped function for its run only (and built from the shipped function,
    never from another variant's), at C 0.1, 0.3 and 1.
    """
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    shipped_features, shipped_fit = text_replay.stack_features, text_replay.fit_stacker
    try:
        for name, features in variants.items():
            for C in (0.1, 0.3, 1.0):
                text_replay.stack_features = features  # type: ignore[assignment]
                text_replay.fit_stacker = _fit(C)  # type: ignore[assignment]
                row = text_replay.replay_stacker(chosen, C=C).table.loc["stacked"]
                print(f"{name}, C={C}: macro-F1 {row['macro_f1']:.3f}, ex_partner F1 "
                      f"{row['ex_partner_f1']:.3f}, PV precision {row['pv_precision']:.3f}, "
                      f"recall {row['pv_recall']:.3f} ({int(row['items'])} items)", flush=True)
    finally:
        text_replay.stack_features, text_replay.fit_stacker = shipped_features, shipped_fit


def _kind_columns(winners: object, X: np.ndarray, grammar: bool) -> list[np.ndarray]:
    """The deciding rule's kind as columns (phrase rule; and the grammar apart)."""
    ids = np.asarray(winners, dtype=str)
    phrase = np.char.startswith(ids, "grammar.") | np.char.startswith(ids, "text.")
    columns = [phrase[:, None].astype(float), X[:, 8:12] * phrase[:, None]]
    if grammar:
        gram = np.char.startswith(ids, "grammar.")[:, None].astype(float)
        columns += [gram, X[:, 8:12] * gram]
    return columns


def kinds() -> None:
    shipped = text_replay.stack_features

    def with_kinds(grammar: bool) -> Callable[..., np.ndarray]:
        def features(*args: object) -> np.ndarray:
            X = shipped(*args)  # args: proba, classes, labels, fired, winners, ...
            return np.hstack([X, *_kind_columns(args[4], X, grammar)])
        return features

    _forward_chained({"shipped inputs": shipped, "+ phrase rule": with_kinds(False),
                      "+ phrase rule, grammar apart": with_kinds(True)})


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


def _mention_docs(item: dict, matcher: object, cues: object, accused: frozenset[str],
                  ) -> tuple[list[tuple[str, str]], str]:
    """(class, feature document) per relationship span of one text, and the rules' class."""
    from pv_identify.model.text_features import _span_tokens  # the model's own reading
    from pv_identify.text.sentences import sentence_ids

    compiled = matcher.compiled  # type: ignore[attr-defined]
    rules = compiled.rules
    match = matcher.match(item["context"])  # type: ignore[attr-defined]
    decided = text_class(match.decision.label)
    tokens = match.normalized.split(" ") if match.normalized else []
    if not tokens:
        return [], decided
    starts = np.cumsum([0] + [len(t) + 1 for t in tokens[:-1]]).tolist()
    ids = sentence_ids(item["context"], compiled.normalize_qualification, len(tokens)) \
        or [0] * len(tokens)
    classes = cues.classes(tokens)  # type: ignore[attr-defined]
    labels = {rules[s.rule].label for s in match.spans} - {"none"}
    out = []
    for span in match.spans:
        label = rules[span.rule].label
        if label == "none":
            continue
        first, last = _span_tokens(starts, span.start, span.end)  # last: exclusive
        sentence = [i for i, k in enumerate(ids) if k == ids[first]]
        words = {tokens[i] for i in sentence}
        feats = [f"lab:{label}", f"rule:{rules[span.rule].id}", f"kind:{span.kind}",
                 f"dec:{decided}", f"same:{decided == text_class(label)}",
                 f"nl:{len(labels)}", f"sid:{min(ids[first], 3)}",
                 f"acc:{bool(words & accused)}"]
        for k in range(1, 6):
            if first - k >= 0:
                feats.append(f"l{k}:{tokens[first - k]}" if k <= 2 else f"L:{tokens[first - k]}")
            if last - 1 + k < len(tokens):
                feats.append(f"r{k}:{tokens[last - 1 + k]}" if k <= 2
                             else f"R:{tokens[last - 1 + k]}")
        feats += [f"in:{t}" for t in tokens[first:last]]
        feats += [f"s:{t}" for t in words]
        feats += [f"sc:{c}" for i in sentence for c in classes[i]]
        feats += [f"{label}|{f}" for f in list(feats) if f.startswith(("l1:", "r1:", "sc:",
                                                                      "acc:"))]
        out.append((text_class(label), " ".join(f.replace(" ", "_") for f in feats)))
    return out, decided


def mentions() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import GroupKFold

    from pv_identify.model.text_features import CueMatcher, load_cues
    from pv_identify.rules.loader import load_rules
    from pv_identify.rules.textrules import load_text_rules
    from pv_identify.text.matcher import TextMatcher

    matcher = TextMatcher(load_rules("default"), load_text_rules())
    grammar = matcher.compiled.grammar
    accused = grammar.accused_words if grammar is not None else frozenset()
    cues = CueMatcher(load_cues(), matcher.compiled.normalize_qualification)
    corpus = ROOT / "tests" / "data" / "real_texts"
    data = {split: [(d, *_mention_docs(d, matcher, cues, accused))
                    for d in load_corpus(corpus, splits=[split])] for split in ("train", "dev")}

    def fit_read(train: list, read: list, C: float) -> list[tuple[str, float]]:
        docs = [doc for d, spans, _ in train for _, doc in spans]
        y = [int(cls == d["relationship"]) for d, spans, _ in train for cls, _ in spans]
        vec = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=2)
        clf = LogisticRegression(C=C, max_iter=2000).fit(vec.fit_transform(docs), y)
        out = []
        for _, spans, _ in read:
            if not spans:
                out.append(("other", 0.0))
                continue
            p = clf.predict_proba(vec.transform([doc for _, doc in spans]))[:, 1]
            k = int(p.argmax())
            out.append((spans[k][0], float(p[k])))
        return out

    def f1(part: list, best: list[tuple[str, float]] | None, tau: float = 0.0) -> float:
        gold = np.asarray([d["relationship"] for d, _, _ in part], dtype=object)
        pred = (np.asarray([c if p >= tau else "other" for c, p in best], dtype=object)
                if best is not None else np.asarray([r for _, _, r in part], dtype=object))
        return float(class_metrics(gold, pred)["macro_f1"])

    train, dev = data["train"], data["dev"]
    groups = np.asarray([d["source"] for d, _, _ in train])
    print(f"rules alone: out-of-fold {f1(train, None):.3f}, dev {f1(dev, None):.3f}")
    for C in (0.3, 1.0, 3.0):
        oof: list[tuple[str, float]] = [("other", 0.0)] * len(train)
        for fit_idx, read_idx in GroupKFold(5).split(train, groups=groups):
            for i, r in zip(read_idx, fit_read([train[i] for i in fit_idx],
                                               [train[i] for i in read_idx], C), strict=True):
                oof[i] = r
        on_dev = fit_read(train, dev, C)
        for tau in (0.3, 0.4, 0.5):
            print(f"mentions C={C} threshold {tau}: out-of-fold {f1(train, oof, tau):.3f}, "
                  f"dev {f1(dev, on_dev, tau):.3f}", flush=True)


def nonlinear() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

    def fit_with(factory: Callable[[], object]) -> Callable[..., object]:
        def fit(X: np.ndarray, y: object, C: float | None = None) -> object:
            return factory().fit(X, np.asarray(list(y), dtype=object))  # type: ignore[attr-defined]
        return fit

    variants: dict[str, Callable[[], object]] = {
        "gradient-boosted trees (depth 3, rate 0.05, 200 trees)":
            lambda: HistGradientBoostingClassifier(
                max_depth=3, learning_rate=0.05, max_iter=200, class_weight="balanced",
                random_state=0),
        "gradient-boosted trees (depth 2, rate 0.05, 300 trees)":
            lambda: HistGradientBoostingClassifier(
                max_depth=2, learning_rate=0.05, max_iter=300, class_weight="balanced",
                random_state=0),
        "random forest (300 trees, leaves of 10 or more)":
            lambda: RandomForestClassifier(n_estimators=300, min_samples_leaf=10,
                                           class_weight="balanced", random_state=0,
                                           n_jobs=1),
    }
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    shipped_fit = text_replay.fit_stacker
    try:
        table = text_replay.replay_stacker(chosen).table
        rows = [("rules", table.loc["rules"]), ("rules_first", table.loc["rules_first"]),
                ("stacked (shipped logistic regression)", table.loc["stacked"])]
        for name, factory in variants.items():
            text_replay.fit_stacker = fit_with(factory)  # type: ignore[assignment]
            rows.append((name, text_replay.replay_stacker(chosen).table.loc["stacked"]))
    finally:
        text_replay.fit_stacker = shipped_fit
    for name, row in rows:
        print(f"{name:56s} macro-F1 {row['macro_f1']:.3f}, ex_partner F1 "
              f"{row['ex_partner_f1']:.3f}, PV precision {row['pv_precision']:.3f}, "
              f"recall {row['pv_recall']:.3f} ({int(row['items'])} items)", flush=True)


def overrides() -> None:
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    stacked = text_replay.replay_stacker(chosen)
    gold = chosen.items["gold"].to_numpy(dtype=object)
    seen = stacked.evaluated
    first = np.asarray(chosen.predicted, dtype=object)
    stack = np.asarray(stacked.predicted, dtype=object)
    rules = np.asarray([text_class(str(r)) for r in chosen.items["rule_label"]], dtype=object)
    pv = np.asarray(["partner", "ex_partner"], dtype=object)

    def keep(where: np.ndarray, source: np.ndarray) -> np.ndarray:
        out = stack.copy()
        out[where] = source[where]
        return out

    variants = {
        "rules": rules, "rules_first": first, "stacked (shipped)": stack,
        "stacked, rules_first decides partner vs ex": keep(
            np.isin(first, pv) & np.isin(stack, pv), first),
        "stacked, rules decide partner vs ex": keep(np.isin(rules, pv) & np.isin(stack, pv),
                                                    rules),
        "stacked, rules_first's ex_partner kept": keep(first == "ex_partner", first),
        "stacked, no PV label over rules_first's other": keep(
            (first == "other") & np.isin(stack, pv), first),
    }
    print(f"forward chaining on the replay, {int(seen.sum())} items")
    for name, pred in variants.items():
        m = class_metrics(gold[seen], pred[seen])
        print(f"{name:48s} macro-F1 {m['macro_f1']:.3f}, ex_partner F1 "
              f"{m['ex_partner_f1']:.3f}, PV precision {m['pv_precision']:.3f}, "
              f"recall {m['pv_recall']:.3f}")


def review() -> None:
    from pv_identify.evaluate.review import review_curve

    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    from pv_identify.model.score_replay import replay_score_calibration

    stacked = text_replay.replay_stacker(chosen)
    mapped = replay_score_calibration(chosen)
    seen = stacked.evaluated & mapped.evaluated
    # the tree's own s_pv, and (since session 57, as pv_score is) mapped to unseen text
    # by a map fitted on the batches before each item's
    for name, score in (("the model's s_pv", mapped.raw),
                        ("pv_score mapped to unseen text", mapped.mapped)):
        curve = review_curve(chosen.items["gold"][seen].tolist(),
                             np.asarray(stacked.predicted, dtype=object)[seen].tolist(),
                             score[seen].tolist(), chosen.items["source"][seen].tolist(),
                             shares=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5), n_boot=2000)
        print(f"forward chaining on the replay, {int(seen.sum())} items, ordered by {name}: "
              "the stacked policy's partner-violence flag after reading the least certain "
              "items by hand")
        print(curve.format())


SHARES: tuple[float, ...] = (0.125, 0.25, 0.5, 0.75, 1.0)


def _share(groups: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Positions of the items whose source is among the first ``share`` of a shuffled list.

    The order depends on ``seed`` only, so the shares of one seed are nested.
    """
    sources = np.unique(groups)
    order = np.random.default_rng(seed).permutation(len(sources))
    keep = set(sources[order[:max(1, round(share * len(sources)))]].tolist())
    return np.flatnonzero([g in keep for g in groups])


def _model_classes(fold: object) -> np.ndarray:
    order = [fold.classes.index(c) for c in CLASSES]  # type: ignore[attr-defined]
    return np.asarray(CLASSES, dtype=object)[
        fold.proba[:, order].argmax(axis=1)]  # type: ignore[attr-defined]


def _slope(sizes: list[float], values: list[float]) -> float:
    """Least-squares gain per doubling of the training size."""
    return float(np.polyfit(np.log2(sizes), values, 1)[0])


def learning(seeds: tuple[int, ...] = (0, 1)) -> None:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold

    from pv_identify.model.text_policy import score_texts

    corpus = ROOT / "tests" / "data" / "real_texts"
    train, dev = load_corpus(corpus, splits=["train"]), load_corpus(corpus, splits=["dev"])
    texts = [d["context"] for d in train]
    gold = np.asarray([d["relationship"] for d in train], dtype=object)
    groups = np.asarray([d["source"] for d in train], dtype=object)
    dev_gold = np.asarray([d["relationship"] for d in dev], dtype=object)
    base = TextRelationshipClassifier(calibration="sigmoid", **PARAMS)
    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    folds = list(splitter.split(np.zeros((len(texts), 1)), gold.astype(str), groups=groups))
    rows: dict[float, dict[str, list[float]]] = {s: {} for s in SHARES}
    rules_oof = rules_dev = None
    for seed in seeds:
        for share in SHARES:
            pred = np.empty(len(gold), dtype=object)
            sizes = []
            for fit_at, held in folds:
                part = fit_at[_share(groups[fit_at], share, seed)]
                sizes.append(len(part))
                model = clone(base).fit([texts[i] for i in part], gold[part],
                                        groups=groups[part])
                scored = score_texts(model, [texts[i] for i in held], held)
                pred[held] = _model_classes(scored)
                if rules_oof is None:
                    rules_oof = np.empty(len(gold), dtype=object)
                if share == SHARES[0] and seed == seeds[0]:
                    rules_oof[held] = [text_class(x) for x in scored.rule_labels]
            part = _share(groups, share, seed)
            model = clone(base).fit([texts[i] for i in part], gold[part], groups=groups[part])
            scored = score_texts(model, [d["context"] for d in dev], np.arange(len(dev)))
            if rules_dev is None:
                rules_dev = np.asarray([text_class(x) for x in scored.rule_labels], dtype=object)
            row = rows[share]
            oof, on_dev = class_metrics(gold, pred), class_metrics(dev_gold,
                                                                   _model_classes(scored))
            for key, value in (("n", float(np.mean(sizes))), ("n_all", float(len(part))),
                               ("oof", oof["macro_f1"]), ("oof_p", oof["pv_precision"]),
                               ("oof_r", oof["pv_recall"]), ("oof_ex", oof["ex_partner_f1"]),
                               ("dev", on_dev["macro_f1"]), ("dev_p", on_dev["pv_precision"]),
                               ("dev_r", on_dev["pv_recall"])):
                row.setdefault(key, []).append(value)
            print(f"seed {seed}, share {share}: out-of-fold macro-F1 {oof['macro_f1']:.3f}, "
                  f"dev {on_dev['macro_f1']:.3f}", flush=True)
    print("\n(1) the text model alone, trained on a share of the train sources "
          f"(mean of seeds {seeds}); rules alone: out-of-fold "
          f"{class_metrics(gold, rules_oof)['macro_f1']:.3f}, dev "
          f"{class_metrics(dev_gold, rules_dev)['macro_f1']:.3f}")
    print("| share | texts (per fold / all) | out-of-fold macro-F1 | PV precision | PV recall "
          "| ex_partner F1 | dev macro-F1 | dev PV precision | dev PV recall |")
    print("|---|---|---|---|---|---|---|---|---|")
    mean = {s: {k: float(np.mean(v)) for k, v in r.items()} for s, r in rows.items()}
    for s, m in mean.items():
        print(f"| {s:g} | {m['n']:.0f} / {m['n_all']:.0f} | {m['oof']:.3f} | {m['oof_p']:.3f} "
              f"| {m['oof_r']:.3f} | {m['oof_ex']:.3f} | {m['dev']:.3f} | {m['dev_p']:.3f} "
              f"| {m['dev_r']:.3f} |")
    for key, name in (("oof", "out-of-fold macro-F1"), ("dev", "dev macro-F1"),
                      ("oof_p", "out-of-fold PV precision"), ("oof_r", "out-of-fold PV recall")):
        size = "n" if key.startswith("oof") else "n_all"
        print(f"gain per doubling, {name}: "
              f"{_slope([mean[s][size] for s in SHARES], [mean[s][key] for s in SHARES]):+.3f}")
    _combiner_curve(seeds)


def _combiner_curve(seeds: tuple[int, ...], warmup: int = 500) -> None:
    """(2) The ``stacked`` combiner, forward-chained, fitted on a share of the earlier items."""
    frame = text_replay.read_replay(ROOT / "models" / "pv_text_default.replay.json")
    chosen = text_replay.select_replay_policy(frame)
    folds = chosen.folds
    gold = chosen.items["gold"].to_numpy(dtype=object)
    feats = [text_replay.fold_features(f) for f in folds]
    ys = [gold[f.index] for f in folds]
    print("\n(2) the stacked combiner by forward chaining on the replay, each batch's combiner "
          "fitted on a share of the items before it")
    print("| share | mean items fitted | macro-F1 | PV precision | PV recall | ex_partner F1 |")
    print("|---|---|---|---|---|---|")
    for share in SHARES:
        out: dict[str, list[float]] = {}
        for seed in seeds:
            rng = np.random.default_rng(seed)
            pred, truth, fitted, seen = [], [], [], 0
            for k, fold in enumerate(folds):
                if seen >= warmup:
                    X, y = np.vstack(feats[:k]), np.concatenate(ys[:k])
                    pick = rng.random(len(y)) < share if share < 1 else np.ones(len(y), bool)
                    model = text_replay.fit_stacker(X[pick], y[pick])
                    pred.append(model.predict(feats[k]))
                    truth.append(ys[k])
                    fitted.append(int(pick.sum()))
                seen += len(fold.index)
            m = class_metrics(np.concatenate(truth), np.concatenate(pred))
            for key in ("macro_f1", "pv_precision", "pv_recall", "ex_partner_f1"):
                out.setdefault(key, []).append(m[key])
            out.setdefault("fitted", []).append(float(np.mean(fitted)))
        r = {k: float(np.mean(v)) for k, v in out.items()}
        print(f"| {share:g} | {r['fitted']:.0f} | {r['macro_f1']:.3f} | {r['pv_precision']:.3f} "
              f"| {r['pv_recall']:.3f} | {r['ex_partner_f1']:.3f} |")


def _sentence_features(match: object, rules: object, sentences: dict[str, list[int] | None],
                       offence: frozenset[str], accused: frozenset[str]) -> list[str]:
    """Sentence-level feature tokens of one matched text (see ``sentences``)."""
    from pv_identify.model.text_features import _span_tokens
    from pv_identify.schema import NONE

    normalized = match.normalized  # type: ignore[attr-defined]
    tokens = normalized.split(" ") if normalized else []
    if not tokens or normalized not in sentences:
        return []
    sid = sentences[normalized] or [0] * len(tokens)
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    off = [i for i, t in enumerate(tokens) if t in offence]
    off_s = {sid[i] for i in off}
    acc_s = {sid[i] for i, t in enumerate(tokens) if t in accused}
    feats: list[str] = []
    told: dict[str, bool] = {}
    for span in match.spans:  # type: ignore[attr-defined]
        label = rules[span.rule].label  # type: ignore[index]
        if label == NONE:
            continue
        first, _ = _span_tokens(starts, span.start, span.end)
        here = sid[first]
        dist = min([abs(i - first) for i in off if sid[i] == here] or [99])
        near = "n" if dist <= 4 else "m" if dist <= 10 else "f" if dist < 99 else "x"
        feats += [f"so:{label}:{int(here in off_s)}", f"sa:{label}:{int(here in acc_s)}",
                  f"sd:{label}:{near}"]
        told[label] = told.get(label, False) or here in off_s or here in acc_s
    feats += [f"nso:{label}" for label, hit in told.items() if off_s and not hit]
    return feats if off_s else [*feats, "nooff"]


def sentences() -> None:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedGroupKFold

    from pv_identify.combine_text import TextPolicy
    from pv_identify.model import text_estimator
    from pv_identify.model.text_policy import combined_classes, score_texts
    from pv_identify.text.sentences import sentence_ids

    corpus = ROOT / "tests" / "data" / "real_texts"
    train, dev = load_corpus(corpus, splits=["train"]), load_corpus(corpus, splits=["dev"])
    base = TextRelationshipClassifier(calibration="sigmoid", **PARAMS)
    matcher = base._matcher()
    words = matcher.text_rules.sets
    offence = frozenset(w for name in ("violence", "offence_verb", "participle", "lethal_cue")
                        for w in words.get(name, ()) if " " not in w)
    accused = frozenset(words.get("accused_verb", ()))
    normalize = matcher.compiled.normalize_qualification
    by_text: dict[str, list[int] | None] = {}
    for item in train + dev:
        found = matcher.match(item["context"]).normalized
        by_text[found] = sentence_ids(item["context"], normalize,
                                      found.count(" ") + 1 if found else 0)
    shipped = text_estimator.feature_documents

    def with_sentences(matches, rules, cues, window):  # type: ignore[no-untyped-def]
        docs = shipped(matches, rules, cues, window)
        return [" ".join([doc, *_sentence_features(m, rules, by_text, offence, accused)])
                for doc, m in zip(docs, matches, strict=True)]

    texts = [d["context"] for d in train]
    gold = np.asarray([d["relationship"] for d in train], dtype=object)
    groups = np.asarray([d["source"] for d in train], dtype=object)
    dev_gold = np.asarray([d["relationship"] for d in dev], dtype=object)
    policy = TextPolicy(threshold=0.6, rule_confidence=0.8, overrule_threshold=1.0)
    folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=0).split(
        np.zeros((len(texts), 1)), gold.astype(str), groups=groups))
    try:
        for name, documents in (("shipped features", shipped),
                                ("+ sentence features", with_sentences)):
            text_estimator.feature_documents = documents  # type: ignore[assignment]
            alone, first = np.empty(len(gold), dtype=object), np.empty(len(gold), dtype=object)
            for fit_at, held in folds:
                model = clone(base).fit([texts[i] for i in fit_at], gold[fit_at],
                                        groups=groups[fit_at])
                scored = score_texts(model, [texts[i] for i in held], held)
                alone[held], first[held] = _model_classes(scored), combined_classes([scored],
                                                                                     policy)
            model = clone(base).fit(texts, gold, groups=groups)
            scored = score_texts(model, [d["context"] for d in dev], np.arange(len(dev)))
            for what, g, p in (("out-of-fold, model", gold, alone),
                               ("out-of-fold, rules_first", gold, first),
                               ("dev, model", dev_gold, _model_classes(scored)),
                               ("dev, rules_first", dev_gold, combined_classes([scored], policy))):
                m = class_metrics(g, p)
                print(f"{name}, {what}: macro-F1 {m['macro_f1']:.3f}, PV precision "
                      f"{m['pv_precision']:.3f}, recall {m['pv_recall']:.3f}, ex_partner F1 "
                      f"{m['ex_partner_f1']:.3f}", flush=True)
    finally:
        text_estimator.feature_documents = shipped  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    experiments: dict[str, Callable[[], None]] = {
        "grid": grid, "combiner": combiner, "rules": rules, "mentions": mentions,
        "overrides": overrides, "kinds": kinds, "nonlinear": nonlinear, "review": review,
        "learning": learning, "sentences": sentences}
    parser.add_argument("experiment", choices=list(experiments))
    args = parser.parse_args(argv)
    experiments[args.experiment]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
