"""Tag an extract: read fields → normalise and match rules → (model) → combine → output.

:func:`tag` is the main entry point of the library. With ``model=...`` the learned
relationship classifier scores every offence and the decision policy of
:mod:`pv_identify.combine` merges it with the rules: rule evidence decides where it
exists, the model labels the rest above ``threshold``, and ``pv_score`` holds the
model's partner-violence score for every row. It never mutates the caller's
frame: it returns a new frame with all original columns, the same rows in the same
order with the same index, plus the columns of :data:`pv_identify.schema.OUTPUT_COLUMNS`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify._version import __version__
from pv_identify.combine import CombinedColumns, RuleColumns, combine_fields, combine_with_model
from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.rules.apply import (
    FieldMatches,
    join_mc_columns,
    match_articles,
    match_mcs,
    match_qualifications,
)
from pv_identify.rules.compiler import CompiledRules, compile_rules
from pv_identify.rules.loader import load_rules
from pv_identify.rules.model import RuleSet
from pv_identify.schema import (
    ATTRS_KEY,
    LABELS,
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
    SOURCE_MODEL,
    SOURCE_NONE,
    SOURCE_RULE,
)

log = logging.getLogger(__name__)

RulesSpec = str | Path | RuleSet

LABEL_DTYPE = pd.CategoricalDtype(list(LABELS))
SOURCE_DTYPE = pd.CategoricalDtype([SOURCE_RULE, SOURCE_MODEL, SOURCE_NONE])
_RULE_CODE, _NONE_CODE = SOURCE_DTYPE.categories.get_indexer([SOURCE_RULE, SOURCE_NONE])


def resolve_rules(
    rules: RulesSpec = "default",
    *,
    extra_terms: Mapping[str, str | Path] | None = None,
    enable: Iterable[str] | None = None,
    disable: Iterable[str] | None = None,
) -> RuleSet:
    """Load ``rules`` unless it is already a :class:`RuleSet`; apply call options.

    See :func:`pv_identify.rules.load_rules` for the parameters.
    """
    return load_rules(rules, extra_terms=extra_terms, enable=enable, disable=disable)


def rule_columns(
    frame: pd.DataFrame, mapping: ColumnMapping, compiled: CompiledRules
) -> RuleColumns:
    """Run the rules over the mapped fields of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The extract.
    mapping : ColumnMapping
        Where the fields are.
    compiled : CompiledRules
        Compiled rule set.

    Returns
    -------
    RuleColumns
        Per-row label, fired flag, rule ids and evidence.
    """
    n = len(frame)
    qual_col = mapping.get("qualification")
    art_col = mapping.get("article")
    qual = match_qualifications(frame[qual_col], compiled) if qual_col else FieldMatches.empty(n)
    art = match_articles(frame[art_col], compiled) if art_col else FieldMatches.empty(n)
    if len(mapping.mc) == 1:
        mc = match_mcs(frame[mapping.mc[0]], compiled)
    elif mapping.mc:
        delimiter = compiled.ruleset.mc_delimiters[:1] or ";"
        mc = match_mcs(join_mc_columns(frame, list(mapping.mc), delimiter), compiled)
    else:
        mc = FieldMatches.empty(n)
    return combine_fields(qual, mc, art, compiled)


def run_metadata(ruleset: RuleSet, mapping: ColumnMapping | None = None,
                 model: Any = None, threshold: float | None = None) -> dict[str, Any]:
    """Metadata describing a tagging run (stored in ``attrs`` and in written files).

    ``model`` is None (rules only) or a fitted model, recorded as a dict with its
    name, version, content hash, classes and the threshold used.
    """
    model_meta = None
    if model is not None:
        from pv_identify.model.persist import model_info

        model_meta = {**model_info(model), "threshold": threshold}
    return {
        "library": "pv_identify",
        "version": __version__,
        "ruleset": {
            "name": ruleset.name,
            "version": ruleset.version,
            "hash": ruleset.hash,
            "files": [Path(f).name for f in ruleset.files],
        },
        "model": model_meta,
        "columns": mapping.as_dict() if mapping else {},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def tag(
    df: pd.DataFrame,
    rules: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    extra_terms: Mapping[str, str | Path] | None = None,
    enable: Iterable[str] | None = None,
    disable: Iterable[str] | None = None,
    overwrite: bool = False,
    model: Any = None,
    threshold: float = 0.5,
    refine_unspecified: bool = True,
) -> pd.DataFrame:
    """Tag every offence row with a relationship label, two flags and provenance.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per offence. Fields are found by their default OBJD column names
        (``wetsartikel``, ``maatschappelijke_classificatie``, ``artikelkwalificatie``)
        or through ``columns``.
    rules : str, pathlib.Path or RuleSet, default "default"
        Preset name (``"default"``, ``"wodc2022"``, ``"wodc2022_substring"``), a rule
        file, or a loaded rule set.
    columns : mapping, optional
        Canonical field -> the frame's column (``{"qualification": "kwal"}``; ``mc`` may
        map to a list of columns).
    extra_terms : mapping of label to path, optional
        Plain-text term lists added on top of ``rules``.
    enable, disable : iterable of str, optional
        Rule ids or groups to keep / switch off for this call.
    overwrite : bool, default False
        Replace existing ``pv_*`` output columns instead of raising.
    model : RelationshipClassifier, str or pathlib.Path, optional
        The learned model: a fitted :class:`pv_identify.model.RelationshipClassifier`,
        a model file, or ``"default"`` (the shipped model). None: rules only.
        Case and person context features are computed within ``df``: pass whole
        cases and persons.
    threshold : float, default 0.5
        Minimum model score (partner-violence score for the partner labels, 1 -
        P(none) for the other domestic labels) for a model label.
    refine_unspecified : bool, default True
        Let the model name the relationship where the rules only found
        ``domestic_unspecified`` (see :mod:`pv_identify.combine`).

    Returns
    -------
    pandas.DataFrame
        A new frame: all columns of ``df`` unchanged, same index and order, plus
        ``pv_label`` (categorical), ``pv_partner_violence`` and ``pv_domestic_violence``
        (bool), ``pv_source`` (``rule``/``model``/``none``), ``pv_rule_ids``
        (``|``-separated), ``pv_evidence`` (``field="matched text"`` items) and
        ``pv_score`` (the model's partner-violence score on every row; NaN without a
        model). ``attrs["pv_identify"]`` holds the run metadata (rule set, model).

    Raises
    ------
    ColumnMappingError
        If no field the rules read is found, or the mapping names missing columns.
    RuleFileError
        If a rule file is invalid.
    ModelFileError
        If the model file cannot be loaded safely.

    Examples
    --------
    >>> import pandas as pd, pv_identify
    >>> df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn levensgezel"]})
    >>> pv_identify.tag(df, "wodc2022")["pv_label"].tolist()
    ['partner']
    """
    if not isinstance(df, pd.DataFrame):
        raise PvIdentifyError(f"tag() expects a pandas DataFrame, got {type(df).__name__}")
    ruleset = resolve_rules(rules, extra_terms=extra_terms, enable=enable, disable=disable)
    mapping = ColumnMapping.resolve(df.columns, columns)
    clash = [c for c in OUTPUT_COLUMNS if c in df.columns]
    if clash and not overwrite:
        raise ColumnMappingError(
            f"the data already have output column(s) {clash}; pass overwrite=True "
            "(CLI: --overwrite) to replace them")
    fitted = None
    if model is not None:
        from pv_identify.model.persist import resolve_model

        fitted = resolve_model(model)
        if not 0.0 <= float(threshold) <= 1.0:
            raise PvIdentifyError(f"threshold must be between 0 and 1, got {threshold}")
    compiled = compile_rules(ruleset)
    result = rule_columns(df, mapping, compiled)
    combined = None
    if fitted is not None:
        combined = model_columns(df, mapping, result, fitted, threshold,
                                 refine_unspecified=refine_unspecified)
    out = df.drop(columns=clash) if clash else df.copy(deep=False)
    out = out.assign(**output_frame(result, df.index, combined))
    out.attrs = {**df.attrs, ATTRS_KEY: run_metadata(
        ruleset, mapping, fitted, threshold if fitted is not None else None)}
    log.info("tagged %d rows with rule set %s %s", len(out), ruleset.name, ruleset.version)
    return out


def model_columns(df: pd.DataFrame, mapping: ColumnMapping, result: RuleColumns,
                  model: Any, threshold: float = 0.5, *,
                  refine_unspecified: bool = True) -> CombinedColumns:
    """Score ``df`` with ``model`` (once per distinct feature combination) and combine.

    Parameters
    ----------
    df : pandas.DataFrame
        The extract.
    mapping : ColumnMapping
        Where the fields are.
    result : RuleColumns
        The rules' result on ``df``.
    model : RelationshipClassifier
        A fitted model.
    threshold : float, default 0.5
        Model threshold.
    refine_unspecified : bool, default True
        See :func:`pv_identify.combine.combine_with_model`.

    Returns
    -------
    CombinedColumns
        Final label, source, score and the model's own label per row.
    """
    from pv_identify.model.features import build_features

    features = build_features(df, mapping)
    proba = model.predict_proba_table(features.table)[features.codes]
    return combine_with_model(result, proba, model.classes_, threshold,
                              refine_unspecified=refine_unspecified)


def output_frame(result: RuleColumns, index: pd.Index,
                 combined: CombinedColumns | None = None) -> dict[str, pd.Series]:
    """Build the output columns from rule results and, if given, the model combination.

    Parameters
    ----------
    result : RuleColumns
        Per-row rule results.
    index : pandas.Index
        Index of the input frame.
    combined : CombinedColumns, optional
        Rules and model combined (label, source, score); None for rules only.

    Returns
    -------
    dict of str to pandas.Series
        The output columns, in :data:`OUTPUT_COLUMNS` order.
    """
    if combined is None:
        label = pd.Categorical.from_codes(result.label_code, dtype=LABEL_DTYPE)
        source = pd.Categorical.from_codes(
            np.where(result.fired, _RULE_CODE, _NONE_CODE).astype(np.int8), dtype=SOURCE_DTYPE)
        partner, domestic = result.partner, result.domestic
        score = np.full(len(index), np.nan)
    else:
        label = pd.Categorical(combined.label, dtype=LABEL_DTYPE)
        source = pd.Categorical(combined.source, dtype=SOURCE_DTYPE)
        score = combined.score
        partner, domestic = combined.partner, combined.domestic
    return {
        OUT_LABEL: pd.Series(label, index=index),
        OUT_PARTNER: pd.Series(partner, index=index, dtype=bool),
        OUT_DOMESTIC: pd.Series(domestic, index=index, dtype=bool),
        OUT_SOURCE: pd.Series(source, index=index),
        OUT_RULE_IDS: pd.Series(result.rule_ids, index=index, dtype=object),
        OUT_EVIDENCE: pd.Series(result.evidence, index=index, dtype=object),
        OUT_SCORE: pd.Series(score, index=index, dtype=float),
    }
