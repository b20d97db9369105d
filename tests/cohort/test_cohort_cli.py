"""The ``cohort`` sub-command on a small tagged CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from pv_identify.cli import cohort as cli_cohort


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli_cohort.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_cli_writes_tables(tmp_path: Path, make_extract, capsys) -> None:
    df = make_extract(
        [
            {"jds_nummer": "A", "parketnummer": "A1", "pv": True,
             "inschrijvingsdatum": "2015-01-01", "afdoeningsdatum": "2015-03-01"},
            {"jds_nummer": "A", "parketnummer": "A2", "wetsartikel": "310 Sr",
             "pleegdatum": "2015-07-01", "inschrijvingsdatum": "2015-08-01",
             "afdoeningsdatum": "2015-09-01"},
            {"jds_nummer": "B", "parketnummer": "B1", "pv": True,
             "inschrijvingsdatum": "2016-01-01", "afdoeningsdatum": "2016-03-01"},
        ]
    )
    src = tmp_path / "tagged.csv"
    df.to_csv(src, index=False)
    (tmp_path / "ids.txt").write_text("# programme\nB\n", encoding="utf-8")
    args = parse(["cohort", str(src), "--exclude-persons", str(tmp_path / "ids.txt"),
                  "--out-dir", str(tmp_path / "out")])
    assert args.func(args) == 0
    att = pd.read_csv(tmp_path / "out" / "attrition.csv")
    assert att["remaining"].tolist() == [2, 2, 2, 2, 1]  # B removed by the list
    rec = pd.read_csv(tmp_path / "out" / "recidivism.csv")
    # A: theft committed 2015-07-01, 181 days after the start 2015-01-01 -> 1 of 1
    general_1y = rec.loc[(rec["measure"] == "general") & (rec["years"] == 1)]
    assert general_1y["km_prevalence"].item() == 1.0
    assert "Attrition" in capsys.readouterr().out
