"""Roll-ups out of core: DuckDB (what tag_file uses) against an external sort.

Usage::

    python bench/bench_rollup_sort.py EXTRACT.parquet [WORKDIR]

Reads the case, person and registration-date columns of a reference extract, gives
each row a random label, and times (1) the roll-up store of
``pv_identify.stream.rollups`` (append to its Parquet key file + DuckDB SQL over it +
writing both tables; the size printed is the key file's) and (2) the first
step of the external-sort route: the keys written as TSV and sorted by case with GNU
``sort`` under the same memory budget (the route needs two more sorts and a streaming
group-by). Indicative figures; prints the load average.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from pv_identify.io.mapping import ColumnMapping
from pv_identify.schema import LABELS
from pv_identify.stream.rollups import RollupStore

COLUMNS = ["parketnummer", "jds_nummer", "inschrijvingsdatum"]


def main() -> None:
    src = sys.argv[1]
    work = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/pv_rollup_cmp")
    work.mkdir(parents=True, exist_ok=True)
    mapping = ColumnMapping.resolve(
        COLUMNS, {"case_id": "parketnummer", "person_id": "jds_nummer",
                  "registration_date": "inschrijvingsdatum"},
        require_text=False, required=["case_id"])
    rng = np.random.default_rng(0)
    store = RollupStore(work)
    tsv = work / "keys.tsv"
    tsv.unlink(missing_ok=True)
    start, t_tsv, row = time.perf_counter(), 0.0, 0
    for batch in pq.ParquetFile(src).iter_batches(200_000, columns=COLUMNS):
        keys = batch.to_pandas()
        n = len(keys)
        keys["pv_label"] = np.array(LABELS, dtype=object)[rng.integers(0, len(LABELS), n)]
        keys["pv_partner_violence"] = keys["pv_label"].isin(["partner", "ex_partner"])
        keys["pv_domestic_violence"] = keys["pv_label"] != "none"
        store.append(keys, mapping)
        t = time.perf_counter()
        keys.insert(0, "row", np.arange(row, row + n))
        row += n
        keys.to_csv(tsv, sep="\t", mode="a", header=False, index=False)
        t_tsv += time.perf_counter() - t
    t_append = time.perf_counter() - start - t_tsv
    db = sum(f.stat().st_size for f in work.glob(".pv_rollup_*/**/*") if f.is_file())
    t = time.perf_counter()
    counts = store.write(work / "cases.parquet", work / "persons.parquet", {})
    t_sql = time.perf_counter() - t
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"duckdb: append {t_append:.1f} s, roll-ups SQL + write {t_sql:.1f} s, "
          f"key file {db / 2**20:.0f} MiB, peak {peak:.0f} MiB, {counts}")
    t = time.perf_counter()
    subprocess.run(["sort", "-t", "\t", "-k2,2", "-S", "384M", "--parallel=2", "-T", str(work),
                    str(tsv), "-o", str(work / "sorted.tsv")],
                   check=True, env={**os.environ, "LC_ALL": "C"})
    t_sort = time.perf_counter() - t
    print(f"external: write TSV {t_tsv:.1f} s ({tsv.stat().st_size / 2**20:.0f} MiB), "
          f"GNU sort by case {t_sort:.1f} s (one of three sorts; no group-by yet)")
    print("load", Path("/proc/loadavg").read_text()[:15])


if __name__ == "__main__":
    main()
