from __future__ import annotations

import pytest

from pv_identify.text import load


@pytest.fixture(scope="session")
def nlp():
    return load("default")


@pytest.fixture(scope="session")
def nlp_wodc():
    return load("wodc2022")


def spans(doc):
    return [(s.text, s.label_, s.id_, s._.pv_pattern) for s in doc.spans["pv_identify"]]
