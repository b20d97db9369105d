from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.text import load, tag_texts


@pytest.fixture(scope="session")
def nlp():
    return load("default")


@pytest.fixture(scope="session")
def nlp_wodc():
    return load("wodc2022")


def spans(doc):
    return [(s.text, s.label_, s.id_, s._.pv_pattern) for s in doc.spans["pv_identify"]]


@pytest.fixture(scope="session")
def tag_one() -> Callable[[str], pd.Series]:
    """Tag one text with the ``default`` rules (no model); returns its output row."""
    tagger = pv.Tagger("default")
    return lambda text: tag_texts([text], tagger=tagger).iloc[0]


@pytest.fixture(scope="session")
def tag_qualification() -> Callable[..., pd.Series]:
    """Tag one register row (qualification, optional article) with the ``default`` rules."""
    tagger = pv.Tagger("default")

    def tag(qualification: str, article: str = "") -> pd.Series:
        frame = pd.DataFrame({"artikelkwalificatie": [qualification], "wetsartikel": [article]})
        return tagger.tag(frame).iloc[0]
    return tag
