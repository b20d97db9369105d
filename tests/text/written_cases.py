"""The two tests every session's module of written cases runs on its case lists.

A session's module (``test_text_rules_session_NN.py``) keeps its cases as data,
``TEXTS`` (text, label) and ``QUALIFICATIONS`` (qualification, label), and binds the
tests with ``test_text_mode, test_register_mode = case_tests(TEXTS, QUALIFICATIONS)``.
:func:`word_set_text` gives the lines of one grammar word set, for tests that edit it out
(with the ``edited_grammar`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

GRAMMAR = Path(__file__).resolve().parents[2] / "rules" / "grammar" / "default.yaml"


def word_set_text(name: str) -> str:
    """Return the lines of the default grammar's word set ``name`` (a one-list set)."""
    text = GRAMMAR.read_text(encoding="utf-8")
    start = text.index(f"  {name}: [")
    return text[start:text.index("]", start) + 2]


def case_tests(texts: Sequence[tuple[str, str]], qualifications: Sequence[tuple[str, str]]
               ) -> tuple[Callable[..., None], Callable[..., None]]:
    """Return the text-mode and register-mode tests over the written cases."""

    @pytest.mark.parametrize("text, label", texts)
    def test_text_mode(tag_one, text, label):
        assert tag_one(text)["pv_label"] == label

    @pytest.mark.parametrize("qualification, label", qualifications)
    def test_register_mode(tag_qualification, qualification, label):
        assert tag_qualification(qualification)["pv_label"] == label

    return test_text_mode, test_register_mode
