"""Evaluate and compare rule sets: the analyst's workflow.

* :func:`compare` — two rule sets on one extract: counts, gained/lost offences by
  year, article, MC and rule, and (with gold labels) metrics with a paired test;
* :func:`rule_summary` — per-rule coverage, overlaps, conflicts, empirical precision;
* :func:`evaluate` — labels (and a model score) against gold labels;
* :func:`lint` — checks of a rule file or term list;
* :func:`build_report` / :func:`write_report` — one self-contained HTML report;
* :func:`evaluate_corpus` — the tagger on the labelled text corpus (``evaluate-text``);
* :mod:`~pv_identify.evaluate.metrics` — bootstrap intervals and the paired test, on
  the one cluster bootstrap of :mod:`~pv_identify.evaluate.bootstrap`.

All of them work on distinct values and count tables, never per row in Python, and
never show record contents unless asked (``show_texts``).
"""

from pv_identify.evaluate.compare import Comparison, compare, drop_terms
from pv_identify.evaluate.evaluation import Evaluation, evaluate
from pv_identify.evaluate.lint import LintIssue, LintResult, lint
from pv_identify.evaluate.metrics import (
    Estimate,
    PairedTest,
    binary_metrics,
    calibration_table,
    confusion_matrix,
    paired_test,
    per_label_metrics,
    pr_curve,
)
from pv_identify.evaluate.report import build_report, provenance, write_report
from pv_identify.evaluate.rule_summary import format_summary, rule_summary
from pv_identify.evaluate.sources import flag_sources, share_by_year
from pv_identify.evaluate.textcorpus import CorpusEvaluation, evaluate_corpus

__all__ = [
    "Comparison",
    "CorpusEvaluation",
    "Estimate",
    "Evaluation",
    "LintIssue",
    "LintResult",
    "PairedTest",
    "binary_metrics",
    "build_report",
    "calibration_table",
    "compare",
    "confusion_matrix",
    "drop_terms",
    "evaluate",
    "evaluate_corpus",
    "flag_sources",
    "format_summary",
    "lint",
    "paired_test",
    "per_label_metrics",
    "pr_curve",
    "provenance",
    "rule_summary",
    "share_by_year",
    "write_report",
]
