"""``pv-identify cohort``: build the control group of seed 001 from an extract file."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from pv_identify.cli.options import add_input_options, read_options
from pv_identify.errors import InputFileError
from pv_identify.io.mapping import parse_map_options
from pv_identify.normalize.dates import parse_dates
from pv_identify.schema import OUT_DOMESTIC, OUT_PARTNER


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cohort`` sub-command."""
    parser = subparsers.add_parser(
        "cohort",
        help="select index cases, exclusions, covariates and recidivism (seed 001 method)",
        description="Build a partner-violence cohort (index cases, attrition table, Table 2.1 "
        "covariates, 1-3 year recidivism) from an extract. The extract is tagged "
        "first unless it already has the pv_* columns. With --treated, the treated "
        "persons are matched to the control group by propensity score.",
    )
    parser.add_argument("input", help="extract file (CSV, Parquet, .sav, .dta, Excel)")
    parser.add_argument("--window", nargs=2, metavar=("FROM", "TO"),
                        default=["2014-01-01", "2017-12-31"],
                        help="index window, inclusive; default: 2014-01-01 2017-12-31")
    parser.add_argument("--window-date", choices=["disposal_date", "registration_date"],
                        default="disposal_date",
                        help="case date that must fall in the window; default: %(default)s")
    parser.add_argument("--cutoff", default="2020-06-30",
                        help="data cut-off (end of follow-up); default: %(default)s")
    parser.add_argument("--min-age", type=float, default=18.0,
                        help="exclude persons younger at the index case; default: %(default)s")
    parser.add_argument("--no-incapacitation", action="store_true",
                        help="do not extend follow-up by detention of the index case")
    parser.add_argument("--exclude-persons", metavar="FILE",
                        help="text file with one person id per line to exclude (last step)")
    parser.add_argument("--treated", metavar="FILE",
                        help="CSV with person_id,start_date (and optionally case_id, the "
                             "case of the intervention = their index case) of treated "
                             "persons: they are excluded from the control group and "
                             "matched to it")
    parser.add_argument("--detention", metavar="FILE",
                        help="CSV with person_id,detention_start,detention_end: actual "
                             "detention periods for the incapacitation correction (else the "
                             "imposed custodial days from the disposal date)")
    parser.add_argument("--cohort-rules", metavar="DIR",
                        help="folder with the cohort data files (default: rules/cohort)")
    parser.add_argument("--rules", default="wodc2022",
                        help="tagging rule set when the input is not tagged; default: "
                             "%(default)s, the published method this cohort replicates "
                             "(the other commands default to 'default'; pass --rules "
                             "default for the extended rule set)")
    parser.add_argument("--model", default=None, metavar="MODEL",
                        help="also use the learned model when tagging ('default' or a file); "
                             "the published method uses rules only")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                        help="which column holds a field, e.g. person_id=persoon (repeatable)")
    parser.add_argument("--out-dir", metavar="DIR",
                        help="write attrition.csv, covariates.csv, recidivism.csv, "
                             "recidivism_persons.csv, balance.csv, tests.csv, curves.png, "
                             "summary.html (and matched.csv with --treated) here")
    add_input_options(parser)
    parser.set_defaults(func=run)


