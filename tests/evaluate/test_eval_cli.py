from __future__ import annotations

import json

import pytest

import pv_identify.cli as cli

MODULES = ("pv_identify.cli.compare", "pv_identify.cli.evaluate", "pv_identify.cli.lint",
           "pv_identify.cli.report")


@pytest.fixture
def main():
    assert set(MODULES) <= set(cli.COMMAND_MODULES)
    return cli.main


@pytest.fixture
def extract(small, tmp_path):
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    return path


def test_compare_cli(main, extract, tmp_path, capsys):
    out_json = tmp_path / "c.json"
    assert main(["compare", str(extract), "--rules-a", "wodc2022", "--drop-term-b", "partner",
                 "--bootstrap", "100", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "changes by rule" in out and "wodc.qual.partner" in out
    assert "begaan tegen" not in out
    data = json.loads(out_json.read_text())
    assert data["counts"]["offences"]["lost"] == 1
    assert main(["compare", str(extract), "--drop-term-b", "partner", "--show-texts",
                 "--no-gold"]) == 0
    assert "begaan tegen zijn partner" in capsys.readouterr().out


def test_compare_cli_bad_term_file(main, extract, tmp_path, capsys):
    terms = tmp_path / "t.txt"
    terms.write_text("ex-vriendin\nre:(\n", encoding="utf-8")
    assert main(["compare", str(extract), "--terms-b", f"ex_partner={terms}"]) == 2
    err = capsys.readouterr().err
    assert f"{terms}:2" in err


def test_evaluate_cli(main, extract, tmp_path, capsys):
    assert main(["evaluate", str(extract), "--rules", "wodc2022", "--bootstrap", "100",
                 "--json", str(tmp_path / "e.json")]) == 0
    out = capsys.readouterr().out
    assert "confusion matrix" in out and "wodc.mc.partner" in out
    assert "no model score" in out
    assert json.loads((tmp_path / "e.json").read_text())["evaluation"]["n"] == 10


def test_lint_cli(main, tmp_path, extract, capsys):
    terms = tmp_path / "ex_partner.txt"
    terms.write_text("ex-vriendin\nex-vriendin\n", encoding="utf-8")
    assert main(["lint", str(terms), "--extract", str(extract)]) == 1
    out = capsys.readouterr().out
    assert f"{terms.resolve()}:2: error [duplicate]" in out
    assert main(["lint", "wodc2022", "--severity", "error"]) == 0


def test_report_cli(main, extract, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(extract), "-o", str(out), "--compare-with", "wodc2022",
                 "--bootstrap", "50"]) == 0
    assert out.exists() and "fig-years" in out.read_text(encoding="utf-8")
