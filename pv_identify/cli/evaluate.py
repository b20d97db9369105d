"""``pv-identify evaluate``: rules (and a model score) against gold labels."""

from __future__ import annotations

import argparse
import json

from pv_identify.cli.compare import add_eval_options, cluster_from_args
from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    add_rule_options,
    mapping_from_args,
    read_options,
    rules_from_args,
)
from pv_identify.evaluate.common import ensure_tagged, resolve_gold
from pv_identify.evaluate.evaluation import evaluate
from pv_identify.evaluate.rule_summary import format_summary, rule_summary
from pv_identify.io.atomic import atomic_write_text
from pv_identify.io.readers import read_extract
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``evaluate`` sub-command."""
    parser = subparsers.add_parser(
        "evaluate", help="evaluate labels against gold labels; per-rule summary",
        description="Confusion matrix over the relationship labels, per-label and per-flag "
                    "precision/recall/F1 with bootstrap intervals, the per-rule summary "
                    "(coverage, overlaps, conflicts, empirical precision) and, when the data "
                    "hold a model score, its average precision and calibration. A tagged file "
                    "is evaluated as is (unless --retag); an untagged one is tagged first.",
        epilog="example: pv-identify evaluate examples/sample_extract.csv --rules wodc2022")
    parser.add_argument("input", help="extract or tagged file")
    parser.add_argument("--score", default="pv_score", metavar="COLUMN",
                        help="model score column; default: %(default)s")
    parser.add_argument("--retag", action="store_true",
                        help="tag again even if the file already has pv_* columns")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    add_eval_options(parser)
    add_rule_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``evaluate``."""
    check_paths({"input": args.input}, {"--json": args.json})
    df = read_extract(args.input, **read_options(args))
    columns = mapping_from_args(args)
    ruleset = rules_from_args(args)
    tagged = ensure_tagged(df, ruleset, columns=columns, retag=args.retag)
    gold = resolve_gold(tagged, False if args.no_gold else args.gold)
    summary = rule_summary(tagged, ruleset, gold)
    print(f"rule set {ruleset.name} {ruleset.version} (hash {ruleset.hash})\n")
    print("per rule")
    print(format_summary(summary) + "\n")
    result = None
    if gold is None:
        print("note: no gold labels (--gold COLUMN): per-rule summary only")
    else:
        result = evaluate(tagged, ruleset, gold=gold, score=args.score, columns=columns,
                          cluster=cluster_from_args(args), n_boot=args.bootstrap,
                          seed=args.seed)
        print(result.format(), end="")
    if args.json:
        out = {"ruleset": {"name": ruleset.name, "version": ruleset.version,
                           "hash": ruleset.hash},
               "rules": json.loads(summary.to_json(orient="index")),
               "evaluation": result.to_dict() if result else None}
        atomic_write_text(args.json, json.dumps(out, indent=2))
        print(f"json            {args.json}")
    return 0
