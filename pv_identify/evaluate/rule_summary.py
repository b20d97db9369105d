"""Per-rule summary in the spirit of snorkel's labelling-function analysis.

For every rule of a rule set (also the ones that never fired):

* ``coverage`` — share of offences the rule fired on;
* ``overlaps`` — share of offences where it fired together with another rule;
* ``conflicts`` — share where another rule with a *different* label fired too;
* ``decides`` — share where the final label equals the rule's label;
* with gold labels: ``precision`` (gold label equals the rule's label;
  ``domestic_unspecified`` rules are right on any domestic gold label, exclusions on
  ``none``) and ``flag_precision`` (the gold label sets the same flag as the rule's
  label: a partner MC on an ex-partner case is right), with Wilson intervals.

Vetoed hits are not in ``pv_rule_ids``, so a rule switched off by an exclusion counts
neither as firing nor as conflicting on that offence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pv_identify.evaluate.common import rule_incidence
from pv_identify.evaluate.metrics import wilson_interval
from pv_identify.rules.ruleset import Rule, RuleSet
from pv_identify.schema import (
    DOMESTIC_LABELS,
    DOMESTIC_UNSPECIFIED,
    LABELS,
    NONE,
    OUT_LABEL,
    PARTNER_LABELS,
)

#: Columns of the summary, in order.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "field", "label", "group", "items", "rows", "coverage", "overlaps", "conflicts",
    "decides", "correct", "precision", "precision_low", "precision_high",
    "flag_precision", "flag_precision_low", "flag_precision_high",
)


def label_correct(rule_label: str, gold: np.ndarray) -> np.ndarray:
    """Whether gold labels agree with a rule's label (exact, with the two wildcards).

    Parameters
    ----------
    rule_label : str
        The rule's label.
    gold : numpy.ndarray of str
        Gold labels.

    Returns
    -------
    numpy.ndarray of bool
    """
    gold = np.asarray(gold, dtype=object)
    if rule_label == DOMESTIC_UNSPECIFIED:
        return np.isin(gold, list(DOMESTIC_LABELS))
    return gold == rule_label


def flag_correct(rule_label: str, gold: np.ndarray) -> np.ndarray:
    """Whether gold labels set the same flag as the rule's label.

    A partner label is right on partner and ex-partner gold labels, a family or
    unspecified label on any domestic gold label, an exclusion on ``none``.
    """
    gold = np.asarray(gold, dtype=object)
    if rule_label in PARTNER_LABELS:
        return np.isin(gold, list(PARTNER_LABELS))
    if rule_label == NONE:
        return gold == NONE
    return np.isin(gold, list(DOMESTIC_LABELS))


def rule_summary(
    tagged: pd.DataFrame,
    ruleset: RuleSet,
    gold: pd.Series | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Coverage, overlaps, conflicts and empirical precision of every rule.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Output of :func:`pv_identify.tag` with ``ruleset``.
    ruleset : RuleSet
        The rule set.
    gold : pandas.Series, optional
        Gold relationship labels aligned with ``tagged`` (see
        :func:`~pv_identify.evaluate.common.resolve_gold`); rows without a gold label
        are left out of the precision columns.
    level : float, default 0.95
        Confidence level of the precision intervals.

    Returns
    -------
    pandas.DataFrame
        One row per rule id (rule-set order) with the columns of
        :data:`SUMMARY_COLUMNS`; precision columns are NaN without gold labels.
        ``attrs["rows"]`` holds the number of offences.

    Examples
    --------
    >>> import pandas as pd, pv_identify as pv
    >>> df = pd.DataFrame({"artikelkwalificatie": ["mishandeling, begaan tegen zijn kind"]})
    >>> rs = pv.load_rules("wodc2022")
    >>> rule_summary(pv.tag(df, rs), rs).loc["wodc.qual.child", "rows"]
    np.int64(1)
    """
    rules: list[Rule] = list(ruleset.rules)
    ids = [r.id for r in rules]
    codes, incidence = rule_incidence(tagged, ids)
    n_combos = len(incidence)
    n_rows = len(tagged)
    label_index = {lab: i for i, lab in enumerate(LABELS)}
    # rows per (combination, final label) and, with gold, per (combination, gold label)
    f_codes, f_uniques = pd.factorize(tagged[OUT_LABEL], use_na_sentinel=False)
    final_idx = np.array([label_index.get(str(u), len(LABELS)) for u in f_uniques],
                         dtype=np.int64)[np.asarray(f_codes, dtype=np.int64)]
    width = len(LABELS) + 1
    per_final = np.bincount(codes * width + final_idx, minlength=n_combos * width
                            ).reshape(n_combos, width)
    rows_per_combo = per_final.sum(axis=1)
    n_fired = incidence.sum(axis=1)
    rule_labels = np.array([r.label for r in rules], dtype=object)

    if gold is not None:
        g_all, g_uniques = pd.factorize(gold, use_na_sentinel=True)
        g_all = np.asarray(g_all, dtype=np.int64)
        has_gold = g_all >= 0
        per_gold = np.bincount(codes[has_gold] * len(g_uniques) + g_all[has_gold],
                               minlength=n_combos * len(g_uniques)
                               ).reshape(n_combos, len(g_uniques))
        g_uniques = np.array([str(u) for u in g_uniques], dtype=object)

    records = []
    for j, rule in enumerate(rules):
        on = incidence[:, j]
        rows = int(rows_per_combo[on].sum())
        others = incidence & on[:, None]
        others[:, j] = False
        overlap = on & (n_fired > 1)
        different = others[:, rule_labels != rule.label].any(axis=1)
        rec: dict[str, object] = {
            "rule_id": rule.id, "field": rule.field, "label": rule.label,
            "group": rule.group, "items": len(rule.items), "rows": rows,
            "coverage": rows / n_rows if n_rows else np.nan,
            "overlaps": rows_per_combo[overlap].sum() / n_rows if n_rows else np.nan,
            "conflicts": rows_per_combo[different].sum() / n_rows if n_rows else np.nan,
            "decides": (per_final[on, label_index[rule.label]].sum() / rows
                        if rows else np.nan),
        }
        if gold is not None:
            counts = per_gold[on].sum(axis=0)
            n = int(counts.sum())
            correct = int(counts[label_correct(rule.label, g_uniques)].sum())
            flag_ok = int(counts[flag_correct(rule.label, g_uniques)].sum())
            (lo, hi), (flo, fhi) = (wilson_interval(np.array([correct]), np.array([n]), level),
                                    wilson_interval(np.array([flag_ok]), np.array([n]), level))
            rec.update(correct=correct, precision=correct / n if n else np.nan,
                       precision_low=float(lo[0]), precision_high=float(hi[0]),
                       flag_precision=flag_ok / n if n else np.nan,
                       flag_precision_low=float(flo[0]), flag_precision_high=float(fhi[0]))
        records.append(rec)
    table = pd.DataFrame.from_records(records, index="rule_id")
    table = table.reindex(columns=list(SUMMARY_COLUMNS))
    table["rows"] = table["rows"].astype(np.int64)
    table.attrs["rows"] = n_rows
    return table


def format_summary(table: pd.DataFrame) -> str:
    """Format a rule summary as a plain-text table (shares in percent)."""
    show = table.copy()
    for col in ("coverage", "overlaps", "conflicts"):
        show[col] = (show[col] * 100).map(lambda v: f"{v:.2f}%")
    show["decides"] = show["decides"].map(lambda v: "-" if pd.isna(v) else f"{v:.0%}")
    for col in ("precision", "flag_precision"):
        lo, hi = show[f"{col}_low"], show[f"{col}_high"]
        show[col] = [("-" if pd.isna(v) else f"{v:.2f} [{a:.2f}, {b:.2f}]")
                     for v, a, b in zip(show[col], lo, hi, strict=True)]
    keep = ["field", "label", "items", "rows", "coverage", "overlaps", "conflicts", "decides"]
    if table["precision"].notna().any():
        keep += ["precision", "flag_precision"]
    return show[keep].to_string()
