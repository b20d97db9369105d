from __future__ import annotations

import pandas as pd
import pytest

from pv_identify.errors import PvIdentifyError
from pv_identify.evaluate import lint


def _codes(result):
    return {(i.code, i.term) for i in result.issues}


def test_term_list_findings(tmp_path, small):
    path = tmp_path / "ex_partner.txt"
    path.write_text(
        "# my list\n"
        "ex-vriendin\n"          # 2: duplicate of the default list -> redundant, shadowed
        "ex vriendin\n"          # 3: shadowed by 'ex-vriendin'
        "partner\n"              # 4: conflict: wodc gives 'partner'
        "re:(a|aa)+c\n"          # 5: catastrophic backtracking
        "kind*\n"                # 6: fires inside kinderopvang etc.
        "ex-vriendin\n"          # 7: duplicate in this file
        "re:(\n"                 # 8: invalid regex
        "bedreiging\n",          # 9: matches the extract
        encoding="utf-8")
    result = lint(path, extract=small)
    by_line = {(i.line, i.code) for i in result.issues if i.file == str(path.resolve())}
    assert (7, "duplicate") in by_line
    assert (4, "duplicate") in by_line
    assert (8, "invalid") in by_line
    assert (5, "backtracking") in by_line
    assert (3, "shadowed") in by_line
    assert (6, "inside-word") in by_line
    assert (2, "never-matches") in by_line
    assert (9, "never-matches") not in by_line
    assert {i.severity for i in result.errors} == {"error"}
    assert result.issues[0].severity == "error"  # errors first
    items = result.items.set_index("item")
    assert items.loc["bedreiging", "offences"] == 1
    text = result.format()
    assert f"{path.resolve()}:5: error [backtracking]" in text


def test_inside_word_hides_extract_words(tmp_path):
    path = tmp_path / "child.txt"
    path.write_text("kindje*\n", encoding="utf-8")
    df = pd.DataFrame({"artikelkwalificatie": ["mishandeling van kindjesbewaarder x"]})
    quiet = lint(path, extract=df)
    msg = [i.message for i in quiet.issues if i.code == "inside-word"]
    assert msg and "--show-texts" in msg[0] and "kindjesbewaarder" not in msg[0]
    loud = lint(path, extract=df, show_texts=True)
    assert any("kindjesbewaarder" in i.message for i in loud.issues)


def test_rule_file_error_points_at_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: mine\nversion: '1'\nextends: default\nrules:\n"
        "  - id: my.qual\n    field: qualification\n    label: exx_partner\n"
        "    rationale: test\n    terms: [ex-vriendin]\n", encoding="utf-8")
    result = lint(path)
    assert len(result.errors) == 1
    err = result.errors[0]
    assert err.code == "invalid" and err.line == 5 and err.rule_id == "my.qual"
    assert "exx_partner" in err.message


def test_rule_file_own_rules_only(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nversion: '1'\nextends: default\nrules:\n"
        "  - id: my.qual\n    field: qualification\n    label: partner\n"
        "    rationale: test\n    terms: [levensgezel, zijn wederhelft]\n", encoding="utf-8")
    result = lint(path)
    assert not result.errors
    assert ("duplicate", "levensgezel") in _codes(result)
    assert all(i.rule_id in (None, "my.qual") for i in result.issues)


def test_presets_are_clean():
    for preset in ("wodc2022", "default"):
        assert lint(preset).errors == []


def test_term_list_needs_label(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("ex-vriendin\n", encoding="utf-8")
    with pytest.raises(PvIdentifyError, match="label"):
        lint(path)
    assert lint(path, label="ex_partner").ruleset is not None
