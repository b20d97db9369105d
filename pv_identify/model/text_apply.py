"""Apply a text model to matched texts: one path for ``tag_texts``, spaCy and ``explain``.

:func:`model_outputs` takes the matches of the tagger's free-text matcher (each distinct
text matched once), scores them with the text model, combines rules and model with a
policy of :mod:`pv_identify.combine_text` and builds one
:class:`~pv_identify.text.output.TextOutput` per text. Every door that tags free text
with a model calls it, so they agree by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from pv_identify.combine_score import ScoreCalibration
from pv_identify.combine_stack import Stacker
from pv_identify.combine_text import (
    TEMPORAL_CUES,
    TextCombined,
    TextPolicy,
    as_policy,
    combine_text,
)
from pv_identify.schema import PARTNER_LABELS, SOURCE_MODEL, text_class

#: Features named in the evidence of a model decision.
EVIDENCE_FEATURES = 3


def temporal_near(docs: Sequence[str]) -> np.ndarray:
    """Whether a temporal/separation/cohabitation cue stands near a partner hit.

    Read from the feature documents (``wc:<partner label>:<cue class>``).
    """
    keys = tuple(f"wc:{label}:{cue}" for label in PARTNER_LABELS for cue in TEMPORAL_CUES)
    return np.fromiter((any(k in doc.split(" ") for k in keys) if "wc:" in doc else False
                        for doc in docs), dtype=bool, count=len(docs))


def policy_for(model: Any, policy: str | TextPolicy | None = None,
               threshold: float | None = None) -> TextPolicy:
    """Return the policy a text model is combined with.

    A :class:`TextPolicy` is used as given. A name takes the settings chosen for the
    model (its ``policy_``, :mod:`pv_identify.model.text_replay`), else the
    :class:`TextPolicy` defaults; None takes the model's chosen policy too
    (``policy_["name"]``, else ``rules_first``). A ``threshold`` other than the tagger
    default 0.5 overrides the model's.
    """
    return as_policy(policy, threshold, getattr(model, "policy_", None))


def model_score_calibration(model: Any) -> ScoreCalibration | None:
    """Return the map of ``pv_score`` to unseen text a text model carries, or None."""
    data = getattr(model, "score_calibration_", None)
    return ScoreCalibration.from_dict(data) if data else None


def model_stacker(model: Any) -> Stacker | None:
    """Return the learned combiner a text model carries (``stacker_``), or None."""
    data = getattr(model, "stacker_", None)
    return Stacker.from_dict(data) if data else None


@dataclass(frozen=True)
class ScoredTexts:
    """Matches with the model's view: input matrix, feature documents, combination."""

    matches: Sequence[Any]
    matrix: sp.csr_matrix
    docs: list[str]
    proba: np.ndarray
    combined: TextCombined
    policy: TextPolicy


def score_matches(model: Any, matches: Sequence[Any], compiled: Any,
                  policy: str | TextPolicy | None = None, threshold: float | None = None
                  ) -> ScoredTexts:
    """Score matched texts with ``model`` and combine them with the rules.

    Parameters
    ----------
    model : TextRelationshipClassifier
        A fitted text model.
    matches : sequence of TextMatch
        From the tagger's :class:`~pv_identify.text.matcher.TextMatcher`.
    compiled : CompiledRules
        That matcher's compiled rule set.
    policy : str or TextPolicy, optional
        Combination policy (default: the model's chosen one; see :func:`policy_for`).
    threshold : float, optional
        Threshold of a policy given by name (None or 0.5: the model's chosen one).

    Returns
    -------
    ScoredTexts
        The matrix, feature documents, probabilities and the combination.
    """
    pol = policy_for(model, policy, threshold)
    docs = model.feature_docs(matches, compiled)
    matrix = model.transform_matches(matches, compiled, docs=docs)
    proba = model.predict_proba_matrix(matrix)
    rules = compiled.rules
    combined = combine_text(
        [m.decision.label for m in matches], [m.decision.fired for m in matches],
        [rules[m.decision.winner.rule].id if m.decision.winner is not None else ""
         for m in matches],
        proba, model.classes_, temporal=temporal_near(docs),
        precision=getattr(model, "rule_precision_", {}), policy=pol,
        stacker=model_stacker(model) if pol.name == "stacked" else None,
        score_calibration=model_score_calibration(model))
    return ScoredTexts(matches, matrix, docs, proba, combined, pol)


def model_evidence(model: Any, row: sp.csr_matrix, label: str,
                   top: int = EVIDENCE_FEATURES) -> str:
    """``model: feature +w, ...`` -- the features that pushed most towards ``label``."""
    contributions = [c for c in model.contributions(row, text_class(label), top=top * 3)
                     if c.weight > 0][:top]
    return "model: " + ", ".join(f"{c.feature} {c.weight:+.2f}" for c in contributions)


def model_outputs(model: Any, matches: Sequence[Any], compiled: Any,
                  policy: str | TextPolicy | None = None, threshold: float | None = None
                  ) -> list[Any]:
    """Output of every matched text with rules and model combined.

    Parameters
    ----------
    model : TextRelationshipClassifier
        A fitted text model.
    matches : sequence of TextMatch
        Matched texts.
    compiled : CompiledRules
        The matcher's compiled rule set.
    policy : str or TextPolicy, optional
        Combination policy (see :func:`policy_for`).
    threshold : float, optional
        Threshold of a policy given by name (None or 0.5: the model's chosen one).

    Returns
    -------
    list of TextOutput
        Label, source, rule ids, evidence (with the model's features where it
        decided) and the calibrated partner-violence score.
    """
    from pv_identify.text.output import text_output

    if not len(matches):
        return []
    scored = score_matches(model, matches, compiled, policy, threshold)
    combined = scored.combined
    out = []
    for i, match in enumerate(matches):
        base = text_output(match, compiled)
        label = str(combined.label[i])
        evidence = base.evidence
        if combined.source[i] == SOURCE_MODEL:
            extra = model_evidence(model, scored.matrix[i], label)
            evidence = f"{evidence}; {extra}" if evidence else extra
        out.append(replace(base, label=label, source=str(combined.source[i]),
                           evidence=evidence, score=float(combined.score[i])))
    return out
