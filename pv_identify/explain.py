"""Explain one decision: which rules matched which text, what was vetoed, who decided.

An explanation is computed on the tagger's own per-record path
(:meth:`pv_identify.Tagger.explain`: :meth:`~pv_identify.Tagger.rule_result` and
:meth:`~pv_identify.Tagger.model_result` on the record's row), so the label, flags,
source, rule ids, evidence and score it reports are those :func:`pv_identify.tag` gives
the same row, for every rule set, option and model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pv_identify.explanation import Explanation, ModelExplanation
from pv_identify.tagger import RulesSpec, Tagger

__all__ = ["Explanation", "ModelExplanation", "explain"]


def explain(
    record: Mapping[str, Any] | pd.Series | None = None,
    rules: RulesSpec = "default",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    qualification: str | None = None,
    mc: str | None = None,
    article: str | None = None,
    model: Any = None,
    threshold: float = 0.5,
    refine_unspecified: bool = True,
    extra_terms: Mapping[str, Any] | None = None,
    enable: Any = None,
    disable: Any = None,
    context: pd.DataFrame | None = None,
    top: int = 8,
    tagger: Tagger | None = None,
) -> Explanation:
    """Explain the decision on one record: the rules, and the model if one is given.

    The explanation is computed on the tagger's own per-record path, so its label,
    flags, source, rule ids, evidence and score equal what :func:`pv_identify.tag` gives
    the same row with the same configuration.

    Parameters
    ----------
    record : mapping or pandas.Series, optional
        One row of an extract (columns found as in :func:`pv_identify.tag`).
    rules : str, pathlib.Path or RuleSet, default "default"
        The rule set.
    columns : mapping, optional
        Column mapping for ``record``.
    qualification, mc, article : str, optional
        Field values given directly (override ``record``).
    model : RelationshipClassifier, str or pathlib.Path, optional
        A model (object, file or ``"default"``). For a model decision the explanation
        lists the features that weighed most.
    threshold : float, default 0.5
        Model threshold.
    refine_unspecified : bool, default True
        See :func:`pv_identify.tag`.
    extra_terms, enable, disable
        As for :func:`pv_identify.tag`.
    context : pandas.DataFrame, optional
        The extract ``record`` is a row of (``record`` must be ``context.loc[i]``), so
        that case and person context features are computed as in :func:`tag`.
    top : int, default 8
        Number of model features to show.
    tagger : Tagger, optional
        A configured tagger (the configuration parameters above are then not used).

    Returns
    -------
    Explanation
        Print it for a readable account.

    Examples
    --------
    >>> print(explain(qualification="mishandeling, begaan tegen zijn echtgenoot"))  # doctest: +SKIP
    """
    if tagger is None:
        tagger = Tagger(rules, model=model, threshold=threshold,
                        refine_unspecified=refine_unspecified, extra_terms=extra_terms,
                        enable=enable, disable=disable)
    return tagger.explain(record, columns=columns, qualification=qualification, mc=mc,
                          article=article, context=context, top=top)
