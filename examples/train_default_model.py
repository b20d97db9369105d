"""Reproduce the shipped default model: ``python examples/train_default_model.py --out DIR``.

Generates the synthetic reference extract (300,000 rows, seed 2024), trains the
relationship model on 80% of the persons (seed 0), evaluates on the other 20% and in
register mode on ``tests/data/rulings_dev.jsonl`` (measured, never fitted), and writes
``models/pv_default.pvmodel``, ``models/pv_default.manifest.json`` and
``models/pv_default.card.md`` into ``--out`` (a new folder, to compare with the shipped
files) or, with ``--force``, over the shipped model in ``models/``. Takes about a minute
on two cores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pv_identify.model.default import DATA_SEED, DEFAULT_ROWS, SPLIT_SEED, build_default_model

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Run the training; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--out", default=None,
                        help="output folder (required unless --force)")
    parser.add_argument("--force", action="store_true",
                        help=f"write over the shipped model in {ROOT / 'models'}")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="synthetic rows")
    parser.add_argument("--data-seed", type=int, default=DATA_SEED, help="generator seed")
    parser.add_argument("--seed", type=int, default=SPLIT_SEED, help="train/test split seed")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates")
    args = parser.parse_args(argv)
    if args.out is None:
        if not args.force:
            parser.error("give --out DIR (or --force to overwrite the shipped model in "
                         "models/)")
        args.out = str(ROOT / "models")
    manifest = build_default_model(args.out, rows=args.rows, data_seed=args.data_seed,
                                   seed=args.seed, n_boot=args.n_boot,
                                   rulings=ROOT / "tests" / "data" / "rulings_dev.jsonl",
                                   corpus=ROOT / "tests" / "data" / "real_texts")
    pv = manifest["metrics"]["synthetic_test"]["rules default + model"]["flag:partner_violence"]
    print(json.dumps({"model": str(Path(args.out) / "pv_default.pvmodel"),
                      "sha256": manifest["model_sha256"], "pv_flag": pv}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
