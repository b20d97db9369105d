"""``pv-identify estimate``: true counts, precision and recall from an annotated sample."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from pv_identify.cli.options import (
    add_mapping_options,
    add_rule_options,
    mapping_from_args,
    rules_from_args,
)
from pv_identify.io.atomic import atomic_write_text


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``estimate`` sub-command."""
    parser = subparsers.add_parser(
        "estimate", help="estimate true counts, precision and recall from an annotated "
                         "sample",
        description="Design-based estimates from a filled-in annotation sheet of "
                    "'pv-identify sample --design stratified': the total and share of "
                    "partner-violence, ex-partner and domestic-violence offences in the "
                    "extract, and the precision and recall of the rules, the model and "
                    "rules + model, overall, by registration year and by court/prosecutor "
                    "disposal, with confidence intervals (Horvitz-Thompson and ratio "
                    "estimators; stratified variance with finite-population correction, "
                    "linearised for ratios; Korn-Graubard intervals). See docs/estimate.md.")
    parser.add_argument("input", metavar="TAGGED",
                        help="the tagged extract the sample was drawn from (or the untagged "
                             "extract, tagged again with --rules/--model)")
    parser.add_argument("--sheet", required=True, metavar="FILLED",
                        help="the filled-in annotation sheet (.xlsx or .csv)")
    parser.add_argument("--design", metavar="FILE", default=None,
                        help="the design sidecar written by 'pv-identify sample' (default: "
                             "SHEET.design.json; give it when the filled sheet was renamed)")
    parser.add_argument("--json", metavar="OUT", default=None, help="write all estimates "
                                                                    "as JSON")
    parser.add_argument("--plot", metavar="PNG", default=None,
                        help="write the per-year figure (estimated vs counted, recall)")
    parser.add_argument("--allow-unfilled", action="store_true",
                        help="estimate from the annotated rows only (unfilled rows are "
                             "treated as missing at random within their stratum)")
    parser.add_argument("--level", type=float, default=0.95, help="confidence level; "
                                                                  "default: %(default)s")
    parser.add_argument("--interval", choices=("beta", "wald"), default="beta",
                        help="interval method: Korn-Graubard (beta, default) or Wald (t)")
    parser.add_argument("--model", default=None,
                        help="model for an untagged extract (default: 'default')")
    parser.add_argument("--threshold", type=float, default=None,
                        help="model threshold of the model's own flag (default: the "
                             "design's)")
    add_rule_options(parser)
    add_mapping_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``estimate``."""
    from pv_identify.io.samefile import check_paths

    check_paths({"input": args.input, "--sheet": args.sheet, "--design": args.design},
                {"--json": args.json, "--plot": args.plot})
    from pv_identify.estimate.design import SampleDesign, design_path
    from pv_identify.estimate.errors import EstimateError, EstimateWarning
    from pv_identify.estimate.results import estimate_extract
    from pv_identify.estimate.sheet import read_sheet, sheet_labels, sheet_rows
    from pv_identify.estimate.summary import format_summary
    from pv_identify.estimate.tagged import load_tagged

    sheet_path = Path(args.sheet)
    side = Path(args.design) if args.design else design_path(sheet_path)
    if not args.design and not side.is_file():
        raise EstimateError(f"{side}: sample design not found next to the sheet; pass the "
                            "sidecar written by 'pv-identify sample' with --design")
    design = SampleDesign.read(side)
    threshold = args.threshold if args.threshold is not None else design.threshold
    columns = mapping_from_args(args) or None
    _, view = load_tagged(args.input, rules=rules_from_args(args), model=args.model,
                          threshold=threshold, columns=columns)
    sheet = read_sheet(sheet_path)
    where = sheet_path.name
    rows = sheet_rows(sheet, len(view), where=where)
    labels = sheet_labels(sheet, where=where, require_all=not args.allow_unfilled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimateWarning)  # printed from the result below
        result = estimate_extract(view, design, rows, labels, level=args.level,
                                  method=args.interval, where=where)
    print(format_summary(result))
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"json            {out}")
    if args.plot:
        from pv_identify.estimate.plot import plot_by_year

        print(f"plot            {plot_by_year(result, args.plot)}")
    if result["warnings"]:
        print(f"pv-identify: {len(result['warnings'])} warning(s), see above",
              file=sys.stderr)
    return 0
