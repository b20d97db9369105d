"""Shared fixtures for the test suite."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

DATA = Path(__file__).parent / "data"
RULES = Path(__file__).resolve().parents[1] / "rules"


@pytest.fixture(scope="session")
def example_script() -> Callable[[str], ModuleType]:
    """Load a script of ``examples/`` by name (``"rule_changes"``) as a module."""

    def load(name: str) -> ModuleType:
        path = Path(__file__).resolve().parents[1] / "examples" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture(scope="session")
def rulings() -> pd.DataFrame:
    """The 70 real qualifications of published rulings, with gold relationships."""
    return pd.read_json(DATA / "rulings_dev.jsonl", lines=True, dtype=False)


@pytest.fixture
def edited_grammar(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a preset extending ``default`` whose grammar has ``old`` replaced by ``new``.

    The copy sits in its own rule folder with the files the grammar reads
    (``strangers.txt``, ``../text/modifiers.txt``); returns the preset file.
    """

    def write(old: str, new: str) -> Path:
        text = (RULES / "grammar" / "default.yaml").read_text(encoding="utf-8")
        assert old in text, "the edit must change the grammar"
        folder = tmp_path / "rules"
        (folder / "grammar").mkdir(parents=True)
        (folder / "grammar" / "default.yaml").write_text(text.replace(old, new),
                                                         encoding="utf-8")
        (folder / "text").mkdir()
        for name in ("grammar/strangers.txt", "text/modifiers.txt"):
            (folder / name).write_text((RULES / name).read_text(encoding="utf-8"),
                                       encoding="utf-8")
        edited = folder / "edited.yaml"
        edited.write_text("name: edited\nversion: '1'\nextends: default\n"
                          "grammar: grammar/default.yaml\nrules: []\n", encoding="utf-8")
        return edited

    return write


@pytest.fixture(scope="session")
def no_text_rules():
    """A text rule set without rules: text mode then reads a qualification as register mode."""
    from pv_identify.rules.textrules import TextRuleSet

    return TextRuleSet(name="none", version="0", description="no text rules", rules=(),
                       sets={}, possessive_phrases=False, match_mc_names=False)
