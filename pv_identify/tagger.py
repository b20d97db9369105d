"""The tagging engine: one configuration, bound once, behind every entry point.

:class:`Tagger` holds the configuration of a tagging run -- rule set, call options
(``extra_terms``, ``enable``, ``disable``), text rules, model, ``threshold`` and
``refine_unspecified`` -- scikit-learn style: the parameters are stored as given,
:meth:`Tagger.get_params` returns them, and the rule set, its compiled matchers, the
text matcher and the model are loaded once, on first use (or by :meth:`Tagger.bind`).

Every door runs this object: :func:`tag` and the ``DataFrame.pv`` accessor
(:meth:`Tagger.tag`), :func:`pv_identify.explain` (:meth:`Tagger.explain`, the same
per-record path as ``tag``), the file runner and CLI, the Dask and Spark adapters
(which add only engine arguments), free-text mode and the spaCy component
(:meth:`Tagger.text_matcher`). So the same input gets the same answer whichever door
it comes in by.

The steps for an extract: read fields → normalise and match rules once per distinct
value (:mod:`pv_identify.rules.apply`) → decide once per distinct combination
(:mod:`pv_identify.combine`) → with a model, score once per distinct feature
combination and combine (policy in :mod:`pv_identify.combine`) → output columns.
The caller's frame is never mutated: a new frame is returned with all original
columns, the same rows in the same order with the same index, plus the columns of
:data:`pv_identify.schema.OUTPUT_COLUMNS`.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify._version import __version__
from pv_identify.combine import CombinedColumns, RuleColumns, combine_fields, combine_with_model
from pv_identify.errors import ColumnMappingError, PvIdentifyError
from pv_identify.explanation import Explanation, ModelExplanation
from pv_identify.io.mapping import ColumnMapping
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.distinct import to_text
from pv_identify.rules.apply import (
    FieldMatches,
    match_articles,
    match_mcs,
    match_qualifications,
    mc_cells,
)
from pv_identify.rules.compiler import CompiledRules, compile_rules
from pv_identify.rules.loader import load_rules
from pv_identify.rules.ruleset import RuleSet, names_of
from pv_identify.schema import (
    ATTRS_KEY,
    DEFAULT_COLUMNS,
    LABELS,
    NONE,
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
    PARTNER_LABELS,
    SOURCE_ERROR,
    SOURCE_MODEL,
    SOURCE_NONE,
    SOURCE_RULE,
    TEXT_FIELDS,
)

log = logging.getLogger(__name__)

RulesSpec = str | Path | RuleSet

LABEL_DTYPE = pd.CategoricalDtype(list(LABELS))
SOURCE_DTYPE = pd.CategoricalDtype([SOURCE_RULE, SOURCE_MODEL, SOURCE_NONE, SOURCE_ERROR])
_RULE_CODE, _NONE_CODE, _ERROR_CODE = SOURCE_DTYPE.categories.get_indexer(
    [SOURCE_RULE, SOURCE_NONE, SOURCE_ERROR])

#: The parameters of a :class:`Tagger`, in signature order.
PARAMS: tuple[str, ...] = ("rules", "model", "threshold", "refine_unspecified", "extra_terms",
                           "enable", "disable", "text_rules", "text_model")


class Tagger:
    """The tagging configuration, bound once and shared by every entry point.

    Parameters
    ----------
    rules : str, pathlib.Path or RuleSet, default "default"
        Preset name (``"default"``, ``"wodc2022"``, ``"wodc2022_substring"``), a rule
        file, or a loaded rule set.
    model : RelationshipClassifier, str or pathlib.Path, optional
        The learned model: a fitted :class:`pv_identify.model.RelationshipClassifier`,
        a model file, or ``"default"`` (the shipped model). None: rules only.
    threshold : float, default 0.5
        Minimum model score for a model label (see :mod:`pv_identify.combine`).
    refine_unspecified : bool, default True
        Let the model name the relationship where the rules found only
        ``domestic_unspecified``.
    extra_terms : mapping of label to path, optional
        Plain-text term lists added on top of ``rules``.
    enable, disable : iterable of str, optional
        Rule ids or groups to keep / switch off (register or text rules).
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file for free-text mode (the bundled ``rules/text/default.yaml``
        when None).
    text_model : TextRelationshipClassifier, str or pathlib.Path, optional
        The free-text model: a fitted
        :class:`pv_identify.model.text_estimator.TextRelationshipClassifier`, a text
        model file, or ``"default"`` (``models/pv_text_default.pvmodel``). None: free
        text is tagged by the rules only. Combined with the rules by the policies of
        :mod:`pv_identify.combine_text` at ``threshold``.

    Examples
    --------
    >>> import pandas as pd
    >>> tagger = Tagger("wodc2022")
    >>> df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn levensgezel"]})
    >>> tagger.tag(df)["pv_label"].tolist()
    ['partner']
    >>> tagger.get_params()["rules"]
    'wodc2022'
    """

    def __init__(
        self,
        rules: RulesSpec = "default",
        *,
        model: Any = None,
        threshold: float = 0.5,
        refine_unspecified: bool = True,
        extra_terms: Mapping[str, str | Path] | None = None,
        enable: Iterable[str] | None = None,
        disable: Iterable[str] | None = None,
        text_rules: Any = None,
        text_model: Any = None,
    ) -> None:
        self.rules = rules
        self.model = model
        self.threshold = threshold
        self.refine_unspecified = refine_unspecified
        self.extra_terms = extra_terms
        self.enable = enable
        self.disable = disable
        self.text_rules = text_rules
        self.text_model = text_model
        self._reset()

    # --- configuration ---------------------------------------------------------------

    def _reset(self) -> None:
        self._ruleset: RuleSet | None = None
        self._compiled: CompiledRules | None = None
        self._model: Any = None
        self._model_bound = False
        self._text: Any = None
        self._text_model: Any = None

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the parameters as given (scikit-learn convention).

        Parameters
        ----------
        deep : bool, default True
            Ignored (no nested estimators); kept for scikit-learn compatibility.

        Returns
        -------
        dict
            Parameter name -> value.
        """
        return {name: getattr(self, name) for name in PARAMS}

    def set_params(self, **params: Any) -> Tagger:
        """Set parameters (the bound rule set, matchers and model are rebuilt on use).

        Returns
        -------
        Tagger
            ``self``.

        Raises
        ------
        ValueError
            If a name is not a parameter.
        """
        for name, value in params.items():
            if name not in PARAMS:
                raise ValueError(f"{name!r} is not a Tagger parameter; expected one of "
                                 f"{', '.join(PARAMS)}")
            setattr(self, name, value)
        self._reset()
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items()
                   if v is not None and not (k == "threshold" and v == 0.5)
                   and not (k == "refine_unspecified" and v is True)}
        args = ", ".join(f"{k}={v!r}" if not isinstance(v, RuleSet) else f"{k}=<RuleSet "
                         f"{v.name} {v.hash}>" for k, v in changed.items())
        return f"Tagger({args})"

    def __getstate__(self) -> dict[str, Any]:
        # Ship the *loaded* rule set and model to workers (files may not exist there);
        # compiled matchers are rebuilt once per process.
        state = {name: getattr(self, name) for name in PARAMS}
        state["_ruleset"] = self._ruleset
        state["_model"] = self._model
        state["_model_bound"] = self._model_bound
        state["_text_model"] = self._text_model
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in PARAMS:
            setattr(self, name, state[name])
        self._reset()
        self._ruleset = state.get("_ruleset")
        self._model = state.get("_model")
        self._model_bound = state.get("_model_bound", False)
        self._text_model = state.get("_text_model")

    def bind(self) -> Tagger:
        """Load and validate the rule set, the model and the options now.

        Returns
        -------
        Tagger
            ``self``.

        Raises
        ------
        RuleFileError, ModelFileError, PvIdentifyError
            On an invalid rule file, model file or option.
        """
        _ = self.compiled
        _ = self.fitted_model
        _ = self.fitted_text_model
        return self

    @property
    def ruleset(self) -> RuleSet:
        """The loaded rule set with the call options applied (loaded once).

        Names in ``disable`` that are not register rules must be text rules (they
        switch those off in free-text mode); any other name raises ``KeyError``.
        """
        if self._ruleset is None:
            base = load_rules(self.rules, extra_terms=self.extra_terms)
            disable = list(names_of(self.disable))
            known = base.names  # rule ids, groups and the grammar's rules
            self._check_text_names([d for d in disable if d not in known], base)
            enable = list(names_of(self.enable)) if self.enable is not None else None
            register = [d for d in disable if d in known]
            self._ruleset = (base.select(enable, register)
                             if enable is not None or register else base)
        return self._ruleset

    def _check_text_names(self, names: list[str], base: RuleSet) -> None:
        if not names:
            return
        from pv_identify.rules.textrules import TextRuleSet, load_text_rules

        texts = (self.text_rules if isinstance(self.text_rules, TextRuleSet)
                 else load_text_rules(self.text_rules))
        known = {r.id for r in texts.rules} | {r.group for r in texts.rules}
        bad = [d for d in names if d not in known]
        if bad:
            raise KeyError(f"{', '.join(map(repr, bad))} is not a rule id or group of rule "
                           f"set {base.name!r} or of the text rules {texts.name!r}; groups: "
                           f"{', '.join(base.groups)}")

    @property
    def compiled(self) -> CompiledRules:
        """The compiled register matchers (shared across taggers with the same rules)."""
        if self._compiled is None:
            self._compiled = compile_rules(self.ruleset)
        return self._compiled

    @property
    def fitted_model(self) -> Any:
        """The fitted model, or None for rules only (loaded and checked once)."""
        if not self._model_bound:
            if self.model is not None:
                from pv_identify.model.persist import resolve_model

                if not 0.0 <= float(self.threshold) <= 1.0:
                    raise PvIdentifyError(
                        f"threshold must be between 0 and 1, got {self.threshold}")
                if self._model is None:
                    self._model = resolve_model(self.model)
                trained = getattr(self._model, "ruleset_hash_", None)
                if trained and trained != self.ruleset.hash:
                    warnings.warn(
                        f"the model was trained with rule set hash {trained}; this tagger "
                        f"uses {self.ruleset.name} {self.ruleset.hash}: its rule-derived "
                        "features now mean something else (retrain, or use the rule set "
                        "the model was trained with)", UserWarning, stacklevel=3)
            self._model_bound = True
        return self._model

    @property
    def fitted_text_model(self) -> Any:
        """The fitted free-text model, or None for rules only (loaded and checked once)."""
        if self.text_model is None:
            return None
        if self._text_model is None:
            from pv_identify.model.text_persist import resolve_text_model

            model = resolve_text_model(self.text_model)
            matcher = self.text_matcher
            trained = (getattr(model, "ruleset_hash_", None),
                       getattr(model, "text_rules_hash_", None))
            if trained != (matcher.ruleset.hash, matcher.text_rules.hash):
                warnings.warn(
                    f"the text model was trained with rule hashes {trained}; this tagger "
                    f"uses {matcher.ruleset.hash} and {matcher.text_rules.hash}: its hit "
                    "features now mean something else (retrain with "
                    "examples/train_text_model.py, or use the rules it was trained with)",
                    UserWarning, stacklevel=3)
            self._text_model = model
        return self._text_model

    def explain_text(self, text: str, *, policy: Any = None, top: int = 8) -> Any:
        """Explain the free-text decision on ``text`` (hits, policy, model features).

        Runs the same path as :func:`pv_identify.text.tag_texts` with this tagger.

        Parameters
        ----------
        text : str
            The text.
        policy : str or TextPolicy, optional
            Combination policy (default: the text model's chosen one, see
            :func:`pv_identify.model.text_apply.policy_for`).
        top : int, default 8
            Model features shown.

        Returns
        -------
        pv_identify.explanation.TextExplanation
            Printable; ``.output`` equals the text's ``tag_texts`` row.
        """
        from pv_identify.explanation import explain_text

        return explain_text(self, text, policy=policy, top=top)

    @property
    def text_matcher(self) -> Any:
        """The free-text matcher (register matcher plus text rules), built once."""
        if self._text is None:
            from pv_identify.rules.textrules import TextRuleSet, load_text_rules
            from pv_identify.text.matcher import TextMatcher

            texts = (self.text_rules if isinstance(self.text_rules, TextRuleSet)
                     else load_text_rules(self.text_rules))
            if self.disable:
                texts = texts.without(list(names_of(self.disable)))
            self._text = TextMatcher(self.ruleset, texts)
        return self._text

    def metadata(self, mapping: ColumnMapping | None = None) -> dict[str, Any]:
        """Describe a run of this tagger (stored in ``attrs`` and in written files).

        Parameters
        ----------
        mapping : ColumnMapping, optional
            The resolved columns.

        Returns
        -------
        dict
            Library version, rule set (name, version, hash, files), model (name,
            version, hash, classes, threshold), options and columns.
        """
        return run_metadata(self.ruleset, mapping, self.fitted_model,
                            self.threshold if self.fitted_model is not None else None,
                            refine_unspecified=self.refine_unspecified)

    # --- register mode ---------------------------------------------------------------

    def rule_result(self, frame: pd.DataFrame, mapping: ColumnMapping) -> RuleColumns:
        """Run the rules over the mapped fields of ``frame`` (distinct values once).

        Parameters
        ----------
        frame : pandas.DataFrame
            The extract.
        mapping : ColumnMapping
            Where the fields are.

        Returns
        -------
        RuleColumns
            Per-row label, fired flag, rule ids and evidence, and the decisions.
        """
        compiled = self.compiled
        n = len(frame)
        qual_col = mapping.get("qualification")
        art_col = mapping.get("article")
        qual = (match_qualifications(frame[qual_col], compiled) if qual_col
                else FieldMatches.empty(n))
        art = match_articles(frame[art_col], compiled) if art_col else FieldMatches.empty(n)
        mc = (match_mcs(mc_cells(frame, mapping.mc, compiled.ruleset), compiled) if mapping.mc
              else FieldMatches.empty(n))
        return combine_fields(qual, mc, art, compiled)

    def model_result(self, frame: pd.DataFrame, mapping: ColumnMapping,
                     rules: RuleColumns) -> tuple[CombinedColumns, Any]:
        """Score ``frame`` with the model (once per distinct feature combination) and combine.

        Parameters
        ----------
        frame : pandas.DataFrame
            The extract.
        mapping : ColumnMapping
            Where the fields are.
        rules : RuleColumns
            The rules' result on ``frame``.

        Returns
        -------
        tuple of (CombinedColumns, FeatureSet)
            Final label, source, score and model label per row; the features used.
        """
        from pv_identify.model.features import build_features

        model = self.fitted_model
        features = build_features(frame, mapping, self.compiled)
        proba = model.predict_proba_table(features.table)[features.codes]
        combined = combine_with_model(rules, proba, model.classes_, self.threshold,
                                      refine_unspecified=self.refine_unspecified)
        return combined, features

    def tag(self, df: pd.DataFrame, *, columns: Mapping[str, str | Sequence[str]] | None = None,
            overwrite: bool = False) -> pd.DataFrame:
        """Tag every offence row (see :func:`tag` for the output).

        Parameters
        ----------
        df : pandas.DataFrame
            One row per offence.
        columns : mapping, optional
            Canonical field -> the frame's column.
        overwrite : bool, default False
            Replace existing ``pv_*`` output columns instead of raising.

        Returns
        -------
        pandas.DataFrame
            A new frame: ``df``'s columns, index and order plus the output columns.
        """
        if not isinstance(df, pd.DataFrame):
            raise PvIdentifyError(f"tag() expects a pandas DataFrame, got {type(df).__name__}")
        mapping = ColumnMapping.resolve(df.columns, columns)
        clash = [c for c in OUTPUT_COLUMNS if c in df.columns]
        if clash and not overwrite:
            raise ColumnMappingError(
                f"the data already have output column(s) {clash}; pass overwrite=True "
                "(CLI: --overwrite) to replace them")
        self.bind()
        result = self.rule_result(df, mapping)
        combined = None
        if self.fitted_model is not None:
            combined, _ = self.model_result(df, mapping, result)
        out = df.drop(columns=clash) if clash else df.copy(deep=False)
        out = out.assign(**output_frame(result, df.index, combined))
        out.attrs = {**df.attrs, ATTRS_KEY: self.metadata(mapping)}
        log.info("tagged %d rows with rule set %s %s", len(out), self.ruleset.name,
                 self.ruleset.version)
        return out

    def explain(self, record: Mapping[str, Any] | pd.Series | None = None, *,
                columns: Mapping[str, str | Sequence[str]] | None = None,
                qualification: str | None = None, mc: str | None = None,
                article: str | None = None, context: pd.DataFrame | None = None,
                top: int = 8) -> Explanation:
        """Explain the decision on one record, on the same path as :meth:`tag`.

        See :func:`pv_identify.explain.explain` for the parameters.
        """
        return explain_record(self, record, columns=columns, qualification=qualification,
                              mc=mc, article=article, context=context, top=top)


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


