"""``pv-identify evaluate-text``: the tagger against a labelled text corpus."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pv_identify.cli.options import add_rule_options, rules_from_args
from pv_identify.errors import OutputFileError, PvIdentifyError
from pv_identify.evaluate.bootstrap import N_BOOT
from pv_identify.evaluate.corpus import (
    SPLITS,
    load_corpus,
    load_qualification_labels,
    qualification_file,
)
from pv_identify.evaluate.review import parse_shares
from pv_identify.evaluate.textcorpus import MODES, SEED, TEXT_FIELDS, evaluate_corpus
from pv_identify.io.atomic import atomic_write_text
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``evaluate-text`` sub-command."""
    parser = subparsers.add_parser(
        "evaluate-text", help="evaluate on a labelled text corpus (e.g. tests/data/real_texts)",
        description="Tag the items of a labelled corpus (text mode: the context, the "
                    "qualification or both as free text; register mode: the qualification "
                    "and articles as a register row, items with a kwalificatie only), map the "
                    "labels onto partner / ex_partner / family / other and print per-class "
                    "precision/recall/F1, the partner-violence and domestic-violence flags, "
                    "the confusion matrix and the macro-F1, with cluster-bootstrap intervals "
                    "over sources; the same for the hard items; and the errors.",
        epilog="example: pv-identify evaluate-text tests/data/real_texts --split dev "
               "--rules wodc2022. The test split is for reported figures only, never for "
               "tuning.")
    parser.add_argument("corpus", help="corpus: a folder of part-*.jsonl shards or one JSON "
                        "Lines file (see docs/corpus.md)")
    parser.add_argument("--split", nargs="+", action="extend", choices=SPLITS, metavar="SPLIT",
                        help="split(s) to evaluate (train, dev, test; repeatable); "
                             "default: dev (with --outside: all items)")
    parser.add_argument("--outside", action="store_true",
                        help="an evaluation set from outside the project: only id, context "
                             "and relationship are required (source defaults to the id, so "
                             "every item is its own bootstrap cluster); without --split every "
                             "item is evaluated")
    parser.add_argument("--mode", choices=MODES, default="text",
                        help="text: free text via tag_texts; register: kwalificatie + "
                             "articles via Tagger.tag; default: %(default)s")
    parser.add_argument("--field", choices=TEXT_FIELDS, default="context",
                        help="text mode: the field tagged (both = context. kwalificatie); "
                             "default: %(default)s")
    parser.add_argument("--model", metavar="MODEL",
                        help="register mode: register model (file or 'default'); text mode: "
                             "a text model (file or 'default', models/pv_text_default)")
    parser.add_argument("--n-boot", type=_replicates, default=N_BOOT, metavar="N",
                        help="bootstrap replicates; default: %(default)s")
    parser.add_argument("--seed", type=int, default=SEED,
                        help="bootstrap seed; default: %(default)s")
    parser.add_argument("--errors", type=int, default=25, metavar="N",
                        help="errors to print (-1: all; the JSON has all); default: %(default)s")
    parser.add_argument("--qualifications", metavar="FILE",
                        help="register mode: which qualifications name the relationship "
                             "(JSON Lines, see docs/corpus.md); adds the scores of those "
                             "items; default: <corpus stem>_qualifications.jsonl beside the "
                             "corpus when it exists")
    parser.add_argument("--review", metavar="SHARES", type=_shares,
                        help="also print the partner-violence flag after reading these "
                             "shares of the items by hand, least certain first (e.g. "
                             "0.1,0.2,0.3; needs --model: the order is by its pv_score)")
    parser.add_argument("--json", metavar="OUT", help="also write everything as JSON")
    add_rule_options(parser)
    parser.set_defaults(func=run)


def _replicates(text: str) -> int:
    """Parse ``--n-boot``: a whole number, 0 (no intervals) or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more replicates, got {value}")
    return value


def _shares(text: str) -> tuple[float, ...]:
    """Parse ``--review``: comma-separated fractions from 0 to 1."""
    try:
        return parse_shares(text)
    except PvIdentifyError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    """Run ``evaluate-text``."""
    check_paths({"corpus": args.corpus, "--qualifications": args.qualifications},
                {"--json": args.json})
    if args.json and Path(args.json).is_dir():
        raise OutputFileError(f"{args.json}: --json is a folder; give an output file name")
    if args.json and not Path(args.json).absolute().parent.is_dir():
        raise OutputFileError(f"{args.json}: --json names a folder that does not exist "
                              "(nothing was read or written)")
    if args.review and not args.model:
        raise PvIdentifyError("--review orders the items by the model's pv_score; add "
                              "--model default (or a model file)")
    if args.qualifications and args.mode != "register":
        raise PvIdentifyError("--qualifications labels register rows; add --mode register "
                              "(text mode does not use it)")
    if args.outside and not args.split:
        splits = None
        items = load_corpus(args.corpus, minimal=True)
    else:
        splits = list(dict.fromkeys(args.split or ["dev"]))
        items = load_corpus(args.corpus, splits=splits, minimal=args.outside)
    ruleset = rules_from_args(args)
    labels = None
    if args.mode == "register":
        path = args.qualifications or qualification_file(args.corpus)
        if args.qualifications or Path(path).is_file():
            labels = load_qualification_labels(path)
    result = evaluate_corpus(
        items, mode=args.mode, field=args.field, rules=ruleset, model=args.model,
        n_boot=args.n_boot, seed=args.seed, qualifications=labels, review=args.review,
        settings={"corpus": str(args.corpus), "splits": splits,
                  **({"outside": True} if args.outside else {}),
                  **({"qualifications": str(path)} if labels is not None else {})})
    print(result.format(errors=args.errors), end="")
    if args.json:
        atomic_write_text(args.json, json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        print(f"json: {args.json}")
    return 0
