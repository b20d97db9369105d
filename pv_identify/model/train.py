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
from pv_identify.io.mapping import ColumnMapping
from pv_identify.model.estimator import RelationshipClassifier, TrainingDataError
from pv_identify.model.metrics import bootstrap_table, targets_rulings, targets_synthetic
from pv_identify.schema import LABELS, OUT_LABEL, TRUTH_COLUMN

#: Column of an annotation sheet that holds the analyst's label.
SHEET_LABEL_COLUMN = "gold_label"
#: Column of an annotation sheet with the row position in the extract.
SHEET_ROW_COLUMN = "pv_row"
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
                      label_column: str = SHEET_LABEL_COLUMN) -> pd.Series:
    """Labels of a filled-in annotation sheet, aligned with the rows of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract the sheet was drawn from.
    sheet : pandas.DataFrame
        The sheet (columns ``pv_row`` and ``gold_label``).
    label_column : str, default "gold_label"
        The label column.

    Returns
    -------
    pandas.Series of str
        Label per row of ``df``; ``""`` for rows not labelled.

    Raises
    ------
    TrainingDataError
        If the sheet lacks the columns, has unknown labels or rows outside ``df``.
    """
    for col in (SHEET_ROW_COLUMN, label_column):
        if col not in sheet.columns:
            raise TrainingDataError(f"the annotation sheet has no column {col!r}")
    filled = sheet[sheet[label_column].fillna("").astype(str).str.strip() != ""]
    rows = pd.to_numeric(filled[SHEET_ROW_COLUMN], errors="coerce")
    if rows.isna().any() or (rows < 0).any() or (rows >= len(df)).any():
        raise TrainingDataError(f"the sheet's {SHEET_ROW_COLUMN!r} values must be row "
                                f"numbers of the extract (0..{len(df) - 1})")
    labels = filled[label_column].astype(str).str.strip().str.lower()
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise TrainingDataError(f"unknown label(s) in the sheet: {unknown[:5]}; "
                                f"use one of {list(LABELS)}")
    out = np.full(len(df), "", dtype=object)
    out[rows.astype(int).to_numpy()] = labels.to_numpy()
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
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: annotation sheet not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, sheet_name="annotate", dtype=str)
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    raise TrainingDataError(f"{path}: an annotation sheet must be .csv or .xlsx")


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
        train_idx, test_idx = grouped_split(df[person_col], test_size, seed)
    else:
        train_idx, test_idx = np.arange(len(df)), np.zeros(0, dtype=int)
    model = RelationshipClassifier(**est_params)
    model.fit(df.iloc[train_idx], labels.iloc[train_idx].to_numpy())
    tables: dict[str, pd.DataFrame] = {}
    test_labels = labels.iloc[test_idx].to_numpy()
    test_keep = test_labels != ""
    if len(test_idx) and test_keep.any():
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