def _created() -> str:
    """Run time for metadata; ``SOURCE_DATE_EPOCH`` makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit()
            else datetime.now(UTC))
    return when.isoformat(timespec="seconds")


def run_metadata(ruleset: RuleSet, mapping: ColumnMapping | None = None,
                 model: Any = None, threshold: float | None = None, *,
                 refine_unspecified: bool | None = None) -> dict[str, Any]:
    """Metadata describing a tagging run (stored in ``attrs`` and in written files).

    ``model`` is None (rules only) or a fitted model, recorded as a dict with its
    name, version, content hash, classes, the threshold and the refine option used.
    """
    model_meta = None
    if model is not None:
        from pv_identify.model.persist import model_info

        model_meta = {**model_info(model), "threshold": threshold,
                      "refine_unspecified": refine_unspecified}
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
        "created": _created(),
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
    tagger: Tagger | None = None,
) -> pd.DataFrame:
    """Tag every offence row with a relationship label, two flags and provenance.

    A thin wrapper: ``Tagger(rules, model=..., ...).tag(df, columns=..., overwrite=...)``.

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
    tagger : Tagger, optional
        A configured tagger; when given, the configuration parameters above are not
        used.

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
    if tagger is None:
        tagger = Tagger(rules, model=model, threshold=threshold,
                        refine_unspecified=refine_unspecified, extra_terms=extra_terms,
                        enable=enable, disable=disable)
    return tagger.tag(df, columns=columns, overwrite=overwrite)


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
    if result.error is not None:  # unmatched cells: label none, source error, no score
        bad = result.error
        label_codes = np.where(bad, LABEL_DTYPE.categories.get_loc(NONE), label.codes)
        label = pd.Categorical.from_codes(label_codes, dtype=LABEL_DTYPE)
        source = pd.Categorical.from_codes(np.where(bad, _ERROR_CODE, source.codes),
                                           dtype=SOURCE_DTYPE)
        partner = np.asarray(partner, dtype=bool) & ~bad
        domestic = np.asarray(domestic, dtype=bool) & ~bad
        score = np.where(bad, np.nan, score)
    return {
        OUT_LABEL: pd.Series(label, index=index),
        OUT_PARTNER: pd.Series(partner, index=index, dtype=bool),
        OUT_DOMESTIC: pd.Series(domestic, index=index, dtype=bool),
        OUT_SOURCE: pd.Series(source, index=index),
        OUT_RULE_IDS: pd.Series(result.rule_ids, index=index, dtype=object),
        OUT_EVIDENCE: pd.Series(result.evidence, index=index, dtype=object),
        OUT_SCORE: pd.Series(score, index=index, dtype=float),
    }


