"""Train and evaluate a relationship model: grouped split by person, fixed seed.

:func:`train_model` splits the labelled extract by person (no person in both train
and test; ``GroupShuffleSplit`` with a fixed seed), fits a
:class:`RelationshipClassifier` on the training persons, and evaluates on the test
persons: rules only (each preset in ``compare_rules``) and rules + model, per label
and per flag, with cluster-bootstrap intervals by person. :func:`evaluate_rulings`
does the same in register mode on the dev rulings (measured, never fitted).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit

from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.estimate.errors import SheetError
from pv_identify.estimate.sheet import (
    LEGACY_LABEL_COLUMNS,
    SHEET_LABEL_COLUMN,
    SHEET_PI_COLUMN,
    SHEET_STRATUM_COLUMN,
    sheet_labels,
    sheet_rows,
)
from pv_identify.estimate.sheet import read_sheet as _read_sheet
from pv_identify.io.mapping import ColumnMapping
from pv_identify.model.estimator import RelationshipClassifier, TrainingDataError
from pv_identify.model.metrics import bootstrap_table, targets_rulings, targets_synthetic
from pv_identify.schema import OUT_LABEL, TRUTH_COLUMN

#: Register-mode columns of the dev rulings.
RULINGS_COLUMNS: Mapping[str, str] = {"qualification": "kwalificatie", "article": "articles"}


@dataclass
class TrainResult:
    """A trained model and how it did on held-out persons.

    Parameters
    ----------
    model : RelationshipClassifier
        Fitted on the training persons.
    tables : dict of str to pandas.DataFrame
        System name (``rules wodc2022``, ``rules default``, ``rules default + model``)
        -> :func:`pv_identify.model.metrics.bootstrap_table` on the test persons.
    info : dict
        Split sizes, seed, data hash.
    """

    model: RelationshipClassifier
    tables: dict[str, pd.DataFrame]
    info: dict[str, Any] = field(default_factory=dict)


def data_hash(df: pd.DataFrame, labels: Sequence[object] | pd.Series | None = None) -> str:
    """Content hash of a frame (and labels): SHA-256 of pandas' row hashes.

    Parameters
    ----------
    df : pandas.DataFrame
        Data.
    labels : array-like, optional
        Labels hashed along.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    digest.update(",".join(map(str, df.columns)).encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    if labels is not None:
        lab = pd.Series(np.asarray(labels, dtype=object)).astype(str)
        digest.update(pd.util.hash_pandas_object(lab, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def grouped_split(groups: pd.Series | np.ndarray, test_size: float = 0.2,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split row positions so that no group (person) is on both sides.

    Parameters
    ----------
    groups : array-like
        Person id per row (missing ids: each row its own person).
    test_size : float, default 0.2
        Share of persons in the test part.
    seed : int, default 0
        Seed.

    Returns
    -------
    train, test : numpy.ndarray of int
        Row positions.
    """
    codes = np.asarray(pd.factorize(pd.Series(np.asarray(groups, dtype=object)))[0])
    missing = codes < 0
    if missing.any():
        codes[missing] = codes.max(initial=-1) + 1 + np.arange(int(missing.sum()))
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train, test = next(splitter.split(np.zeros(len(codes)), groups=codes))
    return np.sort(train), np.sort(test)


def labels_from_sheet(df: pd.DataFrame, sheet: pd.DataFrame,
                      label_column: str | None = None) -> pd.Series:
    """Labels of a filled-in annotation sheet, aligned with the rows of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract the sheet was drawn from.
    sheet : pandas.DataFrame
        The sheet (columns ``pv_row`` and ``gold_relationship``; the earlier
        ``gold_label`` is read too).
    label_column : str, optional
        The label column (default: found in the sheet).

    Returns
    -------
    pandas.Series of str
        Label per row of ``df``; ``""`` for rows not labelled.

    Raises
    ------
    TrainingDataError
        If the sheet lacks the columns, has unknown labels or rows outside ``df``
        (named by sheet row, never by content).
    """
    try:
        rows = sheet_rows(sheet, len(df))
        if label_column is not None and label_column not in sheet.columns:
            raise SheetError(f"the annotation sheet has no column {label_column!r}")
        use = sheet if label_column is None else sheet.drop(
            columns=[c for c in (SHEET_LABEL_COLUMN, *LEGACY_LABEL_COLUMNS)
                     if c in sheet.columns and c != label_column]).rename(
            columns={label_column: SHEET_LABEL_COLUMN})
        labels = sheet_labels(use, require_all=False)
    except SheetError as exc:
        raise TrainingDataError(str(exc)) from None
    out = np.full(len(df), "", dtype=object)
    keep = labels != ""
    out[rows[keep]] = labels[keep]
    return pd.Series(out, index=df.index)


def weights_from_sheet(df: pd.DataFrame, sheet: pd.DataFrame) -> pd.Series:
    """Training weight per row of ``df``: the inverse inclusion probability of the sheet.

    A labelled row of a probability sample stands for ``1 / pi`` offences of the
    extract; when only ``m_h`` of the ``n_h`` drawn rows of its stratum are labelled,
    for ``(n_h / m_h) / pi``. Rows without an inclusion probability (``active`` sheets)
    weigh 1. The weights are scaled to mean 1 over the labelled rows, so that the
    model's regularisation acts as on an unweighted sample of the same size.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract the sheet was drawn from.
    sheet : pandas.DataFrame
        The filled-in sheet.

    Returns
    -------
    pandas.Series of float
        Weight per row of ``df`` (0 for rows not labelled).

    Raises
    ------
    TrainingDataError
        If the sheet is malformed or an inclusion probability is not in (0, 1].
    """
    try:
        rows = sheet_rows(sheet, len(df))
        labels = sheet_labels(sheet, require_all=False)
    except SheetError as exc:
        raise TrainingDataError(str(exc)) from None
    keep = labels != ""
    pi = (pd.to_numeric(sheet[SHEET_PI_COLUMN], errors="coerce").to_numpy(dtype=float)
          if SHEET_PI_COLUMN in sheet.columns else np.full(len(sheet), np.nan))
    bad = np.flatnonzero(np.isfinite(pi) & ((pi <= 0) | (pi > 1)))
    if len(bad):
        raise TrainingDataError(f"{SHEET_PI_COLUMN} must be in (0, 1]; sheet rows "
                                f"{', '.join(str(i + 2) for i in bad[:12])}")
    weight = np.where(np.isfinite(pi), 1.0 / np.where(np.isfinite(pi), pi, 1.0), 1.0)
    if SHEET_STRATUM_COLUMN in sheet.columns:  # unfilled rows: the stratum's others count more
        stratum = sheet[SHEET_STRATUM_COLUMN].astype(str)
        drawn = stratum.map(stratum.value_counts()).to_numpy(dtype=float)
        labelled = stratum.map(stratum[keep].value_counts()).fillna(0).to_numpy(dtype=float)
        weight = weight * np.where(labelled > 0, drawn / np.maximum(labelled, 1), 1.0)
    weight = np.where(keep, weight, 0.0)
    if keep.any():
        weight = weight / weight[keep].mean()
    out = np.zeros(len(df))
    out[rows] = weight
    return pd.Series(out, index=df.index)


def read_sheet(path: str | Path) -> pd.DataFrame:
    """Read an annotation sheet (``.csv`` or ``.xlsx``) as strings.

    Parameters
    ----------
    path : str or pathlib.Path
        The sheet.

    Returns
    -------
    pandas.DataFrame
        Its rows.

    Raises
    ------
    TrainingDataError
        If the file is missing or not CSV/Excel.
    """
    try:
        return _read_sheet(path)
    except SheetError as exc:
        raise TrainingDataError(str(exc)) from None


def _tag_labels(df: pd.DataFrame, rules: str, columns: Mapping[str, Any] | None,
                model: RelationshipClassifier | None, threshold: float) -> np.ndarray:
    from pv_identify.tagger import tag

    tagged = tag(df, rules, columns=columns, model=model, threshold=threshold, overwrite=True)
    return tagged[OUT_LABEL].astype(str).to_numpy()


def evaluate_systems(
    df: pd.DataFrame,
    gold: np.ndarray,
    model: RelationshipClassifier | None,
    *,
    columns: Mapping[str, Any] | None = None,
    groups: np.ndarray | pd.Series | None = None,
    compare_rules: Sequence[str] = ("wodc2022", "default"),
    model_rules: str = "default",
    threshold: float = 0.5,
    n_boot: int = 1000,
    seed: int = 0,
    rulings: bool = False,
) -> dict[str, pd.DataFrame]:
    """Bootstrap tables for rules only (each preset) and rules + model.

    Parameters
    ----------
    df : pandas.DataFrame
        Evaluation extract.
    gold : numpy.ndarray of str
        Gold label per row.
    model : RelationshipClassifier or None
        The model (None: rules only).
    columns : mapping, optional
        Column mapping.
    groups : array-like, optional
        Person id per row for the cluster bootstrap.
    compare_rules : sequence of str
        Rule presets evaluated alone.
    model_rules : str, default "default"
        Rule preset combined with the model.
    threshold : float, default 0.5
        Model threshold.
    n_boot : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Bootstrap seed.
    rulings : bool, default False
        Gold uses the dev-rulings vocabulary (partner/ex_partner/family/other).

    Returns
    -------
    dict of str to pandas.DataFrame
        System name -> table.
    """
    targets = targets_rulings if rulings else targets_synthetic
    systems: dict[str, np.ndarray] = {}
    for preset in compare_rules:
        systems[f"rules {preset}"] = _tag_labels(df, preset, columns, None, threshold)
    if model is not None:
        systems[f"rules {model_rules} + model"] = _tag_labels(df, model_rules, columns, model,
                                                              threshold)
    return {name: bootstrap_table(targets(gold, pred), groups, n_boot=n_boot, seed=seed)
            for name, pred in systems.items()}


def evaluate_rulings(path: str | Path, model: RelationshipClassifier | None, *,
                     threshold: float = 0.5, n_boot: int = 1000,
                     seed: int = 0) -> dict[str, pd.DataFrame]:
    """Evaluate in register mode (qualification + articles) on the dev rulings.

    Parameters
    ----------
    path : str or pathlib.Path
        ``rulings_dev.jsonl``.
    model : RelationshipClassifier or None
        The model.
    threshold : float, default 0.5
        Model threshold.
    n_boot : int, default 1000
        Bootstrap replicates (each ruling its own cluster).
    seed : int, default 0
        Bootstrap seed.

    Returns
    -------
    dict of str to pandas.DataFrame
        System name -> table.
    """
    rulings = pd.read_json(path, lines=True, dtype=False)
    frame = rulings[["kwalificatie", "articles"]].astype(str)
    gold = rulings["relationship"].astype(str).to_numpy()
    return evaluate_systems(frame, gold, model, columns=RULINGS_COLUMNS, threshold=threshold,
                            n_boot=n_boot, seed=seed, rulings=True)


def train_model(
    df: pd.DataFrame,
    labels: Sequence[object] | pd.Series | np.ndarray,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    params: Mapping[str, Any] | None = None,
    test_size: float = 0.2,
    seed: int = 0,
    compare_rules: Sequence[str] = ("wodc2022", "default"),
    threshold: float = 0.5,
    n_boot: int = 1000,
    sample_weight: Sequence[float] | pd.Series | np.ndarray | None = None,
) -> TrainResult:
    """Train on the training persons and evaluate on the held-out persons.

    Parameters
    ----------
    df : pandas.DataFrame
        Labelled extract (never pass the label column as a feature: it is dropped).
    labels : array-like of str
        Label per row; empty for rows that serve as context only.
    columns : mapping, optional
        Column mapping.
    params : mapping, optional
        :class:`RelationshipClassifier` parameters.
    test_size : float, default 0.2
        Share of persons held out (0 trains on all and skips the evaluation).
    seed : int, default 0
        Seed of the split (and of the calibration folds unless given in ``params``).
    compare_rules : sequence of str
        Rule presets evaluated alone for comparison.
    threshold : float, default 0.5
        Model threshold in the evaluation.
    n_boot : int, default 1000
        Bootstrap replicates.
    sample_weight : array-like of float, optional
        Training weight per row (e.g. :func:`weights_from_sheet`: the inverse inclusion
        probability of an annotation sample); default 1. The held-out evaluation is
        unweighted.

    Returns
    -------
    TrainResult
        The model, the evaluation tables and split information.

    Raises
    ------
    ColumnMappingError
        If there is no person id column (needed for the grouped split).
    TrainingDataError
        If the labels are unusable.
    """
    labels = pd.Series(np.asarray(labels, dtype=object), index=df.index).fillna("").astype(str)
    df = df.drop(columns=[c for c in (TRUTH_COLUMN,) if c in df.columns])
    mapping = ColumnMapping.resolve(df.columns, columns)
    person_col = mapping.get("person_id")
    if person_col is None and test_size > 0:
        raise ColumnMappingError("a grouped split needs the person id (jds_nummer); map it "
                                 "with --map person_id=COLUMN or pass test_size=0")
    if not 0 <= test_size < 1:
        raise PvIdentifyError(f"test_size must be in [0, 1), got {test_size}")
    est_params = {"random_state": seed, **dict(params or {}), "columns": columns}
    if test_size > 0:
        n_groups = int(pd.Series(df[person_col]).nunique())
        if n_groups < 2 or round(n_groups * test_size) < 1 or len(df) < 2:
            raise PvIdentifyError(
                f"{len(df)} row(s) of {n_groups} person(s): too few to hold out "
                f"{test_size:.0%} of the persons for testing; annotate more rows, or pass "
                "test_size=0 (CLI: --test-size 0) to train on all of them")
        train_idx, test_idx = grouped_split(df[person_col], test_size, seed)
    else:
        train_idx, test_idx = np.arange(len(df)), np.zeros(0, dtype=int)
    model = RelationshipClassifier(**est_params)
    weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if weight is not None and len(weight) != len(df):
        raise PvIdentifyError(f"got {len(weight)} weights for {len(df)} rows")
    model.fit(df.iloc[train_idx], labels.iloc[train_idx].to_numpy(),
              sample_weight=None if weight is None else weight[train_idx])
    tables: dict[str, pd.DataFrame] = {}
    test_labels = labels.iloc[test_idx].to_numpy()
    test_keep = test_labels != ""
    if len(test_idx) and test_keep.any():
        assert person_col is not None  # test rows need test_size > 0, which needs it (above)
        test = df.iloc[test_idx]
        gold = test_labels
        # context from all test rows, metrics on the labelled ones
        tables = evaluate_systems(test, gold, model, columns=columns,
                                  groups=test[person_col].to_numpy(),
                                  compare_rules=compare_rules, threshold=threshold,
                                  n_boot=n_boot, seed=seed) if test_keep.all() else \
            _evaluate_partial(test, gold, test_keep, model, columns, person_col,
                              compare_rules, threshold, n_boot, seed)
    info = {
        "seed": seed,
        "test_size": test_size,
        "rows": len(df),
        "labelled_rows": int((labels != "").sum()),
        "train_rows": len(train_idx),
        "test_rows": len(test_idx),
        "train_persons": int(df[person_col].iloc[train_idx].nunique()) if person_col else None,
        "test_persons": int(df[person_col].iloc[test_idx].nunique()) if person_col else None,
        "train_combinations": model.n_train_combinations_,
        "data_sha256": data_hash(df, labels),
        "label_counts": {k: int(v) for k, v in labels[labels != ""].value_counts().items()},
        "weighted": weight is not None,
    }
    return TrainResult(model, tables, info)


def _evaluate_partial(test: pd.DataFrame, gold: np.ndarray, keep: np.ndarray,
                      model: RelationshipClassifier, columns: Mapping[str, Any] | None,
                      person_col: str, compare_rules: Sequence[str], threshold: float,
                      n_boot: int, seed: int) -> dict[str, pd.DataFrame]:
    systems: dict[str, np.ndarray] = {}
    for preset in compare_rules:
        systems[f"rules {preset}"] = _tag_labels(test, preset, columns, None, threshold)[keep]
    systems["rules default + model"] = _tag_labels(test, "default", columns, model,
                                                   threshold)[keep]
    groups = test[person_col].to_numpy()[keep]
    return {name: bootstrap_table(targets_synthetic(gold[keep], pred), groups, n_boot=n_boot,
                                  seed=seed) for name, pred in systems.items()}


def tables_to_json(tables: Mapping[str, pd.DataFrame], digits: int = 6) -> dict[str, Any]:
    """Return evaluation tables as plain nested dicts (for the manifest).

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        System name -> bootstrap table.
    digits : int, default 6
        Rounding.

    Returns
    -------
    dict
        ``{system: {target: {metric: value}}}`` (NaN as None).
    """
    out: dict[str, Any] = {}
    for system, table in tables.items():
        out[system] = {
            str(target): {k: (None if not np.isfinite(v) else round(float(v), digits))
                          for k, v in row.items()}
            for target, row in table.iterrows()}
    return out
