"""Combine rule hits and model scores into one label with provenance.

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

Decision policy with a model (:func:`combine_with_model`):

4. **Rule evidence decides where it exists.** A row on which a rule fired keeps the
   rules' label and ``pv_source = "rule"`` -- including exclusions (``zakenpartner``
   stays ``none``). One documented exception, ``refine_unspecified`` (on by
   default): where the rules could only say ``domestic_unspecified`` (generic HG MC,
   304 sub 1 without a term), the model may name the relationship if it labels the
   row at the threshold (step 5); the row stays domestic violence,
   keeps its rule ids and evidence, and gets ``pv_source = "model"``.
5. **The model labels the rest above a threshold.** On rows without rule evidence,
   with ``s_pv = P(partner) + P(ex_partner)`` and ``s_dv = 1 - P(none)``:
   if ``s_pv >= threshold`` the label is the likelier of partner/ex_partner; else if
   ``s_dv >= threshold`` the likeliest of the other domestic labels; else ``none``.
   Rows the model labels get ``pv_source = "model"``; rows it leaves ``none`` keep
   ``pv_source = "none"``.
6. ``pv_score`` holds the model's partner-violence score ``s_pv`` for **every** row
   when a model is given (also for rule decisions, so that rules and model can be
   compared row by row); without a model it is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pv_identify.rules.apply import FieldMatches
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.schema import (
    DOMESTIC_LABELS,
    DOMESTIC_UNSPECIFIED,
    ID_SEPARATOR,
    LABEL_TIER,
    LABELS,
    NONE,
    PARTNER_LABELS,
    SOURCE_MODEL,
    SOURCE_NONE,
    SOURCE_RULE,
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
    vetoes = compiled.vetoes
    vetoed_rules: set[int] = set()
    for hit in hits:
        if hit.rule in vetoes:
            vetoed_rules |= vetoes[hit.rule]
    if vetoed_rules:
        kept = tuple(sorted((h for h in hits if h.rule not in vetoed_rules), key=_hit_rule))
        vetoed = tuple(h for h in hits if h.rule in vetoed_rules)
    else:  # no exclusion fired (most texts): the same tuples, fewer passes
        kept = tuple(sorted(hits, key=_hit_rule)) if len(hits) > 1 else tuple(hits)
        vetoed = ()
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


def _hit_rule(hit: Hit) -> int:
    return hit.rule


def format_rule_ids(decision: Decision, compiled: CompiledRules) -> str:
    """Rule ids of the counted hits, in rule order, joined by ``|``."""
    return ID_SEPARATOR.join(dict.fromkeys(compiled.rules[h.rule].id for h in decision.hits))


def format_evidence(decision: Decision) -> str:
    """Evidence of the counted hits as ``field="text"`` items joined by ``"; "``.

    A grammar phrase appends its reading: ``text="de vader van zijn ex-partner" → none
    (relative of the ex-partner)``.
    """
    hits = decision.hits
    if len(hits) == 1:  # one item: nothing to join or deduplicate
        h = hits[0]
        return f'{h.field}="{h.text}" → {h.note}' if h.note else f'{h.field}="{h.text}"'
    return "; ".join(dict.fromkeys(
        f'{h.field}="{h.text}"' + (f" → {h.note}" if h.note else "") for h in hits))


#: Per label code (index into LABELS): is it a partner / domestic label?
_IS_PARTNER = np.array([label in PARTNER_LABELS for label in LABELS])
_IS_DOMESTIC = np.array([label in DOMESTIC_LABELS for label in LABELS])
_LABEL_NAMES = np.array(LABELS, dtype=object)


@dataclass(frozen=True)
class RuleColumns:
    """Per-row results of the rules, as numpy arrays aligned with the input rows.

    ``label_code`` is the row's label as an index into :data:`pv_identify.schema.LABELS`
    (the cheap form for flags and categoricals on millions of rows). ``error`` is None
    when every row was matched, else a boolean array: True where a field could not be
    matched (the reason is then the row's ``evidence``, its label ``none``).
    """

    fired: np.ndarray
    rule_ids: np.ndarray
    evidence: np.ndarray
    label_code: np.ndarray
    combo_codes: np.ndarray | None = None
    decisions: tuple[Decision, ...] = ()
    error: np.ndarray | None = None

    def decision(self, row: int) -> Decision:
        """Return the rules' decision on one row (its distinct combination's decision)."""
        if self.combo_codes is None:
            raise ValueError("these rule columns carry no decisions")
        return self.decisions[int(self.combo_codes[row])]

    @property
    def label(self) -> np.ndarray:
        """Label per row as strings (derived from :attr:`label_code`)."""
        return _LABEL_NAMES[self.label_code]

    @property
    def partner(self) -> np.ndarray:
        """Partner-violence flag per row."""
        return _IS_PARTNER[self.label_code]

    @property
    def domestic(self) -> np.ndarray:
        """Domestic-violence flag per row."""
        return _IS_DOMESTIC[self.label_code]


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
    codes = np.zeros(n, dtype=np.int8)
    fired = np.zeros(n, dtype=bool)
    rule_ids = np.empty(n, dtype=object)
    evidence = np.empty(n, dtype=object)
    # Many combinations share the same hits (most have none): decide each hit set once.
    decided: dict[tuple[Hit, ...], tuple[int, bool, str, str, Decision]] = {}
    decisions: list[Decision] = []
    for i, k in enumerate(combos.tolist()):
        q, rest = divmod(k, n_m * n_a)
        m, a = divmod(rest, n_a)
        hits = qualification.hits[q] + mc.hits[m] + article.hits[a]
        result = decided.get(hits)
        if result is None:
            decision = decide(hits, compiled)
            result = decided[hits] = (
                _LABEL_ORDER[decision.label], decision.fired,
                format_rule_ids(decision, compiled), format_evidence(decision), decision)
        codes[i], fired[i], rule_ids[i], evidence[i] = result[:4]
        decisions.append(result[4])
    error = _combo_errors(combos, n_m, n_a, (qualification, mc, article))
    if error is not None:
        codes[error], fired[error], rule_ids[error] = _LABEL_ORDER[NONE], False, ""
        evidence[error] = _error_reasons(combos[error], n_m, n_a, (qualification, mc, article))
        error = error[combo_codes]
    return RuleColumns(fired[combo_codes], rule_ids[combo_codes], evidence[combo_codes],
                       codes[combo_codes], np.asarray(combo_codes, dtype=np.int64),
                       tuple(decisions), error)


_FIELD_NAMES = ("qualification", "mc", "article")


def _split_combos(combos: np.ndarray, n_m: int, n_a: int) -> tuple[np.ndarray, ...]:
    q, rest = np.divmod(np.asarray(combos, dtype=np.int64), n_m * n_a)
    m, a = np.divmod(rest, n_a)
    return q, m, a


def _combo_errors(combos: np.ndarray, n_m: int, n_a: int,
                  fields: tuple[FieldMatches, ...]) -> np.ndarray | None:
    """Which distinct combinations hold a field value that could not be matched."""
    if not any(f.errors for f in fields):
        return None
    parts = _split_combos(combos, n_m, n_a)
    bad = np.zeros(len(combos), dtype=bool)
    for f, codes in zip(fields, parts, strict=True):
        if f.errors:
            bad |= np.isin(codes, np.fromiter(f.errors, dtype=np.int64))
    return bad if bad.any() else None


def _error_reasons(combos: np.ndarray, n_m: int, n_a: int,
                   fields: tuple[FieldMatches, ...]) -> list[str]:
    """``"error: <field>: <reason>"`` for each failed combination (no cell contents)."""
    parts = _split_combos(combos, n_m, n_a)
    out = []
    for i in range(len(combos)):
        reasons = [f"{name}: {f.errors[int(codes[i])]}" for name, f, codes
                   in zip(_FIELD_NAMES, fields, parts, strict=True)
                   if f.errors and int(codes[i]) in f.errors]
        out.append("error: " + "; ".join(reasons))
    return out


@dataclass(frozen=True)
class CombinedColumns:
    """Per-row result of rules and model together.

    Parameters
    ----------
    label : numpy.ndarray of str
        Final relationship label.
    source : numpy.ndarray of str
        ``rule``, ``model`` or ``none``.
    score : numpy.ndarray of float
        Model partner-violence score (P(partner) + P(ex_partner)).
    model_label : numpy.ndarray of str
        What the model alone would say at the threshold (for comparison and sampling).
    """

    label: np.ndarray
    source: np.ndarray
    score: np.ndarray
    model_label: np.ndarray

    @property
    def partner(self) -> np.ndarray:
        """Partner-violence flag per row."""
        return np.isin(self.label, list(PARTNER_LABELS))

    @property
    def domestic(self) -> np.ndarray:
        """Domestic-violence flag per row."""
        return np.isin(self.label, list(DOMESTIC_LABELS))


def model_labels(proba: np.ndarray, classes: np.ndarray | list[str],
                 threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Turn model probabilities into labels at ``threshold`` (policy step 5).

    Parameters
    ----------
    proba : numpy.ndarray of shape (n, len(classes))
        Calibrated probabilities.
    classes : sequence of str
        Label of each column.
    threshold : float, default 0.5
        Minimum score for a label.

    Returns
    -------
    label : numpy.ndarray of str
        Model label per row (``none`` below the threshold).
    s_pv : numpy.ndarray of float
        Partner-violence score P(partner) + P(ex_partner).
    """
    classes = np.asarray(classes, dtype=object)
    n = len(proba)
    pv_cols = np.flatnonzero(np.isin(classes, list(PARTNER_LABELS)))
    fam_cols = np.flatnonzero(~np.isin(classes, [*PARTNER_LABELS, NONE]))
    none_cols = np.flatnonzero(classes == NONE)
    s_pv = proba[:, pv_cols].sum(axis=1) if len(pv_cols) else np.zeros(n)
    s_none = proba[:, none_cols].sum(axis=1) if len(none_cols) else np.zeros(n)
    s_dv = 1.0 - s_none
    label = np.full(n, NONE, dtype=object)
    if len(fam_cols):
        fam = classes[fam_cols][proba[:, fam_cols].argmax(axis=1)]
        label = np.where(s_dv >= threshold, fam, label)
    if len(pv_cols):
        best_pv = classes[pv_cols][proba[:, pv_cols].argmax(axis=1)]
        label = np.where(s_pv >= threshold, best_pv, label)
    return label.astype(object), s_pv


