"""Memos of text mode (decisions per hits, outputs per decision) == computing afresh."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.combine import Decision, decide
from pv_identify.rules.compiler import Hit
from pv_identify.schema import LABELS
from pv_identify.tagger import Tagger
from pv_identify.text import matcher as matcher_module
from pv_identify.text import output as output_module
from pv_identify.text.matcher import TextMatch, TextMatcher
from pv_identify.text.output import text_output, text_outputs

#: Phrases whose texts share hits with other texts, and texts that differ in the rule
#: of one phrase (a possessive phrase, a grammar chain, a trap, a time or salience step).
PHRASES = ["zijn ex-vriendin", "haar ex-vriendin", "zijn vrouw", "zijn (ex-)partner",
           "de moeder van zijn kinderen", "zijn moeder", "haar vader", "de buurman",
           "mishandeling van", "bedreiging van", "na de scheiding", "tijdens hun relatie",
           "Hij sloeg haar ouders", "de nieuwe vriend van zijn ex", "een politieagent",
           "zijn kind", "ex", "vriendin", "zijn", "en", "van", "te Utrecht", "(art. 300 Sr)",
           "73-jarige", "huiselijk geweld", "x",
           # the same words as another phrase, another rule or note (possessor and
           # antecedent steps, a grammar chain)
           "Het slachtoffer ging naar huis, waar zijn moeder al sliep.",
           "Hij sloeg haar moeder.", "Zij stak zijn vader neer.", "de vader van zijn ex"]


class _Forgetful(dict):
    """A memo that never answers: every decision is computed afresh."""

    def get(self, key, default=None):
        return default


@functools.lru_cache(maxsize=1)
def _matchers() -> tuple[TextMatcher, TextMatcher]:
    remembering = Tagger("default").text_matcher
    afresh = Tagger("default").text_matcher
    afresh._decisions = _Forgetful()
    return remembering, afresh


def _corpus() -> list[str]:
    path = Path(__file__).resolve().parents[1] / "data" / "unlabelled_texts.jsonl"
    return [json.loads(line)["context"] for line in path.read_text("utf-8").splitlines()]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6), min_size=1,
                max_size=5))
def test_remembered_decisions_equal_decisions_made_afresh(texts):
    remembering, afresh = _matchers()
    for words in texts:
        text = " ".join(words)
        assert remembering.match(text) == afresh.match(text)
    compiled = remembering.compiled
    for hits, decision in list(remembering._decisions.items()):
        assert decision == decide(hits, compiled)


def test_the_decision_memo_is_bounded_and_exact(monkeypatch):
    monkeypatch.setattr(matcher_module, "_DECISIONS_SIZE", 3)
    matcher = Tagger("default").text_matcher
    afresh = _matchers()[1]
    texts = [" ".join(PHRASES[i:i + 3]) for i in range(len(PHRASES))] * 2 + _corpus()[:40]
    for text in texts:
        assert matcher.match(text) == afresh.match(text)
        assert len(matcher._decisions) <= 3
    assert matcher._decisions


def test_outputs_of_remembered_decisions_equal_text_output(monkeypatch):
    monkeypatch.setattr(output_module, "_OUTPUTS_SIZE", 5)
    matcher = _matchers()[0]
    compiled = matcher.compiled
    convert = text_outputs(compiled)
    texts = [f"{a} {b}" for a in PHRASES for b in PHRASES[:8]] + _corpus()
    shared = 0
    seen = {}
    for text in texts + texts[::-1]:
        match = matcher.match(text)
        out = convert(match)
        assert out == text_output(match, compiled)
        key = (match.decision.label, match.decision.hits)
        shared += key in seen and seen[key] is out
        seen[key] = out
    assert shared > 0  # some outputs came from the memo: not vacuous


_HITS = st.lists(st.builds(Hit, st.integers(0, 3), st.sampled_from(["text", "qualification"]),
                           st.sampled_from(["zijn vrouw", "zijn ex"]),
                           st.sampled_from(["", "none (possessor: ...)"])), max_size=3)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS[:3]), _HITS), min_size=1, max_size=30))
def test_outputs_of_decisions_that_differ_in_one_field_are_not_shared(decisions):
    # decisions with the same label and words but another rule, field or note: each
    # gets its own output (the memo's key is the whole decision)
    compiled = _matchers()[0].compiled
    convert = text_outputs(compiled)
    for label, hits in decisions * 2:
        match = TextMatch("", (), Decision(label, tuple(hits), (), hits[0] if hits else None))
        assert convert(match) == text_output(match, compiled)
