"""Document scores: the hook where a trained model (issue 4) will plug in.

A *scorer* is any callable ``scorer(doc, decision) -> float`` that the component calls
after the rules decided; its value becomes ``Doc._.pv_score``. As in register mode,
``pv_score`` is a *model* score: the default, :class:`RuleScore`, has no model and
returns NaN, so a rule decision is never mistaken for a calibrated probability.
A model scorer registered in spaCy's ``misc`` registry can
replace it in the component config::

    nlp.add_pipe("pv_identify", config={"score": {"@misc": "my_model_score.v1",
                                                   "path": "models/pv.skops"}})
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

from spacy.tokens import Doc

from pv_identify.combine import Decision


@runtime_checkable
class TextScorer(Protocol):
    """Protocol of a document scorer."""

    def __call__(self, doc: Doc, decision: Decision) -> float:
        """Return the score of ``doc`` given the rules' ``decision``."""
        ...


class RuleScore:
    """The score without a model: NaN (register mode does the same)."""

    version = "rule_score.v2"

    def __call__(self, doc: Doc, decision: Decision) -> float:
        """Return NaN: rules give provenance, not a probability."""
        return math.nan
