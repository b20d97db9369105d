"""Tag an extract on a Spark cluster with rules + model and write the roll-ups.

Run on a cluster (YARN, Kubernetes or standalone) with ``spark-submit``::

    # 1. The executors need Python with pv_identify: pack a virtual environment once
    #    (pip install venv-pack; or conda-pack for conda) and ship it with --archives.
    python -m venv pv_env && pv_env/bin/pip install 'pv_identify[spark]' venv-pack
    pv_env/bin/venv-pack -o pv_env.tar.gz

    # 2. PYSPARK_PYTHON tells the executors which Python to run: the unpacked archive
    #    ("#environment" is the folder name it gets in each executor's working dir).
    export PYSPARK_DRIVER_PYTHON=python          # the driver's own Python (client mode)
    export PYSPARK_PYTHON=./environment/bin/python
    spark-submit --master yarn --deploy-mode client \\
        --archives pv_env.tar.gz#environment \\
        --conf spark.sql.shuffle.partitions=400 \\
        examples/spark_cluster.py hdfs:///data/objd_extract.parquet hdfs:///out/pv \\
        --model /local/path/default.pvmodel --partitions 400

    # In cluster deploy mode the driver runs on the cluster too: also ship the model file
    # with --files /local/path/default.pvmodel and pass --model default.pvmodel (files
    # given with --files land in the driver's and executors' working directories).

How it works:

* The model file is read once, on the driver; the fitted model travels to the
  executors inside the tagging function (``mapInPandas`` pickles it), so executors do
  not need the file. Rules are compiled once per Python worker.
* The model's history features need all offences of a person together: the rows are
  repartitioned by person (``repartition(n, person)``) and each partition is tagged
  at once (``tag_spark`` does this when a model is given). Choose ``--partitions`` so
  that a partition fits an executor's Python memory (about 3 KB per offence while
  tagging; 10M offences over 400 partitions is 25k offences each). A row id taken
  before the shuffle keeps the file order within each person.
* Roll-ups are Spark ``groupBy`` aggregations; their tables (one row per case and per
  person) are collected on the driver and written as Parquet. The order of cases and
  persons follows the partitions, not the file; the values are those of
  :func:`pv_identify.rollup_cases` / :func:`pv_identify.rollup_persons`.

Local mode (a laptop, or the test suite)::

    python examples/spark_cluster.py extract.parquet out/ --master 'local[2]' --model default
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

ROW_ID = "_pv_row"


def run(spark: Any, input_path: str, output_dir: str, *, rules: Any = "default",
        model: str | None = None, partitions: int = 200, person_column: str = "jds_nummer",
        threshold: float = 0.5, refine_unspecified: bool = True) -> dict[str, int]:
    """Tag ``input_path`` (Parquet) and write ``tagged/``, ``cases.parquet``, ``persons.parquet``.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        The session.
    input_path, output_dir : str
        Input Parquet (file or folder) and output folder (any Spark file system for
        ``tagged/``; the roll-ups are written by the driver, so a local or mounted path).
    rules : str, RuleSet or Tagger-compatible rules
        The rule set (as for :func:`pv_identify.tag`).
    model : str, optional
        Model file or ``"default"``; None tags with the rules only.
    partitions : int
        Partitions after the shuffle by person.
    person_column : str
        Column with the person id.
    threshold, refine_unspecified
        As for :func:`pv_identify.tag`.

    Returns
    -------
    dict
        Numbers of cases and persons.
    """
    from pyspark.sql import functions as F

    from pv_identify.adapters.spark import rollup_cases_spark, rollup_persons_spark, tag_spark
    from pv_identify.model import resolve_model

    fitted = resolve_model(model) if model else None  # read once, on the driver
    sdf = spark.read.parquet(input_path).withColumn(ROW_ID, F.monotonically_increasing_id())
    sdf = sdf.repartition(partitions, person_column).sortWithinPartitions(ROW_ID)
    tagged = tag_spark(sdf, rules, model=fitted, threshold=threshold,
                       refine_unspecified=refine_unspecified).cache()
    out = Path(output_dir)
    tagged.drop(ROW_ID).write.mode("overwrite").parquet(str(out / "tagged"))
    cases = rollup_cases_spark(tagged.drop(ROW_ID))
    persons = rollup_persons_spark(tagged.drop(ROW_ID))
    out.mkdir(parents=True, exist_ok=True)
    cases.reset_index().to_parquet(out / "cases.parquet", index=False)
    persons.reset_index().to_parquet(out / "persons.parquet", index=False)
    tagged.unpersist()
    return {"cases": len(cases), "persons": len(persons)}


def main(argv: list[str] | None = None) -> None:
    """Command line: ``spark_cluster.py INPUT OUTPUT_DIR [--model M] [--master URL]``."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output_dir")
    parser.add_argument("--rules", default="default")
    parser.add_argument("--model", default=None, help="model file or 'default'")
    parser.add_argument("--partitions", type=int, default=200)
    parser.add_argument("--person-column", default="jds_nummer")
    parser.add_argument("--master", default=None,
                        help="e.g. local[2]; leave out under spark-submit")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("pv_identify")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        counts = run(spark, args.input, args.output_dir, rules=args.rules, model=args.model,
                     partitions=args.partitions, person_column=args.person_column)
        print(f"{counts['cases']:,} cases, {counts['persons']:,} persons -> {args.output_dir}")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
