"""Tag a Spark DataFrame and roll it up with Spark (``pip install 'pv_identify[spark]'``).

:func:`tag_spark` runs :func:`pv_identify.tag` on Arrow batches through
``mapInPandas`` with an explicit output schema. The rule set travels to the
executors with the function; each Python worker compiles it once (a module-level
cache keyed by the rule-set hash) and keeps a bounded cache of distinct field
combinations across the batches it tags. ``pv_label`` and ``pv_source`` become
string columns; labels, flags and provenance equal those of the pandas path.
:func:`rollup_cases_spark` / :func:`rollup_persons_spark` reduce offences to cases
with a Spark ``groupBy`` and return the tables of :func:`pv_identify.rollup_cases` /
:func:`pv_identify.rollup_persons` (as pandas DataFrames).

Examples
--------
>>> from pv_identify.adapters.spark import tag_spark                  # doctest: +SKIP
>>> tagged = tag_spark(spark.read.parquet("extract.parquet"), "wodc2022")
>>> tagged.write.parquet("tagged/")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pv_identify.adapters._distributed import (
    COUNTED_LABELS,
    engine_tagger,
    finish_cases,
    rollup_mapping,
    row_facts,
    sum_columns,
    tag_partition,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.rollup import persons_from_cases
from pv_identify.schema import (
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    OUTPUT_COLUMNS,
)
from pv_identify.stream.distinct import DistinctTagger
from pv_identify.tagger import RulesSpec, Tagger


def _require_spark() -> Any:
    try:
        import pyspark.sql.types as T
    except ImportError:
        raise PvIdentifyError("the Spark adapter needs pyspark: pip install "
                              "'pv_identify[spark]' (and Java 17)") from None
    return T


def output_schema(input_schema: Any) -> Any:
    """Return the Spark schema of the tagged frame: input fields plus ``pv_*`` fields.

    Parameters
    ----------
    input_schema : pyspark.sql.types.StructType
        Schema of the input DataFrame.

    Returns
    -------
    pyspark.sql.types.StructType
        Input fields (existing ``pv_*`` fields dropped) followed by the output fields.
    """
    T = _require_spark()
    types = {
        OUT_LABEL: T.StringType(), OUT_PARTNER: T.BooleanType(),
        OUT_DOMESTIC: T.BooleanType(), OUT_SOURCE: T.StringType(),
        OUT_RULE_IDS: T.StringType(), OUT_EVIDENCE: T.StringType(),
        OUT_SCORE: T.DoubleType(),
    }
    fields = [f for f in input_schema.fields if f.name not in OUTPUT_COLUMNS]
    fields += [T.StructField(name, types[name], nullable=name == OUT_SCORE)
               for name in OUTPUT_COLUMNS]
    return T.StructType(fields)


def _for_spark(tagged: pd.DataFrame) -> pd.DataFrame:
    out = tagged.copy(deep=False)
    for col in (OUT_LABEL, OUT_SOURCE):
        out[col] = out[col].astype(object)
    return out


def tag_spark(
    sdf: Any,
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
    """Tag a Spark DataFrame batch by batch with ``mapInPandas`` (lazy).

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        One row per offence.
    rules, columns, extra_terms, enable, disable, overwrite
        As for :func:`pv_identify.tag`.
    model, threshold, refine_unspecified
        As for :func:`pv_identify.tag` (a model must be picklable). With a model, each
        partition is tagged at once: its history features see the persons' offences
        in the same partition, so repartition by person first
        (``sdf.repartition(n, person_column)``; see ``examples/spark_cluster.py``).
    tagger : Tagger, optional
        A configured tagger; when given, the configuration parameters above are not
        used. The adapter adds only engine arguments to it.

    Returns
    -------
    pyspark.sql.DataFrame
        The input columns plus the ``pv_*`` columns (labels and sources as strings).

    Raises
    ------
    ColumnMappingError
        At call time if the columns cannot be found.
    """
    _require_spark()
    tagger = engine_tagger(tagger, rules, model=model, threshold=threshold,
                           refine_unspecified=refine_unspecified, extra_terms=extra_terms,
                           enable=enable, disable=disable)
    DistinctTagger(tagger, columns=columns, overwrite=overwrite).prepare(list(sdf.columns))
    schema = output_schema(sdf.schema)
    names = [f.name for f in schema.fields]
    user_columns = dict(columns) if columns is not None else None

    def tag_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        if tagger.model is not None:  # history features: a partition's persons at once
            whole = list(batches)
            batches = iter([pd.concat(whole, ignore_index=True)] if whole else [])
        for batch in batches:
            tagged = tag_partition(batch, tagger, user_columns, overwrite)
            yield _for_spark(tagged)[names]

    return sdf.mapInPandas(tag_batches, schema=schema)


def rollup_cases_spark(
    tagged: Any,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
    _persons: bool = False,
) -> pd.DataFrame:
    """One row per case with a Spark groupBy; equals :func:`pv_identify.rollup_cases`.

    The order of first appearance follows the DataFrame's partition and row order
    (``monotonically_increasing_id``), as for a frame read from one file.

    Parameters
    ----------
    tagged : pyspark.sql.DataFrame
        Output of :func:`tag_spark`.
    columns : mapping, optional
        Column mapping (needs ``case_id``).
    date_field : str, optional
        Canonical date field that orders cases.

    Returns
    -------
    pandas.DataFrame
        The case table, indexed by case id.
    """
    T = _require_spark()
    from pyspark.sql import functions as F

    mapping = rollup_mapping(list(tagged.columns), columns, _persons)
    with_person = bool(mapping.get("person_id"))
    fields = [T.StructField("case", T.StringType())]
    if with_person:
        fields.append(T.StructField("person", T.StringType()))
    fields.append(T.StructField("date", T.TimestampNTZType()))
    fields += [T.StructField(name, T.LongType()) for name in sum_columns()]
    fields.append(T.StructField("order", T.LongType()))
    key_cols = [c for c in (mapping.get("case_id"), mapping.get("person_id"),
                            mapping.get("registration_date"), mapping.get("offence_date"))
                if c]
    source = tagged.select(*key_cols, OUT_LABEL, OUT_PARTNER, OUT_DOMESTIC).withColumn(
        "_row", F.monotonically_increasing_id())

    def facts(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            rows = batch.pop("_row").to_numpy()
            out = row_facts(batch, mapping, 0, date_field)
            out["order"] = rows
            out["case"] = out["case"].astype(object)
            if with_person:
                out["person"] = out["person"].astype(object)
            yield out

    facts_df = source.mapInPandas(facts, schema=T.StructType(fields))
    aggs = [F.sum(name).alias(name) for name in sum_columns()]
    aggs += [F.min("date").alias("date"), F.min("order").alias("order")]
    if with_person:
        aggs.append(F.min_by("person", "order").alias("person"))
    agg = facts_df.groupBy("case").agg(*aggs).toPandas()
    for label in COUNTED_LABELS:
        agg[f"n_{label}"] = agg[f"n_{label}"].astype("int64")
    return finish_cases(agg, mapping, date_field)


def rollup_persons_spark(
    tagged: Any,
    *,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    date_field: str | None = None,
) -> pd.DataFrame:
    """One row per person; equals :func:`pv_identify.rollup_persons`.

    Offences are reduced to cases with a Spark groupBy; the case table is reduced to
    persons in pandas.

    Parameters
    ----------
    tagged : pyspark.sql.DataFrame
        Output of :func:`tag_spark`.
    columns : mapping, optional
        Column mapping (needs ``case_id`` and ``person_id``).
    date_field : str, optional
        Canonical date field that decides "first".

    Returns
    -------
    pandas.DataFrame
        The person table.
    """
    mapping = rollup_mapping(list(tagged.columns), columns, persons=True)
    cases = rollup_cases_spark(tagged, columns=columns, date_field=date_field, _persons=True)
    return persons_from_cases(cases, mapping.get("person_id"))  # type: ignore[arg-type]