# --- explanations: the per-record path of Tagger.tag ----------------------------------


def _record_frame(record: Mapping[str, Any] | pd.Series | None,
                  columns: Mapping[str, Any] | None, given: dict[str, str | None],
                  context: pd.DataFrame | None) -> tuple[pd.DataFrame, int, dict[str, Any]]:
    """Return the frame the record is tagged in, its position and the column mapping."""
    if record is not None and not isinstance(record, Mapping | pd.Series):
        raise TypeError(f"explain takes one record (a dict, or a row such as df.iloc[i]), not "
                        f"{type(record).__name__}; give a text as qualification=...")
    if context is not None and isinstance(record, pd.Series) and record.name in context.index:
        frame = context
        pos = context.index.get_loc(record.name)
        if not isinstance(pos, int):
            raise ValueError("the context's index must be unique to explain one of its rows")
    else:
        data = dict(record) if record is not None else {}
        frame = pd.DataFrame([data], dtype=object) if data else pd.DataFrame(index=[0])
        pos = 0
    mapping = ColumnMapping.resolve(frame.columns, columns, require_text=False)
    cols: dict[str, Any] = {k: v for k, v in mapping.as_dict().items() if v}
    overrides = {f: v for f, v in given.items() if v is not None}
    if len(frame.columns) and not overrides and not any(f in cols for f in TEXT_FIELDS):
        # a record whose fields have other names: 'no rule fired' would be a wrong answer
        ColumnMapping.resolve(frame.columns, columns)  # raises, naming the columns found
    if overrides:
        frame = frame.copy()
        for fld, value in overrides.items():
            target = cols.get(fld)
            if fld == "mc":
                mcs = list(mapping.mc)
                if len(mcs) > 1:  # a given MC cell replaces all MC columns
                    for extra in mcs[1:]:
                        frame[extra] = frame[extra].astype(object)
                        frame.iloc[pos, frame.columns.get_loc(extra)] = ""
                target = mcs[0] if mcs else None
            if target is None:
                target = DEFAULT_COLUMNS[fld]
                while target in frame.columns:
                    target = "_" + target
                frame[target] = ""
                cols[fld] = target
            frame[target] = frame[target].astype(object)
            frame.iloc[pos, frame.columns.get_loc(target)] = to_text(value)
    return frame, int(pos), cols


