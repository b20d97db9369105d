"""Issue 15 point 2: an output never overwrites the input or another output."""

import os
from pathlib import Path

import pytest

from pv_identify.cli import main
from pv_identify.errors import OutputFileError
from pv_identify.io.samefile import check_paths
from pv_identify.stream.runner import tag_file

EXTRACT = ("artikelkwalificatie,parketnummer,jds_nummer\n"
           "mishandeling begaan tegen zijn levensgezel,C1,P1\n")


@pytest.fixture()
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(EXTRACT, encoding="utf-8")
    return path


@pytest.mark.parametrize("options", [
    ["--cases", "{in}"],
    ["-o", "{in}"],
    ["--persons", "{in}"],
    ["-o", "{d}/x.csv", "--cases", "{d}/x.csv"],
    ["-o", "{d}/x.csv", "--persons", "{d}/./x.csv"],
])
def test_tag_refuses_colliding_outputs(extract, tmp_path, capsys, options):
    args = [o.format(**{"in": extract, "d": tmp_path}) for o in options]
    assert main(["tag", str(extract), "--no-progress", *args]) == 2
    err = capsys.readouterr().err
    assert "would overwrite the input" in err or "is the same file as" in err
    assert extract.read_text(encoding="utf-8") == EXTRACT
    assert not (tmp_path / "x.csv").exists()


def test_symlink_and_hardlink_to_the_input_are_refused(extract, tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(extract)
    hard = tmp_path / "hard.csv"
    os.link(extract, hard)
    for out in (link, hard):
        with pytest.raises(OutputFileError, match="would overwrite the input"):
            tag_file(extract, out, "wodc2022", progress=False)
    assert extract.read_text(encoding="utf-8") == EXTRACT


def test_distinct_outputs_are_fine(extract, tmp_path):
    check_paths({"input": extract}, {"-o": tmp_path / "a.csv", "--cases": tmp_path / "b.csv"})
    summary = tag_file(extract, tmp_path / "a.csv", "wodc2022", progress=False,
                       cases_path=tmp_path / "b.csv")
    assert summary.rows == 1


@pytest.mark.parametrize("command", [
    ["text", "{in}", "-c", "artikelkwalificatie", "-o", "{in}"],
    ["evaluate", "{in}", "--json", "{in}"],
    ["report", "{in}", "-o", "{in}"],
    ["sample", "{in}", "-o", "{in}"],
    ["train", "{in}", "-o", "{in}", "--label-column", "jds_nummer"],
    ["lint", "wodc2022", "--extract", "{in}", "--json", "{in}"],
])
def test_other_commands_refuse_writing_over_their_input(extract, capsys, command):
    args = [c.format(**{"in": extract}) for c in command]
    assert main(args) == 2
    assert "would overwrite the" in capsys.readouterr().err
    assert extract.read_text(encoding="utf-8") == EXTRACT
