"""Dask and Spark produce exactly the labels, flags, provenance and roll-ups of pandas."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

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


# --- the same configuration with a model, a threshold and refine off -------------------

MODEL_OPTIONS = {"threshold": 0.3, "refine_unspecified": False}


@pytest.fixture(scope="module")
def small_model(extract):
    from pv_identify.model import RelationshipClassifier

    part = extract.head(4000)
    return RelationshipClassifier(C=1.0, calibration=None, max_text_features=500).fit(
        part, part["true_relationship"])


@pytest.fixture(scope="module")
def by_person(extract):
    """The extract with a row id, in person order (engines see whole persons)."""
    frame = extract.head(3000).copy()
    frame["row_id"] = range(len(frame))
    return frame.sort_values(["jds_nummer", "row_id"], kind="stable").reset_index(drop=True)


def _person_parts(frame, n):
    persons = frame["jds_nummer"].drop_duplicates().tolist()
    size = -(-len(persons) // n)
    return [frame[frame["jds_nummer"].isin(persons[i:i + size])] for i in range(0, len(persons),
                                                                               size)]


def test_dask_with_model_and_options_equals_pandas(by_person, rules, small_model):
    dd = pytest.importorskip("dask.dataframe")
    from pv_identify.adapters.dask import tag_dask

    expected = pv.tag(by_person, rules, model=small_model, **MODEL_OPTIONS)
    assert (expected["pv_source"] == "model").any()
    ddf = dd.concat([dd.from_pandas(p, npartitions=1) for p in _person_parts(by_person, 4)])
    got = tag_dask(ddf, rules, model=small_model, **MODEL_OPTIONS).compute()
    got = got.sort_values("row_id").reset_index(drop=True)
    want = expected.sort_values("row_id").reset_index(drop=True)
    for col in PV:
        pd.testing.assert_series_equal(got[col], want[col], check_index=False)
    # the same through one configured tagger
    tagger = pv.Tagger(rules, model=small_model, **MODEL_OPTIONS)
    again = tag_dask(ddf, tagger=tagger).compute().sort_values("row_id")
    assert again["pv_label"].tolist() == got["pv_label"].tolist()


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_spark_with_model_and_options_equals_pandas(spark, by_person, rules, small_model):
    from pv_identify.adapters.spark import tag_spark

    expected = pv.tag(by_person, rules, model=small_model, **MODEL_OPTIONS)
    frame = by_person.astype({c: object for c in by_person.columns
                              if by_person[c].dtype == "str"})
    frame = frame.where(frame.notna(), None)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000000")
    sdf = spark.createDataFrame(frame).repartition(3, "jds_nummer")
    got = tag_spark(sdf, rules, model=small_model, **MODEL_OPTIONS).toPandas()
    got = got.sort_values("row_id").reset_index(drop=True)
    want = expected.sort_values("row_id").reset_index(drop=True)
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(object).tolist() == want[col].astype(object).tolist(), col
    assert got["pv_score"].round(12).tolist() == want["pv_score"].round(12).tolist()


# --- roll-ups of the model's output (issue 17) ------------------------------------------


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by id: engines that repartition by person give the cases in another order."""
    return frame.sort_index(kind="stable")


def test_dask_model_rollups_equal_pandas(by_person, rules, small_model):
    dd = pytest.importorskip("dask.dataframe")
    from pv_identify.adapters.dask import rollup_cases_dask, rollup_persons_dask, tag_dask

    expected = pv.tag(by_person, rules, model=small_model, **MODEL_OPTIONS)
    ddf = dd.concat([dd.from_pandas(p, npartitions=1) for p in _person_parts(by_person, 4)])
    tagged = tag_dask(ddf, rules, model=small_model, **MODEL_OPTIONS)
    cases = rollup_cases_dask(tagged)
    assert cases["n_partner"].sum() + cases["n_ex_partner"].sum() > 0
    pd.testing.assert_frame_equal(cases, pv.rollup_cases(expected), check_index_type=False)
    pd.testing.assert_frame_equal(rollup_persons_dask(tagged), pv.rollup_persons(expected),
                                  check_index_type=False)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_spark_model_rollups_equal_pandas(spark, tmp_path, by_person, rules, small_model):
    from pv_identify.adapters.spark import rollup_cases_spark, rollup_persons_spark, tag_spark

    expected = pv.tag(by_person, rules, model=small_model, **MODEL_OPTIONS)
    frame = by_person.astype({c: object for c in by_person.columns
                              if by_person[c].dtype == "str"})
    frame = frame.where(frame.notna(), None)
    # whole persons per partition, each in file order: per-person results do not depend
    # on the partitioning (only the order of the cases and persons in the tables does)
    sdf = spark.createDataFrame(frame).repartition(3, "jds_nummer").sortWithinPartitions(
        "row_id")
    tagged = tag_spark(sdf, rules, model=small_model, **MODEL_OPTIONS)
    pd.testing.assert_frame_equal(_sorted(rollup_cases_spark(tagged)),
                                  _sorted(pv.rollup_cases(expected)),
                                  check_index_type=False, check_dtype=False)
    pd.testing.assert_frame_equal(_sorted(rollup_persons_spark(tagged)),
                                  _sorted(pv.rollup_persons(expected)),
                                  check_index_type=False, check_dtype=False)
    # the cluster example (local mode here) writes the same tables
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "spark_cluster", Path(__file__).parents[2] / "examples" / "spark_cluster.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    src, out = tmp_path / "in.parquet", tmp_path / "out"
    by_person.sample(frac=1, random_state=2).to_parquet(src, index=False)  # unsorted file
    from pv_identify.model.persist import save_model

    model_file = tmp_path / "small.pvmodel"
    save_model(small_model, model_file, {"name": "small", "version": "0"})
    example.run(spark, str(src), str(out), rules=rules, model=str(model_file),
                partitions=3, **MODEL_OPTIONS)
    got = pd.read_parquet(out / "cases.parquet").set_index("parketnummer")
    pd.testing.assert_frame_equal(_sorted(got), _sorted(pv.rollup_cases(expected)),
                                  check_index_type=False, check_dtype=False)
    persons = pd.read_parquet(out / "persons.parquet").set_index("jds_nummer")
    pd.testing.assert_frame_equal(_sorted(persons), _sorted(pv.rollup_persons(expected)),
                                  check_index_type=False, check_dtype=False)
    tagged_rows = pd.read_parquet(out / "tagged").sort_values("row_id")
    want = expected.sort_values("row_id")
    assert tagged_rows["pv_label"].tolist() == want["pv_label"].astype(str).tolist()
