"""Apply compiled rules to the columns of an extract, once per distinct value.

For each field the column is factorised into integer codes; normalisation and
matching run on the distinct values only; the result is the row codes plus the hits
of each distinct value. :mod:`pv_identify.combine` then works on distinct
*combinations* of the three codes.

Inside :func:`cross_chunk_cache` (used by the file runner and the Dask and Spark
adapters) the hits of each distinct value are also kept in a bounded
least-recently-used cache per rule set and field (:data:`FIELD_CACHE_ENTRIES` values
each), so a file tagged chunk by chunk normalises and matches every distinct value
about once, not once per chunk. Outside it, every call starts afresh.
:func:`clear_match_cache` empties the caches.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.lru import LRUCache
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.distinct import factorize_text
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.rules.ruleset import RuleSet
from pv_identify.schema import MAX_CELL_CHARS

#: Distinct values whose hits are cached per rule set and field.
FIELD_CACHE_ENTRIES = 200_000
#: Rule sets with a cache at the same time (least recently used dropped first).
_CACHED_RULESETS = 8
#: (rule-set hash, field) -> that field's bounded cache of raw value -> hits.
_CACHES = LRUCache(_CACHED_RULESETS * 3)
_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("pv_match_cache", default=False)


@contextmanager
def cross_chunk_cache() -> Iterator[None]:
    """Keep the hits of distinct values across calls while the block runs.

    Examples
    --------
    >>> with cross_chunk_cache():          # doctest: +SKIP
    ...     for chunk in chunks:
    ...         out = pv_identify.tag(chunk, rules)
    """
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def field_cache(compiled: CompiledRules, field: str) -> LRUCache | None:
    """Return the bounded cache of raw value -> hits for one rule set and field.

    None outside :func:`cross_chunk_cache`.
    """
    if not _ACTIVE.get():
        return None
    return _CACHES.get_or_create((compiled.ruleset.hash, field),
                                 lambda: LRUCache(FIELD_CACHE_ENTRIES))


def clear_match_cache() -> None:
    """Empty the per-field caches of all rule sets."""
    _CACHES.clear()


@dataclass(frozen=True)
class FieldMatches:
    """Hits of one field: a code per row and the hits of each distinct value.

    Parameters
    ----------
    codes : numpy.ndarray of int64
        Row -> index into ``hits``.
    hits : list of tuple of Hit
        Hits per distinct value.
    errors : dict of int to str, optional
        Distinct values that could not be matched (too long, or a regular expression
        timed out) -> the reason; their hits are empty.
    """

    codes: np.ndarray
    hits: list[tuple[Hit, ...]]
    errors: dict[int, str] | None = None

    @classmethod
    def empty(cls, n_rows: int) -> FieldMatches:
        """Return matches for an absent field: no row has hits."""
        return cls(np.zeros(n_rows, dtype=np.int64), [()])


def _match_distinct(values: pd.Series, normalize: Callable[[str], Any],
                    match: Callable[[Any], tuple[Hit, ...]],
                    cache: LRUCache | None = None) -> FieldMatches:
    codes, uniques = factorize_text(values)
    by_norm: dict[object, tuple[Hit, ...]] = {}
    hits: list[tuple[Hit, ...]] = []
    errors: dict[int, str] = {}
    for i, text in enumerate(uniques):
        if isinstance(text, str) and len(text) > MAX_CELL_CHARS:
            errors[i] = (f"cell of {len(text):,} characters not matched (limit "
                         f"{MAX_CELL_CHARS:,})")
            hits.append(())
            continue
        found = cache.get(text) if cache is not None else None
        if found is None:
            try:
                key = normalize(text)
                found = by_norm.get(key)
                if found is None:
                    found = by_norm[key] = match(key)
            except TimeoutError:
                errors[i] = (f"a regular expression timed out on this cell of {len(text):,} "
                             "characters; run 'pv-identify lint' on the rule file")
                hits.append(())
                continue
            if cache is not None:
                cache.put(text, found)
        hits.append(found)
    return FieldMatches(codes, hits, errors or None)


def match_qualifications(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match qualification texts (normalised once per distinct value)."""
    return _match_distinct(values, compiled.normalize_qualification, compiled.match_qualification,
                           field_cache(compiled, "qualification"))


def match_mcs(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match MC cells (split, code-translated and normalised once per distinct value)."""
    return _match_distinct(values, compiled.split_mc, compiled.match_mc,
                           field_cache(compiled, "mc"))


def match_articles(values: pd.Series, compiled: CompiledRules) -> FieldMatches:
    """Match article notations (parsed once per distinct value)."""
    return _match_distinct(values, parse_articles, compiled.match_articles,
                           field_cache(compiled, "article"))


def mc_cells(frame: pd.DataFrame, columns: Sequence[str], ruleset: RuleSet) -> pd.Series:
    """Return the MC cell of every row (several MC columns joined by the rule set's delimiter).

    Every path that reads MCs (tagging, explain, model features) calls this, so
    several MC columns are split exactly as one delimited column would be.

    Parameters
    ----------
    frame : pandas.DataFrame
        The extract.
    columns : sequence of str
        The MC column(s).
    ruleset : RuleSet
        The rule set (its first MC delimiter joins several columns).

    Returns
    -------
    pandas.Series
        One value per row.
    """
    if len(columns) == 1:
        return frame[columns[0]]
    return join_mc_columns(frame, list(columns), ruleset.mc_delimiters[:1] or ";")


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
