"""Dask and Spark produce exactly the labels, flags, provenance and roll-ups of pandas."""

from __future__ import annotations

import os
import shutil
import sys

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.schema import OUTPUT_COLUMNS

PV = list(OUTPUT_COLUMNS)


@pytest.fixture(scope="module")
def expected(extract, rules):
    return pv.tag(extract, rules)


def test_dask_equals_pandas(extract, rules, expected):
    dd = pytest.importorskip("dask.dataframe", reason="dask not installed: pip install "
                             "'pv_identify[dask]'")
    from pv_identify.adapters.dask import rollup_cases_dask, rollup_persons_dask, tag_dask

    ddf = dd.from_pandas(extract, npartitions=5)
    tagged = tag_dask(ddf, rules)
    assert list(tagged.columns) == list(expected.columns)
    assert list(tagged._meta.dtypes[PV]) == list(expected.dtypes[PV])
    got = tagged.compute()  # threaded scheduler: partitions share one cache
    assert got.index.equals(expected.index)
    for col in PV:
        pd.testing.assert_series_equal(got[col], expected[col])
    pd.testing.assert_frame_equal(rollup_cases_dask(tagged), pv.rollup_cases(expected),
                                  check_index_type=False)
    pd.testing.assert_frame_equal(rollup_persons_dask(tagged), pv.rollup_persons(expected),
                                  check_index_type=False)


def test_dask_checks_columns_at_call_time(rules):
    dd = pytest.importorskip("dask.dataframe")
    from pv_identify.adapters.dask import tag_dask

    ddf = dd.from_pandas(pd.DataFrame({"x": ["a"]}), npartitions=1)
    with pytest.raises(pv.ColumnMappingError):
        tag_dask(ddf, rules)


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install "
                        "'pv_identify[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark tests need Java (17): no 'java' on PATH and JAVA_HOME unset")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("pv_identify-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_spark_equals_pandas(spark, extract, rules, expected):
    from pv_identify.adapters.spark import rollup_cases_spark, rollup_persons_spark, tag_spark

    frame = extract.astype({c: object for c in extract.columns if extract[c].dtype == "str"})
    frame = frame.where(frame.notna(), None)
    sdf = spark.createDataFrame(frame)
    tagged = tag_spark(sdf, rules)
    assert tagged.columns == list(expected.columns)
    got = tagged.toPandas()
    for col in PV:
        left, right = got[col].astype(object).tolist(), expected[col].astype(object).tolist()
        if col == "pv_score":
            assert pd.Series(left).isna().equals(pd.Series(right).isna())
        else:
            assert left == right, col
    pd.testing.assert_frame_equal(rollup_cases_spark(tagged), pv.rollup_cases(expected),
                                  check_index_type=False, check_dtype=False)
    pd.testing.assert_frame_equal(rollup_persons_spark(tagged), pv.rollup_persons(expected),
                                  check_index_type=False, check_dtype=False)
