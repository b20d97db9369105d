"""Helpers shared by the evaluation modules: targets, gold labels, years, rule ids.

Everything works on distinct values: a ``pv_rule_ids`` column has a few dozen
distinct values in a million rows, so per-combination work is cheap and mapped back
to rows with integer codes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.io.mapping import ColumnMapping, describe_columns
from pv_identify.normalize.dates import parse_dates
from pv_identify.rules.loader import load_rules
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import (
    DOMESTIC_LABELS,
    ID_SEPARATOR,
    LABELS,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUTPUT_COLUMNS,
    PARTNER_LABELS,
    TRUTH_COLUMN,
)
from pv_identify.tagger import tag

Target = Literal["partner", "domestic"]
#: The flags an evaluation can be about.
TARGETS: tuple[str, ...] = ("partner", "domestic")
#: Gold labels accepted (the tagger's labels; the synthetic truth uses all but
#: ``domestic_unspecified``).
GOLD_LABELS: frozenset[str] = frozenset(LABELS)

RulesSpec = str | Path | RuleSet


def check_target(target: str) -> Target:
    """Return ``target`` if it is ``"partner"`` or ``"domestic"``, else raise."""
    if target not in TARGETS:
        raise PvIdentifyError(f"unknown target {target!r}; expected one of: {', '.join(TARGETS)}")
    return target  # type: ignore[return-value]


def target_labels(target: str) -> frozenset[str]:
    """Labels that set the ``target`` flag."""
    return PARTNER_LABELS if check_target(target) == "partner" else DOMESTIC_LABELS


def predicted_flag(tagged: pd.DataFrame, target: str) -> np.ndarray:
    """Return the tagger's flag for ``target`` as a bool array."""
    col = OUT_PARTNER if check_target(target) == "partner" else OUT_DOMESTIC
    return tagged[col].to_numpy(dtype=bool)


def gold_flag(gold: pd.Series, target: str) -> np.ndarray:
    """Return the gold flag for ``target`` as a bool array."""
    return gold.isin(target_labels(target)).to_numpy(dtype=bool)


def resolve_gold(df: pd.DataFrame, gold: str | pd.Series | Literal[False] | None = None
                 ) -> pd.Series | None:
    """Find the gold-label column and check its values.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract (tagged or not).
    gold : str, pandas.Series, None or False
        A column name, a row-aligned Series, None to use ``true_relationship`` when
        present, or False for no gold labels.

    Returns
    -------
    pandas.Series or None
        Gold labels as a categorical over the relationship labels (missing values
        stay missing), aligned with ``df``.

    Raises
    ------
    ColumnMappingError
        If the named column does not exist.
    PvIdentifyError
        If the column holds values that are not relationship labels.
    """
    if gold is False:
        return None
    if gold is None:
        if TRUTH_COLUMN not in df.columns:
            return None
        gold = TRUTH_COLUMN
    if isinstance(gold, str):
        if gold not in df.columns:
            raise ColumnMappingError(f"gold-label column {gold!r} not found; columns: "
                                     f"{describe_columns([str(c) for c in df.columns])}")
        series = df[gold]
    else:
        series = gold
        if len(series) != len(df):
            raise PvIdentifyError(f"gold labels have {len(series)} rows, the data {len(df)}")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    names = [str(u).strip().lower() for u in uniques]
    bad = set(names) - GOLD_LABELS
    if bad:
        raise PvIdentifyError(
            f"gold-label column has {len(bad)} value(s) that are not relationship labels; "
            f"expected: {', '.join(LABELS)}")
    label_codes = np.array([LABELS.index(n) for n in names] + [-1], dtype=np.int64)
    gold_codes = label_codes[np.asarray(codes, dtype=np.int64)]  # -1 (missing) -> -1
    return pd.Series(pd.Categorical.from_codes(gold_codes, categories=list(LABELS)),
                     index=df.index, name="gold")


def cluster_codes(df: pd.DataFrame, field: str | None,
                  columns: Mapping[str, str | Sequence[str]] | None = None
                  ) -> np.ndarray | None:
    """Integer codes of the cluster field (``case_id``, ``person_id``) or None if absent."""
    col = key_column(df, field, columns) if field else None
    if col is None:
        return None
    return np.asarray(pd.factorize(df[col], use_na_sentinel=True)[0], dtype=np.int64)