def combine_with_model(
    rules: RuleColumns,
    proba: np.ndarray,
    classes: np.ndarray | list[str],
    threshold: float = 0.5,
    *,
    refine_unspecified: bool = True,
) -> CombinedColumns:
    """Apply the decision policy with a model (steps 4-6 of the module docstring).

    Parameters
    ----------
    rules : RuleColumns
        The rules' per-row result.
    proba : numpy.ndarray of shape (n_rows, len(classes))
        Model probabilities per row.
    classes : sequence of str
        Label of each probability column.
    threshold : float, default 0.5
        Minimum model score for a model label (between 0 and 1).
    refine_unspecified : bool, default True
        Let the model name the relationship where the rules say only
        ``domestic_unspecified``.

    Returns
    -------
    CombinedColumns
        Label, source, score and the model's own label per row.

    Raises
    ------
    ValueError
        If ``threshold`` is outside [0, 1] or the shapes do not match.
    """
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    if proba.shape[0] != len(rules.label):
        raise ValueError("proba and rule results have different numbers of rows")
    m_label, s_pv = model_labels(proba, classes, threshold)
    label = np.where(rules.fired, rules.label, m_label).astype(object)
    source = np.where(rules.fired, SOURCE_RULE,
                      np.where(m_label != NONE, SOURCE_MODEL, SOURCE_NONE)).astype(object)
    if refine_unspecified:
        refine = (rules.fired & (rules.label == DOMESTIC_UNSPECIFIED)
                  & ~np.isin(m_label, [NONE, DOMESTIC_UNSPECIFIED]))
        label = np.where(refine, m_label, label)
        source = np.where(refine, SOURCE_MODEL, source)
    return CombinedColumns(label, source, s_pv.astype(float), m_label)
