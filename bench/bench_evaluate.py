"""Time the analyst commands on a synthetic reference extract (default 1 million rows).

Usage::

    python bench/bench_evaluate.py [n_rows] [--parquet PATH]

Prints one line per step: seconds and rows per second. Generates the extract with
``pv_identify.synth.generate`` (or reads ``--parquet``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

import pv_identify as pv
from pv_identify.evaluate import (
    build_report,
    compare,
    drop_terms,
    evaluate,
    lint,
    rule_summary,
)
from pv_identify.evaluate.common import resolve_gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n_rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--parquet", help="read this extract instead of generating one")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    def step(name: str, func):
        start = time.perf_counter()
        out = func()
        sec = time.perf_counter() - start
        print(f"{name:<40} {sec:8.2f} s  ({n / sec:,.0f} rows/s)", flush=True)
        return out

    if args.parquet:
        n = len(pd.read_parquet(args.parquet, columns=["feit_nr"]))
        df = step("read parquet", lambda: pd.read_parquet(args.parquet))
    else:
        from pv_identify.synth import generate

        n = args.n_rows
        df = step(f"generate {n:,} rows", lambda: generate(n, seed=args.seed))
    rs = pv.load_rules("default")
    tagged = step("tag (default)", lambda: pv.tag(df, rs))
    gold = resolve_gold(tagged)
    step("rule_summary (with gold)", lambda: rule_summary(tagged, rs, gold))
    step("evaluate (1000 case-bootstrap reps)", lambda: evaluate(tagged, rs))
    wodc = pv.load_rules("wodc2022")
    step("compare wodc2022 vs default-partner",
         lambda: compare(df, wodc, drop_terms(rs, ["partner"])))
    with tempfile.TemporaryDirectory() as tmp:
        terms = Path(tmp) / "ex_partner.txt"
        terms.write_text("ex-vriendin\nzijn ex-vriendin\nvriendin*\n", encoding="utf-8")
        step("lint term list against extract", lambda: lint(terms, extract=df))
    html = step("report (tagged input, compare with wodc)",
                lambda: build_report(tagged, rs, compare_with=wodc))
    print(f"report size {len(html) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