def _read_ids(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the person list ({exc.strerror})") from None
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


def _read_treated(path: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype={"person_id": str, "case_id": str})
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot read the treated list ({exc})") from None
    if not {"person_id", "start_date"} <= set(frame.columns):
        raise InputFileError(f"{path}: expected columns person_id and start_date")
    frame["start_date"] = parse_dates(frame["start_date"])
    if frame["start_date"].isna().any():
        bad = int(frame["start_date"].isna().to_numpy().argmax()) + 2
        raise InputFileError(f"{path}:{bad}: start_date is not a date (expected 2017-06-30)")
    return frame


def _read_detention(path: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype={"person_id": str})
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot read the detention periods ({exc})") from None
    need = {"person_id", "detention_start", "detention_end"}
    if not need <= set(frame.columns):
        raise InputFileError(f"{path}: expected columns {', '.join(sorted(need))}")
    for col in ("detention_start", "detention_end"):
        frame[col] = parse_dates(frame[col])
        if frame[col].isna().any():
            bad = int(frame[col].isna().to_numpy().argmax()) + 2
            raise InputFileError(f"{path}:{bad}: {col} is not a date (expected 2016-03-01)")
    return frame


def _pct(table: pd.DataFrame) -> pd.DataFrame:
    view = table.pivot_table(
        index="measure", columns="years", values=["km_prevalence", "raw_share"], aggfunc="first"
    )
    view.columns = [f"{'KM' if a == 'km_prevalence' else 'raw'} {y}y" for a, y in view.columns]
    return (100 * view.reindex(["domestic", "violence", "general"])).round(1)


def run(args: argparse.Namespace) -> int:
    """Run ``cohort``."""
    import pv_identify
    from pv_identify import cohort

    config = cohort.CohortConfig(
        window=tuple(args.window),  # type: ignore[arg-type]
        window_date=args.window_date,
        cutoff=args.cutoff,
        min_age=args.min_age,
        incapacitation=not args.no_incapacitation,
        rules_dir=args.cohort_rules,
    )
    columns = parse_map_options(args.map)
    exclude = _read_ids(args.exclude_persons) if args.exclude_persons else []
    treated = _read_treated(args.treated) if args.treated else None
    # a tagged extract: only the cohort's columns and persons, read in chunks
    extract = cohort.read_cohort_offences(
        args.input, columns, config,
        keep_persons=treated["person_id"] if treated is not None else None)
    if extract is None:
        extract = pv_identify.read_extract(args.input, **read_options(args))
        if OUT_PARTNER not in extract.columns or OUT_DOMESTIC not in extract.columns:
            extract = pv_identify.tag(extract, args.rules, columns=columns or None,
                                      model=args.model)
    detention = _read_detention(args.detention) if args.detention else None
    if treated is not None:
        exclude = [*exclude, *treated["person_id"].astype(str)]

    offences = cohort.classify_offences(extract, columns, config)
    del extract  # only the classified offences are used from here on
    cases = cohort.case_table(offences, config)
    index = cohort.index_cases(offences, config, cases)
    if treated is not None or detention is not None:  # ids are compared as text
        index = index.assign(person_id=index["person_id"].astype(str))
        offences = offences.assign(person_id=offences["person_id"].astype(str))
        cases = cases.assign(person_id=cases["person_id"].astype(str))
    selection = cohort.apply_exclusions(
        index, config, exclude_persons=exclude if args.exclude_persons or treated is not None
        else None)
    cov = cohort.covariates(offences, selection.cohort, config, cases)
    rec = cohort.recidivism(offences, cov, config, detention=detention)
    cov_table = cohort.covariate_table(cov)
    print("Attrition\n" + selection.attrition.to_string(index=False))
    print("\nCovariates (shares and means)\n" + cov_table.round(3).to_string())
    print("\nRecidivism (%)\n" + _pct(rec.table).to_string())
    study = None
    if treated is not None:
        study = cohort.match_treated(offences, index, cov, treated, config, cases,
                                     detention=detention)
        print("\nMatching\n" + study.matching.summary.to_string())
        print("\nBalance\n" + study.matching.balance.round(2).to_string(index=False))
        print("\nRecidivism after matching, treated (%)\n"
              + _pct(study.recidivism_treated.table).to_string())
        print("\nRecidivism after matching, controls (weighted, %)\n"
              + _pct(study.recidivism_control.table).to_string())
        tests = cohort.tests_table(study.recidivism_treated, study.recidivism_control, config)
        print("\nTests (Breslow, Tarone-Ware, log-rank; Cohen's h)\n"
              + tests[["measure", "years", "breslow_chi2", "breslow_p", "tarone_ware_chi2",
                       "tarone_ware_p", "logrank_chi2", "logrank_p", "cohens_h"]]
              .round(3).to_string(index=False))
    if args.out_dir:
        out = Path(args.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        selection.attrition.to_csv(out / "attrition.csv", index=False)
        cov.to_csv(out / "covariates.csv", index=False)
        rec.table.to_csv(out / "recidivism.csv", index=False)
        rec.persons.to_csv(out / "recidivism_persons.csv", index=False)
        if study is not None:
            study.matching.matched.to_csv(out / "matched.csv", index=False)
        cohort.write_study_outputs(out, selection.attrition, cov_table, rec, study, config,
                                   notes=cohort.describe_definitions(config))
        print(f"\nwritten to {out}")
    return 0
