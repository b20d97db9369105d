"""``pv-identify sample``: pick offences for manual labelling (annotation sheet)."""

from __future__ import annotations

import argparse

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    add_rule_options,
    mapping_from_args,
    rules_from_args,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sample`` sub-command."""
    parser = subparsers.add_parser(
        "sample", help="pick offences for manual labelling (annotation sheet)",
        description="Tag the extract with rules and model, pick N offences where the model "
                    "is unsure or disagrees with the rules, stratified by registration year "
                    "and court/prosecutor, and write an annotation sheet (CSV and Excel) "
                    "with the evidence. Fill in 'gold_label', then run "
                    "'pv-identify train INPUT --sheet SHEET'.")
    parser.add_argument("input", help="extract file")
    parser.add_argument("-o", "--output", required=True,
                        help="sheet path; .csv and .xlsx versions are written")
    parser.add_argument("-n", type=int, default=200, help="offences to pick")
    parser.add_argument("--model", default="default", help="model file or 'default'")
    parser.add_argument("--threshold", type=float, default=0.5, help="model threshold")
    parser.add_argument("--seed", type=int, default=0, help="seed for ties")
    add_rule_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``sample``."""
    from pv_identify.io.readers import read_extract
    from pv_identify.model.sample import select_for_annotation, write_sheet
    from pv_identify.schema import OUT_PARTNER
    from pv_identify.tagger import tag

    df = read_extract(args.input)
    columns = mapping_from_args(args) or None
    rules = rules_from_args(args)
    rules_only = tag(df, rules, columns=columns, overwrite=True)
    tagged = tag(df, rules, columns=columns, model=args.model, threshold=args.threshold,
                 overwrite=True)
    sheet = select_for_annotation(tagged, args.n, rule_partner=rules_only[OUT_PARTNER],
                                  threshold=args.threshold, columns=columns, seed=args.seed)
    for path in write_sheet(sheet, args.output):
        print(f"wrote           {path}")
    print(f"offences        {len(sheet)} ({(sheet['reason'] == 'disagree').sum()} where "
          "rules and model disagree)")
    return 0
