"""Reproduce the WODC 2022-9 cohort method (seed 001) end to end on a generated extract.

generate (with history) -> tag with the wodc2022 preset -> convictions -> index cases
-> exclusions -> Table 3.1 covariates -> recidivism (lifelines Kaplan-Meier) ->
synthetic treated group -> propensity matching -> balance (t-tests) -> Breslow,
Tarone-Ware and log-rank tests, Cohen's h.

By default the extract uses the ``wodc2022_cohort`` calibration profile
(``SynthConfig.wodc2022_population()``): Table 3.1 describes the offenders the REPORT'S
RULE found, so the profile calibrates that population, and writes several disposals
per case (``werkstraf; voorwaardelijke vrijheidsstraf``). ``--profile default`` uses
the default generator (Table 3.1 put on the TRUE partner-violence offenders).

Beside each control-group figure it prints the report's figure (Table 3.1, Figure
3.1), the generator's stated tolerance, whether the figure is within it, and the
generator's TRUTH: the same figure on the population the generator knows to be
partner-violence offenders (``pv_identify.synth.calibration.achieved``). The first
comparison is what the report measured (offenders found by its rule); the second shows
how the rule's population differs from the true one.

The treated group is SYNTHETIC (the extract has no programme): a sample of index
persons, more often with a conditional disposal, linked by the case number of their
index case and starting 180 days after its disposal.

Usage::

    python examples/reproduce_wodc2022.py                 # 400k rows, profile wodc2022_cohort
    python examples/reproduce_wodc2022.py --rows 2000000 --out-dir results/
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import pv_identify
from pv_identify import cohort
from pv_identify.synth import SynthConfig, achieved, generate
from pv_identify.synth.calibration import TARGETS, WODC2022_COHORT_TARGETS
from pv_identify.synth.cohort_check import COVARIATE_OF

#: Table 3.1, seed line 4739 (also a target of the profile, calibration.VV_VW_SB).
REPORT_VV_VW_SB = 0.778


def synthetic_participants(index: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """A fake treated group: person id, index case id, start date (SYNTHETIC)."""
    rng = np.random.default_rng(seed)
    odds = np.where(index["vv_vw_sb"], 4.0, 1.0) * np.where(index["sex"] == "man", 1.0, 0.5)
    chosen = index.loc[rng.random(len(index)) < np.clip(share * odds / odds.mean(), 0, 1)]
    return pd.DataFrame({"person_id": chosen["person_id"], "case_id": chosen["case_id"],
                         "start_date": chosen["disposal_date"] + pd.Timedelta(days=180)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--rules", default="wodc2022")
    ap.add_argument("--profile", default="wodc2022_cohort", choices=("wodc2022_cohort",
                                                                      "default"),
                    help="generator calibration profile (default: wodc2022_cohort)")
    ap.add_argument("--out-dir", help="also write the study outputs (balance, tests, HTML)")
    args = ap.parse_args()
    t0 = time.perf_counter()

    synth_cfg = SynthConfig.from_profile(args.profile, emit_history=True)
    targets = WODC2022_COHORT_TARGETS if args.profile == "wodc2022_cohort" else TARGETS
    extract = generate(args.rows, seed=args.seed, config=synth_cfg)
    truth = achieved(extract)  # the generator's truth population
    tagged = pv_identify.tag(extract, args.rules)
    config = cohort.CohortConfig()
    offences = cohort.classify_offences(tagged, config=config)
    cases = cohort.case_table(offences, config)
    index = cohort.index_cases(offences, config, cases)
    treated = synthetic_participants(index, 0.05, args.seed)
    sel = cohort.apply_exclusions(index, config, exclude_persons=treated["person_id"])
    control = cohort.covariates(offences, sel.cohort, config, cases)
    rec = cohort.recidivism(offences, control, config)
    table = cohort.covariate_table(control)["all"]

    print(f"{args.rows:,} rows, profile {args.profile}, tagged with {args.rules}; "
          f"{len(control):,} controls ({truth['index persons']:.0f} in the generator's "
          f"truth population)\n")
    print("Attrition\n" + sel.attrition.to_string(index=False) + "\n")
    print(f"{'figure':42s} {'cohort':>8s} {'report':>8s} {'tol':>6s} {'within':>6s} "
          f"{'truth':>8s}")
    rows = []
    for t in targets:
        if t.name in COVARIATE_OF:
            got = float(table.get(COVARIATE_OF[t.name], 0.0))
        elif t.name.startswith("recidivism 3y: "):
            m = t.name.split(": ")[1]
            got = float(rec.table.set_index(["measure", "years"]).loc[(m, 3), "km_prevalence"])
        else:
            continue
        ok = abs(got - t.value) <= t.tolerance
        rows.append(ok)
        flag = "yes" if ok else "NO"
        print(f"{t.name:42s} {got:8.3f} {t.value:8.3f} {t.tolerance:6.3f} {flag:>6s}"
              f" {truth.get(t.name, float('nan')):8.3f}")
    if args.profile != "wodc2022_cohort":
        vv = float(table.get(("vv_vw_sb", ""), np.nan))
        print(f"{'vv, vw bs of sb als afdoening':42s} {vv:8.3f} {REPORT_VV_VW_SB:8.3f}"
              f" {'':6s} {'(not a target of this profile)':>6s}")
    print(f"\n{sum(rows)} of {len(rows)} figures within the generator's tolerance "
          f"(targets for population: {targets[0].population})")

    study = cohort.match_treated(offences, index, control, treated, config, cases)
    print("\nMatching\n" + study.matching.summary.to_string())
    tests = cohort.tests_table(study.recidivism_treated, study.recidivism_control, config)
    print("\nTests (synthetic treated vs matched controls)\n" + tests[
        ["measure", "years", "prevalence_treated", "prevalence_control", "breslow_chi2",
         "tarone_ware_chi2", "logrank_chi2", "logrank_p", "cohens_h"]].round(3).to_string(
        index=False))
    if args.out_dir:
        paths = cohort.write_study_outputs(args.out_dir, sel.attrition,
                                           cohort.covariate_table(control), rec, study, config,
                                           notes=cohort.describe_definitions(config))
        print(f"\nwritten: {', '.join(str(p) for p in paths.values())}")
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
