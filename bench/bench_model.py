"""Model throughput on distinct values: features, scoring and tag(model=...) per row.

Scoring is the additive decision (``predict_proba_table``), timed beside scikit-learn's
own ``predict_proba`` on the vectorised matrix, with the largest difference of the two.

Run: ``python bench/bench_model.py [ROWS]`` (default 500,000). Prints figures; not a test.
"""

from __future__ import annotations

import sys
import time

import numpy as np

import pv_identify as pv
from pv_identify.model import build_features, resolve_model
from pv_identify.model.estimator import SCORE_BATCH_ROWS
from pv_identify.synth import generate


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    df = generate(rows, seed=11).drop(columns=["true_relationship"])
    model = resolve_model("default")
    t0 = time.perf_counter()
    fs = build_features(df)
    t1 = time.perf_counter()
    additive = model.predict_proba_table(fs.table)
    t2 = time.perf_counter()
    table = fs.table
    sklearn = np.vstack([model.calibrated_.predict_proba(model._transform(
        table.iloc[i:i + SCORE_BATCH_ROWS])) for i in range(0, len(table), SCORE_BATCH_ROWS)])
    t_sk = time.perf_counter() - t2
    t2 = time.perf_counter()
    pv.tag(df, "default")
    t3 = time.perf_counter()
    pv.tag(df, "default", model=model)
    t4 = time.perf_counter()
    print(f"rows                     {rows:,}")
    print(f"distinct combinations    {len(fs.table):,} ({len(fs.table) / rows:.1%} of rows)")
    print(f"features                 {t1 - t0:6.2f} s  ({rows / (t1 - t0):,.0f} rows/s)")
    print(f"scoring distinct combos  {t2 - t1:6.2f} s  ({len(fs.table) / (t2 - t1):,.0f} "
          "combinations/s)")
    print(f"  same with sklearn      {t_sk:6.2f} s  (one sparse matrix; max abs diff of the "
          f"probabilities {np.abs(additive - sklearn).max():.1e})")
    print(f"tag, rules only          {t3 - t2:6.2f} s  ({rows / (t3 - t2):,.0f} rows/s)")
    print(f"tag, rules + model       {t4 - t3:6.2f} s  ({rows / (t4 - t3):,.0f} rows/s)")


if __name__ == "__main__":
    main()
