"""Shared builder for small hand-made tagged extracts (cohort tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from pv_identify.schema import OUT_DOMESTIC, OUT_PARTNER

#: Defaults of one offence row (default column names of docs/extract_schema.md).
ROW_DEFAULTS: dict[str, Any] = {
    "jds_nummer": "P0",
    "parketnummer": "C0",
    "feit_nr": 1,
    "wetsartikel": "300 Sr",
    "maatschappelijke_classificatie": "",
    "artikelkwalificatie": "",
    "pleegdatum": None,
    "inschrijvingsdatum": "2015-01-01",
    "afdoeningsdatum": None,
    "afdoening": "werkstraf",
    "beslissing": "bewezen",
    "vrijheidsstraf_dagen": 0,
    "sekse": "man",
    "geboortedatum": "1980-01-01",
    "geboorteland": "Nederland",
    "bsn_aanwezig": True,
    OUT_PARTNER: False,
    OUT_DOMESTIC: False,
}


def build(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One offence per dict; keys are column names (``pv`` sets both flags)."""
    out = []
    for r in rows:
        row = dict(ROW_DEFAULTS)
        r = dict(r)
        if r.pop("pv", False):
            row[OUT_PARTNER] = True
            row[OUT_DOMESTIC] = True
        row.update(r)
        if row["pleegdatum"] is None:
            row["pleegdatum"] = row["inschrijvingsdatum"]
        out.append(row)
    return pd.DataFrame(out)


@pytest.fixture
def make_extract() -> Callable[[list[dict[str, Any]]], pd.DataFrame]:
    return build
