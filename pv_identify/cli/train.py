"""``pv-identify train``: train a relationship model on a labelled extract or sheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    mapping_from_args,
    read_options,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.io.samefile import check_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``train`` sub-command."""
    parser = subparsers.add_parser(
        "train", help="train a relationship model on a labelled extract",
        description="Train the relationship model on an extract with a gold-label column "
                    "(--label-column) or on a filled-in annotation sheet from "
                    "'pv-identify sample' (--sheet; rows of a stratified sample are weighted by "
                    "their inverse inclusion probability). Persons are split into train and test "
                    "(no person on both sides, fixed --seed); the model, its manifest and "
                    "its model card are written next to each other.")
    parser.add_argument("input", help="extract (CSV, Parquet, SPSS, Stata, Excel)")
    parser.add_argument("-o", "--output", required=True,
                        help="model file to write (e.g. models/my_model.pvmodel)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--label-column", metavar="COLUMN",
                        help="column with one label per offence (empty = unlabelled)")
    source.add_argument("--sheet", metavar="FILE",
                        help="filled-in annotation sheet (.csv/.xlsx) drawn from INPUT")
    parser.add_argument("--test-size", type=float, default=0.2,
                        help="share of persons held out; default: %(default)s")
    parser.add_argument("--seed", type=int, default=0, help="seed; default: %(default)s")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="model threshold recorded and used in the evaluation")
    parser.add_argument("--name", default=None, help="model name (default: file stem)")
    parser.add_argument("--model-version", default="0.1.0", help="model version to record")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates")
    add_mapping_options(parser)
    add_input_options(parser, sheet_option="--input-sheet")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``train``."""
    check_paths({"input": args.input, "--sheet": args.sheet}, {"--output": args.output})
    from pv_identify.estimate.sheet import SHEET_PI_COLUMN
    from pv_identify.io.readers import read_extract
    from pv_identify.model.card import model_card
    from pv_identify.model.persist import save_model
    from pv_identify.model.train import (
        labels_from_sheet,
        read_sheet,
        tables_to_json,
        train_model,
        weights_from_sheet,
    )
    from pv_identify.rules.loader import load_rules

    df = read_extract(args.input, **read_options(args))
    weights = None
    if args.label_column:
        if args.label_column not in df.columns:
            raise PvIdentifyError(f"{args.input}: no column {args.label_column!r}")
        labels = df.pop(args.label_column).fillna("").astype(str).str.strip()
        what = f"gold-label column {args.label_column!r} of {Path(args.input).name}"
    else:
        sheet = read_sheet(args.sheet)
        labels = labels_from_sheet(df, sheet)
        weights = weights_from_sheet(df, sheet)
        weighted = SHEET_PI_COLUMN in sheet.columns and \
            bool((sheet[SHEET_PI_COLUMN].astype(str).str.strip() != "").any())
        what = (f"annotation sheet {Path(args.sheet).name} over "
                f"{Path(args.input).name}"
                + (", weighted by inverse inclusion probability" if weighted else ""))
        if not weighted:
            weights = None
    columns = mapping_from_args(args) or None
    result = train_model(df, labels, columns=columns, test_size=args.test_size,
                         seed=args.seed, threshold=args.threshold, n_boot=args.n_boot,
                         sample_weight=weights)
    ruleset = load_rules("default")
    out = Path(args.output)
    manifest = {
        "name": args.name or out.stem, "version": args.model_version,
        "threshold": args.threshold,
        "ruleset": {"name": ruleset.name, "version": ruleset.version, "hash": ruleset.hash},
        "training_data": {"description": f"labels from the {what}", **result.info},
        "metrics": {"synthetic_test": tables_to_json(result.tables), "rulings_dev": None},
        "reproduce": (f"pv-identify train {args.input} -o {args.output} --seed {args.seed}"
                      f" --test-size {args.test_size}"),
    }
    full = save_model(result.model, out, manifest)
    card = model_card(full, result.tables) if result.tables else ""
    if card:
        out.with_name(out.stem + ".card.md").write_text(card, encoding="utf-8")
    print(f"model           {out}")
    if weights is not None:
        print("weights         inverse inclusion probability of the annotation sample")
    print(f"trained on      {result.info['train_rows']:,} offences "
          f"({result.info['train_persons']} persons), tested on "
          f"{result.info['test_rows']:,}")
    for system, table in result.tables.items():
        if "flag:partner_violence" in table.index:
            row = table.loc["flag:partner_violence"]
            print(f"{system:<24} PV flag precision {row['precision']:.3f} "
                  f"recall {row['recall']:.3f} F1 {row['f1']:.3f}")
    return 0
