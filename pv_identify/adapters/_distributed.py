"""Pieces shared by the Dask and Spark adapters (pandas only; no engine imported here).

* :func:`tag_partition` tags one pandas partition exactly as :func:`pv_identify.tag`
  does, with a per-process :class:`~pv_identify.cache.DistinctTagger` (rule set
  compiled once per worker, distinct-combination cache shared by the partitions a
  worker processes).
* :func:`row_facts` / :func:`finish_cases` split the roll-ups of
  :mod:`pv_identify.rollup` into a per-row step (run on the partitions), an
  aggregation (run by the engine's ``groupby``) and a small final step on the case
  table (:func:`pv_identify.rollup.persons_from_cases` then makes the person table),
  so that the results equal the pandas roll-ups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pv_identify.io.mapping import ColumnMapping
from pv_identify.rollup import add_label_summary
from pv_identify.rules.apply import cross_chunk_cache
from pv_identify.schema import LABELS, NONE, OUT_DOMESTIC, OUT_LABEL, OUT_PARTNER
from pv_identify.stream.distinct import DistinctTagger, process_tagger
from pv_identify.tagger import Tagger

#: Labels that get an ``n_<label>`` count in the case roll-up.
COUNTED_LABELS: tuple[str, ...] = tuple(label for label in LABELS if label != NONE)

#: Bits of the within-partition row number in the row order key.
ROW_BITS = 40


def partition_tagger(tagger: Tagger, columns: Mapping[str, Any] | None,
                     overwrite: bool) -> DistinctTagger:
    """Return this process's distinct-value tagger for a configuration (built once)."""
    return process_tagger(tagger, columns, overwrite)


def tag_partition(part: pd.DataFrame, tagger: Tagger,
                  columns: Mapping[str, Any] | None = None,
                  overwrite: bool = False) -> pd.DataFrame:
    """Tag one pandas partition; the result equals ``tagger.tag(part, ...)``.

    Parameters
    ----------
    part : pandas.DataFrame
        One partition.
    tagger : Tagger
        The configuration (shipped to the workers with its loaded rule set and model;
        compiled once per process).
    columns : mapping, optional
        Column mapping.
    overwrite : bool, default False
        Replace existing ``pv_*`` columns.

    Returns
    -------
    pandas.DataFrame
        The tagged partition (``attrs`` emptied: engines do not carry them).
    """
    with cross_chunk_cache():
        if tagger.model is not None:
            out = tagger.tag(part, columns=columns, overwrite=overwrite)
        else:
            out = partition_tagger(tagger, columns, overwrite).tag(part)
    out.attrs = {}
    return out


def engine_tagger(tagger: Tagger | None, rules: Any, **params: Any) -> Tagger:
    """Return the tagger an engine adapter uses: the one given, or one built from parameters."""
    if tagger is None:
        tagger = Tagger(rules, **params)
    return tagger.bind()


def rollup_mapping(columns_available: Sequence[str],
                   columns: Mapping[str, Any] | None, persons: bool = False) -> ColumnMapping:
    """Resolve the columns the roll-ups need (case id; person id for persons)."""
    required = ["case_id", "person_id"] if persons else ["case_id"]
    return ColumnMapping.resolve(columns_available, columns, require_text=False,
                                 required=required)


def row_facts(tagged: pd.DataFrame, mapping: ColumnMapping, partition: int = 0,
              date_field: str | None = None) -> pd.DataFrame:
    """Per-row facts for the case roll-up, ready for a sum/min groupby.

    Parameters
    ----------
    tagged : pandas.DataFrame
        One tagged partition.
    mapping : ColumnMapping
        Resolved roll-up mapping.
    partition : int, default 0
        Partition number (for the order of first appearance).
    date_field : str, optional
        Canonical date field (default: registration, else offence date).

    Returns
    -------
    pandas.DataFrame
        Columns ``case``, ``person`` (if mapped), ``date``, ``n``, ``pv``, ``dv``,
        ``n_<label>`` and ``order`` (a global row order key).
    """
    from pv_identify.rollup import _date_column

    n = len(tagged)
    labels = tagged[OUT_LABEL].astype(object).to_numpy()
    facts: dict[str, Any] = {"case": tagged[mapping.get("case_id")].astype(object).to_numpy()}
    if mapping.get("person_id"):
        facts["person"] = tagged[mapping.get("person_id")].astype(object).to_numpy()
    facts["date"] = _date_column(tagged, mapping, date_field).to_numpy()
    facts["n"] = np.ones(n, dtype=np.int64)
    facts["pv"] = tagged[OUT_PARTNER].to_numpy(dtype=bool).astype(np.int64)
    facts["dv"] = tagged[OUT_DOMESTIC].to_numpy(dtype=bool).astype(np.int64)
    for label in COUNTED_LABELS:
        facts[f"n_{label}"] = (labels == label).astype(np.int64)
    facts["order"] = (np.int64(partition) << ROW_BITS) + np.arange(n, dtype=np.int64)
    return pd.DataFrame(facts)


def facts_meta(with_person: bool) -> pd.DataFrame:
    """Empty frame with the columns and dtypes of :func:`row_facts`."""
    cols: dict[str, Any] = {"case": pd.Series([], dtype=object)}
    if with_person:
        cols["person"] = pd.Series([], dtype=object)
    cols["date"] = pd.Series([], dtype="datetime64[ns]")
    for name in ("n", "pv", "dv", *(f"n_{label}" for label in COUNTED_LABELS), "order"):
        cols[name] = pd.Series([], dtype=np.int64)
    return pd.DataFrame(cols)


def sum_columns() -> list[str]:
    """Columns of :func:`row_facts` that the case aggregation sums."""
    return ["n", "pv", "dv", *(f"n_{label}" for label in COUNTED_LABELS)]


def finish_cases(agg: pd.DataFrame, mapping: ColumnMapping,
                 date_field: str | None = None) -> pd.DataFrame:
    """Turn the aggregated case facts into the table of :func:`pv_identify.rollup_cases`.

    Parameters
    ----------
    agg : pandas.DataFrame
        One row per case with ``case``, ``person`` (optional), ``date`` (min), the
        summed counts and ``order`` (min).
    mapping : ColumnMapping
        The roll-up mapping (names of the case and person columns and the date used).
    date_field : str, optional
        Canonical date field, as given to the roll-up.

    Returns
    -------
    pandas.DataFrame
        Same columns, order and index as the pandas roll-up.
    """
    from pv_identify.rollup import case_date_name

    agg = agg.sort_values("order", kind="stable")
    out = pd.DataFrame(index=pd.Index(agg["case"].to_numpy(), name=mapping.get("case_id")))
    if "person" in agg.columns:
        out[mapping.get("person_id")] = agg["person"].to_numpy()
    out["n_offences"] = agg["n"].to_numpy(dtype=np.int64)
    out[case_date_name(mapping, date_field)] = pd.to_datetime(
        agg["date"].to_numpy()).astype("datetime64[ns]")
    out["n_partner_violence"] = agg["pv"].to_numpy(dtype=np.int64)
    out["n_domestic_violence"] = agg["dv"].to_numpy(dtype=np.int64)
    out["partner_violence"] = out["n_partner_violence"] > 0
    out["domestic_violence"] = out["n_domestic_violence"] > 0
    add_label_summary(out, {label: agg[f"n_{label}"].to_numpy(dtype=np.int64)
                            for label in COUNTED_LABELS})
    return out
