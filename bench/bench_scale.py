"""Scale benchmark of ``pv-identify tag`` on synthetic reference extracts (1M and 10M rows).

Usage::

    python bench/bench_scale.py [--rows 1000000 10000000] [--dir DIR] [--keep]
                                [--naive-rows 1000000] [--model default|none]
                                [--jobs 1 2]

Prints, from one run on this machine:

1. the floor: read the input Parquet and write the same columns back (pyarrow, row
   group by row group; no tagging);
2. pv_identify end-to-end (``tag_file``: read → tag → write Parquet), rules only,
   and with the model, rows/s;
3. the naive baseline: ``pd.read_parquet`` → per-row ``DataFrame.apply`` with the
   published regexes → ``to_parquet`` (and per-row model scoring when a model is used);
4. peak resident memory (VmHWM) of the streaming run on the largest file;
5. the ratio of the largest to the smallest file's time.

Every timed pv_identify run happens in a fresh subprocess (so peak memory is that
run's own). The machine load (``/proc/loadavg``) is printed before and after.
Not a test: nothing is asserted; the targets are printed next to the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()

# -- child: one timed run in its own process ------------------------------------------------


def _vmhwm_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all threads): less load-dependent than wall time."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, src: str, out: str, extra: dict) -> None:
    import pandas as pd  # noqa: F401  (imports and rule loading are not timed)
    import pyarrow.parquet as pq

    from pv_identify.rules.loader import load_rules
    from pv_identify.stream.runner import tag_file

    rules = load_rules(extra.get("rules", "default"))  # e.g. {"rules": "wodc2022"}
    model = extra.get("model")
    if model and mode == "tag":
        from pv_identify.model import resolve_model

        model = resolve_model(model)
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    if mode == "floor":
        parquet = pq.ParquetFile(src)
        writer = pq.ParquetWriter(out, parquet.schema_arrow)
        for group in range(parquet.num_row_groups):
            writer.write_table(parquet.read_row_group(group))
        writer.close()
    elif mode == "tag":
        rollups = {}
        if extra.get("rollups"):
            rollups = {"cases_path": out + ".cases.parquet",
                       "persons_path": out + ".persons.parquet"}
        tag_file(src, out, rules, progress=False, model=model,
                 n_jobs=extra.get("n_jobs", 1), chunk_rows=extra.get("chunk_rows"), **rollups)
    elif mode == "analyst":
        analyst(src, out)
    elif mode == "naive":
        step = naive(src, out, extra.get("rows"), extra.get("model"))
    elif mode == "tagstep":
        step = tag_step(src, rules, extra.get("rows"))
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu_start,
              "peak_mib": _vmhwm_mib()}
    if mode in ("naive", "tagstep"):
        result["step_seconds"] = step
    print(json.dumps(result))


def tag_step(src: str, rules, rows: int | None) -> float:
    """Time only the tagging step of ``pv.tag`` on a frame already in memory."""
    import pandas as pd

    from pv_identify.tagger import tag

    df = pd.read_parquet(src)
    if rows:
        df = df.head(rows)
    start = time.perf_counter()
    tag(df, rules)
    return time.perf_counter() - start


# -- the naive baseline: what an analyst writes without the library ----------------------------

PARTNER_RE = re.compile(r"echtgenoot|echtgenote|levensgezel|levensgezellin|partner", re.I)
FAMILY_RE = re.compile(r"echtgeno|levensgezel|partner|kind|zoon|dochter|moeder|vader|"
                       r"ouder|broer|zus", re.I)
ART304_RE = re.compile(r"304\s*(?:[.,]|lid|sub|onder|aanhef)*\s*(?:en\s*onder\s*)?1", re.I)
HG_MCS = {"huiselijk geweld", "huiselijk geweld partnermishandeling",
          "huiselijk geweld kindermishandeling", "huiselijk geweld oudermishandeling",
          "huiselijk geweld overig"}


def naive_row(row) -> tuple[bool, bool]:
    qual = row["artikelkwalificatie"] if isinstance(row["artikelkwalificatie"], str) else ""
    mc = row["maatschappelijke_classificatie"]
    mcs = {m.strip().lower() for m in mc.split(";")} if isinstance(mc, str) else set()
    art = row["wetsartikel"] if isinstance(row["wetsartikel"], str) else ""
    pv = "huiselijk geweld partnermishandeling" in mcs or bool(PARTNER_RE.search(qual))
    dv = pv or bool(mcs & HG_MCS) or bool(ART304_RE.search(art)) or bool(FAMILY_RE.search(qual))
    return pv, dv


def analyst(src: str, out: str) -> None:
    """What a competent analyst writes: vectorised ``str.contains``, Parquet in and out."""
    import pandas as pd

    df = pd.read_parquet(src)
    qual = df["artikelkwalificatie"].fillna("")
    mc = df["maatschappelijke_classificatie"].fillna("").str.lower()
    art = df["wetsartikel"].fillna("")
    pv = (mc.str.contains("huiselijk geweld partnermishandeling", regex=False)
          | qual.str.contains(PARTNER_RE))
    hg = mc.str.contains("huiselijk geweld", regex=False)
    dv = pv | hg | art.str.contains(ART304_RE) | qual.str.contains(FAMILY_RE)
    df["pv_partner_violence"] = pv
    df["pv_domestic_violence"] = dv
    df.to_parquet(out)


def naive(src: str, out: str, rows: int | None, model_spec: str | None) -> float:
    """Read, tag per row, write; return the seconds of the per-row tagging step alone."""
    import pandas as pd

    df = pd.read_parquet(src)
    if rows:
        df = df.head(rows)
    start = time.perf_counter()
    flags = df.apply(naive_row, axis=1, result_type="expand")
    step = time.perf_counter() - start
    df["pv_partner_violence"] = flags[0].astype(bool)
    df["pv_domestic_violence"] = flags[1].astype(bool)
    if model_spec:
        from pv_identify.model import resolve_model

        model = resolve_model(model_spec)
        df["pv_score"] = df.apply(  # one model call per row, as a naive loop would do
            lambda r: float(model.predict_proba(r.to_frame().T).max()), axis=1)
    df.to_parquet(out)
    return step


def repeat_block(work: Path, path: Path, n: int, seed: int) -> None:
    """Write ``n`` rows by repeating a generated 1M-row block with new case/person ids."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from pv_identify.synth import write_synthetic

    block_path = work / "reference_1000000.parquet"
    if not block_path.exists():
        write_synthetic(block_path, 1_000_000, seed=seed)
    block = pq.read_table(block_path)
    with pq.ParquetWriter(path, block.schema) as writer:
        for i in range(n // 1_000_000):
            table = block
            for col in ("jds_nummer", "parketnummer"):
                idx = table.schema.get_field_index(col)
                table = table.set_column(idx, col, pc.binary_join_element_wise(
                    table.column(col), pa.scalar(block_suffix(i)), ""))
            writer.write_table(table, row_group_size=1_000_000)


#: Digits of the block suffixes: one character for up to 62 blocks.
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def block_suffix(i: int) -> str:
    """Suffix of the ids of block ``i``: ``r`` + ``i`` in base 62 (``r0`` ... ``rz``).

    The ids of every block of a 50M file are as long as those of a 10M file (blocks
    0-9 keep ``r0``-``r9``): with ``r10``-``r49`` 40M of 50M person ids were 13
    characters, one past DuckDB's 12-byte inline strings, which doubled the per-row
    cost of its string aggregates and made the 50M/10M ratios unfair (bench/README.md,
    "Session 5: roll-ups at 50M").
    """
    digits = ""
    while True:
        i, r = divmod(i, len(_DIGITS))
        digits = _DIGITS[r] + digits
        if not i:
            return "r" + digits


# -- parent ------------------------------------------------------------------------------------


def run_child(mode: str, src: Path, out: Path, extra: dict | None = None) -> dict:
    cmd = [sys.executable, str(HERE), "--child", mode, str(src), str(out),
           json.dumps(extra or {})]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "n/a"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import pandas as pd
    import pyarrow as pa

    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; Python "
            f"{platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--naive-rows", type=int, default=1_000_000)
    parser.add_argument("--dir", help="where to keep the generated extracts (reused)")
    parser.add_argument("--model", default="default",
                        help="model for the 'rules + model' rows ('none' to skip)")
    parser.add_argument("--naive-model-rows", type=int, default=2_000,
                        help="rows for the per-row model scoring (extrapolated)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-rows", type=int, default=None,
                        help="skip sizes above this (e.g. 10000000 to skip 50M)")
    parser.add_argument("--analyst-max-rows", type=int, default=10_000_000,
                        help="skip the analyst baseline above this many rows (it holds "
                             "the whole file in pandas: ~4.7 GiB at 10M rows)")
    args = parser.parse_args()
    if args.max_rows:
        skipped = [n for n in args.rows if n > args.max_rows]
        args.rows = [n for n in args.rows if n <= args.max_rows]
        for n in skipped:
            print(f"skipped {n:,} rows (--max-rows {args.max_rows:,})")

    from pv_identify.synth import write_synthetic

    work = Path(args.dir or tempfile.mkdtemp(prefix="pv_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"load average before: {loadavg()}")
    files = {}
    import shutil

    for n in sorted(args.rows):
        path = work / f"reference_{n}.parquet"
        if n > 10_000_000 and shutil.disk_usage(work).free < 10 * 2**30:
            print(f"skipped {n:,} rows: less than 10 GB free in {work}")
            continue
        if not path.exists():
            t = time.perf_counter()
            if n > 10_000_000 and n % 1_000_000 == 0:
                repeat_block(work, path, n, args.seed)
            else:
                write_synthetic(path, n, seed=args.seed)
            print(f"generated {n:,} rows in {time.perf_counter() - t:.0f} s -> {path}")
        files[n] = path
    small = min(files)
    rows: list[tuple[str, int, dict]] = []

    def record(name: str, n: int, result: dict) -> dict:
        rows.append((name, n, result))
        print(f"  {name:<38} {n:>11,} rows {result['seconds']:8.2f} s "
              f"{n / result['seconds']:>12,.0f} rows/s  peak {result['peak_mib']:7.0f} MiB",
              flush=True)
        return result

    out = work / "out.parquet"
    floor, e2e, e2e_model, e2e_roll, analyst_res, wodc = {}, {}, {}, {}, {}, {}
    for n, path in files.items():
        floor[n] = record("floor (read + write Parquet)", n, run_child("floor", path, out))
        for jobs in args.jobs:
            res = record(f"pv_identify rules, n_jobs={jobs}", n,
                         run_child("tag", path, out, {"n_jobs": jobs}))
            if jobs == 1:
                e2e[n] = res
        wodc[n] = record("pv_identify rules wodc2022", n,
                         run_child("tag", path, out, {"rules": "wodc2022"}))
        if args.model != "none":
            e2e_model[n] = record("pv_identify rules + model", n,
                                  run_child("tag", path, out, {"model": args.model}))
            e2e_roll[n] = record("pv_identify rules + model + roll-ups", n,
                                 run_child("tag", path, out, {"model": args.model,
                                                              "rollups": True}))
        if n <= args.analyst_max_rows:
            analyst_res[n] = record("analyst baseline (vectorised str.contains)", n,
                                    run_child("analyst", path, out))
        else:
            print(f"  analyst baseline skipped at {n:,} rows (--analyst-max-rows "
                  f"{args.analyst_max_rows:,}: it reads the whole file into pandas)")
    # --naive-rows 0 skips the naive baselines (a rows value of 0 would read every row)
    naive_res = step = None
    if args.naive_rows > 0:
        naive_res = record("naive per-row apply (regexes)", args.naive_rows,
                           run_child("naive", files[small], out, {"rows": args.naive_rows}))
        step = run_child("tagstep", files[small], out, {"rows": args.naive_rows})
        print(f"  tagging step only: naive apply {naive_res['step_seconds']:.2f} s, "
              f"pv.tag {step['step_seconds']:.2f} s ({args.naive_rows:,} rows in memory)")
    naive_model = None
    if args.model != "none" and args.naive_model_rows > 0:
        nm = run_child("naive", files[small], out,
                       {"rows": args.naive_model_rows, "model": args.model})
        naive_model = record("naive per-row apply (regexes + model)", args.naive_model_rows, nm)
    print(f"load average after: {loadavg()}")

    def row(figure: str, value: str, target: str, met: bool) -> str:
        return f"| {figure} | {value} | {target} | {'yes' if met else 'no'} |"

    lines = ["", "| figure | value | target | met |", "|---|---|---|---|"]
    for n in files:
        r = e2e[n]["seconds"] / floor[n]["seconds"]
        lines.append(row(f"end-to-end / floor, rules, {n:,} rows",
                         f"{r:.2f}x ({e2e[n]['seconds']:.1f} s vs {floor[n]['seconds']:.1f} s)",
                         "<= 1.3x", r <= 1.3))
    if naive_res is not None and step is not None:
        naive_rate = args.naive_rows / naive_res["seconds"]
        ours_rate = small / e2e[small]["seconds"]
        speed = ours_rate / naive_rate
        lines.append(row(f"speed-up over naive, end-to-end incl. Parquet I/O "
                         f"({args.naive_rows:,} rows)",
                         f"{speed:.0f}x ({ours_rate:,.0f} vs {naive_rate:,.0f} rows/s)",
                         ">= 50x", speed >= 50))
        step_speed = naive_res["step_seconds"] / step["step_seconds"]
        lines.append(row("speed-up over naive, tagging step only (`apply` vs `pv.tag`, in "
                         "memory)",
                         f"{step_speed:.0f}x ({naive_res['step_seconds']:.1f} s vs "
                         f"{step['step_seconds']:.2f} s)", ">= 50x", step_speed >= 50))
    if naive_model is not None and small in e2e_model:
        naive_m_rate = args.naive_model_rows / naive_model["seconds"]
        m_rate = small / e2e_model[small]["seconds"]
        s2 = m_rate / naive_m_rate
        lines.append(row(f"speed-up over naive apply, rules + model (naive on "
                         f"{args.naive_model_rows:,} rows)", f"{s2:.0f}x", ">= 50x", s2 >= 50))
    sizes = sorted(files)
    for n in sizes:
        for name, res, target in (("rules + model", e2e_model, 2.0),
                                  ("rules + model + roll-ups", e2e_roll, 2.5)):
            if n in res:
                r = res[n]["seconds"] / floor[n]["seconds"]
                lines.append(row(f"{name} / floor, {n:,} rows", f"{r:.2f}x",
                                 f"<= {target}x", r <= target))
        if n in analyst_res:
            for name, res in (("rules", e2e), ("rules wodc2022", wodc)):
                r = analyst_res[n]["seconds"] / res[n]["seconds"]
                lines.append(row(f"speed-up over analyst baseline, {name}, {n:,} rows",
                                 f"{r:.2f}x", ">= 2x", r >= 2))
        for name, res in (("rules", e2e), ("rules + model", e2e_model),
                          ("rules + model + roll-ups", e2e_roll)):
            if n in res:
                pk = res[n]["peak_mib"]
                lines.append(row(f"peak RSS, {name}, {n:,} rows", f"{pk:.0f} MiB",
                                 "<= 1024 MiB", pk <= 1024))
    for a, b in itertools.pairwise(sizes):
        limit = 1.1 * b / a
        for name, res in (("rules", e2e), ("rules + model", e2e_model),
                          ("rules + model + roll-ups", e2e_roll)):
            if a in res and b in res:
                r = res[b]["seconds"] / res[a]["seconds"]
                lines.append(row(f"time {b:,} / {a:,}, {name}", f"{r:.2f}",
                                 f"<= {limit:.1f}", r <= limit))
    print("\n".join(lines))
    if not args.dir:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]))
    else:
        main()
