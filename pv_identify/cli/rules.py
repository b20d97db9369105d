"""``pv-identify rules``: list presets, show or validate rule sets."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pv_identify.cli.options import add_rule_options, rules_from_args
from pv_identify.errors import PvIdentifyError, RuleFileError
from pv_identify.rules.grammar import load_grammar
from pv_identify.rules.loader import load_rule_file
from pv_identify.rules.presets import preset_names
from pv_identify.rules.textrules import load_text_rules
from pv_identify.rules.yamlfile import read_yaml


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rules`` sub-command."""
    parser = subparsers.add_parser("rules", help="list, show or validate rule sets")
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    sub.add_parser("presets", help="list the bundled presets").set_defaults(func=run_presets)
    show = sub.add_parser("list", help="list the rules of a rule set (with --show-terms: "
                          "every term)")
    add_rule_options(show)
    show.add_argument("--show-terms", action="store_true", help="print every term / value")
    show.set_defaults(func=run_list)
    one = sub.add_parser("show", help="show one rule: field, label, rationale, file:line "
                         "and every item")
    add_rule_options(one)
    one.add_argument("rule_id", metavar="ID", help="the rule id")
    one.set_defaults(func=run_show)
    validate = sub.add_parser("validate", help="validate rule files; every error is listed "
                              "with file and line",
                              description="Validate register rule files, grammar files (with "
                                          "'words') and text rule files (with 'sets' or "
                                          "'patterns'); every error is listed with file and "
                                          "line.")
    validate.add_argument("files", nargs="+", help="YAML rule, grammar or text rule files")
    validate.set_defaults(func=run_validate)


def run_presets(args: argparse.Namespace) -> int:
    """List presets with their version and description."""
    from pv_identify.rules.loader import load_rules

    for name in preset_names():
        rs = load_rules(name)
        print(f"{name:<22} {rs.version:<8} {rs.hash}  {rs.description}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the rules of a rule set and its documented choices."""
    rs = rules_from_args(args)
    print(f"{rs.name} {rs.version} (hash {rs.hash}): {rs.description}")
    print(f"files: {', '.join(rs.files)}")
    print(f"{'id':<28} {'field':<14} {'label':<21} {'group':<26} items")
    for rule in rs.rules:
        print(f"{rule.id:<28} {rule.field:<14} {rule.label:<21} {rule.group:<26} "
              f"{len(rule.items)}")
        if args.show_terms:
            print("    " + ", ".join(t.text for t in rule.items))
    if rs.choices:
        print("\nDocumented choices:")
        for choice in rs.choices:
            print(f"  - {choice}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one rule of a rule set."""
    rs = rules_from_args(args)
    try:
        rule = rs.rule(args.rule_id)
    except KeyError:
        raise PvIdentifyError(f"no rule {args.rule_id!r} in {rs.name}; list them with "
                              "'pv-identify rules list'") from None
    print(f"{rule.id}  ({rule.file}:{rule.line})")
    print(f"field {rule.field}, label {rule.label}, group {rule.group}, priority "
          f"{rule.priority}, match {rule.match}")
    print(f"rationale: {rule.rationale}")
    if rule.vetoes:
        print(f"vetoes: {', '.join(rule.vetoes)}")
    for item in rule.items:
        print(f"  {item.text}    ({item.file}:{item.line})")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    """Validate each file; print OK or the error; exit 2 if any failed."""
    failed = 0
    for path in args.files:
        try:
            kind, rs = _validate(Path(path))
        except RuleFileError as exc:
            failed += 1
            print(f"ERROR {exc}")
        else:
            print(f"OK    {path}: {kind}{rs.name} {rs.version}, {len(rs.rules)} rules, "
                  f"hash {rs.hash}")
    return 2 if failed else 0


def _validate(path: Path) -> tuple[str, Any]:
    """Load a register rule file, a grammar (key ``words``) or text rules (``sets``)."""
    data = read_yaml(path.resolve())
    if "words" in data:
        return "grammar ", load_grammar(path)
    rules = data.get("rules")
    if "sets" in data or (isinstance(rules, list) and any(
            isinstance(r, dict) and "patterns" in r for r in rules)):
        return "text rules ", load_text_rules(path)
    return "", load_rule_file(path)