def explain_record(
    tagger: Tagger,
    record: Mapping[str, Any] | pd.Series | None = None,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    qualification: str | None = None,
    mc: str | None = None,
    article: str | None = None,
    context: pd.DataFrame | None = None,
    top: int = 8,
) -> Explanation:
    """Explain one record with a configured tagger (see :func:`explain`)."""
    given = {"qualification": qualification, "mc": mc, "article": article}
    frame, pos, cols = _record_frame(record, columns, given, context)
    mapping = ColumnMapping.resolve(frame.columns, cols, require_text=False)
    clash = [c for c in OUTPUT_COLUMNS if c in frame.columns]
    if clash:
        frame = frame.drop(columns=clash)
    tagger.bind()
    result = tagger.rule_result(frame, mapping)
    combined = features = None
    if tagger.fitted_model is not None:
        combined, features = tagger.model_result(frame, mapping, result)
    outputs = output_frame(result, frame.index, combined)
    output = {name: series.iloc[pos] for name, series in outputs.items()}
    compiled = tagger.compiled
    row = frame.iloc[[pos]]

    def raw(fld: str) -> str:
        col = mapping.get(fld)
        return to_text(row[col].iloc[0]) if col else ""

    mc_raw = to_text(mc_cells(row, mapping.mc, compiled.ruleset).iloc[0]) if mapping.mc else ""
    values = {"qualification": raw("qualification"), "mc": mc_raw, "article": raw("article")}
    model_part = None
    if combined is not None and features is not None:
        model_part = _explain_model(tagger, combined, features, pos, output, top)
    return Explanation(values["qualification"], values["mc"], values["article"],
                       compiled.normalize_qualification(values["qualification"]),
                       compiled.split_mc(values["mc"]), parse_articles(values["article"]),
                       result.decision(pos), compiled, model_part, output)


def _explain_model(tagger: Tagger, combined: Any, features: Any, pos: int,
                   output: dict[str, Any], top: int) -> ModelExplanation:
    model = tagger.fitted_model
    row = features.table.iloc[[int(features.codes[pos])]]
    proba = model.predict_proba_table(row)
    m_label = str(combined.model_label[pos])
    target = m_label
    if target == NONE:  # explain the strongest alternative
        classes = list(model.classes_)
        pv = [c for c in classes if c in PARTNER_LABELS]
        target = max(pv, key=lambda c: proba[0, classes.index(c)]) if pv else NONE
    return ModelExplanation(
        label=m_label, score=float(combined.score[pos]),
        probabilities={str(c): float(p) for c, p in zip(model.classes_, proba[0], strict=True)},
        threshold=float(tagger.threshold), decided=output[OUT_SOURCE] == SOURCE_MODEL,
        contributions=tuple(model.contributions(row, target, top=top)),
        version=getattr(model, "version_", None))
