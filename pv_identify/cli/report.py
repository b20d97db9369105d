"""``pv-identify report``: one self-contained HTML report."""

from __future__ import annotations

import argparse

from pv_identify.cli.compare import add_eval_options
from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    add_rule_options,
    mapping_from_args,
    read_options,
    rules_from_args,
)
from pv_identify.evaluate.common import load_ruleset
from pv_identify.evaluate.report import write_report
from pv_identify.io.readers import read_extract
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command."""
    parser = subparsers.add_parser(
        "report", help="write a self-contained HTML report with figures",
        description="Tag an extract (or read a tagged one) and write one HTML file that "
                    "opens without network access: flagged share per registration year by "
                    "source, the per-rule table, the confusion matrix and curves when gold "
                    "labels exist, an optional comparison with a second rule set, and the "
                    "run's provenance (rule-set hash, model version, input file hash, rows).",
        epilog="example: pv-identify report examples/sample_extract.csv -o report.html "
               "--compare-with wodc2022")
    parser.add_argument("input", help="extract or tagged file")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--compare-with", metavar="PRESET_OR_FILE",
                        help="second rule set to compare with --rules")
    parser.add_argument("--score", default="pv_score", metavar="COLUMN",
                        help="model score column; default: %(default)s")
    parser.add_argument("--title", help="report title")
    parser.add_argument("--show-texts", action="store_true",
                        help="include changed qualification texts of the comparison "
                             "(sensitive)")
    parser.add_argument("--retag", action="store_true",
                        help="tag again even if the file already has pv_* columns")
    add_eval_options(parser)
    add_rule_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``report``."""
    check_paths({"input": args.input}, {"--output": args.output})
    df = read_extract(args.input, **read_options(args))
    path = write_report(
        args.output, df, rules_from_args(args), columns=mapping_from_args(args),
        gold=False if args.no_gold else args.gold, score=args.score,
        compare_with=load_ruleset(args.compare_with) if args.compare_with else None,
        input_path=args.input, title=args.title, show_texts=args.show_texts,
        retag=args.retag, n_boot=args.bootstrap, seed=args.seed)
    print(f"report          {path}")
    return 0
