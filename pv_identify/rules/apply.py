"""Apply compiled rules to the columns of an extract, once per distinct value.

For each field the column is factorised into integer codes; normalisation and
matching run on the distinct values only; the result is the row codes plus the hits
of each distinct value. :mod:`pv_identify.combine` then works on distinct
*combinations* of the three codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.distinct import factorize_text
from pv_identify.rules.compiler import CompiledRules, Hit


@dataclass(frozen=True)
class FieldMatches:
    """Hits of one field: a code per row and the hits of each distinct value.

    Parameters
    ----------
    codes : numpy.ndarray of int64
        Row -> index into ``hits``.
    hits : list of tuple of Hit
        Hits per distinct value.
    """

    codes: np.ndarray
    hits: list[tuple[Hit, ...]]

    @classmethod
    def empty(cls, n_rows: int) -> FieldMatches:
        """Return matches for an absent field: no row has hits."""
        return cls(np.zeros(n_rows, dtype=np.int64), [()])


def _match_distinct(values: pd.Series, normalize, match) -> FieldMatches:
    codes, uniques = factorize_text(values)
    by_norm: dict[object, tuple[Hit, ...]] = {}
    hits: list[tuple[Hit, ...]] = []
    for text in uniques:
        key = normalize(text)
        found = by_norm.get(key)
        if found is None:
            found = by_norm[key] = match(key)
        hits.append(found)
    return FieldMatches(codes, hits)


def match_qualifications(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match qualification texts (normalised once per distinct value)."""
    return _match_distinct(values, compiled.normalize_qualification, compiled.match_qualification)


def match_mcs(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match MC cells (split, code-translated and normalised once per distinct value)."""
    return _match_distinct(values, compiled.split_mc, compiled.match_mc)


def match_articles(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match article notations (parsed once per distinct value)."""
    return _match_distinct(values, parse_articles, compiled.match_articles)


def join_mc_columns(frame: pd.DataFrame, columns: list[str], delimiter: str = ";") -> pd.Series:
    """Join several MC columns into one delimited column, vectorised.

    Parameters
    ----------
    frame : pandas.DataFrame
        The extract.
    columns : list of str
        MC columns, in order.
    delimiter : str, default ";"
        Separator (must be one of the rule set's MC delimiters).

    Returns
    -------
    pandas.Series
        One string per row (empty where all columns are empty).
    """
    parts = [frame[c].astype("string").fillna("") for c in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep=delimiter)
    return joined.astype(object)
