"""The cleared memo of the hot paths (``remember``) and one of its users, the grammar."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pv_identify.lru import remember
from pv_identify.rules import grammar as grammar_module
from pv_identify.rules.grammar import CompiledGrammar
from pv_identify.tagger import Tagger


@given(st.lists(st.integers(0, 20), max_size=60), st.integers(1, 6))
def test_remember_keeps_the_latest_entry_and_never_exceeds_its_size(keys, size):
    memo: dict[int, int] = {}
    for key in keys:
        assert remember(memo, key, key * 10, size) == key * 10
        assert memo[key] == key * 10  # the entry just kept is always there
        assert len(memo) <= size
        assert all(value == k * 10 for k, value in memo.items())


def test_a_full_memo_is_emptied_before_the_new_entry():
    memo = {1: "a", 2: "b"}
    remember(memo, 3, "c", 2)
    assert memo == {3: "c"}
    remember(memo, 3, "d", 2)  # not full: kept beside nothing else
    assert memo == {3: "d"}


def test_the_grammars_modifier_memo_is_bounded_and_answers_as_afresh(monkeypatch):
    grammar = Tagger("default").ruleset.grammar
    assert grammar is not None
    tokens = ["73-jarige", "oudere", "ex", "vrouw", "twee", "jonge", "x", "toenmalige",
              "kinderen", "vriend", "lieve", "25-jarige", "oudste"] * 3
    expected = [CompiledGrammar(grammar).is_modifier(t) for t in tokens]
    assert any(expected) and not all(expected)  # the tokens test both answers
    monkeypatch.setattr(grammar_module, "_MODIFIER_MEMO_SIZE", 4)
    bounded = CompiledGrammar(grammar)
    for token, answer in zip(tokens, expected, strict=True):
        assert bounded.is_modifier(token) == answer
        assert len(bounded._mod_cache) <= 4
