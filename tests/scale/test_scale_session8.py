"""Session 8 (issue 17): pass 2 hands categorical input columns to the writer as dictionaries.

The tagged file must read back exactly as before -- same values, same Arrow types, same
schema metadata -- whichever columns are passed through as dictionaries and whichever
are written without a Parquet dictionary.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pv_identify.io.writers import ExtractWriter
from pv_identify.stream import passthrough, runner
from pv_identify.stream.passthrough import mostly_distinct, passthrough_types


def _parquet(frame: pd.DataFrame, path, row_group_size: int = 1500) -> None:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                   row_group_size=row_group_size)


def test_writer_stores_dictionary_columns_as_their_value_type(tmp_path):
    values = ["a", "b", None, "a", "c", "b"] * 50
    plain = pa.table({"cat": pa.array(values, pa.string()),
                      "n": pa.array(range(len(values)), pa.int64())})
    as_dictionary = plain.set_column(0, "cat", plain.column("cat").dictionary_encode())
    meta = {"ruleset": {"name": "x"}}
    expected, got = tmp_path / "plain.parquet", tmp_path / "dict.parquet"
    with ExtractWriter(expected, meta) as writer:
        for start in (0, 100):
            writer.write_arrow(plain.slice(start, 100))
    with ExtractWriter(got, meta, stored_types={"cat": pa.string()}) as writer:
        for start in (0, 100):
            writer.write_arrow(as_dictionary.slice(start, 100))
    read, want = pq.read_table(got), pq.read_table(expected)
    assert read.schema.field("cat").type == pa.string()
    assert read.equals(want)
    assert read.schema.equals(want.schema, check_metadata=True)
    # the footer holds the same key-value metadata as pyarrow's own writer stores
    assert pq.read_metadata(got).metadata == pq.read_metadata(expected).metadata
    assert json.loads(read.schema.metadata[b"pv_identify"])["ruleset"]["name"] == "x"
    # without stored_types a dictionary column stays a dictionary for readers
    other = tmp_path / "kept.parquet"
    with ExtractWriter(other, meta) as writer:
        writer.write_arrow(as_dictionary.slice(0, 100))
    assert pa.types.is_dictionary(pq.read_schema(other).field("cat").type)


def test_passthrough_types_takes_small_dictionaries_only(tmp_path):
    n = 6000
    noise = np.random.default_rng(5).bytes(32 * n)
    frame = pd.DataFrame({
        "disposal": [f"disposal {i % 7}" for i in range(n)],
        # ids: a dictionary page of ~90 KB per 1,500 rows, even compressed
        "case": [noise[32 * i:32 * i + 32].hex() for i in range(n)],
        "count": list(range(n)),
        "person": [f"p{i % 11}" for i in range(n)],
    })
    path = tmp_path / "in.parquet"
    _parquet(frame, path)
    assert passthrough_types(path) == {"disposal": pa.string(), "person": pa.string()}
    assert passthrough_types(path, exclude=["person"]) == {"disposal": pa.string()}
    # a dictionary page above the limit (ids) is read as it is
    assert "case" not in passthrough_types(path)
    small = passthrough.MAX_DICTIONARY_PAGE
    try:
        passthrough.MAX_DICTIONARY_PAGE = 10
        assert passthrough_types(path) == {}
    finally:
        passthrough.MAX_DICTIONARY_PAGE = small
    assert passthrough_types(tmp_path / "missing.parquet") == {}


def test_mostly_distinct_lists_id_like_string_columns():
    table = pa.table({
        "id": [f"c{i}" for i in range(100)],
        "cat": [f"v{i % 3}" for i in range(100)],
        "num": list(range(100)),
        "dict": pa.array([f"c{i}" for i in range(100)]).dictionary_encode(),
    })
    assert mostly_distinct(table) == ["id"]
    assert mostly_distinct(table.slice(0, 0)) == []


@pytest.fixture(scope="module")
def register(extract) -> pd.DataFrame:
    frame = extract.head(6000).sample(frac=1, random_state=3).reset_index(drop=True)
    frame.loc[[4, 70], "afdoening"] = None
    return frame


@pytest.mark.parametrize("rollups", [False, True])
def test_model_run_output_equal_with_and_without_passthrough(tmp_path, register, shipped,
                                                             monkeypatch, rollups):
    """Same tagged file (values, types, metadata) and roll-ups as without the passthrough."""
    src = tmp_path / "in.parquet"
    _parquet(register, src)
    chosen = passthrough_types(src)
    assert {"afdoening", "artikelkwalificatie"} <= set(chosen)

    def run(name):
        out = tmp_path / f"{name}.parquet"
        paths = ({"cases_path": tmp_path / f"{name}.cases.parquet",
                  "persons_path": tmp_path / f"{name}.persons.parquet"} if rollups else {})
        runner.tag_file(src, out, shipped, progress=False, chunk_rows=1000, **paths)
        return out, paths

    new, new_rollups = run("new")
    monkeypatch.setattr(runner, "passthrough_types", lambda *a, **k: {})
    monkeypatch.setattr(runner, "mostly_distinct", lambda *a, **k: [])
    old, old_rollups = run("old")
    got, want = pq.read_table(new), pq.read_table(old)
    assert got.equals(want)
    assert got.schema.equals(want.schema, check_metadata=True)
    source = pq.read_schema(src)
    for name in source.names:
        assert got.schema.field(name).type == source.field(name).type
    meta = pq.ParquetFile(new).metadata
    case_column = got.schema.get_field_index("parketnummer")
    assert not meta.row_group(0).column(case_column).has_dictionary_page  # ids: plain
    assert meta.row_group(0).column(got.schema.get_field_index("afdoening")).has_dictionary_page
    for key in ("cases_path", "persons_path"):
        if rollups:
            assert pq.read_table(new_rollups[key]).equals(pq.read_table(old_rollups[key]))
    # and the values are those of the in-memory tagger
    tagged = shipped.tag(register)
    frame = got.to_pandas()
    for column in ("pv_label", "pv_partner_violence", "pv_rule_ids", "pv_score"):
        assert frame[column].astype(object).tolist() == tagged[column].astype(object).tolist()


def test_rules_only_run_equal_with_and_without_passthrough(tmp_path, register, rules,
                                                            monkeypatch):
    """Rules only: the columns are resolved before reading; same file as without."""
    src = tmp_path / "in.parquet"
    _parquet(register, src)
    new, old = tmp_path / "new.parquet", tmp_path / "old.parquet"
    runner.tag_file(src, new, rules, progress=False, chunk_rows=1000)
    monkeypatch.setattr(runner, "passthrough_types", lambda *a, **k: {})
    monkeypatch.setattr(runner, "mostly_distinct", lambda *a, **k: [])
    runner.tag_file(src, old, rules, progress=False, chunk_rows=1000)
    got, want = pq.read_table(new), pq.read_table(old)
    assert got.equals(want)
    assert got.schema.equals(want.schema, check_metadata=True)
    assert got.column("pv_label").to_pylist() == \
        rules_tagged(register, rules)["pv_label"].astype(object).tolist()


def rules_tagged(frame: pd.DataFrame, rules) -> pd.DataFrame:
    import pv_identify as pv

    return pv.tag(frame, rules)


def test_rules_only_unmappable_input_still_raises_the_mapping_error(tmp_path, rules):
    from pv_identify.errors import ColumnMappingError

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"x": ["a", "b"]}), src)
    with pytest.raises(ColumnMappingError):
        runner.tag_file(src, tmp_path / "out.parquet", rules, progress=False)
    assert not (tmp_path / "out.parquet").exists()


def test_overwritten_output_columns_keep_their_output_types(tmp_path, register, rules):
    """An input's plain-string pv_* columns, replaced (overwrite), are not passed through."""
    src = tmp_path / "in.parquet"
    first = tmp_path / "first.parquet"
    _parquet(register, src)
    runner.tag_file(src, first, rules, progress=False, chunk_rows=1000)
    tagged = pq.read_table(first)
    plain = tagged.cast(pa.schema([f.with_type(f.type.value_type)
                                   if pa.types.is_dictionary(f.type) else f
                                   for f in tagged.schema], metadata=tagged.schema.metadata))
    again_src, again = tmp_path / "tagged_plain.parquet", tmp_path / "again.parquet"
    pq.write_table(plain, again_src, row_group_size=1500)
    assert "pv_label" in passthrough_types(again_src)  # a small dictionary in the file
    runner.tag_file(again_src, again, rules, progress=False, chunk_rows=1000, overwrite=True)
    out = pq.read_table(again)
    assert out.schema.field("pv_label").type == tagged.schema.field("pv_label").type
    assert out.equals(tagged)
