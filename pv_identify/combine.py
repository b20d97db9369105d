"""Combine rule hits (and, later, model scores) into one label with provenance.

Decision policy for rules:

1. Exclusion rules (label ``none``) that fire switch off the rules they veto.
2. Of the remaining rules with a relationship label, the winner is the one with
   the highest *label tier* (partner/ex_partner > child/parent/other_family >
   domestic_unspecified), then the highest rule *priority* (qualification >
   MC > article by default), then the label listed first in
   :data:`pv_identify.schema.LABELS`.
3. The partner-violence flag is "label is partner or ex_partner"; the domestic-
   violence flag is "label is not none". Because partner labels outrank the others,
   the flags equal the published "any of the criteria" logic.

The work is done once per distinct combination of the three fields' values and
mapped back to rows with numpy indexing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.rules.apply import FieldMatches
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.schema import (
    DOMESTIC_LABELS,
    ID_SEPARATOR,
    LABEL_TIER,
    LABELS,
    NONE,
    PARTNER_LABELS,
)

_LABEL_ORDER = {label: i for i, label in enumerate(LABELS)}


@dataclass(frozen=True)
class Decision:
    """The rules' decision on one offence.

    Parameters
    ----------
    label : str
        Relationship label.
    hits : tuple of Hit
        Hits that count (vetoed hits removed), in rule order.
    vetoed : tuple of Hit
        Hits switched off by an exclusion rule.
    winner : Hit or None
        The hit that decided the label (None if no relationship rule fired).
    """

    label: str
    hits: tuple[Hit, ...]
    vetoed: tuple[Hit, ...]
    winner: Hit | None

    @property
    def fired(self) -> bool:
        """Whether any rule (including an exclusion) fired."""
        return bool(self.hits)


def decide(hits: tuple[Hit, ...], compiled: CompiledRules) -> Decision:
    """Apply the decision policy to the hits of one offence.

    Parameters
    ----------
    hits : tuple of Hit
        All hits on the offence's fields.
    compiled : CompiledRules
        The compiled rule set the hits refer to.

    Returns
    -------
    Decision
        Label, counted hits, vetoed hits and the deciding hit.
    """
    rules = compiled.rules
    vetoed_rules: set[int] = set()
    for hit in hits:
        vetoed_rules |= compiled.vetoes.get(hit.rule, frozenset())
    kept = tuple(sorted((h for h in hits if h.rule not in vetoed_rules), key=lambda h: h.rule))
    vetoed = tuple(h for h in hits if h.rule in vetoed_rules)
    winner = None
    best = None
    for hit in kept:
        rule = rules[hit.rule]
        if rule.label == NONE:
            continue
        key = (LABEL_TIER[rule.label], rule.priority, -_LABEL_ORDER[rule.label])
        if best is None or key > best:
            best, winner = key, hit
    label = rules[winner.rule].label if winner is not None else NONE
    return Decision(label, kept, vetoed, winner)


def format_rule_ids(decision: Decision, compiled: CompiledRules) -> str:
    """Rule ids of the counted hits, in rule order, joined by ``|``."""
    return ID_SEPARATOR.join(dict.fromkeys(compiled.rules[h.rule].id for h in decision.hits))


def format_evidence(decision: Decision) -> str:
    """Evidence of the counted hits as ``field="text"`` items joined by ``"; "``."""
    return "; ".join(dict.fromkeys(f'{h.field}="{h.text}"' for h in decision.hits))


@dataclass(frozen=True)
class RuleColumns:
    """Per-row results of the rules, as numpy arrays aligned with the input rows."""

    label: np.ndarray
    fired: np.ndarray
    rule_ids: np.ndarray
    evidence: np.ndarray

    @property
    def partner(self) -> np.ndarray:
        """Partner-violence flag per row."""
        return np.isin(self.label, list(PARTNER_LABELS))

    @property
    def domestic(self) -> np.ndarray:
        """Domestic-violence flag per row."""
        return np.isin(self.label, list(DOMESTIC_LABELS))


def combine_fields(
    qualification: FieldMatches,
    mc: FieldMatches,
    article: FieldMatches,
    compiled: CompiledRules,
) -> RuleColumns:
    """Decide every row from the field matches, once per distinct combination.

    Parameters
    ----------
    qualification, mc, article : FieldMatches
        Matches of the three fields (use :meth:`FieldMatches.empty` for absent ones).
    compiled : CompiledRules
        The compiled rule set.

    Returns
    -------
    RuleColumns
        Label, fired flag, rule ids and evidence per row.
    """
    n_m, n_a = len(mc.hits), len(article.hits)
    key = (qualification.codes * n_m + mc.codes) * n_a + article.codes
    combo_codes, combos = pd.factorize(key)
    n = len(combos)
    labels = np.empty(n, dtype=object)
    fired = np.zeros(n, dtype=bool)
    rule_ids = np.empty(n, dtype=object)
    evidence = np.empty(n, dtype=object)
    for i, k in enumerate(combos):
        q, rest = divmod(int(k), n_m * n_a)
        m, a = divmod(rest, n_a)
        decision = decide(qualification.hits[q] + mc.hits[m] + article.hits[a], compiled)
        labels[i] = decision.label
        fired[i] = decision.fired
        rule_ids[i] = format_rule_ids(decision, compiled)
        evidence[i] = format_evidence(decision)
    return RuleColumns(labels[combo_codes], fired[combo_codes], rule_ids[combo_codes],
                       evidence[combo_codes])
