"""Control-group pipeline of the WODC BORG evaluation (seed 001) on an extract.

Steps, each one call of ``pv_identify.cohort``:

    tag -> convictions -> index cases -> exclusions (attrition) -> covariates
        -> recidivism (Kaplan-Meier) -> propensity matching -> balance

The "treated" group (programme participants) is SYNTHETIC: there is no programme in
the synthetic extract, so a sample of index persons is drawn (more often those with a
conditional disposal and a short record, as BORG participants were) and given a
programme end date 180 days after their index disposal. It only shows how a study
plugs its own participant list (person ids + start dates) into the pipeline.

Usage::

    python examples/cohort_control_group.py                  # generated, 200k rows
    python examples/cohort_control_group.py --rows 1000000   # the large run
    python examples/cohort_control_group.py --extract my_extract.parquet
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import pv_identify
from pv_identify import cohort


def load(args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    if args.extract:
        return pv_identify.read_extract(args.extract), args.extract
    from pv_identify.synth.generate import generate  # issue 3 generator

    return generate(args.rows, seed=args.seed), f"generated extract ({args.rows:,} rows)"


def synthetic_participants(index: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """Draw a fake treated group: person ids with a programme end date (SYNTHETIC)."""
    rng = np.random.default_rng(seed)
    odds = np.where(index["vv_vw_sb"], 4.0, 1.0) * np.where(index["sex"] == "man", 1.0, 0.5)
    p = np.clip(share * odds / odds.mean(), 0, 1)
    chosen = index.loc[rng.random(len(index)) < p]
    start = chosen["disposal_date"] + pd.Timedelta(days=180)
    return pd.DataFrame({"person_id": chosen["person_id"], "start_date": start})


def pct(x: float) -> str:
    return "" if pd.isna(x) else f"{100 * x:5.1f}%"


def show(title: str, frame: pd.DataFrame) -> None:
    print(f"\n== {title} ==")
    print(frame.to_string())


def recidivism_view(table: pd.DataFrame) -> pd.DataFrame:
    view = table.pivot_table(
        index="measure", columns="years", values=["km_prevalence", "raw_share"], aggfunc="first"
    )
    view = view.reindex(list(cohort.MEASURES)).map(pct)
    view.columns = [f"{'KM' if a == 'km_prevalence' else 'raw'} {y}y" for a, y in view.columns]
    return view


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extract", help="an extract file (CSV, Parquet, ...) instead of generating")
    ap.add_argument("--rows", type=int, default=200_000, help="rows to generate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rules", default="wodc2022", help="tagging rule set (default wodc2022)")
    ap.add_argument("--model", default=None,
                    help="also tag with the learned model ('default'); the published method "
                         "uses rules only")
    args = ap.parse_args()
    t0 = time.perf_counter()

    extract, what = load(args)
    tagged = pv_identify.tag(extract, args.rules, model=args.model)
    print(f"{what}: {len(tagged):,} offence rows, tagged with {args.rules}"
          + (f" + model {args.model}" if args.model else ""))

    config = cohort.CohortConfig()  # window 2014-2017 on disposal date, cut-off 2020-06-30
    offences = cohort.classify_offences(tagged, config=config)  # 1 convictions
    cases = cohort.case_table(offences, config)
    index = cohort.index_cases(offences, config, cases)  # 2 index cases

    treated_list = synthetic_participants(index, share=0.05, seed=args.seed)  # SYNTHETIC
    selection = cohort.apply_exclusions(  # 3 exclusions
        index, config, exclude_persons=treated_list["person_id"]
    )
    show("Attrition (control group)", selection.attrition)

    control = cohort.covariates(offences, selection.cohort, config, cases)  # 4 covariates
    rec = cohort.recidivism(offences, control, config)  # 5 recidivism
    study = cohort.match_treated(  # 6 matching (treated: SYNTHETIC)
        offences, index, control, treated_list, config, cases
    )
    both = pd.concat([study.treated.assign(group="1 treated"), control.assign(group="2 control")])
    table = cohort.covariate_table(both, by="group").round(3)
    show("Covariates (Table 2.1; shares and means)", table)
    show("Recidivism, control group (KM prevalence and raw share)", recidivism_view(rec.table))
    show("Matching", study.matching.summary)
    cols = ["covariate", "level", "std_diff_before", "std_diff_after", "var_ratio_before",
            "var_ratio_after"]
    show("Balance (standardised differences %, variance ratios)",
         study.matching.balance[cols].round(1))
    show("Recidivism after matching, synthetic treated",
         recidivism_view(study.recidivism_treated.table))
    show("Recidivism after matching, matched controls (weighted)",
         recidivism_view(study.recidivism_control.table))
    print(f"\n({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
