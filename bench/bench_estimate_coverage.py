"""Coverage of the design-based intervals, and their width against simple random sampling.

Usage: ``python bench/bench_estimate_coverage.py [--reps 100] [--n 400] [--rows 20000]``

Generates ``--extracts`` synthetic extracts (``pv_identify.synth``; the hidden
``true_relationship`` is the truth), tags them with the default model, and repeats
``--reps`` times with a new sampling seed: draw a stratified sample (``pv-identify
sample`` defaults: strata signal x score band, Neyman allocation) and a simple random
sample of the same size, fill ``gold_relationship`` from the truth, estimate, and check
whether each 95 % interval covers the extract's true value. Prints coverage and mean
interval width per quantity for both designs. Done when the partner-violence total's
coverage is at least 90 % and its stratified interval is narrower than SRS.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from pv_identify.estimate.simulation import coverage_study, summarise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--n", type=int, default=400, help="sample size of both designs")
    parser.add_argument("--rows", type=int, default=20_000, help="rows per extract")
    parser.add_argument("--extracts", type=int, default=5)
    parser.add_argument("--allocation", choices=("neyman", "proportional"), default="neyman")
    parser.add_argument("--interval", choices=("beta", "wald"), default="beta")
    parser.add_argument("--seed", type=int, default=0, help="first sampling seed")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    study = coverage_study(reps=args.reps, n=args.n, n_rows=args.rows,
                           extracts=args.extracts, allocation=args.allocation,
                           method=args.interval, seed=args.seed)
    table = summarise(study)
    pv = table.loc["partner_violence total"]
    pd.set_option("display.width", 160)
    print(f"{args.reps} repetitions, n = {args.n} of {args.rows:,} rows, {args.extracts} "
          f"generated extracts, {args.allocation} allocation, {args.interval} intervals "
          f"({time.perf_counter() - start:.0f} s)\n")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"\npartner-violence total: coverage {pv['coverage_stratified']:.0%} (stratified) vs "
          f"{pv['coverage_srs']:.0%} (SRS); mean 95% interval width "
          f"{pv['width_stratified']:.0f} vs {pv['width_srs']:.0f} offences "
          f"({pv['width_ratio']:.2f}x)")
    ok = pv["coverage_stratified"] >= 0.90 and pv["width_ratio"] < 1
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
