"""Free-text mode: the same relationship labels from Dutch prose about criminal cases.

Ruling summaries, Hoge Raad conclusions, indictments and police narratives say what
register qualifications never say ("Mishandeling van zijn ex-vriendin"). This package
runs the register rule set (one source of truth for terms) plus text-mode phrase
patterns and traps (``rules/text/``) as a spaCy component.

- :func:`load` returns a ready ``spacy.blank("nl")`` pipeline with the component;
- ``spacy.blank("nl").add_pipe("pv_identify")`` works through the entry point;
- :func:`tag_texts` tags a pandas column, processing each distinct text once.
"""

from pv_identify.rules.textrules import TextRuleSet, load_text_rules
from pv_identify.text.component import SPANS_KEY, PVTextComponent
from pv_identify.text.pipeline import load, tag_texts
from pv_identify.text.scoring import RuleScore, TextScorer
from pv_identify.text.tokenizer import adjust_tokenizer

__all__ = [
    "SPANS_KEY",
    "PVTextComponent",
    "RuleScore",
    "TextRuleSet",
    "TextScorer",
    "adjust_tokenizer",
    "load",
    "load_text_rules",
    "tag_texts",
]
