"""Regenerate ``examples/sample_extract.csv`` deterministically.

Usage: ``python examples/make_sample.py`` (from the repository root or anywhere).
The sample is 4,000 offence rows of the default synthetic extract (seed 2022),
including the hidden ``true_relationship`` column. The script checks that the sample
contains the cases a demo needs (partner qualifications, prosecutor disposals with only
an MC, ex-partner cases, the zakenpartner and official traps) and stays under 2 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pv_identify.synth import write_synthetic

ROWS = 4000
SEED = 2022
OUT = Path(__file__).resolve().parent / "sample_extract.csv"


def check(path: Path) -> list[str]:
    import pandas as pd

    df = pd.read_csv(path)
    q = df["artikelkwalificatie"].fillna("").str.lower()
    mc = df["maatschappelijke_classificatie"].fillna("").str.lower()
    rel = df["true_relationship"]
    court = q != ""
    needs = {
        "levensgezel qualification": q.str.contains("levensgezel").any(),
        "echtgenoot qualification": q.str.contains("echtgeno").any(),
        "kind qualification": q.str.contains("tegen (?:zijn|haar) kind").any(),
        "partner MC": mc.str.contains("partnermishandeling").any(),
        "prosecutor partner case with only an MC": (
            (rel == "partner") & ~court & (mc != "")).any(),
        "ex-partner case": (rel == "ex_partner").any(),
        "ex-partner case with partner MC": (
            (rel == "ex_partner") & mc.str.contains("partnermishandeling")).any(),
        "zakenpartner trap": q.str.contains("zakenpartner").any(),
        "official (304 sub 2) qualification": q.str.contains("ambtenaar").any(),
        "pending case": df["afdoening"].isna().any(),
    }
    problems = [name for name, ok in needs.items() if not ok]
    if path.stat().st_size >= 2_000_000:
        problems.append("file is 2 MB or more")
    return problems


def main() -> int:
    write_synthetic(OUT, ROWS, seed=SEED)
    problems = check(OUT)
    if problems:
        print("sample is missing: " + ", ".join(problems), file=sys.stderr)
        return 1
    print(f"wrote {OUT} ({ROWS} rows, {OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
