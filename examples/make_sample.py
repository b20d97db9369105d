"""Regenerate ``examples/sample_extract.csv`` deterministically.

Usage: ``python examples/make_sample.py [--no-variants] [--out FILE]`` (from the
repository root or anywhere; ``--help`` only prints this help).

The sample is 4,000 offence rows of the default synthetic extract (seed 2022),
including the hidden ``true_relationship`` column. The synthetic generator writes the
register's formal wording only ("begaan tegen zijn levensgezel"), on which the preset
``wodc2022`` and ``default`` agree. So that the sample shows what ``default`` adds, the
script then rewrites the court qualification of some rows into the wording real
clerks also use (``--variants``, on by default; :func:`inject_variants`):

- ex-partner rows (true relationship ``ex_partner``) with a plain qualification get an
  ex-partner victim ("begaan tegen zijn ex-vriendin", "... zijn voormalige echtgenote",
  "... zijn ex-echtgen."): ``wodc2022`` finds none or calls them ``partner``,
  ``default`` says ``ex_partner``;
- some partner rows get clerk abbreviations and variant words ("mish. tgn zijn
  echtgen.", "... zijn levensgez.", "... zijn vriendin"): ``wodc2022`` misses them.

The hidden truth is unchanged (the rewritten wording matches it). The script checks
that the sample contains the cases a demo needs and stays under 2 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from pv_identify.synth import write_synthetic

ROWS = 4000
SEED = 2022
OUT = Path(__file__).resolve().parent / "sample_extract.csv"
QUAL = "artikelkwalificatie"

#: Ex-partner victims as clerks write them (all read as ex_partner by ``default``).
EX_PARTNER_VICTIMS = ("zijn ex-vriendin", "zijn ex-partner", "zijn voormalige echtgenote",
                      "zijn ex-echtgen.", "haar ex-vriend", "zijn ex-echtgenote")
#: Partner wording with abbreviations or words outside the WODC list.
PARTNER_VARIANTS = ("mish. tgn zijn echtgen.", "mishandeling, begaan tegen zijn levensgez.",
                    "zware mishandeling, begaan tegen zijn vriendin",
                    "bedr. tgn zijn echtgen.")
#: Share of the partner rows with a court qualification that get a variant.
PARTNER_SHARE = 0.3


def inject_variants(df: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Rewrite some court qualifications into real-style wording (see module docstring).

    Parameters
    ----------
    df : pandas.DataFrame
        The synthetic extract (read as text; not modified).
    seed : int
        Seed of the rows chosen.

    Returns
    -------
    pandas.DataFrame
        A copy with the rewritten qualifications; same rows, columns and truth.
    """
    out = df.copy()
    rng = np.random.default_rng(seed)
    qual = out[QUAL].fillna("")
    plain = ~qual.str.contains(",", regex=False) & (qual != "")
    ex_rows = np.flatnonzero(((out["true_relationship"] == "ex_partner") & plain).to_numpy())
    for k, i in enumerate(ex_rows):
        base = qual.iloc[i].strip()
        out.iloc[i, out.columns.get_loc(QUAL)] = (
            f"{base}, begaan tegen {EX_PARTNER_VICTIMS[k % len(EX_PARTNER_VICTIMS)]}")
    partner = np.flatnonzero(((out["true_relationship"] == "partner") & (qual != "")).to_numpy())
    chosen = np.sort(rng.choice(partner, size=int(len(partner) * PARTNER_SHARE),
                                replace=False)) if len(partner) else partner
    for k, i in enumerate(chosen):
        out.iloc[i, out.columns.get_loc(QUAL)] = PARTNER_VARIANTS[k % len(PARTNER_VARIANTS)]
    return out


def build(variants: bool = True) -> pd.DataFrame:
    """Return the sample as text columns (what :func:`main` writes)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.csv"
        write_synthetic(path, ROWS, seed=SEED)
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return inject_variants(df) if variants else df


def check(path: Path, variants: bool = True) -> list[str]:
    """Return what the sample at ``path`` lacks for a demo (empty: nothing)."""
    df = pd.read_csv(path)
    q = df[QUAL].fillna("").str.lower()
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
    if variants:
        needs["ex-partner wording"] = q.str.contains("ex-vriendin").any()
        needs["clerk abbreviation"] = q.str.contains("tgn", regex=False).any()
    problems = [name for name, ok in needs.items() if not ok]
    if path.stat().st_size >= 2_000_000:
        problems.append("file is 2 MB or more")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write the sample (``--help`` writes nothing)."""
    parser = argparse.ArgumentParser(
        description="Regenerate examples/sample_extract.csv (4,000 synthetic rows, seed "
                    "2022) with real-style ex-partner wording and clerk abbreviations.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="file to write")
    parser.add_argument("--no-variants", dest="variants", action="store_false",
                        help="keep the generator's formal wording only (then wodc2022 and "
                             "default agree on the sample)")
    args = parser.parse_args(argv)
    df = build(args.variants)
    df.to_csv(args.out, index=False, encoding="utf-8")
    problems = check(args.out, args.variants)
    if problems:
        print("sample is missing: " + ", ".join(problems), file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(df)} rows, {args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
