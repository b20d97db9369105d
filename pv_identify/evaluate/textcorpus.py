"""Evaluate the tagger on a labelled text corpus (``tests/data/real_texts``).

Each corpus item carries a gold ``relationship`` in four classes (``partner``,
``ex_partner``, ``family``, ``other``). :func:`predict` tags the items in one of two
modes and maps the predicted labels onto those classes with
:func:`pv_identify.evaluate.corpus.class_of`:

* ``text`` — free text through :func:`pv_identify.text.tag_texts` (field ``context``,
  ``kwalificatie``, or ``both``: context and qualification joined with ``". "``);
* ``register`` — the item's ``kwalificatie`` (and ``articles`` as ``wetsartikel``) as
  a register row through :meth:`pv_identify.Tagger.tag`; only items with a
  qualification.

:func:`score` computes, from one cluster bootstrap over sources
(:func:`pv_identify.evaluate.bootstrap.cluster_bootstrap`, clusters =
:func:`~pv_identify.evaluate.corpus.source_key`), per-class precision/recall/F1, the
partner-violence flag (partner or ex_partner) and the domestic-violence flag (not
other), the confusion matrix and the macro-F1, all with percentile intervals.
:func:`evaluate_corpus` does both for all items and for the ``hard`` subset and
lists the errors. The four classes do not tell whose relative the victim is;
:func:`score_family` reads that from the gold ``family_relation``: of the gold family
items the tagger gives a family label, how many get the tie the right way round (the
victim is the offender's child, parent, or other relative).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate.bootstrap import (
    LEVEL,
    N_BOOT,
    Estimate,
    cluster_bootstrap,
    percentile_interval,
    prf,
)
from pv_identify.evaluate.corpus import CLASSES, FAMILY_DIRECTION, class_of, source_key
from pv_identify.evaluate.review import ReviewCurve, review_curve
from pv_identify.schema import FAMILY_LABELS

#: Evaluation modes.
MODES: Final[tuple[str, ...]] = ("text", "register")
#: Text fields of text mode.
TEXT_FIELDS: Final[tuple[str, ...]] = ("context", "kwalificatie", "both")
#: The two flags: name -> the classes that raise it.
FLAGS: Final[dict[str, tuple[str, ...]]] = {
    "partner_violence": ("partner", "ex_partner"),
    "domestic_violence": ("partner", "ex_partner", "family"),
}
#: Characters of an item's text shown with an error.
TEXT_PREVIEW: Final[int] = 160
#: Seed of the bootstrap unless given.
SEED: Final[int] = 0

_METRICS = ("precision", "recall", "f1")


def _has_qualification(item: Mapping[str, Any]) -> bool:
    return bool(str(item.get("kwalificatie") or "").strip())


def select_items(items: Sequence[Mapping[str, Any]], *, mode: str = "text",
                 field: str = "context") -> list[Mapping[str, Any]]:
    """Keep the items a mode can evaluate (register mode and ``kwalificatie`` need one).

    Parameters
    ----------
    items : sequence of mapping
        Corpus items.
    mode : {"text", "register"}
        Evaluation mode.
    field : {"context", "kwalificatie", "both"}
        Text field (text mode).

    Returns
    -------
    list of mapping
        The items, in order.
    """
    _check_mode(mode, field)
    if mode == "register" or field == "kwalificatie":
        return [item for item in items if _has_qualification(item)]
    return list(items)


def item_text(item: Mapping[str, Any], field: str = "context") -> str:
    """Return the text text mode reads for an item (``both``: context ``". "`` qualification)."""
    context = str(item.get("context") or "").strip()
    qualification = str(item.get("kwalificatie") or "").strip()
    if field == "context":
        return context
    if field == "kwalificatie":
        return qualification
    return ". ".join(part for part in (context, qualification) if part)


def _check_mode(mode: str, field: str) -> None:
    if mode not in MODES:
        raise PvIdentifyError(f"mode must be one of {list(MODES)}, got {mode!r}")
    if field not in TEXT_FIELDS:
        raise PvIdentifyError(f"field must be one of {list(TEXT_FIELDS)}, got {field!r}")


def make_tagger(rules: Any = "default", *, mode: str = "text", model: Any = None) -> Any:
    """Build the :class:`pv_identify.Tagger` of a mode.

    Parameters
    ----------
    rules : str, pathlib.Path or RuleSet
        Rule preset, rule file or loaded rule set.
    mode : {"text", "register"}
        Register mode passes ``model`` as the register model; text mode as
        ``text_model``.
    model : optional
        Model (file, name or fitted object).

    Returns
    -------
    pv_identify.Tagger
        The tagger.
    """
    from pv_identify.tagger import Tagger

    if model is None:
        return Tagger(rules)
    if mode == "register":
        return Tagger(rules, model=model)
    return Tagger(rules, text_model=model)


def predict(items: Sequence[Mapping[str, Any]], *, mode: str = "text", field: str = "context",
            rules: Any = "default", model: Any = None, tagger: Any = None) -> pd.DataFrame:
    """Tag corpus items and map the labels onto the corpus classes.

    Parameters
    ----------
    items : sequence of mapping
        Corpus items (``id``, ``source``, ``relationship``, ``hard``, ``context``,
        ``kwalificatie``, ``articles``); take them from :func:`select_items`.
    mode : {"text", "register"}
        Evaluation mode.
    field : {"context", "kwalificatie", "both"}
        Text field (text mode).
    rules : str, pathlib.Path or RuleSet, default "default"
        Rules (unless ``tagger`` is given).
    model : optional
        Model for :func:`make_tagger` (unless ``tagger`` is given).
    tagger : pv_identify.Tagger, optional
        A configured tagger.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``id``, ``cluster`` (source key), ``hard``, ``gold``,
        ``family_relation`` (gold, family items), ``predicted`` (class), ``label`` (the
        tagger's label), ``rule_ids``,
        ``evidence``, ``score`` (the model's ``pv_score``; NaN without a model),
        ``text`` (what was tagged; register mode: the qualification).
    """
    _check_mode(mode, field)
    if tagger is None:
        tagger = make_tagger(rules, mode=mode, model=model)
    if mode == "register":
        frame = pd.DataFrame({
            "artikelkwalificatie": [str(i.get("kwalificatie") or "") for i in items],
            "wetsartikel": [str(i.get("articles") or "") for i in items]})
        texts = frame["artikelkwalificatie"].tolist()
        tagged = tagger.tag(frame)
    else:
        from pv_identify.text.pipeline import tag_texts

        texts = [item_text(i, field) for i in items]
        tagged = tag_texts(pd.Series(texts, dtype=object), tagger=tagger)
    labels = tagged["pv_label"].astype(str).tolist()
    return pd.DataFrame({
        "id": [str(i.get("id", n)) for n, i in enumerate(items)],
        "cluster": [source_key(str(i.get("source") or i.get("id", n)))
                    for n, i in enumerate(items)],
        "hard": [bool(i.get("hard", False)) for i in items],
        "gold": [str(i["relationship"]) for i in items],
        "family_relation": [str(i.get("family_relation") or "") for i in items],
        "predicted": [class_of(label) for label in labels],
        "label": labels,
        "rule_ids": tagged["pv_rule_ids"].astype(str).tolist(),
        "evidence": tagged["pv_evidence"].astype(str).tolist(),
        "score": pd.to_numeric(tagged["pv_score"], errors="coerce").astype(float).tolist(),
        "text": texts,
    })


@dataclass(frozen=True)
class Scores:
    """Scores of one set of items.

    Parameters
    ----------
    n : int
        Items.
    n_clusters : int
        Distinct sources (bootstrap clusters).
    classes : pandas.DataFrame
        Index: class; ``support``, ``predicted``, and ``precision``, ``recall``,
        ``f1`` (:class:`~pv_identify.evaluate.bootstrap.Estimate`).
    flags : pandas.DataFrame
        Same columns, index ``partner_violence``, ``domestic_violence``.
    confusion : pandas.DataFrame
        Counts; index gold class, columns predicted class.
    macro_f1 : Estimate
        Mean F1 over the classes present (in gold or predicted).
    """

    n: int
    n_clusters: int
    classes: pd.DataFrame
    flags: pd.DataFrame
    confusion: pd.DataFrame
    macro_f1: Estimate

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        def table(frame: pd.DataFrame) -> dict[str, Any]:
            return {str(name): {"support": int(row["support"]),
                                "predicted": int(row["predicted"]),
                                **{m: row[m].to_dict() for m in _METRICS}}
                    for name, row in frame.iterrows()}

        return {"n": self.n, "n_sources": self.n_clusters,
                "classes": table(self.classes), "flags": table(self.flags),
                "confusion": _confusion_dict(self.confusion),
                "macro_f1": self.macro_f1.to_dict()}

    def format(self, digits: int = 3) -> str:
        """Format the scores as a readable text table."""
        width = 2 * digits + 2 * (digits + 2) + 6
        head = (f"{'':<18} {'n':>4} {'pred':>4}  {'precision':<{width}} "
                f"{'recall':<{width}} F1")
        lines = [head]
        for frame in (self.classes, self.flags):
            for name, row in frame.iterrows():
                lines.append(
                    f"{str(name).replace('_', ' '):<18} {int(row['support']):>4} "
                    f"{int(row['predicted']):>4}  {row['precision'].format(digits):<{width}} "
                    f"{row['recall'].format(digits):<{width}} {row['f1'].format(digits)}")
        lines.append(f"{'macro-F1':<18} {self.n:>4} {'':>4}  {self.macro_f1.format(digits)}")
        lines += ["", "confusion (rows: gold, columns: predicted)",
                  self.confusion.to_string()]
        return "\n".join(lines)


def _confusion_dict(confusion: pd.DataFrame) -> dict[str, Any]:
    """JSON-safe confusion table: its labels and the counts, rows gold, columns predicted."""
    return {"labels": list(confusion.index),
            "rows_gold_columns_predicted": confusion.to_numpy().tolist()}


def _from_confusion(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class and flag P/R/F1 and macro-F1 from confusion counts (..., k*k)."""
    k = len(CLASSES)
    m = np.asarray(counts).reshape(-1, k, k).astype(float)
    tp = np.diagonal(m, axis1=1, axis2=2)
    out: dict[str, np.ndarray] = {}
    p, r, f = prf(tp, m.sum(axis=1) - tp, m.sum(axis=2) - tp)
    out["class_precision"], out["class_recall"], out["class_f1"] = p, r, f
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out["macro_f1"] = np.nanmean(f, axis=1)
    for name, members in FLAGS.items():
        mask = np.isin(CLASSES, members)
        ftp = m[:, mask][:, :, mask].sum(axis=(1, 2))
        ffp = m[:, ~mask][:, :, mask].sum(axis=(1, 2))
        ffn = m[:, mask][:, :, ~mask].sum(axis=(1, 2))
        out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = prf(ftp, ffp, ffn)
    return out


def score(gold: Sequence[str], predicted: Sequence[str], cluster: Sequence[Any] | None = None,
          *, n_boot: int = N_BOOT, seed: int = SEED, level: float = LEVEL) -> Scores:
    """Per-class and flag precision/recall/F1, confusion and macro-F1 with intervals.

    All intervals come from one cluster bootstrap of the confusion counts
    (:func:`~pv_identify.evaluate.bootstrap.cluster_bootstrap`), so they are
    consistent with each other.

    Parameters
    ----------
    gold, predicted : sequence of str
        Corpus class per item (``partner``, ``ex_partner``, ``family``, ``other``).
    cluster : sequence, optional
        Cluster per item (source key); None resamples items.
    n_boot : int, default 1000
        Replicates.
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Scores
        The scores.
    """
    k = len(CLASSES)
    index = {c: i for i, c in enumerate(CLASSES)}
    unknown = sorted({str(x) for x in (*gold, *predicted)} - set(CLASSES))
    if unknown:
        raise PvIdentifyError(f"unknown class(es) {unknown}; expected {list(CLASSES)}")
    gi = np.array([index[g] for g in gold], dtype=np.int64)
    pi = np.array([index[p] for p in predicted], dtype=np.int64)
    if len(gi) != len(pi):
        raise PvIdentifyError(f"{len(gi)} gold classes but {len(pi)} predictions")
    clusters = None if cluster is None else np.asarray(list(cluster), dtype=object)
    obs, reps = cluster_bootstrap(gi * k + pi, n_cols=k * k, cluster=clusters,
                                  n_boot=n_boot, seed=seed)
    point, boot = _from_confusion(obs), _from_confusion(reps)
    matrix = obs.reshape(k, k)

    def est(name: str, j: int | None = None) -> Estimate:
        value = point[name][0] if j is None else point[name][0, j]
        rep = boot[name] if j is None else boot[name][:, j]
        return percentile_interval(float(value), rep, level)

    class_rows = []
    for j, cls in enumerate(CLASSES):
        class_rows.append({"name": cls, "support": int(matrix[j].sum()),
                           "predicted": int(matrix[:, j].sum()),
                           **{m: est(f"class_{m}", j) for m in _METRICS}})
    flag_rows = []
    for name, members in FLAGS.items():
        mask = np.isin(CLASSES, members)
        flag_rows.append({"name": name, "support": int(matrix[mask].sum()),
                          "predicted": int(matrix[:, mask].sum()),
                          **{m: est(f"{name}_{m}") for m in _METRICS}})
    n_clusters = len(gi) if clusters is None else len(pd.unique(clusters))
    confusion = pd.DataFrame(matrix, index=pd.Index(CLASSES, name="gold"),
                             columns=pd.Index(CLASSES, name="predicted"))
    return Scores(n=len(gi), n_clusters=n_clusters,
                  classes=pd.DataFrame(class_rows).set_index("name"),
                  flags=pd.DataFrame(flag_rows).set_index("name"),
                  confusion=confusion, macro_f1=est("macro_f1"))


@dataclass(frozen=True)
class FamilyRelations:
    """Whose relative the victim is: the tagger's family label against the gold tie.

    Parameters
    ----------
    n : int
        Gold family items that the tagger labels ``child``, ``parent`` or
        ``other_family`` (items with another label are errors of the four classes).
    n_clusters : int
        Their distinct sources.
    right : int
        Items whose label reads the gold ``family_relation``
        (:data:`~pv_identify.evaluate.corpus.FAMILY_DIRECTION`: a stepchild is
        ``child``, a sibling, in-law or other relative ``other_family``).
    accuracy : Estimate
        ``right / n`` with a cluster-bootstrap interval.
    confusion : pandas.DataFrame
        Counts; index the gold tie as a label, columns the tagger's label.
    """

    n: int
    n_clusters: int
    right: int
    accuracy: Estimate
    confusion: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {"n": self.n, "n_sources": self.n_clusters, "right": self.right,
                "accuracy": self.accuracy.to_dict(),
                "confusion": _confusion_dict(self.confusion)}

    def format(self, digits: int = 3) -> str:
        """Format as a few readable lines."""
        return "\n".join([
            f"family relation: {self.right} of {self.n} family items with a family label "
            f"read the tie the right way round ({self.n_clusters} sources): "
            f"{self.accuracy.format(digits)}",
            "(rows: gold tie as a label, columns: the tagger's label)",
            self.confusion.to_string()])


def score_family(pred: pd.DataFrame, *, n_boot: int = N_BOOT, seed: int = SEED,
                 level: float = LEVEL) -> FamilyRelations | None:
    """Score whose relative the victim is on the gold family items with a family label.

    Parameters
    ----------
    pred : pandas.DataFrame
        Predictions of :func:`predict` (``gold``, ``family_relation``, ``label``,
        ``cluster``).
    n_boot : int, default 1000
        Bootstrap replicates (over sources).
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    FamilyRelations or None
        None when no gold family item got a family label.
    """
    rows = pred[(pred["gold"] == "family") & pred["label"].isin(FAMILY_LABELS)
                & pred["family_relation"].isin(list(FAMILY_DIRECTION))]
    if rows.empty:
        return None
    want = rows["family_relation"].map(FAMILY_DIRECTION)
    right = (want == rows["label"]).to_numpy()
    obs, reps = cluster_bootstrap(right.astype(np.int64), n_cols=2,
                                  cluster=rows["cluster"].to_numpy(dtype=object),
                                  n_boot=n_boot, seed=seed)
    share = reps[:, 1] / reps.sum(axis=1)  # every replicate resamples at least one item
    confusion = pd.crosstab(pd.Categorical(want, categories=FAMILY_LABELS),
                            pd.Categorical(rows["label"], categories=FAMILY_LABELS),
                            rownames=["gold"], colnames=["label"], dropna=False)
    return FamilyRelations(n=len(rows), n_clusters=int(rows["cluster"].nunique()),
                           right=int(obs[1]),
                           accuracy=percentile_interval(float(obs[1] / obs.sum()), share,
                                                        level),
                           confusion=confusion)


@dataclass(frozen=True)
class CorpusEvaluation:
    """The evaluation of a tagger on a labelled corpus.

    Parameters
    ----------
    all : Scores
        All evaluated items.
    hard : Scores
        The ``hard`` items.
    errors : pandas.DataFrame
        Items whose predicted class is not the gold class (the columns of
        :func:`predict`, and ``other_victim``: the prediction is the gold class of
        another item of the same source).
    settings : dict
        Corpus, splits, mode, field, rules, model, bootstrap settings.
    predictions : pandas.DataFrame
        Every item's prediction (see :func:`predict`).
    named : Scores, optional
        Register mode with qualification labels: the items whose qualification
        names the victim's relationship (the issue-13 register target reads the
        partner-violence precision over all items and the recall over these).
    family : FamilyRelations, optional
        Whose relative the victim is, on the gold family items with a family label
        (:func:`score_family`).
    review : ReviewCurve, optional
        The partner-violence flag after reading the least certain items by hand
        (:func:`pv_identify.evaluate.review.review_curve`; needs a model's score).
    """

    all: Scores
    hard: Scores
    errors: pd.DataFrame
    settings: dict[str, Any] = dc_field(default_factory=dict)
    predictions: pd.DataFrame = dc_field(default_factory=pd.DataFrame)
    named: Scores | None = None
    family: FamilyRelations | None = None
    review: ReviewCurve | None = None

    def headline(self, digits: int = 3) -> dict[str, str]:
        """Return the headline figures: PV flag P/R, macro-F1, ex_partner P/R, hard macro-F1."""
        pv = self.all.flags.loc["partner_violence"]
        ex = self.all.classes.loc["ex_partner"]
        return {"pv_precision": pv["precision"].format(digits),
                "pv_recall": pv["recall"].format(digits),
                "macro_f1": self.all.macro_f1.format(digits),
                "ex_partner_precision": ex["precision"].format(digits),
                "ex_partner_recall": ex["recall"].format(digits),
                "hard_macro_f1": self.hard.macro_f1.format(digits),
                **({"named_pv_recall":
                    self.named.flags.loc["partner_violence", "recall"].format(digits)}
                   if self.named is not None else {})}

    def format(self, errors: int = 25, digits: int = 3) -> str:
        """Readable report: settings, the table, the hard subset, the first ``errors`` errors."""
        s = self.settings
        level = round(100 * float(s.get("level", LEVEL)))
        lines = [
            f"corpus {s.get('corpus', '?')}  split {','.join(s.get('splits') or ['all'])}  "
            f"mode {s.get('mode')}  field {s.get('field')}",
            f"rules {s.get('rules', '?')}  model {s.get('model') or 'none'}",
            f"{self.all.n} items from {self.all.n_clusters} sources; {level}% cluster-bootstrap "
            f"intervals ({s.get('n_boot', N_BOOT)} replicates over sources, seed "
            f"{s.get('seed', SEED)})", "", self.all.format(digits), "",
            f"hard items: {self.hard.n} from {self.hard.n_clusters} sources", "",
            self.hard.format(digits), ""]
        if self.named is not None:
            pv = self.all.flags.loc["partner_violence"]
            named = self.named.flags.loc["partner_violence"]
            lines += [f"items whose qualification names the relationship: {self.named.n} from "
                      f"{self.named.n_clusters} sources", "", self.named.format(digits), "",
                      f"register target: partner-violence precision over all {self.all.n} "
                      f"items {pv['precision'].format(digits)}; recall over the "
                      f"{int(named['support'])} partner-violence items whose qualification "
                      f"names the relationship {named['recall'].format(digits)}", ""]
        if self.family is not None:
            lines += [self.family.format(digits), ""]
        if self.review is not None:
            lines += ["partner-violence flag after reading the least certain items by hand "
                      "(flag and pv_score disagree first, then pv_score nearest 0.5; "
                      "left: the items not read)", "", self.review.format(digits), ""]
        n_err = len(self.errors)
        shown = self.errors if errors < 0 else self.errors.head(max(errors, 0))
        lines.append(f"errors: {n_err} of {self.all.n} items"
                     + (f" ({len(shown)} shown; --errors N for more)" if len(shown) < n_err
                        else ""))
        if n_err:
            lines.append(f"  of which {int(self.errors['other_victim'].sum())} predict the label "
                         "of another item of the same source (several victims on one page; "
                         "marked * in the table)")
        if len(shown):
            lines.append(_error_table(shown))
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary of everything (scores, hard subset, all errors)."""
        errors = [{"id": r.id, "gold": r.gold, "predicted": r.predicted, "label": r.label,
                   "hard": bool(r.hard), "rule_ids": r.rule_ids, "evidence": r.evidence,
                   "other_victim": bool(r.other_victim),
                   "text": _preview(r.text)}
                  for r in self.errors.itertuples(index=False)]
        return {"settings": _json_safe(self.settings), "headline": self.headline(),
                "all": self.all.to_dict(), "hard": self.hard.to_dict(),
                **({"named": self.named.to_dict()} if self.named is not None else {}),
                **({"family": self.family.to_dict()} if self.family is not None else {}),
                **({"review": self.review.to_dict()} if self.review is not None else {}),
                "errors": errors}


def _error_table(errors: pd.DataFrame) -> str:
    """Left-aligned table of errors (text last, cut to :data:`TEXT_PREVIEW` characters)."""
    head = ("id", "gold", "predicted", "label", "hard", "evidence", "text")
    rows = [(str(r.id) + ("*" if r.other_victim else ""), r.gold, r.predicted, r.label,
             "hard" if r.hard else "", _preview(r.evidence, 60) or "-", _preview(r.text))
            for r in errors.itertuples(index=False)]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head[:-1])]
    return "\n".join("  ".join(f"{cell:<{w}}" for cell, w in zip(row[:-1], widths, strict=True))
                     + "  " + row[-1] for row in [head, *rows])


def _preview(text: str, size: int = TEXT_PREVIEW) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[:size]


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def evaluate_corpus(
    items: Sequence[Mapping[str, Any]],
    *,
    mode: str = "text",
    field: str = "context",
    rules: Any = "default",
    model: Any = None,
    tagger: Any = None,
    n_boot: int = N_BOOT,
    seed: int = SEED,
    level: float = LEVEL,
    settings: Mapping[str, Any] | None = None,
    qualifications: Mapping[str, bool] | None = None,
    review: Sequence[float] | None = None,
) -> CorpusEvaluation:
    """Tag corpus items and score them, all items and the hard subset.

    Parameters
    ----------
    items : sequence of mapping
        Corpus items (e.g. from :func:`pv_identify.evaluate.corpus.load_corpus`);
        register mode and the ``kwalificatie`` field keep those with a qualification.
    mode : {"text", "register"}
        Evaluation mode.
    field : {"context", "kwalificatie", "both"}
        Text field (text mode).
    rules : str, pathlib.Path or RuleSet, default "default"
        Rules.
    model : optional
        Register model (register mode) or text model (text mode; needs issue 14).
    tagger : pv_identify.Tagger, optional
        A configured tagger (``rules`` and ``model`` are then not used).
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Random seed.
    level : float, default 0.95
        Confidence level.
    settings : mapping, optional
        Extra settings to record (corpus path, splits).
    qualifications : mapping, optional
        Register mode: qualification -> names the relationship (see
        :func:`pv_identify.evaluate.corpus.load_qualification_labels`); adds the scores
        of the items whose qualification names it (:attr:`CorpusEvaluation.named`).
    review : sequence of float, optional
        Shares of the items to read by hand, least certain first
        (:attr:`CorpusEvaluation.review`); needs a model (its ``pv_score``).

    Returns
    -------
    CorpusEvaluation
        Scores, hard-subset scores and errors.

    Raises
    ------
    PvIdentifyError
        When no item is left to evaluate, a qualification is not in
        ``qualifications``, or ``review`` is given without a model's score.
    """
    chosen = select_items(items, mode=mode, field=field)
    named_mask = _named_mask(chosen, qualifications) if mode == "register" else None
    if not chosen:
        raise PvIdentifyError(
            f"no corpus item to evaluate in {mode} mode"
            + (" (none has a kwalificatie)" if mode == "register" or field == "kwalificatie"
               else ""))
    pred = predict(chosen, mode=mode, field=field, rules=rules, model=model, tagger=tagger)
    scores = score(pred["gold"], pred["predicted"], pred["cluster"],
                   n_boot=n_boot, seed=seed, level=level)
    hard = pred[pred["hard"]]
    hard_scores = score(hard["gold"], hard["predicted"], hard["cluster"],
                        n_boot=n_boot, seed=seed, level=level)
    named_scores = None
    if named_mask is not None:
        named = pred[named_mask]
        named_scores = score(named["gold"], named["predicted"], named["cluster"],
                             n_boot=n_boot, seed=seed, level=level)
    curve = None
    if review is not None:
        if pred["score"].isna().any():
            raise PvIdentifyError("reading by hand is ordered by the model's pv_score: give "
                                  "a model (--model default)")
        curve = review_curve(pred["gold"], pred["predicted"], pred["score"], pred["cluster"],
                             shares=review, n_boot=n_boot, seed=seed, level=level)
    errors = pred[pred["gold"] != pred["predicted"]].reset_index(drop=True)
    errors["other_victim"] = _names_another_victim(pred, errors)
    info: dict[str, Any] = {"mode": mode,
                            "field": "kwalificatie+articles" if mode == "register" else field,
                            "rules": _rules_name(rules if tagger is None else tagger.rules),
                            "model": None if model is None else str(model),
                            "n_boot": n_boot, "seed": seed, "level": level,
                            "n_items_given": len(items), "n_items_evaluated": len(chosen)}
    info.update(settings or {})
    return CorpusEvaluation(all=scores, hard=hard_scores, errors=errors, settings=info,
                            predictions=pred, named=named_scores,
                            family=score_family(pred, n_boot=n_boot, seed=seed, level=level),
                            review=curve)


def _names_another_victim(pred: pd.DataFrame, errors: pd.DataFrame) -> list[bool]:
    """Tell for each error whether its prediction is the gold label of another item of its source.

    A page with several victims gives one item per victim ("zijn vrouw en drie kinderen":
    a partner item and a family item with nearly the same passage); a tagger that gives
    one label per text can be right on one of them only. Such an error names another
    victim of the same page, not a wrong relationship.
    """
    golds = pred.groupby("cluster", sort=False)["gold"].agg(frozenset)
    # an error's own gold differs from its prediction, so a match is another item's
    return [p in golds[c] for p, c in zip(errors["predicted"], errors["cluster"], strict=True)]


def _named_mask(items: Sequence[Mapping[str, Any]],
                qualifications: Mapping[str, bool] | None) -> np.ndarray | None:
    """Which items' qualification names the relationship (None without labels)."""
    if qualifications is None:
        return None
    keys = [str(item.get("kwalificatie") or "").strip() for item in items]
    missing = [str(item.get("id", n)) for n, (item, key) in enumerate(zip(items, keys,
                                                                           strict=True))
               if key not in qualifications]
    if missing:
        raise PvIdentifyError(
            f"{len(missing)} item(s) have a qualification that the qualification file does "
            f"not label (ids {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}); "
            "add a line per qualification (see docs/corpus.md)")
    return np.array([bool(qualifications[key]) for key in keys], dtype=bool)


def _rules_name(rules: Any) -> str:
    name = getattr(rules, "name", None)
    if name is not None:
        return f"{name} {getattr(rules, 'version', '')} (hash {getattr(rules, 'hash', '?')})"
    return str(Path(rules)) if isinstance(rules, Path) else str(rules)
