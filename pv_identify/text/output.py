"""The output of one matched text: label, source, rule ids and evidence.

:func:`text_output` is the one conversion of a :class:`~pv_identify.text.matcher.TextMatch`
into the columns every free-text door gives (``tag_texts``, the spaCy component,
``explain_text``, the text model's base output); :func:`text_outputs` is the same for
many matches, with one output per distinct decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pv_identify.combine import format_evidence
from pv_identify.lru import remember
from pv_identify.rules.compiler import CompiledRules, Hit
from pv_identify.schema import NONE, SOURCE_NONE, SOURCE_RULE
from pv_identify.text.matcher import TextMatch


@dataclass(frozen=True)
class TextOutput:
    """The output of one text, as ``tag_texts`` and the spaCy component give it.

    Attributes
    ----------
    label : str
        Relationship label.
    source : str
        ``rule`` if any rule fired, else ``none``.
    rule_ids : tuple of str
        Ids of the rules that count, in rule order.
    evidence : str
        ``text="..."`` items joined by ``"; "``.
    score : float
        Model score (NaN without a model).
    """

    label: str
    source: str
    rule_ids: tuple[str, ...]
    evidence: str
    score: float = float("nan")


#: The output of a text on which no rule fired (frozen, so shared).
_NO_HIT = TextOutput(label=NONE, source=SOURCE_NONE, rule_ids=(), evidence="")


def text_output(match: TextMatch, compiled: CompiledRules) -> TextOutput:
    """Return the output columns of one matched text (one implementation for every door).

    Parameters
    ----------
    match : TextMatch
        From :meth:`~pv_identify.text.matcher.TextMatcher.match`.
    compiled : CompiledRules
        The matcher's compiled rule set.

    Returns
    -------
    TextOutput
        Label, source, rule ids, evidence and score.
    """
    decision = match.decision
    hits = decision.hits
    if not hits and decision.label == NONE:  # no rule fired: one output for all such texts
        return _NO_HIT
    rules = compiled.rules
    return TextOutput(
        label=decision.label,
        source=SOURCE_RULE,
        rule_ids=((rules[hits[0].rule].id,) if len(hits) == 1
                  else tuple(dict.fromkeys(rules[h.rule].id for h in hits))),
        evidence=format_evidence(decision),
    )


#: Outputs per decision held by the converter of :func:`text_outputs` (then cleared).
_OUTPUTS_SIZE = 4096


def text_outputs(compiled: CompiledRules) -> Callable[[TextMatch], TextOutput]:
    """Return :func:`text_output` for many matches, remembering the outputs of decisions.

    An output depends only on the decision's label and hits, which texts share ("zijn
    ex-vriendin"): equal decisions get the same (frozen) output object.

    Parameters
    ----------
    compiled : CompiledRules
        The matcher's compiled rule set.

    Returns
    -------
    callable
        ``match -> TextOutput``, equal to ``text_output(match, compiled)``.
    """
    seen: dict[tuple[str, tuple[Hit, ...]], TextOutput] = {}

    def convert(match: TextMatch) -> TextOutput:
        decision = match.decision
        key = (decision.label, decision.hits)
        out = seen.get(key)
        if out is None:
            out = text_output(match, compiled)
            remember(seen, key, out, _OUTPUTS_SIZE)
        return out

    return convert
