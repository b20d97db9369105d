"""Choose the text model's threshold on unseen text: the corpus history replayed.

Cross-validation on ``train`` (:mod:`pv_identify.model.text_policy`) measures rules +
model on texts the *rules* were written from, so the rules look better there than on new
text, and the threshold it picks leaves too much to them. The replay file
(``models/pv_text_default.replay.json``, written by ``examples/replay_text_policy.py``)
holds, for every batch of real texts added to the corpus after the text model was first
shipped, what the package *of the commit before that batch* said about it: the rules
alone, and rules + model at each threshold of a grid. Every prediction there is on text
its rules and its model had not seen (forward chaining).

:func:`select_threshold` picks the threshold with the best pooled four-class macro-F1
over the replayed items, among thresholds whose partner-violence precision is not
lower than the rules' alone (issue 14: "precision not lower"); ties (to three decimals)
go to the hard items, then to the higher threshold (the rules keep more decisions). If
no threshold beats the rules, it returns ``1.0`` (the model decides nothing).
:func:`replay_report` prints the table and the paired bootstrap of the chosen threshold
against the rules alone (whole sources resampled).

Format 2 also holds what each tree's rules and model said about every item (the deciding
rule, the rules' label, the model's probabilities) and the rule precision its model
carried. :func:`replay_folds` turns it into forward-chaining folds, one per batch, in
which each rule's precision is what it did on the *earlier* batches (text it had not
seen); :func:`select_replay_policy` chooses all three settings of the ``rules_first``
policy on them, and :func:`unseen_precision` gives the precision the shipped model
reads (:func:`merge_precision`): the rules were written from ``train``, where their
precision looks better than on new text.

:func:`replay_stacker` fits the learned combiner of the ``stacked`` policy
(:mod:`pv_identify.combine_stack`) on the same folds and measures it by forward chaining:
each batch after a warm-up is predicted by a combiner fitted on the batches before it,
and compared with the chosen ``rules_first`` settings on the same items. The shipped
model uses it only if it has the better macro-F1 there with a partner-violence
precision not lower than the rules' alone.

The file is plain JSON and is only read (never executed); errors name the file, the
line and the column or the item that is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from pv_identify.combine_stack import DEFAULT_C, Stacker, fit_stacker, stack_features
from pv_identify.combine_text import TextPolicy, rule_precision
from pv_identify.errors import ModelFileError
from pv_identify.model.text_card import CLASSES, class_metrics, paired_compare
from pv_identify.model.text_policy import (
    FoldScores,
    combined_classes,
    select_policy,
    settings_markdown,
)
from pv_identify.schema import text_class

#: Name of the rules-only column of a replay.
RULES: Final[str] = "rules"
#: Format version this module writes (format 1, predictions only, is still read).
FORMAT: Final[int] = 2
_FORMATS: Final[tuple[int, ...]] = (1, 2)
_FIELDS: Final[tuple[str, ...]] = ("id", "commit", "gold", "hard", "source", "pred")
#: Fields of an item's ``scores`` (format 2): what its tree's rules and model said.
_SCORE_FIELDS: Final[tuple[str, ...]] = ("winner", "fired", "rule_label", "temporal",
                                         "proba")


def read_replay(path: str | Path) -> pd.DataFrame:
    """Read and validate a replay file.

    Parameters
    ----------
    path : str or pathlib.Path
        A file written by ``examples/replay_text_policy.py``.

    Returns
    -------
    pandas.DataFrame
        One row per replayed item: ``id``, ``commit``, ``gold``, ``hard``, ``source``,
        one column per grid entry (``rules``, ``"0.6"``, ..., ``"1.0"``) with the class
        predicted, and the policy inputs of format 2 (``winner``, ``fired``,
        ``rule_label``, ``temporal``, ``proba``; ``None`` where the tree had none).
        ``attrs["grid"]`` lists the grid entries in file order, ``attrs["batches"]``
        maps a commit to its model's ``classes`` and ``precision``.

    Raises
    ------
    ModelFileError
        If the file is not valid JSON (with line and column), has another format, or
        an item lacks a field or holds a class outside partner / ex_partner / family /
        other (with the item's position and id; no text is printed).
    """
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON "
                             f"({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: cannot read the replay file ({exc})") from None
    if not isinstance(payload, dict) or payload.get("format") not in _FORMATS:
        raise ModelFileError(f"{path}: expected a replay file of format 1 or 2 "
                             "(an object with \"format\": 2)")
    grid = payload.get("grid")
    items = payload.get("items")
    if (not isinstance(grid, list) or RULES not in grid
            or not all(isinstance(g, str) for g in grid) or not isinstance(items, list)):
        raise ModelFileError(f"{path}: expected \"grid\" (a list of names with "
                             f"{RULES!r}) and \"items\" (a list)")
    rows = []
    for pos, item in enumerate(items):
        where = f"{path}: item {pos}"
        if not isinstance(item, dict) or any(k not in item for k in _FIELDS):
            raise ModelFileError(f"{where}: expected the fields {', '.join(_FIELDS)}")
        where += f" ({item['id']})"
        pred = item["pred"]
        if not isinstance(pred, Mapping) or any(g not in pred for g in grid):
            raise ModelFileError(f"{where}: \"pred\" needs a class for each of "
                                 f"{', '.join(grid)}")
        for name, value in (("gold", item["gold"]), *((g, pred[g]) for g in grid)):
            if value not in CLASSES:
                raise ModelFileError(f"{where}: {name} must be one of "
                                     f"{', '.join(CLASSES)}, got {value!r}")
        rows.append({"id": str(item["id"]), "commit": str(item["commit"]),
                     "gold": item["gold"], "hard": bool(item["hard"]),
                     "source": str(item["source"]), **{g: pred[g] for g in grid},
                     **_item_scores(item.get("scores"), where)})
    frame = pd.DataFrame(rows, columns=[*_FIELDS[:5], *grid, *_SCORE_FIELDS])
    frame.attrs["grid"] = list(grid)
    frame.attrs["batches"] = _batch_scores(payload.get("batches"), path)
    return frame


def _item_scores(scores: Any, where: str) -> dict[str, Any]:
    """Return the validated ``scores`` of one item (``None`` in every field when absent)."""
    if scores is None:
        return dict.fromkeys(_SCORE_FIELDS)
    if not isinstance(scores, Mapping) or any(k not in scores for k in _SCORE_FIELDS):
        raise ModelFileError(f"{where}: \"scores\" needs the fields "
                             f"{', '.join(_SCORE_FIELDS)}")
    proba = scores["proba"]
    if (not isinstance(proba, list) or len(proba) != len(CLASSES)
            or not all(isinstance(p, int | float) and 0.0 <= p <= 1.0 for p in proba)):
        raise ModelFileError(f"{where}: \"proba\" must hold {len(CLASSES)} probabilities")
    if not isinstance(scores["winner"], str) or not isinstance(scores["rule_label"], str):
        raise ModelFileError(f"{where}: \"winner\" and \"rule_label\" must be strings")
    return {"winner": scores["winner"], "fired": bool(scores["fired"]),
            "rule_label": scores["rule_label"], "temporal": bool(scores["temporal"]),
            "proba": [float(p) for p in proba]}


def _batch_scores(batches: Any, path: Path) -> dict[str, dict[str, Any]]:
    """``{commit: {"classes", "precision"}}`` of the batches replayed with scores."""
    out: dict[str, dict[str, Any]] = {}
    for pos, batch in enumerate(batches if isinstance(batches, list) else []):
        if not isinstance(batch, Mapping) or "classes" not in batch:
            continue
        classes, precision = batch.get("classes"), batch.get("precision")
        if (not isinstance(classes, list) or sorted(map(str, classes)) != sorted(CLASSES)
                or not isinstance(precision, Mapping)
                or not all(isinstance(v, list) and len(v) == 2
                           and all(isinstance(x, int) for x in v)
                           for v in precision.values())):
            raise ModelFileError(f"{path}: batch {pos}: \"classes\" must list "
                                 f"{', '.join(CLASSES)} and \"precision\" map a rule id "
                                 "to [n, correct]")
        out[str(batch["commit"])] = {"classes": [str(c) for c in classes],
                                     "precision": {str(k): [int(v[0]), int(v[1])]
                                                   for k, v in precision.items()}}
    return out


def _scored(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the replayed items whose batch carries the policy inputs (format 2)."""
    batches = frame.attrs.get("batches", {})
    keep = frame["commit"].isin(list(batches)) & frame["proba"].notna()
    return frame[keep]


def has_scores(frame: pd.DataFrame) -> bool:
    """Whether the replay holds the policy inputs (format 2) for any batch."""
    return not _scored(frame).empty


def unseen_precision(frame: pd.DataFrame) -> dict[str, list[int]]:
    """``{rule id: [n, correct]}``: each deciding rule on text it had not seen.

    Counted over the replayed items (format 2): the rule that decided the item in the
    tree before its batch, and whether that rule's class was the gold class.
    """
    return _precision(_scored(frame))


def _precision(rows: pd.DataFrame) -> dict[str, list[int]]:
    """``{rule id: [n, correct]}`` of the deciding rules of replayed ``rows``."""
    return rule_precision([str(w) for w in rows["winner"]],
                          [text_class(str(r)) for r in rows["rule_label"]],
                          [str(g) for g in rows["gold"]])


def merge_precision(trained: Mapping[str, Sequence[int]], unseen: Mapping[str, Sequence[int]],
                    min_support: int = TextPolicy.min_support) -> dict[str, list[int]]:
    """Use a rule's unseen precision where it decided ``min_support`` unseen texts.

    Parameters
    ----------
    trained : mapping
        ``{rule id: [n, correct]}`` on the training texts (the model's own).
    unseen : mapping
        The same on unseen text (:func:`unseen_precision`).
    min_support : int
        Unseen decisions from which the unseen figure replaces the trained one.

    Returns
    -------
    dict of str to [int, int]
        The precision the ``rules_first`` policy reads (``rule_precision_``).
    """
    out = {str(k): [int(v[0]), int(v[1])] for k, v in trained.items()}
    for rule, (n, correct) in unseen.items():
        if n >= min_support:
            out[str(rule)] = [int(n), int(correct)]
    return out


def replay_folds(frame: pd.DataFrame) -> tuple[list[FoldScores], pd.DataFrame]:
    """Turn the replay into forward-chaining folds: one per batch, in corpus order.

    Each batch keeps what its tree's rules and model said; the rule precision of a batch
    is its model's own, replaced (:func:`merge_precision`) by what each rule did on the
    *earlier* batches, text it had not seen. :func:`pv_identify.model.text_policy.
    select_policy` then chooses the ``rules_first`` settings on these folds.

    Parameters
    ----------
    frame : pandas.DataFrame
        A replay of format 2 (:func:`read_replay`).

    Returns
    -------
    folds : list of FoldScores
        One per batch with scores; ``index`` are positions in ``items``.
    items : pandas.DataFrame
        The items of the folds (``gold``, ``hard``, ``source``, ...), positions 0..n-1.
    """
    part = _scored(frame).reset_index(drop=True)
    batches = frame.attrs["batches"]
    folds: list[FoldScores] = []
    # the writer appends a batch's items together, so the earlier batches are the rows
    # before a batch's first
    for commit, rows in part.groupby("commit", sort=False):
        meta = batches[str(commit)]
        earlier = part.iloc[:int(rows.index[0])]
        folds.append(FoldScores(
            index=rows.index.to_numpy(), rule_labels=rows["rule_label"].tolist(),
            fired=rows["fired"].astype(bool).tolist(), winners=rows["winner"].tolist(),
            proba=_ordered(rows["proba"].tolist(), meta["classes"]), classes=list(CLASSES),
            temporal=rows["temporal"].to_numpy(dtype=bool),
            precision=merge_precision(meta["precision"], _precision(earlier))))
    return folds, part


def _ordered(proba: list[list[float]], classes: list[str]) -> np.ndarray:
    """Probabilities with their columns in :data:`CLASSES` order."""
    matrix = np.asarray(proba, dtype=float)
    return matrix[:, [classes.index(c) for c in CLASSES]]


class ReplayPolicy(NamedTuple):
    """The ``rules_first`` policy chosen on a replay (:func:`select_replay_policy`)."""

    #: The chosen settings.
    policy: TextPolicy
    #: Every setting, best first, and the rules alone last.
    table: pd.DataFrame
    #: The chosen policy's class per item of ``items``.
    predicted: np.ndarray
    #: The replayed items with scores.
    items: pd.DataFrame
    #: The forward-chaining folds the policy was chosen on.
    folds: list[FoldScores]


def select_replay_policy(frame: pd.DataFrame) -> ReplayPolicy:
    """Choose the ``rules_first`` settings on the replay (:func:`replay_folds`).

    Among the settings of :data:`~pv_identify.model.text_policy.POLICY_GRID` whose
    partner-violence precision is not lower than the rules' alone, the best pooled
    four-class macro-F1 (ties as in :func:`~pv_identify.model.text_policy.select_policy`).

    Returns
    -------
    ReplayPolicy
        ``policy``, ``table``, ``predicted`` and ``items``. It takes a few seconds: pass
        it to :func:`replay_report` and :func:`replay_summary` rather than choosing again.
    """
    folds, items = replay_folds(frame)
    policy, table = select_policy(folds, items["gold"].tolist(),
                                  hard=items["hard"].to_numpy(dtype=bool),
                                  precision_floor=True)
    order = np.concatenate([f.index for f in folds])
    predicted = np.empty(len(items), dtype=object)
    predicted[order] = combined_classes(folds, policy)
    return ReplayPolicy(policy, table, predicted, items, folds)


class ReplayStacker(NamedTuple):
    """The learned combiner fitted and measured on a replay (:func:`replay_stacker`)."""

    #: Fitted on every replayed item.
    stacker: Stacker
    #: Whether it beat the chosen ``rules_first`` settings (macro-F1, PV precision floor).
    use: bool
    #: Forward-chained class per item (where ``evaluated``; the rules_first choice elsewhere).
    predicted: np.ndarray
    #: Items predicted by a combiner fitted on earlier batches only.
    evaluated: np.ndarray
    #: Metrics on the evaluated items: rows ``rules``, ``rules_first``, ``stacked``.
    table: pd.DataFrame


def fold_features(fold: FoldScores) -> np.ndarray:
    """:func:`~pv_identify.combine_stack.stack_features` of one fold."""
    return stack_features(fold.proba, fold.classes, fold.rule_labels, fold.fired,
                          fold.winners, fold.temporal, fold.precision)


def replay_stacker(chosen: ReplayPolicy, *, warmup: int = 500, C: float = DEFAULT_C
                   ) -> ReplayStacker:
    """Fit the ``stacked`` combiner on the replay and measure it by forward chaining.

    Parameters
    ----------
    chosen : ReplayPolicy
        :func:`select_replay_policy` of the replay: its forward-chaining folds are the
        combiner's inputs, its predictions the comparison.
    warmup : int, default 500
        Items of the first batches only used for fitting (never predicted).
    C : float, default 0.3
        Inverse regularisation strength of the combiner.

    Returns
    -------
    ReplayStacker
        The combiner fitted on all items, whether to use it, the forward-chained
        predictions and the comparison table.
    """
    folds = chosen.folds
    gold = chosen.items["gold"].to_numpy(dtype=object)
    features = [fold_features(f) for f in folds]
    predicted = np.asarray(chosen.predicted, dtype=object).copy()
    evaluated = np.zeros(len(gold), dtype=bool)
    seen = 0
    for k, fold in enumerate(folds):
        if seen >= warmup:
            fitted = fit_stacker(np.vstack(features[:k]),
                                 np.concatenate([gold[f.index] for f in folds[:k]]), C=C)
            predicted[fold.index] = fitted.predict(features[k])
            evaluated[fold.index] = True
        seen += len(fold.index)
    stacker = fit_stacker(np.vstack(features), np.concatenate([gold[f.index] for f in folds]),
                          C=C)
    rules = np.asarray([text_class(str(r)) for r in chosen.items["rule_label"]], dtype=object)
    rows = {}
    for name, pred in (("rules", rules), ("rules_first", chosen.predicted),
                       ("stacked", predicted)):
        m = class_metrics(gold[evaluated], np.asarray(pred, dtype=object)[evaluated])
        rows[name] = {"items": int(evaluated.sum()), "macro_f1": m["macro_f1"],
                      "ex_partner_f1": m["ex_partner_f1"], "pv_precision": m["pv_precision"],
                      "pv_recall": m["pv_recall"]}
    table = pd.DataFrame(rows).T
    use = bool(evaluated.any()) and stacker_used(table)
    return ReplayStacker(stacker, use, predicted, evaluated, table)


def stacker_used(table: pd.DataFrame) -> bool:
    """Whether the forward-chained comparison lets the ``stacked`` combiner ship.

    Issue 14's conditions on unseen text, read on the replay: the combiner must beat the
    chosen ``rules_first`` settings on macro-F1, and against the rules alone keep the
    partner-violence precision and the ex_partner F1 (session 49 added the last: a
    policy may not buy macro-F1 with ex-partner cases).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows ``rules``, ``rules_first`` and ``stacked``; columns ``macro_f1``,
        ``pv_precision`` and ``ex_partner_f1`` (as :func:`replay_stacker` builds it).

    Returns
    -------
    bool
    """
    stacked, rules = table.loc["stacked"], table.loc["rules"]
    return bool(stacked["macro_f1"] > table.loc["rules_first", "macro_f1"]
                and stacked["pv_precision"] >= rules["pv_precision"]
                and stacked["ex_partner_f1"] >= rules["ex_partner_f1"])


def _thresholds(frame: pd.DataFrame) -> list[str]:
    return [g for g in frame.attrs.get("grid", []) if g != RULES]


def _column(frame: pd.DataFrame, threshold: float) -> str:
    """Return the replay column of ``threshold`` (the rules' when 1.0 is not in it)."""
    return next((t for t in _thresholds(frame) if float(t) == threshold), RULES)


def threshold_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Pooled metrics of the rules alone and of every replayed threshold.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`read_replay`.

    Returns
    -------
    pandas.DataFrame
        Index: ``rules`` then the thresholds; columns ``right``, ``macro_f1``,
        ``hard_macro_f1``, ``ex_partner_f1``, ``pv_precision``, ``pv_recall``.
    """
    gold = frame["gold"].to_numpy()
    hard = frame["hard"].to_numpy(dtype=bool)
    rows = {}
    for name in [RULES, *_thresholds(frame)]:
        pred = frame[name].to_numpy()
        m = class_metrics(gold, pred)
        rows[name] = {"right": int((gold == pred).sum()), "macro_f1": m["macro_f1"],
                      "hard_macro_f1": class_metrics(gold[hard], pred[hard])["macro_f1"],
                      "ex_partner_f1": m["ex_partner_f1"],
                      "pv_precision": m["pv_precision"], "pv_recall": m["pv_recall"]}
    return pd.DataFrame.from_dict(rows, orient="index").astype({"right": "int64"})


def select_threshold(frame: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Choose the model threshold on the replay (see the module docstring).

    Parameters
    ----------
    frame : pandas.DataFrame
        A replay read by :func:`read_replay`.

    Returns
    -------
    tuple of (float, pandas.DataFrame)
        The chosen threshold (``1.0`` when no threshold beats the rules alone) and the
        table of :func:`threshold_table` it was chosen from.
    """
    table = threshold_table(frame)
    base = table.loc[RULES]
    candidates = table.drop(index=RULES)
    # precision exactly not lower (rounded, 0.7098 would pass as 0.710 >= 0.710: one
    # more false flag among 650 texts is still lower)
    candidates = candidates[candidates["pv_precision"] >= float(base["pv_precision"])]
    candidates = candidates[candidates["macro_f1"].round(3) > round(float(base["macro_f1"]), 3)]
    if candidates.empty:
        return 1.0, table
    rank = candidates.assign(_m=candidates["macro_f1"].round(3),
                             _h=candidates["hard_macro_f1"].fillna(0).round(3),
                             _t=[float(t) for t in candidates.index])
    best = rank.sort_values(["_m", "_h", "_t"], ascending=False, kind="stable").index[0]
    return float(best), table


def replay_report(frame: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0,
                  chosen_policy: ReplayPolicy | None = None) -> str:
    """Markdown report: the threshold table, per batch and the paired bootstrap.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`read_replay`.
    n_boot, seed : int
        Bootstrap replicates (whole sources resampled) and seed.
    chosen_policy : ReplayPolicy, optional
        :func:`select_replay_policy` of ``frame`` if already computed.

    Returns
    -------
    str
        Markdown.
    """
    chosen, table = select_threshold(frame)
    key = _column(frame, chosen)
    lines = [f"Replay: {len(frame)} items in {frame['commit'].nunique()} batches, "
             f"{frame['source'].nunique()} sources; chosen threshold {chosen}"
             + (" (from the predictions alone; the policy is chosen below on the policy "
                "inputs)." if has_scores(frame) else "."), "",
             "| predictor | right | macro-F1 | hard macro-F1 | ex_partner F1 "
             "| PV precision | PV recall |", "|---|---|---|---|---|---|---|"]
    for name, row in table.iterrows():
        label = "rules alone" if name == RULES else f"+ model, threshold {name}"
        lines.append(f"| {label} | {int(row['right'])} | {row['macro_f1']:.3f} | "
                     f"{row['hard_macro_f1']:.3f} | {row['ex_partner_f1']:.3f} | "
                     f"{row['pv_precision']:.3f} | {row['pv_recall']:.3f} |")
    lines += ["", f"Per batch (right of n; rules alone / threshold {chosen}):", "",
              "| batch (commit) | n | rules | + model |", "|---|---|---|---|"]
    for commit, part in frame.groupby("commit", sort=False):
        lines.append(f"| {str(commit)[:8]} | {len(part)} | "
                     f"{int((part['gold'] == part[RULES]).sum())} | "
                     f"{int((part['gold'] == part[key]).sum())} |")
    cmp = paired_compare(frame["gold"].to_numpy(), frame[RULES].to_numpy(),
                         frame[key].to_numpy(), cluster=frame["source"].to_numpy(),
                         n_boot=n_boot, seed=seed)
    lines += ["", f"Paired bootstrap by source ({n_boot:,} replicates), threshold {chosen} "
              "against the rules alone:", "",
              "| metric | rules alone | + model | difference [95% CI] | p |",
              "|---|---|---|---|---|"]
    lines += _compare_lines(cmp)
    if has_scores(frame):
        lines += ["", *_policy_lines(chosen_policy or select_replay_policy(frame),
                                     n_boot=n_boot, seed=seed)]
    return "\n".join(lines)


def _compare_lines(cmp: pd.DataFrame) -> list[str]:
    return [f"| {metric} | {row['a']:.3f} | {row['b']:.3f} | "
            f"{row['diff']:+.3f} [{row['diff_low']:+.3f}, {row['diff_high']:+.3f}] "
            f"| {row['p_value']:.2f} |" for metric, row in cmp.iterrows()]


def _policy_lines(chosen: ReplayPolicy, *, n_boot: int, seed: int) -> list[str]:
    """Markdown: the policy chosen on the replay folds and its paired bootstrap."""
    policy, table, predicted, items, _ = chosen
    lines = [f"Policy chosen on the replay ({len(items)} items in "
             f"{items['commit'].nunique()} batches with the policy inputs; each rule's "
             "precision from the earlier batches, text it had not seen): threshold "
             f"{policy.threshold}, rule confidence {policy.rule_confidence}, overrule "
             f"threshold {policy.overrule_threshold}.", "", settings_markdown(table)]
    gold = items["gold"].to_numpy()
    rules = np.asarray([text_class(str(r)) for r in items["rule_label"]], dtype=object)
    cmp = paired_compare(gold, rules, predicted, cluster=items["source"].to_numpy(),
                         n_boot=n_boot, seed=seed)
    return [*lines, "", f"Paired bootstrap by source ({n_boot:,} replicates), the chosen "
            "policy against the rules alone:", "",
            "| metric | rules alone | + model | difference [95% CI] | p |",
            "|---|---|---|---|---|", *_compare_lines(cmp)]


def stacker_lines(chosen: ReplayPolicy, stacked: ReplayStacker, *, n_boot: int = 2000,
                  seed: int = 0) -> list[str]:
    """Markdown: the stacked combiner against the chosen ``rules_first`` settings."""
    items, ev = chosen.items, stacked.evaluated
    lines = [f"Learned combiner (policy `stacked`), forward chaining: each of the "
             f"{int(ev.sum())} items after the first batches predicted by a combiner "
             "fitted on the batches before it. "
             + ("It beats the chosen `rules_first` settings and is used."
                if stacked.use else "It does not beat the chosen `rules_first` settings "
                "(or lowers the PV precision below the rules'): not used."), "",
             "| predictor | macro-F1 | ex_partner F1 | PV precision | PV recall |",
             "|---|---|---|---|---|"]
    for name, row in stacked.table.iterrows():
        lines.append(f"| {name} | {row['macro_f1']:.3f} | {row['ex_partner_f1']:.3f} | "
                     f"{row['pv_precision']:.3f} | {row['pv_recall']:.3f} |")
    cmp = paired_compare(items["gold"].to_numpy()[ev], np.asarray(chosen.predicted)[ev],
                         stacked.predicted[ev], cluster=items["source"].to_numpy()[ev],
                         n_boot=n_boot, seed=seed)
    return [*lines, "", f"Paired bootstrap by source ({n_boot:,} replicates), `stacked` "
            "against the chosen `rules_first` settings:", "",
            "| metric | rules_first | stacked | difference [95% CI] | p |",
            "|---|---|---|---|---|", *_compare_lines(cmp)]


def replay_summary(frame: pd.DataFrame,
                   chosen_policy: ReplayPolicy | None = None) -> dict[str, Any]:
    """Plain-data summary for a model manifest (threshold, items, macro-F1s).

    ``chosen_policy``: :func:`select_replay_policy` of ``frame`` if already computed.
    """
    chosen, table = select_threshold(frame)
    best = _column(frame, chosen)
    policy: dict[str, Any] = {}
    if has_scores(frame):
        pol, ptable, _, items, _ = chosen_policy or select_replay_policy(frame)
        policy = {"policy": {"threshold": pol.threshold,
                             "rule_confidence": pol.rule_confidence,
                             "overrule_threshold": pol.overrule_threshold,
                             "items": len(items),
                             "macro_f1": round(float(ptable["macro_f1"].iloc[0]), 4),
                             "macro_f1_rules_only": round(float(ptable["macro_f1"].iloc[-1]),
                                                          4)},
                  "rules_with_unseen_precision": sum(
                      1 for n, _ in unseen_precision(frame).values()
                      if n >= TextPolicy.min_support)}
    return {**policy, "threshold": chosen, "items": len(frame),
            "batches": int(frame["commit"].nunique()),
            "macro_f1_rules_only": round(float(table.loc[RULES, "macro_f1"]), 4),
            "macro_f1_chosen": round(float(table.loc[best, "macro_f1"]), 4),
            "pv_precision_rules_only": round(float(table.loc[RULES, "pv_precision"]), 4),
            "pv_precision_chosen": round(float(table.loc[best, "pv_precision"]), 4)}


__all__ = ["FORMAT", "RULES", "ReplayPolicy", "ReplayStacker", "fold_features", "has_scores",
           "merge_precision", "read_replay", "replay_folds", "replay_report",
           "replay_stacker", "replay_summary", "select_replay_policy", "select_threshold",
           "stacker_lines", "threshold_table", "unseen_precision"]
