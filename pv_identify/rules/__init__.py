"""The rules layer: rule data model, loading and validation, presets, compilation."""

from pv_identify.rules.compiler import CompiledRules, Hit, compile_rules
from pv_identify.rules.loader import load_rule_file, load_rules
from pv_identify.rules.presets import preset_names, rules_root
from pv_identify.rules.ruleset import Rule, RuleSet, Term

__all__ = [
    "CompiledRules",
    "Hit",
    "Rule",
    "RuleSet",
    "Term",
    "compile_rules",
    "load_rule_file",
    "load_rules",
    "preset_names",
    "rules_root",
]
