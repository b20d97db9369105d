"""``pv-identify compare``: two rule sets on the same extract."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pv_identify.cli.options import (
    add_input_options,
    add_mapping_options,
    mapping_from_args,
    read_options,
)
from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate.common import load_ruleset
from pv_identify.evaluate.compare import compare, drop_terms
from pv_identify.evaluate.metrics import N_BOOT
from pv_identify.io.atomic import atomic_write_text
from pv_identify.io.readers import read_extract
from pv_identify.io.samefile import check_paths
from pv_identify.rules.ruleset import RuleSet

_CLUSTER = {"case": "case_id", "person": "person_id", "offence": None}


def add_side_rule_options(parser: argparse.ArgumentParser, side: str, default: str | None
                          ) -> None:
    """Add ``--rules-X``, ``--extra-rules-X``, ``--terms-X``, ``--drop-term-X``, ...

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser.
    side : str
        ``"a"`` or ``"b"``.
    default : str or None
        Default of ``--rules-X`` (None: same as A).
    """
    group = parser.add_argument_group(f"rule set {side.upper()}")
    group.add_argument(f"--rules-{side}", default=default, metavar="PRESET_OR_FILE",
                       help="preset name or rule file" + (f"; default: {default}" if default
                                                          else "; default: same as A"))
    group.add_argument(f"--extra-rules-{side}", action="append", default=[], metavar="FILE",
                       help="rule file added on top (repeatable)")
    group.add_argument(f"--terms-{side}", action="append", default=[], metavar="LABEL=FILE",
                       help="term list added as qualification rule, e.g. "
                            "ex_partner=my_terms.txt (repeatable)")
    group.add_argument(f"--drop-term-{side}", action="append", default=[], metavar="TERM",
                       help="remove one qualification term, e.g. partner (repeatable)")
    group.add_argument(f"--disable-{side}", action="append", default=[], metavar="ID_OR_GROUP",
                       help="switch off a rule or group (repeatable)")


def side_rules(args: argparse.Namespace, side: str) -> RuleSet:
    """Load the rule set of side ``side`` from the options."""
    spec = getattr(args, f"rules_{side}") or args.rules_a
    extra_terms: dict[str, Path] = {}
    for option in getattr(args, f"terms_{side}"):
        label, sep, path = option.partition("=")
        if not sep or not label or not path:
            raise PvIdentifyError(f"--terms-{side} expects LABEL=FILE, got {option!r}")
        extra_terms[label.strip()] = Path(path.strip())
    disable = getattr(args, f"disable_{side}") or None
    rs = load_ruleset(spec, extra=getattr(args, f"extra_rules_{side}"),
                      extra_terms=extra_terms, disable=disable)
    drops = getattr(args, f"drop_term_{side}")
    return drop_terms(rs, drops) if drops else rs


def add_eval_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--gold``, ``--no-gold``, ``--cluster``, ``--bootstrap``, ``--seed``."""
    group = parser.add_argument_group("gold labels and statistics")
    group.add_argument("--gold", metavar="COLUMN",
                       help="gold-label column (default: true_relationship when present)")
    group.add_argument("--no-gold", action="store_true", help="ignore gold labels")
    group.add_argument("--cluster", choices=sorted(_CLUSTER), default="case",
                       help="unit resampled by the bootstrap; default: %(default)s")
    group.add_argument("--bootstrap", type=int, default=N_BOOT, metavar="N",
                       help="bootstrap replicates; default: %(default)s")
    group.add_argument("--seed", type=int, default=0, help="random seed; default: %(default)s")


def gold_from_args(args: argparse.Namespace) -> str | bool | None:
    """Return the ``gold`` argument of the API functions from the options."""
    return False if args.no_gold else args.gold


def cluster_from_args(args: argparse.Namespace) -> str | None:
    """Canonical cluster field from ``--cluster``."""
    return _CLUSTER[args.cluster]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` sub-command."""
    parser = subparsers.add_parser(
        "compare", help="compare two rule sets (e.g. with and without a term list)",
        description="Tag one extract with rule sets A and B and show what changes: offences, "
                    "cases and persons flagged; gained and lost offences by year, article, MC "
                    "and rule; with gold labels precision/recall/F1 with bootstrap intervals "
                    "and a paired test. Qualification texts are shown only with --show-texts.",
        epilog="example: pv-identify compare examples/sample_extract.csv --rules-a default "
               "--terms-b ex_partner=my_terms.txt")
    parser.add_argument("input", help="input extract (CSV, Parquet, SPSS, Stata, Excel)")
    add_side_rule_options(parser, "a", "default")
    add_side_rule_options(parser, "b", None)
    parser.add_argument("--flag", choices=["partner", "domestic"], default="partner",
                        help="flag to compare; default: %(default)s")
    parser.add_argument("--show-texts", action="store_true",
                        help="show the most frequent changed qualification texts (sensitive)")
    parser.add_argument("--top", type=int, default=10, metavar="N",
                        help="rows per breakdown; default: %(default)s")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    add_eval_options(parser)
    add_mapping_options(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``compare``."""
    check_paths({"input": args.input}, {"--json": args.json})
    df = read_extract(args.input, **read_options(args))
    result = compare(df, side_rules(args, "a"), side_rules(args, "b"),
                     columns=mapping_from_args(args), target=args.flag,
                     gold=gold_from_args(args), cluster=cluster_from_args(args),
                     show_texts=args.show_texts, n_boot=args.bootstrap, seed=args.seed)
    print(result.format(top=args.top), end="")
    if args.json:
        atomic_write_text(args.json, json.dumps(result.to_dict(), indent=2,
                                                 ensure_ascii=False))
        print(f"json            {args.json}")
    return 0
