"""spaCy extension attributes set by the ``pv_identify`` component.

Doc: ``pv_label`` (relationship label), ``pv_partner_violence``,
``pv_domestic_violence`` (flags), ``pv_score`` (float), ``pv_source`` (``rule``,
``model`` or ``none``), ``pv_rule_ids`` (tuple of rule ids), ``pv_evidence``
(``text="..."`` items joined by ``"; "``, as in register mode).

Span (in ``doc.spans["pv_identify"]``): ``pv_rule_id`` (also in ``span.id_``),
``pv_pattern`` (``term``, ``part``, ``possessive``, ``pattern`` or ``trap``) and
``pv_vetoed`` (switched off by an exclusion). ``span.label_`` is the rule's label.
"""

from __future__ import annotations

import math

from spacy.tokens import Doc, Span

DOC_EXTENSIONS: dict[str, object] = {
    "pv_label": None,
    "pv_partner_violence": None,
    "pv_domestic_violence": None,
    "pv_score": math.nan,
    "pv_source": None,
    "pv_rule_ids": (),
    "pv_evidence": "",
}


def _rule_id(span: Span) -> str:
    return span.id_


SPAN_EXTENSIONS: dict[str, object] = {"pv_pattern": None, "pv_vetoed": False}


def register_extensions() -> None:
    """Register the extension attributes once (safe to call again)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("pv_rule_id"):
        Span.set_extension("pv_rule_id", getter=_rule_id)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
