"""Hostile corpus and qualification files for ``evaluate-text`` (session-5 QA).

Every user mistake ends in a ``file:line`` message and exit code 2, never a
traceback, and no message quotes the context text. Valid files written by ordinary
tools (a byte-order mark, ``json.dumps(..., ensure_ascii=False)`` with U+2028 in a
text) load.
"""

from __future__ import annotations

import json

import pytest

from pv_identify.cli import main
from pv_identify.evaluate.corpus import CorpusError, load_corpus, load_qualification_labels

SECRET = "Geheimzinnig"  # a word of the context that no message may show


def _item(i: str, context: str = f"{SECRET}: hij sloeg zijn vrouw.", **extra) -> dict:
    return {"id": i, "context": context, "relationship": "partner", **extra}


def _write(path, lines: list[bytes | str]) -> str:
    path.write_bytes(b"".join(
        (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines))
    return str(path)


def _dump(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False)


def _problems(path) -> str:
    with pytest.raises(CorpusError) as info:
        load_corpus(path, minimal=True)
    message = str(info.value)
    assert SECRET not in message
    return message


def test_a_byte_order_mark_is_skipped(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _dump(_item("a")).encode("utf-8") + b"\r\n")
    assert [i["id"] for i in load_corpus(path, minimal=True)] == ["a"]
    labels = tmp_path / "q.jsonl"
    labels.write_bytes(b"\xef\xbb\xbf" + json.dumps(
        {"kwalificatie": "belaging", "names_relationship": False}).encode("utf-8") + b"\n")
    assert load_qualification_labels(labels) == {"belaging": False}


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_a_byte_order_mark_is_read(tmp_path, codec):
    # PowerShell 5 writes UTF-16 LE with a BOM for 'cmd > corpus.jsonl': every line was
    # 'not UTF-8'
    path = tmp_path / "utf16.jsonl"
    text = _dump(_item("a", "Hij sloeg zijn vrouw é.")) + "\r\n" + _dump(_item("b")) + "\r\n"
    data = text.encode(codec)
    path.write_bytes(data if codec == "utf-16" else b"\xfe\xff" + data)
    items = load_corpus(path, minimal=True)
    assert [i["id"] for i in items] == ["a", "b"] and "é" in items[0]["context"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x0c"])
def test_a_text_holding_a_unicode_line_separator_is_one_line(tmp_path, separator):
    # json.dumps(ensure_ascii=False) writes U+2028/U+2029/U+0085 raw; str.splitlines
    # broke the line there and reported valid JSON as invalid
    path = _write(tmp_path / "sep.jsonl", [
        _dump(_item("a", f"Hij sloeg{separator}zijn vrouw.")), _dump(_item("b"))])
    items = load_corpus(path, minimal=True)
    assert [i["id"] for i in items] == ["a", "b"]
    if separator in "\u2028\u2029\x85":
        assert separator in items[0]["context"]


def test_a_line_not_in_utf8_is_named(tmp_path):
    path = _write(tmp_path / "latin1.jsonl", [
        _dump(_item("a")), _dump(_item("b", f"{SECRET} sloeg zijn vrouw é.")).encode("latin-1")])
    message = _problems(path)
    assert f"{path}:2: not UTF-8" in message


def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path):
    path = _write(tmp_path / "deep.jsonl", [_dump(_item("a")), "[" * 100_000])
    assert f"{path}:2: not valid JSON (nested too deeply)" in _problems(path)


def test_an_id_that_is_not_a_string_is_a_problem_not_a_type_error(tmp_path):
    path = _write(tmp_path / "ids.jsonl", [_dump(_item(["x"])), _dump(_item({"y": 1}))])
    message = _problems(path)
    assert f"{path}:1: 'id' must be a non-empty string" in message
    assert f"{path}:2: 'id' must be a non-empty string" in message


def test_a_key_given_twice_is_a_problem(tmp_path):
    # json.loads keeps the last value silently: the gold label would be a guess
    line = ('{"id": "a", "context": "' + SECRET + '", "relationship": "partner", '
            '"relationship": "other"}')
    path = _write(tmp_path / "dup.jsonl", [line])
    assert f"{path}:1: key 'relationship' appears twice in one object" in _problems(path)


@pytest.mark.parametrize("field", ["kwalificatie", "articles", "url", "date"])
def test_a_text_field_that_is_not_a_string_is_a_problem(tmp_path, field):
    # register mode tagged str(["mishandeling"]) = "['mishandeling']" without a word
    path = _write(tmp_path / "types.jsonl", [_dump(_item("a", **{field: ["mishandeling"]}))])
    assert f"{path}:1: {field!r} must be a string" in _problems(path)


def test_the_cli_reports_a_broken_file_without_traceback(tmp_path, capsys):
    path = _write(tmp_path / "c.jsonl", [_dump(_item(["x"])), "[" * 100_000,
                                         _dump(_item("b")).encode("utf-16")])
    assert main(["evaluate-text", path, "--outside", "--n-boot", "5"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and SECRET not in err
    for number in (1, 2, 3):
        assert f"{path}:{number}: " in err


@pytest.fixture
def corpus(tmp_path):
    return _write(tmp_path / "corpus.jsonl", [_dump(_item("a"))])


def test_json_output_never_overwrites_the_corpus(corpus, capsys):
    before = open(corpus, "rb").read()
    assert main(["evaluate-text", corpus, "--outside", "--n-boot", "5",
                 "--json", corpus]) == 2
    assert "--json would overwrite the corpus file" in capsys.readouterr().err
    assert open(corpus, "rb").read() == before


@pytest.mark.parametrize("target", ["folder", "missing/out.json"])
def test_json_output_into_a_folder_or_a_missing_folder(corpus, tmp_path, capsys, target):
    out = tmp_path / target
    if target == "folder":
        out.mkdir()
    assert main(["evaluate-text", corpus, "--outside", "--n-boot", "5",
                 "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pv-identify: error: ") and "Traceback" not in err
    assert str(out) in err


def test_qualifications_outside_register_mode_are_refused(corpus, tmp_path, capsys):
    labels = _write(tmp_path / "q.jsonl", [json.dumps({"kwalificatie": "belaging",
                                                       "names_relationship": False})])
    assert main(["evaluate-text", corpus, "--outside", "--qualifications", labels]) == 2
    assert "--mode register" in capsys.readouterr().err


def test_a_negative_number_of_replicates_is_a_usage_error(corpus, capsys):
    # '--n-boot -3' ran and printed '-3 replicates over sources' with no intervals
    with pytest.raises(SystemExit) as info:
        main(["evaluate-text", corpus, "--outside", "--n-boot", "-3"])
    assert info.value.code == 2
    assert "expected 0 or more replicates" in capsys.readouterr().err
