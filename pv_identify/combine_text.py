"""Combine the free-text rules (and grammar) with the text model: the policy, switchable.

In free-text mode the rules -- register terms, text patterns, possessive phrases and the
relationship grammar, all behind :meth:`pv_identify.text.matcher.TextMatcher.match` --
decide a label first (:func:`pv_identify.combine.decide`). With a text model
(:class:`pv_identify.model.text_estimator.TextRelationshipClassifier`, classes
``partner``, ``ex_partner``, ``family``, ``other``) the final label follows one of these
policies (``policy=`` of :func:`pv_identify.text.tag_texts`, ``--policy`` of
``pv-identify text``, ``policy`` of the spaCy component):

The settings below are the :class:`TextPolicy` defaults; a fitted text model carries its
own, chosen on the replay of the corpus history (``policy_``,
:mod:`pv_identify.model.text_replay`), and a policy given by name uses those
(:func:`as_policy` with ``defaults``); with no policy named, the model's chosen policy
(``policy_["name"]``, else ``rules_first``) applies.

``"rules_first"`` (default)
    1. **Confident rules decide.** Where the deciding rule has a relationship label
       and is *confident* -- its precision on the model's training texts
       (``rule_precision_`` of the model, smoothed) is at least ``rule_confidence``
       (0.80), or it fired on fewer than ``min_support`` (5) training texts (new rules,
       such as grammar rules added after training, are trusted until the model has seen
       them) -- the rules' label stands, ``pv_source = "rule"``.
    2. **The one overrule: partner vs ex_partner by temporal context.** On a confident
       ``partner`` (``ex_partner``) decision the model may switch the label to
       ``ex_partner`` (``partner``) when (a) a temporal, separation or cohabitation cue
       (``rules/text/model_cues.yaml``) stands within the context window of the hit, and
       (b) the model gives the other partner class at least ``overrule_threshold``
       (0.60). The partner-violence flag never changes by this step; ``pv_source =
       "model"``. Examples: "zijn toenmalige echtgenote, van wie hij inmiddels gescheiden
       is" (the rules may say partner; ex-partner cues win only if the model agrees),
       "zijn ex-vrouw, met wie hij toen nog samenwoonde" (the label is the relationship
       at the time of the offence).
    3. **The model decides the rest above the threshold.** Where no rule fired with a
       relationship label, or the deciding rule is not confident: the model's label
       (see below) decides if its probability reaches ``threshold`` (``pv_source =
       "model"``; this may also be ``none`` -- a weak rule hit the model rejects);
       otherwise the rules' label stands (``pv_source = "rule"`` if any rule fired,
       else ``"none"``).

``"model_first"``
    The model decides wherever its label reaches ``threshold``; the rules elsewhere.

``"rules_only"``
    The rules' label everywhere (the model only fills ``pv_score``): the baseline the
    model card compares with.

``"stacked"``
    A learned combination (:mod:`pv_identify.combine_stack`): a small logistic
    regression over the model's probabilities, the rules' class, the deciding rule's
    precision and support, and the temporal cue, fitted on the replay of the corpus
    history (text neither the rules nor the model had seen) and stored in the model
    (``stacker_``). Its class is the label (``family`` named as below, ``other`` is
    ``none``); ``pv_source = "model"`` where it differs from the rules' label. A model
    whose chosen policy is ``stacked`` (``policy_["name"]``) uses it when no policy is
    named.

The model's label at ``threshold`` (as in register mode,
:func:`pv_identify.combine.model_labels`): with ``s_pv = P(partner) + P(ex_partner)``
and ``s_dv = 1 - P(other)``, the likelier partner class if ``s_pv >= threshold``, else
``family`` if ``s_dv >= threshold``, else ``none`` if ``P(other) >= threshold``, else
undecided. ``family`` becomes the rules' family label when the rules found one
(``child``, ``parent``, ``other_family``), else ``domestic_unspecified``.

``pv_score`` is the calibrated partner-violence probability ``s_pv`` on every text when a
model is used (also where the rules decided), mapped to the probability seen on unseen
text where the model carries that map (``score_calibration_``,
:mod:`pv_identify.combine_score`; since session 57); the evidence of a model decision ends
with ``model: <feature> <weight>, ...`` naming the features that weighed most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from pv_identify.combine_score import ScoreCalibration
from pv_identify.combine_stack import Stacker, stack_features
from pv_identify.schema import (
    CHILD,
    DOMESTIC_UNSPECIFIED,
    NONE,
    OTHER_FAMILY,
    PARENT,
    PARTNER_LABELS,
    SOURCE_MODEL,
    SOURCE_NONE,
    SOURCE_RULE,
)

#: The policies, in documentation order.
POLICIES: Final[tuple[str, ...]] = ("rules_first", "model_first", "rules_only", "stacked")
#: Model classes of the corpus (text level).
MODEL_CLASSES: Final[tuple[str, ...]] = ("partner", "ex_partner", "family", "other")
_FAMILY_LABELS = (CHILD, PARENT, OTHER_FAMILY, DOMESTIC_UNSPECIFIED)
#: Cue classes that make a partner/ex-partner overrule possible.
TEMPORAL_CUES: Final[tuple[str, ...]] = ("temporal_past", "separation", "cohabitation")


@dataclass(frozen=True)
class TextPolicy:
    """A combination policy and its settings.

    Parameters
    ----------
    name : {"rules_first", "model_first", "rules_only", "stacked"}
        The policy (see the module docstring).
    threshold : float, default 0.5
        Minimum model probability for a model decision; ``1.0`` means the model
        decides nothing (it still fills ``pv_score``), whatever its probabilities.
    rule_confidence : float, default 0.80
        Smoothed training precision from which a rule is confident.
    min_support : int, default 5
        Rules that fired on fewer training texts count as confident.
    overrule_threshold : float, default 0.60
        Minimum model probability of the other partner class for the partner /
        ex_partner overrule; ``1.0`` switches the overrule off.
    """

    name: str = "rules_first"
    threshold: float = 0.5
    rule_confidence: float = 0.80
    min_support: int = 5
    overrule_threshold: float = 0.60

    def __post_init__(self) -> None:
        if self.name not in POLICIES:
            raise ValueError(f"unknown policy {self.name!r}; expected one of "
                             f"{', '.join(POLICIES)}")
        for attr in ("threshold", "rule_confidence", "overrule_threshold"):
            value = float(getattr(self, attr))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{attr} must be between 0 and 1, got {value}")


#: The tagger's default threshold; with a model that carries its own settings it means
#: "the model's chosen threshold" (see :func:`as_policy`).
DEFAULT_THRESHOLD: Final[float] = 0.5
_SETTINGS: Final[tuple[str, ...]] = ("threshold", "rule_confidence", "min_support",
                                     "overrule_threshold")


def as_policy(policy: str | TextPolicy | None, threshold: float | None = DEFAULT_THRESHOLD,
              defaults: Mapping[str, float] | None = None) -> TextPolicy:
    """Return a :class:`TextPolicy` from a name (with ``threshold``) or a policy.

    Parameters
    ----------
    policy : str, TextPolicy or None
        A policy (returned as is), a policy name, or None: the ``name`` in
        ``defaults`` (a model's chosen policy), else ``rules_first``.
    threshold : float or None, default 0.5
        Model threshold of a policy given by name. With ``defaults`` that hold a
        threshold, None or the tagger default 0.5 keep the threshold of ``defaults``
        and any other value overrides it.
    defaults : mapping, optional
        Settings chosen for a model (its ``policy_``: ``threshold``,
        ``rule_confidence``, ``min_support``, ``overrule_threshold``; chosen by
        cross-validation on train, :mod:`pv_identify.model.text_policy`).

    Returns
    -------
    TextPolicy
        The policy.
    """
    if isinstance(policy, TextPolicy):
        return policy
    settings: dict[str, Any] = {k: v for k, v in (defaults or {}).items() if k in _SETTINGS}
    if threshold is not None and (float(threshold) != DEFAULT_THRESHOLD
                                  or "threshold" not in settings):
        settings["threshold"] = float(threshold)
    if "min_support" in settings:
        settings["min_support"] = int(settings["min_support"])
    name = policy or str((defaults or {}).get("name") or "rules_first")
    return TextPolicy(name=name, **settings)


@dataclass(frozen=True)
class TextCombined:
    """Per-text result of rules and model together (numpy arrays, one entry per text).

    Attributes
    ----------
    label : numpy.ndarray of str
        Final label.
    source : numpy.ndarray of str
        ``rule``, ``model`` or ``none``.
    score : numpy.ndarray of float
        Calibrated partner-violence probability: ``s_pv``, or its map to unseen text
        where the model carries one (:mod:`pv_identify.combine_score`).
    model_label : numpy.ndarray of str
        The model's own label at the threshold (``""`` where undecided).
    overruled : numpy.ndarray of bool
        Where step 2 (partner / ex_partner by temporal context) changed a rule label.
    """

    label: np.ndarray
    source: np.ndarray
    score: np.ndarray
    model_label: np.ndarray
    overruled: np.ndarray


def rule_precision(winners: Sequence[str], rule_classes: Sequence[str],
                   gold: Sequence[str]) -> dict[str, list[int]]:
    """Training support and hits of every deciding rule: ``{rule id: [n, correct]}``.

    Parameters
    ----------
    winners : sequence of str
        Id of the deciding rule per training text (``""`` where none decided).
    rule_classes : sequence of str
        The rules' class per text (corpus classes).
    gold : sequence of str
        Gold class per text.

    Returns
    -------
    dict of str to [int, int]
        Texts the rule decided and how many of them it got right.
    """
    out: dict[str, list[int]] = {}
    for win, pred, true in zip(winners, rule_classes, gold, strict=True):
        if win:
            entry = out.setdefault(str(win), [0, 0])
            entry[0] += 1
            entry[1] += int(pred == true)
    return out


def confident_rules(winners: np.ndarray, precision: Mapping[str, Sequence[int]],
                    policy: TextPolicy) -> np.ndarray:
    """Whether each deciding rule is confident (policy step 1).

    The precision is smoothed towards 0.5 with one pseudo-hit and one pseudo-miss
    (``(correct + 1) / (n + 2)``).
    """
    out = np.zeros(len(winners), dtype=bool)
    for i, win in enumerate(winners):
        if not win:
            continue
        n, correct = precision.get(str(win), (0, 0))
        out[i] = n < policy.min_support or (correct + 1) / (n + 2) >= policy.rule_confidence
    return out


def family_labels(rule_labels: Sequence[str] | np.ndarray) -> np.ndarray:
    """Return the register label of a model's ``family`` class per text.

    The rules' family label where they found one (``child``, ``parent``,
    ``other_family``), else ``domestic_unspecified``.
    """
    labels = np.asarray(list(rule_labels), dtype=object)
    return np.where(np.isin(labels, _FAMILY_LABELS[:3]), labels,
                    DOMESTIC_UNSPECIFIED).astype(object)


def register_labels(classes: np.ndarray, rule_labels: Sequence[str] | np.ndarray
                    ) -> np.ndarray:
    """Return the register labels of corpus classes.

    ``family`` is named by :func:`family_labels`, ``other`` becomes ``none``.
    """
    classes = np.asarray(classes, dtype=object)
    return np.where(classes == "family", family_labels(rule_labels),
                    np.where(classes == "other", NONE, classes)).astype(object)


def model_decisions(proba: np.ndarray, classes: Sequence[str], rule_labels: np.ndarray,
                    threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the model's label per text at ``threshold`` and the partner-violence score.

    Parameters
    ----------
    proba : numpy.ndarray of shape (n, len(classes))
        Calibrated probabilities.
    classes : sequence of str
        Model classes (``partner``, ``ex_partner``, ``family``, ``other``).
    rule_labels : numpy.ndarray of str
        The rules' labels (to name the family relation).
    threshold : float
        Minimum probability.

    Returns
    -------
    label : numpy.ndarray of str
        Register label, or ``""`` where the model reaches no threshold.
    s_pv : numpy.ndarray of float
        P(partner) + P(ex_partner).
    """
    classes = [str(c) for c in classes]
    n = len(proba)

    def col(name: str) -> np.ndarray:
        return proba[:, classes.index(name)] if name in classes else np.zeros(n)

    p_partner, p_ex, p_family, p_other = (col(c) for c in MODEL_CLASSES)
    s_pv = p_partner + p_ex
    s_dv = 1.0 - p_other if "other" in classes else s_pv + p_family
    family = family_labels(rule_labels)
    label = np.full(n, "", dtype=object)
    label = np.where(p_other >= threshold, NONE, label)
    label = np.where(s_dv >= threshold, family, label)
    label = np.where(s_pv >= threshold, np.where(p_ex > p_partner, "ex_partner", "partner"),
                     label)
    return label.astype(object), s_pv.astype(float)


