"""The ``pv_identify`` spaCy component: relationship labels for free Dutch text.

The component matches the register rule set's terms and the text rules' phrase
patterns, resolves overlapping matches (longest first, traps win ties), and lets
:func:`pv_identify.combine.decide` choose the label, exactly as register mode does
for one qualification. It sets the doc extensions of
:mod:`pv_identify.text.extensions` and puts the evidence in
``doc.spans["pv_identify"]`` (``span.label_`` = the rule's label, ``span.id_`` and
``span._.pv_rule_id`` = the rule id).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pv_identify.combine import Decision, decide, format_evidence
from pv_identify.rules.compiler import Hit
from pv_identify.rules.loader import load_rules
from pv_identify.rules.model import RuleSet
from pv_identify.schema import (
    DOMESTIC_LABELS,
    PARTNER_LABELS,
    SOURCE_NONE,
    SOURCE_RULE,
)
from pv_identify.text.extensions import register_extensions
from pv_identify.text.matcher import Candidate, TextMatchers, resolve_overlaps
from pv_identify.text.rulefile import TextRuleSet, load_text_rules
from pv_identify.text.scoring import RuleScore, TextScorer
from pv_identify.text.tokenizer import adjust_tokenizer as _adjust_tokenizer

#: Default key of the evidence span group.
SPANS_KEY = "pv_identify"


class PVTextComponent:
    """Tag a Doc with a relationship label, flags, score and evidence spans.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline (its tokenizer builds the patterns).
    name : str, default "pv_identify"
        Component name.
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set: preset name, rule file, or a loaded :class:`RuleSet`.
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file; the bundled ``rules/text/default.yaml`` when None.
    disable : sequence of str, optional
        Rule ids or groups to switch off (register or text rules).
    adjust_tokenizer : bool, default True
        Apply :func:`pv_identify.text.tokenizer.adjust_tokenizer` to ``nlp`` (in place).
    score : callable, optional
        Scorer ``(doc, decision) -> float`` (see :mod:`pv_identify.text.scoring`);
        :class:`~pv_identify.text.scoring.RuleScore` when None.
    spans_key : str, default "pv_identify"
        Key of the evidence span group in ``doc.spans``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "pv_identify",
        *,
        rules: str | Path | RuleSet = "default",
        text_rules: str | Path | TextRuleSet | None = None,
        disable: Sequence[str] = (),
        adjust_tokenizer: bool = True,
        score: TextScorer | None = None,
        spans_key: str = SPANS_KEY,
    ) -> None:
        register_extensions()
        self.name = name
        self.spans_key = spans_key
        self.score = score if score is not None else RuleScore()
        ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
        texts = (text_rules if isinstance(text_rules, TextRuleSet)
                 else load_text_rules(text_rules))
        disable = list(disable or ())
        if disable:
            texts = _drop_text_rules(texts, disable, ruleset)
            core = [d for d in disable
                    if d in {r.id for r in ruleset.rules} | set(ruleset.groups)]
            ruleset = ruleset.select(None, core) if core else ruleset
        self.ruleset = ruleset
        self.text_rules = texts
        if adjust_tokenizer:
            _adjust_tokenizer(nlp, ruleset.abbreviations.keys())
        self.matchers = TextMatchers(nlp, ruleset, texts)

    @property
    def metadata(self) -> dict[str, Any]:
        """Rule-set and text-rule names, versions and hashes (for output metadata)."""
        return {
            "ruleset": {"name": self.ruleset.name, "version": self.ruleset.version,
                        "hash": self.ruleset.hash},
            "text_rules": {"name": self.text_rules.name, "version": self.text_rules.version,
                           "hash": self.text_rules.hash},
            "score": getattr(self.score, "version", type(self.score).__name__),
        }

    def decide(self, doc: Doc) -> tuple[Decision, list[Candidate]]:
        """Match ``doc`` and decide, without setting any attribute but token norms.

        Parameters
        ----------
        doc : spacy.tokens.Doc
            The document.

        Returns
        -------
        tuple of (Decision, list of Candidate)
            The rules' decision and the matches that survived overlap resolution.
        """
        matchers = self.matchers
        kept = resolve_overlaps(matchers.candidates(doc, matchers.set_norms(doc)))
        hits = tuple(Hit(c.rule, "text", doc[c.start:c.end].text) for c in kept)
        return decide(hits, matchers.compiled), kept

    def __call__(self, doc: Doc) -> Doc:
        """Tag ``doc`` in place and return it."""
        decision, kept = self.decide(doc)
        rules = self.matchers.compiled.rules
        vetoed = {h.rule for h in decision.vetoed}
        spans = []
        for cand in kept:
            rule = rules[cand.rule]
            span = Span(doc, cand.start, cand.end, label=rule.label, span_id=rule.id)
            span._.pv_pattern = cand.pattern
            span._.pv_vetoed = cand.rule in vetoed
            spans.append(span)
        doc.spans[self.spans_key] = spans
        label = decision.label
        doc._.pv_label = label
        doc._.pv_partner_violence = label in PARTNER_LABELS
        doc._.pv_domestic_violence = label in DOMESTIC_LABELS
        doc._.pv_source = SOURCE_RULE if decision.fired else SOURCE_NONE
        doc._.pv_rule_ids = tuple(dict.fromkeys(rules[h.rule].id for h in decision.hits))
        doc._.pv_evidence = format_evidence(decision)
        doc._.pv_score = float(self.score(doc, decision))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Tag a stream of docs (see :meth:`__call__`)."""
        for doc in stream:
            yield self(doc)


def _drop_text_rules(texts: TextRuleSet, disable: Sequence[str],
                     ruleset: RuleSet) -> TextRuleSet:
    from dataclasses import replace

    known = ({r.id for r in texts.rules} | {r.group for r in texts.rules}
             | {r.id for r in ruleset.rules} | set(ruleset.groups))
    unknown = [d for d in disable if d not in known]
    if unknown:
        raise KeyError(f"{', '.join(map(repr, unknown))} is not a rule id or group of "
                       f"{ruleset.name!r} or of the text rules {texts.name!r}")
    kept = tuple(r for r in texts.rules if r.id not in disable and r.group not in disable)
    return replace(texts, rules=kept)
