"""Tag a ``dask.dataframe`` and roll it up with Dask (``pip install 'pv_identify[dask]'``).

:func:`tag_dask` runs :func:`pv_identify.tag` on every partition through
``map_partitions`` with an explicit ``meta``; each worker process compiles the rule
set once and keeps a bounded cache of distinct field combinations across the
partitions it tags. The labels, flags and provenance equal those of the pandas path
on the same rows. :func:`rollup_cases_dask` and :func:`rollup_persons_dask` reduce
offences to cases with a Dask ``groupby`` and return the same tables as
:func:`pv_identify.rollup_cases` / :func:`pv_identify.rollup_persons`.

Examples
--------
>>> import dask.dataframe as dd                               # doctest: +SKIP
>>> from pv_identify.adapters.dask import tag_dask, rollup_cases_dask
>>> ddf = dd.read_parquet("extract.parquet")                 # doctest: +SKIP
>>> tagged = tag_dask(ddf, "wodc2022")                        # lazy
>>> tagged.to_parquet("tagged/")                              # doctest: +SKIP
>>> cases = rollup_cases_dask(tagged)                         # pandas DataFrame
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify.adapters._distributed import (
    engine_tagger,
    facts_meta,
    finish_cases,
    rollup_mapping,
    row_facts,
    sum_columns,
    tag_partition,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.rollup import persons_from_cases
from pv_identify.stream.distinct import DistinctTagger
from pv_identify.tagger import RulesSpec, Tagger


def _require_dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:
        raise PvIdentifyError("the Dask adapter needs dask: pip install 'pv_identify[dask]'"
                              ) from None
    return dd


def tag_dask(
    ddf: Any,
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
) -> Any:
    """Tag a Dask DataFrame partition by partition (lazy).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per offence.
    rules, columns, extra_terms, enable, disable, overwrite
        As for :func:`pv_identify.tag`.
    model, threshold, refine_unspecified
        As for :func:`pv_identify.tag`.
    tagger : Tagger, optional
        A configured tagger; when given, the configuration parameters above are not
        used. The adapter adds only engine arguments to it.

    Returns
    -------
    dask.dataframe.DataFrame
        All columns of ``ddf`` plus the ``pv_*`` columns, same partitions and order.

    Raises
    ------
    ColumnMappingError
        At call time (not at compute time) if the columns cannot be found.
    """
    _require_dask()
    tagger = engine_tagger(tagger, rules, model=model, threshold=threshold,
                           refine_unspecified=refine_unspecified, extra_terms=extra_terms,
                           enable=enable, disable=disable)
    empty = ddf._meta
    DistinctTagger(tagger, columns=columns, overwrite=overwrite).prepare(list(empty.columns))
    meta = tag_partition(empty.iloc[:0], tagger, columns, overwrite)
    return ddf.map_partitions(tag_partition, tagger, columns, overwrite, meta=meta)


def _facts(tagged: Any, columns: Mapping[str, Any] | None, persons: bool,
           date_field: str | None) -> tuple[Any, Any]:
    mapping = rollup_mapping(list(tagged.columns), columns, persons)

    def facts(part: pd.DataFrame, partition_info: dict[str, Any] | None = None
              ) -> pd.DataFrame:
        number = partition_info["number"] if partition_info else 0
        return row_facts(part, mapping, number, date_field)

    meta = facts_meta(bool(mapping.get("person_id")))
    return tagged.map_partitions(facts, meta=meta), mapping


def rollup_cases_dask(
    tagged: Any,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
    _persons: bool = False,
) -> pd.DataFrame:
    """One row per case, computed with a Dask groupby; equals :func:`pv_identify.rollup_cases`.

    Parameters
    ----------
    tagged : dask.dataframe.DataFrame
        Output of :func:`tag_dask`.
    columns : mapping, optional
        Column mapping (needs ``case_id``).
    date_field : str, optional
        Canonical date field that orders cases.

    Returns
    -------
    pandas.DataFrame
        The case table (computed), indexed by case id in order of first appearance.
    """
    _require_dask()
    facts, mapping = _facts(tagged, columns, _persons, date_field)
    spec: dict[str, str] = {name: "sum" for name in sum_columns()}
    spec.update({"date": "min", "order": "min"})
    if "person" in facts.columns:
        spec["person"] = "first"
    agg = facts.groupby("case", sort=False).agg(spec).compute().reset_index()
    return finish_cases(agg, mapping, date_field)


def rollup_persons_dask(
    tagged: Any,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
) -> pd.DataFrame:
    """One row per person; equals :func:`pv_identify.rollup_persons`.

    The offences are reduced to cases with a Dask groupby; the (much smaller) case
    table is then reduced to persons in pandas.

    Parameters
    ----------
    tagged : dask.dataframe.DataFrame
        Output of :func:`tag_dask`.
    columns : mapping, optional
        Column mapping (needs ``case_id`` and ``person_id``).
    date_field : str, optional
        Canonical date field that decides "first".

    Returns
    -------
    pandas.DataFrame
        The person table (computed).
    """
    mapping = rollup_mapping(list(tagged.columns), columns, persons=True)
    cases = rollup_cases_dask(tagged, columns=columns, date_field=date_field, _persons=True)
    return persons_from_cases(cases, mapping.get("person_id"))  # type: ignore[arg-type]
