"""Which source flagged an offence (MC, article, qualification term, model), per year.

An offence counts for a source when it carries the flag (partner or domestic
violence) and at least one rule of that field with a label of the flag fired on it
(``pv_source == "model"`` for the model). One offence can count for several sources;
the ``any`` column is the flag itself. Shares per registration year show how a
source's coverage drifts: the partner MC only took hold in 2017.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pv_identify.evaluate.common import (
    predicted_flag,
    rule_incidence,
    target_labels,
    year_series,
)
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import OUT_SOURCE, SOURCE_MODEL

#: Source names in plotting order.
SOURCES: tuple[str, ...] = ("mc", "article", "qualification", "model")


def flag_sources(tagged: pd.DataFrame, ruleset: RuleSet, target: str = "partner"
                 ) -> pd.DataFrame:
    """Per row, which sources flagged it for ``target``.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag`.
    ruleset : RuleSet
        The rule set it was tagged with (rule ids are looked up in it).
    target : {"partner", "domestic"}, default "partner"
        The flag.

    Returns
    -------
    pandas.DataFrame
        Bool columns ``mc``, ``article``, ``qualification``, ``model`` and ``any``, with
        the index of ``tagged``.
    """
    labels = target_labels(target)
    rules = [r for r in ruleset.rules if r.label in labels]
    codes, incidence = rule_incidence(tagged, [r.id for r in rules])
    flag = predicted_flag(tagged, target)
    out: dict[str, np.ndarray] = {}
    for fld in ("mc", "article", "qualification"):
        cols = [j for j, r in enumerate(rules) if r.field == fld]
        per_combo = np.any(incidence[:, cols], axis=1) if cols else np.zeros(len(incidence), bool)
        out[fld] = per_combo[codes] & flag
    out["model"] = (tagged[OUT_SOURCE].astype(str).to_numpy() == SOURCE_MODEL) & flag
    out["any"] = flag
    return pd.DataFrame(out, index=tagged.index)


def share_by_year(
    tagged: pd.DataFrame,
    ruleset: RuleSet,
    target: str = "partner",
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    years: pd.Series | None = None,
) -> pd.DataFrame:
    """Share of offences flagged per registration year, split by source.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag`.
    ruleset : RuleSet
        The rule set it was tagged with.
    target : {"partner", "domestic"}, default "partner"
        The flag.
    columns : mapping, optional
        Column mapping (to find the registration date).
    years : pandas.Series, optional
        Year per row, if already computed.

    Returns
    -------
    pandas.DataFrame
        Index: year. Columns ``offences`` (rows that year) and the share flagged by
        each of ``mc``, ``article``, ``qualification``, ``model`` and ``any``. Empty
        when the data have no date column.
    """
    if years is None:
        years = year_series(tagged, columns)
    if years is None:
        return pd.DataFrame(columns=["offences", *SOURCES, "any"])
    flags = flag_sources(tagged, ruleset, target)
    grouped = flags.groupby(years.to_numpy(), dropna=True)
    shares = grouped.mean()
    shares.insert(0, "offences", grouped.size())
    shares.index = shares.index.astype(int)
    shares.index.name = "year"
    return shares