def ensure_tagged(
    df: pd.DataFrame,
    rules: RulesSpec | None = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    retag: bool = False,
) -> pd.DataFrame:
    """Return ``df`` tagged with ``rules`` (or as is when it already is tagged).

    Parameters
    ----------
    df : pandas.DataFrame
        Extract, tagged or not. Never modified.
    rules : str, pathlib.Path or RuleSet, optional
        Rule set to tag with.
    columns : mapping, optional
        Column mapping.
    retag : bool, default False
        Tag again even when ``df`` already has the output columns.

    Returns
    -------
    pandas.DataFrame
        A tagged frame.
    """
    has_output = all(c in df.columns for c in OUTPUT_COLUMNS)
    if has_output and not retag:
        return df
    return tag(df, rules if rules is not None else "default", columns=columns,
               overwrite=has_output)


def load_ruleset(rules: RulesSpec, **kwargs: object) -> RuleSet:
    """Load a rule set (a thin wrapper of :func:`pv_identify.load_rules`)."""
    try:
        return load_rules(rules, **kwargs)  # type: ignore[arg-type]
    except KeyError as exc:
        raise PvIdentifyError(str(exc.args[0])) from None


def year_series(df: pd.DataFrame, columns: Mapping[str, str | Sequence[str]] | None = None,
                date_field: str = "registration_date") -> pd.Series | None:
    """Registration year per row (``Int64``), or None when there is no date column.

    Falls back to the offence date when no registration date exists.
    """
    mapping = ColumnMapping.resolve(df.columns, columns, require_text=False)
    for fld in (date_field, "offence_date"):
        col = mapping.get(fld)
        if col:
            return parse_dates(df[col]).dt.year.astype("Int64")
    return None


def key_column(df: pd.DataFrame, name: str,
               columns: Mapping[str, str | Sequence[str]] | None = None) -> str | None:
    """Column of canonical field ``name`` (``case_id``, ``person_id``, ...) or None."""
    return ColumnMapping.resolve(df.columns, columns, require_text=False).get(name)


def rule_id_codes(rule_ids: pd.Series) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Factorise a ``pv_rule_ids`` column into codes and the split distinct values.

    Parameters
    ----------
    rule_ids : pandas.Series
        ``|``-separated rule ids per row.

    Returns
    -------
    codes : numpy.ndarray of int64
        Row -> index into ``combos``.
    combos : list of tuple of str
        The rule ids of each distinct value.
    """
    codes, uniques = pd.factorize(rule_ids.fillna("").astype(str), use_na_sentinel=False)
    combos = [tuple(i for i in str(u).split(ID_SEPARATOR) if i) for u in uniques]
    return np.asarray(codes, dtype=np.int64), combos


def rule_incidence(tagged: pd.DataFrame, rule_ids: Sequence[str]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Which rules fired on which distinct rule-id combination.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged frame.
    rule_ids : sequence of str
        Rule ids (columns of the incidence matrix).

    Returns
    -------
    codes : numpy.ndarray of int64
        Row -> combination.
    incidence : numpy.ndarray of bool, shape (n_combinations, n_rules)
        Whether each rule fired in each combination (ids not in ``rule_ids``, e.g. of
        another rule set, are ignored).
    """
    codes, combos = rule_id_codes(tagged[OUT_RULE_IDS])
    position = {rid: j for j, rid in enumerate(rule_ids)}
    incidence = np.zeros((len(combos), len(rule_ids)), dtype=bool)
    for i, combo in enumerate(combos):
        for rid in combo:
            j = position.get(rid)
            if j is not None:
                incidence[i, j] = True
    return codes, incidence


def file_sha256(path: str | Path, block: int = 1 << 20) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def labels_of(tagged: pd.DataFrame) -> pd.Series:
    """Predicted labels as a categorical Series over :data:`~pv_identify.schema.LABELS`."""
    col = tagged[OUT_LABEL]
    if isinstance(col.dtype, pd.CategoricalDtype) and list(col.cat.categories) == list(LABELS):
        return col
    return col.astype(pd.CategoricalDtype(list(LABELS)))