def combine_text(
    rule_labels: Sequence[str],
    rule_fired: Sequence[bool],
    winners: Sequence[str],
    proba: np.ndarray,
    classes: Sequence[str],
    *,
    temporal: Sequence[bool] | np.ndarray | None = None,
    precision: Mapping[str, Sequence[int]] | None = None,
    policy: str | TextPolicy = "rules_first",
    stacker: Stacker | None = None,
    score_calibration: ScoreCalibration | None = None,
) -> TextCombined:
    """Apply a combination policy to the rules' and the model's view of many texts.

    Parameters
    ----------
    rule_labels : sequence of str
        The rules' label per text.
    rule_fired : sequence of bool
        Whether any rule (a trap included) fired on the text.
    winners : sequence of str
        Id of the deciding rule per text (``""`` where none decided).
    proba : numpy.ndarray of shape (n, len(classes))
        Calibrated model probabilities.
    classes : sequence of str
        Model classes.
    temporal : sequence or numpy.ndarray of bool, optional
        Whether a temporal, separation or cohabitation cue stands near a partner hit
        (enables the overrule of step 2).
    precision : mapping, optional
        ``{rule id: [n, correct]}`` on the training texts (the model's
        ``rule_precision_``); empty: every rule is confident.
    policy : str or TextPolicy, default "rules_first"
        The policy (a name uses the default settings).
    stacker : Stacker, optional
        The learned combiner of the ``stacked`` policy (the model's ``stacker_``).
    score_calibration : ScoreCalibration, optional
        The map of ``s_pv`` to the probability seen on unseen text (the model's
        ``score_calibration_``, :mod:`pv_identify.combine_score`). It changes the
        ``score`` only; labels, sources and thresholds read ``s_pv``.

    Returns
    -------
    TextCombined
        Label, source, score, the model's label and the overrule flags per text.

    Raises
    ------
    ValueError
        On an unknown policy or mismatched lengths.
    """
    policy = as_policy(policy)
    labels = np.asarray(list(rule_labels), dtype=object)
    fired = np.asarray(list(rule_fired), dtype=bool)
    wins = np.asarray(list(winners), dtype=object)
    n = len(labels)
    if proba.shape[0] != n or len(fired) != n or len(wins) != n:
        raise ValueError("rules and model results have different numbers of texts")
    near = (np.zeros(n, dtype=bool) if temporal is None
            else np.asarray(list(temporal), dtype=bool))
    m_label, s_pv = model_decisions(proba, classes, labels, policy.threshold)
    score = s_pv if score_calibration is None else score_calibration.apply(s_pv)
    rule_source = np.where(fired, SOURCE_RULE, SOURCE_NONE).astype(object)
    overruled = np.zeros(n, dtype=bool)
    # a threshold of 1.0 is "never" (a float probability may round to exactly 1.0)
    decided = (m_label != "") & (policy.threshold < 1.0)
    if policy.name == "rules_only":
        return TextCombined(labels.copy(), rule_source, score, m_label, overruled)
    if policy.name == "stacked":
        if stacker is None:
            raise ValueError("the 'stacked' policy needs a text model with a fitted "
                             "combiner (stacker_; trained by examples/train_text_model.py "
                             "with a replay); use 'rules_first' for this model")
        features = stack_features(proba, classes, labels, fired, wins, near,
                                  precision or {})
        label = register_labels(stacker.predict(features), labels)
        source = np.where(label != labels, SOURCE_MODEL, rule_source).astype(object)
        return TextCombined(label, source, score, m_label, overruled)
    if policy.name == "model_first":
        changes = decided & ((m_label != NONE) | (labels != NONE))
        label = np.where(decided, m_label, labels).astype(object)
        source = np.where(changes, SOURCE_MODEL, rule_source).astype(object)
        return TextCombined(label, source, score, m_label, overruled)
    relationship = labels != NONE
    confident = relationship & confident_rules(wins, precision or {}, policy)
    classes_l = [str(c) for c in classes]
    other_pv = np.where(labels == "partner", "ex_partner", "partner")
    p_other_pv = np.zeros(n)
    for name in PARTNER_LABELS:
        if name in classes_l:
            p_other_pv = np.where(other_pv == name, proba[:, classes_l.index(name)], p_other_pv)
    overruled = (confident & np.isin(labels, list(PARTNER_LABELS)) & near
                 & (p_other_pv >= policy.overrule_threshold)
                 & (policy.overrule_threshold < 1.0))
    # the model decides where no confident rule did; leaving "none" as "none" is no decision
    model_decides = ~confident & decided & ((m_label != NONE) | relationship)
    label = np.where(confident, labels, np.where(model_decides, m_label, labels))
    label = np.where(overruled, other_pv, label).astype(object)
    source = np.where(confident & ~overruled, SOURCE_RULE,
                      np.where(model_decides | overruled, SOURCE_MODEL, rule_source))
    return TextCombined(label, source.astype(object), score, m_label, overruled)
