"""Rule files and input validation: errors name file, line, column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pv_identify import cohort
from pv_identify.cohort import CohortConfig, CohortConfigError
from pv_identify.errors import ColumnMappingError, PvIdentifyError, RuleFileError


def copy_rules(tmp_path: Path) -> Path:
    dst = tmp_path / "cohort"
    shutil.copytree(cohort.default_rules_dir(), dst)
    return dst


def test_bundled_rules_load() -> None:
    rules = cohort.load_cohort_rules()
    assert rules.severity_order[0] == "maatregel"
    assert [t.name for t in rules.pv_types if t.exclude] == [
        "moord", "zedendelict", "vrijheidsberoving"
    ]
    assert rules.disposals["strafbeschikking"].vv_vw_sb
    assert rules.disposals["vrijspraak"].klass == "acquittal"


def test_bad_class_points_at_line(tmp_path: Path) -> None:
    folder = copy_rules(tmp_path)
    path = folder / "disposals.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("  werkstraf:"))
    lines[n] = "  werkstraf: {class: sentence, severity: werkstraf}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        cohort.load_cohort_rules(folder)
    assert err.value.line == n + 1
    assert "werkstraf" in str(err.value) and "class must be one of" in str(err.value)


def test_bad_article_in_type_file(tmp_path: Path) -> None:
    folder = copy_rules(tmp_path)
    path = folder / "pv_types.yaml"
    text = path.read_text(encoding="utf-8").replace('["285b Sr"]', '["stalking"]')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"pv_types\.yaml"):
        cohort.load_cohort_rules(folder)


def test_edited_rules_change_results(tmp_path: Path, make_extract) -> None:
    folder = copy_rules(tmp_path)
    path = folder / "disposals.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "overig:                            {class: other}",
        "overig:                            {class: conviction, severity: overig}",
    )
    path.write_text(text, encoding="utf-8")
    df = make_extract([{"pv": True, "afdoening": "overig", "afdoeningsdatum": "2015-03-01"}])
    assert len(cohort.index_cases(cohort.classify_offences(df))) == 0
    config = CohortConfig(rules_dir=folder)
    assert len(cohort.index_cases(cohort.classify_offences(df, config=config), config)) == 1


def test_unknown_disposal_code(make_extract) -> None:
    df = make_extract([{"afdoening": "taakstraf"}])
    with pytest.raises(RuleFileError, match=r"1 distinct code\(s\) not listed") as info:
        cohort.classify_offences(df)
    assert "taakstraf" not in str(info.value)  # counts, never cell values (issue 15)


def test_missing_column_and_tag_columns(make_extract) -> None:
    df = make_extract([{}])
    with pytest.raises(ColumnMappingError, match="'afdoening' \\(field disposal\\)"):
        cohort.classify_offences(df.drop(columns=["afdoening"]))
    with pytest.raises(ColumnMappingError, match=r"run pv_identify\.tag"):
        cohort.classify_offences(df.drop(columns=["pv_partner_violence"]))
    with pytest.raises(ColumnMappingError, match="unknown field"):
        cohort.classify_offences(df, columns={"persoon": "x"})


def test_bad_dates_are_reported_without_contents(make_extract) -> None:
    df = make_extract([{}, {"inschrijvingsdatum": "31-31-2015"}])
    with pytest.raises(ColumnMappingError) as err:
        cohort.classify_offences(df)
    assert "inschrijvingsdatum" in str(err.value) and "31-31-2015" not in str(err.value)
    assert isinstance(err.value, PvIdentifyError)


def test_bad_config() -> None:
    with pytest.raises(CohortConfigError, match="window"):
        CohortConfig(window=("2017-01-01", "2014-01-01"))
    with pytest.raises(CohortConfigError, match="cutoff"):
        CohortConfig(cutoff="not a date")
    with pytest.raises(CohortConfigError, match="window_date"):
        CohortConfig(window_date="pleegdatum")  # type: ignore[arg-type]


def test_no_bsn_column_skips_step(make_extract) -> None:
    df = make_extract([{"pv": True, "afdoeningsdatum": "2015-03-01"}]).drop(
        columns=["bsn_aanwezig"]
    )
    sel = cohort.apply_exclusions(cohort.index_cases(cohort.classify_offences(df)))
    row = sel.attrition.set_index("step").loc[1]
    assert row["excluded"] == 0 and "not applied" in row["note"]
    assert isinstance(sel.cohort, pd.DataFrame) and len(sel.cohort) == 1
