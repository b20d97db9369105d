"""``pv-identify sample``: draw offences for manual annotation (annotation sheet + design)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    add_rule_options,
    mapping_from_args,
    read_options,
    rules_from_args,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sample`` sub-command."""
    parser = subparsers.add_parser(
        "sample", help="draw offences for manual annotation (annotation sheet)",
        description="Draw N offences of a tagged extract for manual annotation and write "
                    "an annotation sheet (.xlsx or .csv) with all the extract's columns, "
                    "the pv_* columns and an empty 'gold_relationship' column, plus the "
                    "sampling design in SHEET.design.json. --design stratified (default) "
                    "draws a stratified random sample with known inclusion probabilities: "
                    "fill in the sheet, then 'pv-identify estimate TAGGED --sheet SHEET' "
                    "estimates the true counts, precision and recall with intervals. "
                    "--design active picks the offences a label would teach the model "
                    "most (for retraining only). Both sheets train a model with "
                    "'pv-identify train INPUT --sheet SHEET'. An untagged extract is "
                    "tagged first with --rules and --model.")
    parser.add_argument("input", metavar="TAGGED",
                        help="tagged extract (output of 'pv-identify tag'), or an untagged "
                             "extract to tag with --rules/--model")
    parser.add_argument("-o", "--output", required=True, metavar="SHEET",
                        help="annotation sheet to write: .xlsx or .csv")
    parser.add_argument("-n", type=int, default=200, help="offences to draw; default: "
                                                          "%(default)s")
    parser.add_argument("--design", choices=("stratified", "active"), default="stratified",
                        help="stratified random sample for estimates (default) or the "
                             "active-learning ranking for retraining")
    parser.add_argument("--strata", default=None, metavar="LIST",
                        help="stratifiers, comma-separated, from signal (rule / model only "
                             "/ neither), band (model score band), year (registration "
                             "year), source (court / prosecutor); 'none' = simple random "
                             "sample. Default: signal,band (signal without a model)")
    parser.add_argument("--allocation", choices=("neyman", "proportional"), default="neyman",
                        help="sample size per stratum: optimal for the partner-violence "
                             "total (neyman, default) or proportional to the stratum size")
    parser.add_argument("--bands", default=None, metavar="EDGES",
                        help="inner score-band edges, e.g. 0.02,0.05,0.1,0.3,0.5,0.8 "
                             "(the default)")
    parser.add_argument("--min-per-stratum", type=int, default=2,
                        help="least rows per stratum (smaller strata are taken whole); "
                             "default: %(default)s")
    parser.add_argument("--seed", type=int, default=0, help="random seed; default: "
                                                            "%(default)s")
    parser.add_argument("--model", default=None,
                        help="model for an untagged extract (default: 'default')")
    parser.add_argument("--threshold", type=float, default=None,
                        help="model threshold (default: the tagged file's, else 0.5)")
    add_rule_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def _bands(text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        return tuple(float(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise PvIdentifyError(f"--bands expects numbers separated by commas, got "
                              f"{text!r}") from None


def run(args: argparse.Namespace) -> int:
    """Run ``sample``."""
    check_paths({"input": args.input}, {"--output": args.output})
    from pv_identify.estimate.design import draw_stratified
    from pv_identify.estimate.sheet import build_sheet, write_sheet
    from pv_identify.estimate.strata import DEFAULT_BANDS, parse_strata
    from pv_identify.estimate.tagged import load_tagged
    from pv_identify.model.sample import draw_active

    if Path(args.output).suffix.lower() not in (".csv", ".xlsx"):
        raise PvIdentifyError(f"{args.output}: the sheet must end in .xlsx or .csv")
    columns = mapping_from_args(args) or None
    tagged, view = load_tagged(args.input, rules=rules_from_args(args), model=args.model,
                               threshold=args.threshold, columns=columns,
                               **read_options(args))
    name = Path(args.input).name
    if args.design == "active":
        design, reason = draw_active(tagged, args.n, threshold=view.threshold,
                                     columns=columns, seed=args.seed)
        design = replace(design, extract=name)
        sheet = build_sheet(tagged, design, extra={"reason": reason})
    else:
        by = parse_strata(args.strata, has_model=view.has_model)
        design = draw_stratified(view, args.n, by=by, allocation=args.allocation,
                                 bands=_bands(args.bands) or DEFAULT_BANDS,
                                 minimum=args.min_per_stratum, seed=args.seed, extract=name)
        sheet = build_sheet(tagged, design)
    paths = write_sheet(sheet, args.output, design=design)
    print(f"sheet           {paths[0]}")
    print(f"design          {paths[1]}")
    if design.probabilistic:
        print(f"offences        {design.n} of {design.population:,} in {len(design.strata)} "
              f"strata ({', '.join(design.by) or 'simple random sample'}; "
              f"{design.allocation} allocation)")
        print(f"next            fill in 'gold_relationship', then: pv-identify estimate "
              f"{args.input} --sheet {paths[0]}")
    else:
        print(f"offences        {design.n} ({int((sheet['reason'] == 'disagree').sum())} where "
              "rules and model disagree); for retraining only, not for estimates")
    return 0

