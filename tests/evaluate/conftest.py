from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_extract.csv"

QUAL = "artikelkwalificatie"
MC = "maatschappelijke_classificatie"
ART = "wetsartikel"


@pytest.fixture
def small() -> pd.DataFrame:
    """A hand-built extract with gold labels (no synthetic generator needed)."""
    rows = [
        # qualification, mc, article, date, case, person, gold
        ("mishandeling, begaan tegen zijn partner", "", "300 jo 304 sub 1 Sr", "2012-03-01",
         "c1", "p1", "partner"),
        ("mishandeling, begaan tegen zijn levensgezel", "", "300 Sr", "2013-05-01", "c2", "p2",
         "partner"),
        ("mishandeling", "huiselijk geweld partnermishandeling", "300 Sr", "2018-01-02", "c3",
         "p3", "ex_partner"),
        ("mishandeling, begaan tegen zijn kind", "", "300 jo 304 sub 1 Sr", "2018-02-02", "c4",
         "p4", "child"),
        ("bedreiging", "", "285 Sr", "2019-01-01", "c5", "p5", "ex_partner"),
        ("diefstal", "diefstal", "310 Sr", "2019-06-01", "c6", "p6", "none"),
        ("mishandeling van zijn zakenpartner", "", "300 Sr", "2020-01-01", "c7", "p7", "none"),
        ("", "huiselijk geweld", "300 Sr", "2021-01-01", "c8", "p8", "other_family"),
        ("mishandeling, begaan tegen zijn moeder", "", "300 jo 304 sub 1 Sr", "2021-04-01",
         "c8", "p8", "parent"),
        ("vernieling", "", "350 Sr", "2022-01-01", "c9", "p9", "none"),
    ]
    return pd.DataFrame(rows, columns=[QUAL, MC, ART, "inschrijvingsdatum", "parketnummer",
                                       "jds_nummer", "true_relationship"])


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    if SAMPLE.exists():
        return pd.read_csv(SAMPLE, dtype=str)
    synth = pytest.importorskip("pv_identify.synth")
    return synth.generate(4000, seed=1)
