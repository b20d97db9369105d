"""Issue 15 item 14: errors of the analysis commands show counts, positions and column
names, never cell values (record contents)."""

from __future__ import annotations

import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cli import main
from pv_identify.errors import RuleFileError

SECRET = "GEHEIMXQ"  # a marker that must never reach an error


def _offences(rows):
    """A tagged two-row extract with the cohort's default columns."""
    base = {"jds_nummer": "P0", "parketnummer": "C0", "feit_nr": 1, "wetsartikel": "300 Sr",
            "artikelkwalificatie": "", "pleegdatum": "2015-01-01",
            "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-06-01",
            "afdoening": "werkstraf", "beslissing": "bewezen", "vrijheidsstraf_dagen": 0,
            "sekse": "man", "geboortedatum": "1980-01-01", "geboorteland": "Nederland",
            "bsn_aanwezig": True, "pv_partner_violence": True, "pv_domestic_violence": True}
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture
def headerless(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(f"P1,C1,300 Sr,{SECRET} mishandeling levensgezel\n"
                    "P2,C2,310 Sr,diefstal\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [
    ["evaluate", "{x}"],
    ["evaluate", "{x}", "--gold", "nope"],
    ["lint", "default", "--extract", "{x}"],
    ["compare", "{x}"],
    ["sample", "{x}", "-o", "{d}/s.csv"],
    ["estimate", "{x}", "--sheet", "{d}/s.csv"],
    ["cohort", "{x}"],
])
def test_commands_never_echo_cells_of_a_headerless_file(argv, headerless, tmp_path, capsys):
    args = [a.format(x=headerless, d=tmp_path) for a in argv]
    assert main(args) == 2
    out = capsys.readouterr()
    assert SECRET not in out.err and SECRET not in out.out
    assert "levensgezel" not in out.err


def test_evaluate_missing_gold_column_does_not_echo_data_like_names(tmp_path, capsys):
    path = tmp_path / "x.csv"
    pd.DataFrame({"artikelkwalificatie": ["mishandeling"],
                  f"{SECRET} tegen zijn levensgezel": ["x"]}).to_csv(path, index=False)
    assert main(["evaluate", str(path), "--gold", "nope"]) == 2
    err = capsys.readouterr().err
    assert "'nope' not found" in err and "<column 2>" in err
    assert SECRET not in err


def test_cohort_unknown_codes_are_counted_not_shown():
    df = _offences([{"jds_nummer": "P1", "parketnummer": "A",
                        "afdoening": f"{SECRET}1"},
                       {"jds_nummer": "P2", "parketnummer": "B", "afdoening": f"{SECRET}2"}])
    with pytest.raises(RuleFileError) as info:
        cohort.classify_offences(df)
    assert "2 distinct code(s)" in str(info.value) and SECRET not in str(info.value)
    df = _offences([{"jds_nummer": "P1", "parketnummer": "A", "beslissing": "bewezen"},
                       {"jds_nummer": "P2", "parketnummer": "B", "beslissing": SECRET}])
    with pytest.raises(RuleFileError) as info:
        cohort.classify_offences(df)
    message = str(info.value)
    assert "1 distinct code(s)" in message and "row position 1" in message
    assert SECRET not in message
