"""The ``pv_identify`` spaCy factory (registered through the ``spacy_factories`` entry point).

spaCy imports this module whenever a pipeline is created, so it stays light: the
component itself lives in :mod:`pv_identify.text.component` and is imported only
when the factory is used.

>>> import spacy
>>> nlp = spacy.blank("nl")
>>> _ = nlp.add_pipe("pv_identify", config={"rules": "default"})
>>> nlp("Mishandeling van zijn ex-vriendin")._.pv_label
'ex_partner'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.util import registry

DEFAULT_CONFIG: dict[str, Any] = {
    "rules": "default",
    "text_rules": None,
    "disable": [],
    "adjust_tokenizer": True,
    "score": {"@misc": "pv_identify.rule_score.v1"},
    "spans_key": "pv_identify",
    "text_model": None,
    "policy": None,
}


@registry.misc("pv_identify.rule_score.v1")
def make_rule_score() -> Callable[..., float]:
    """Return the rule-based scorer (1.0 when a rule fired, NaN otherwise)."""
    from pv_identify.text.scoring import RuleScore

    return RuleScore()


@Language.factory(
    "pv_identify",
    default_config=DEFAULT_CONFIG,
    assigns=[
        "doc._.pv_label", "doc._.pv_partner_violence", "doc._.pv_domestic_violence",
        "doc._.pv_score", "doc._.pv_source", "doc._.pv_rule_ids", "doc._.pv_evidence",
        "doc.spans", "token.norm",
    ],
)
def make_component(
    nlp: Language,
    name: str,
    rules: str,
    text_rules: str | None,
    disable: list[str],
    adjust_tokenizer: bool,
    score: Callable[..., float],
    spans_key: str,
    text_model: str | None = None,
    policy: str | None = None,
) -> Any:
    """Create the ``pv_identify`` component (see :class:`pv_identify.text.PVTextComponent`).

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline.
    name : str
        Component name.
    rules : str
        Register rule set: preset name (``default``, ``wodc2022``) or rule-file path.
    text_rules : str or None
        Text rule file; None for the bundled ``rules/text/default.yaml``.
    disable : list of str
        Rule ids or groups to switch off.
    adjust_tokenizer : bool
        Adjust ``nlp.tokenizer`` for Dutch judicial text (in place).
    score : callable
        Scorer ``(doc, decision) -> float`` from the ``misc`` registry.
    spans_key : str
        Key of the evidence span group.
    text_model : str or None
        Text model: ``"default"`` (the shipped model) or a model file; None: rules
        only. A saved pipeline keeps its model (``to_disk`` writes it).
    policy : str or None
        How rules and model combine (``rules_first``, ``model_first``, ``rules_only``,
        ``stacked``); None: the text model's chosen policy.

    Returns
    -------
    PVTextComponent
        The component.
    """
    from pv_identify.text.component import PVTextComponent

    return PVTextComponent(nlp, name, rules=rules, text_rules=text_rules, disable=disable,
                           adjust_tokenizer=adjust_tokenizer, score=score,
                           spans_key=spans_key, text_model=text_model, policy=policy)
