"""Issue 15 point 9 (rest): specific errors with exit 2, never a traceback."""

from pathlib import Path

import pytest

from pv_identify.cli import main

EXTRACT = "jds_nummer,artikelkwalificatie,gold\nP1,mishandeling tegen zijn levensgezel,partner\n"


@pytest.fixture()
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(EXTRACT, encoding="utf-8")
    return path


@pytest.mark.parametrize("content, expected", [
    (b"5", "invalid TOML"),
    (b"\xff\xfe[columns]\n", "not UTF-8 text"),
    (b"columns = 5\n", "expected a [columns] table"),
    (None, "is a folder"),
])
def test_bad_config_is_a_specific_error(extract, tmp_path, capsys, content, expected):
    config = tmp_path / "c.toml"
    if content is None:
        config.mkdir()
    else:
        config.write_bytes(content)
    assert main(["tag", str(extract), "--no-progress", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "c.toml" in err and "Traceback" not in err


def test_train_on_one_row_is_a_specific_error(extract, tmp_path, capsys):
    code = main(["train", str(extract), "-o", str(tmp_path / "m.skops"),
                 "--label-column", "gold"])
    assert code == 2
    err = capsys.readouterr().err
    assert "too few" in err and "--test-size 0" in err
    assert not (tmp_path / "m.skops").exists()


def test_rules_show_exists_and_names_the_rule(capsys):
    assert main(["rules", "show", "wodc.qual.partner", "--rules", "wodc2022"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wodc.qual.partner") and "levensgezel" in out
    assert main(["rules", "show", "no.such.rule"]) == 2
