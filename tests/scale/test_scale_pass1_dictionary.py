"""Pass 1 reads the rule fields as Arrow dictionaries; the caches look keys up in a C hash table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pv_identify as pv
from pv_identify.errors import ColumnMappingError
from pv_identify.stream import history, runner
from pv_identify.stream.distinct import DistinctTagger, mixed_keys
from pv_identify.stream.model_cache import _Finished

KEYS = ["artikelkwalificatie", "maatschappelijke_classificatie", "wetsartikel"]


def _slots(tagger: DistinctTagger, table: pa.Table) -> np.ndarray:
    tagger.prepare(table.schema.names)
    cols = [table.column(c) for c in tagger.key_columns]
    plain = table.select(tagger.key_columns)

    def fetch(rows: np.ndarray) -> pd.DataFrame:
        part = plain.take(pa.array(rows))
        return pa.table({c: (col.cast(col.type.value_type) if pa.types.is_dictionary(col.type)
                             else col) for c, col in zip(part.column_names,
                                                         part.columns, strict=True)}
                        ).to_pandas()

    return tagger.slots(cols, fetch, table.num_rows)


def _as_dictionaries(table: pa.Table, offset: int = 0) -> pa.Table:
    columns = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if name in KEYS:
            col = col.dictionary_encode()
        columns[name] = col
    return pa.table(columns).slice(offset)


def test_dictionary_columns_give_the_slots_of_plain_columns(extract):
    frame = extract.head(3000)[KEYS].copy()
    frame.iloc[::7, 1] = None  # missing MC values: nulls in the dictionary indices
    table = pa.Table.from_pandas(frame, preserve_index=False)
    plain, coded = DistinctTagger(pv.Tagger("default")), DistinctTagger(pv.Tagger("default"))
    chunks = [(0, 1000), (1000, 1000), (2000, 1000)]
    for start, n in chunks:
        expected = _slots(plain, table.slice(start, n))
        # a sliced dictionary array (offset indices), its dictionary differing per chunk
        got = _slots(coded, _as_dictionaries(table.slice(max(start - 5, 0), n + 5),
                                             5 if start else 0).slice(0, n))
        assert got.tolist() == expected.tolist()
    pd.testing.assert_frame_equal(coded.store, plain.store)
    assert coded.size == plain.size and len(coded._packed) == coded.size


def test_dictionary_of_lists_is_refused_like_a_list_column(extract):
    tagger = DistinctTagger(pv.Tagger("default"))
    tagger.prepare(KEYS)
    nested = pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int32()),
                                            pa.array([["a"], ["b"]]))
    with pytest.raises(ColumnMappingError, match="join the items"):
        tagger.slots([nested, *(pa.array(["x", "y", "x"]) for _ in KEYS[1:])],
                     lambda rows: pd.DataFrame(), 3)


def test_dictionary_columns_are_the_plain_string_rule_fields(tmp_path):
    src = tmp_path / "x.parquet"
    pq.write_table(pa.table({"artikelkwalificatie": ["a", None], "wetsartikel": [1, 2],
                             "parketnummer": ["p1", "p2"]}), src)
    keys = ["artikelkwalificatie", "wetsartikel", "parketnummer"]
    assert history.dictionary_columns(src, keys, ["parketnummer"]) == ["artikelkwalificatie"]
    csv = tmp_path / "x.csv"
    csv.write_text("artikelkwalificatie\na\n")
    assert history.dictionary_columns(csv, keys, []) == []


def test_model_run_reading_dictionaries_equals_tag(tmp_path, extract):
    """Rule fields with nulls and several row groups: pass 1 on dictionaries, same output."""
    from pv_identify.model import RelationshipClassifier

    frame = extract.head(4000).sample(frac=1, random_state=3).reset_index(drop=True)
    frame.loc[frame.index[::5], "artikelkwalificatie"] = None
    model = RelationshipClassifier(max_text_features=500).fit(frame, frame["true_relationship"])
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False, row_group_size=1500)
    tagger = pv.Tagger("default", model=model)
    expected = tagger.tag(pd.read_parquet(src))
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, tagger, chunk_rows=700, progress=False)
    got = pd.read_parquet(out)
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert got["pv_score"].tolist() == expected["pv_score"].tolist()


def test_mixed_keys_are_one_to_one_and_leave_the_input():
    keys = np.array([0, 1, 2, 1 << 32, (1 << 32) | 1, (1 << 62) + 5], dtype=np.int64)
    before = keys.copy()
    mixed = mixed_keys(keys)
    assert len(set(mixed.tolist())) == len(keys)
    assert keys.tolist() == before.tolist()
    # the inverse of the odd multiplier modulo 2**64 gives the keys back
    inverse = pow(0x9E3779B97F4A7C15, -1, 1 << 64)
    back = (mixed.view(np.uint64) * np.uint64(inverse)).view(np.int64)
    assert back.tolist() == keys.tolist()


def test_finished_table_finds_takes_and_empties_at_its_bound():
    table = _Finished(max_entries=5)
    keys = np.array([1 << 32, (1 << 32) | 1, 7], dtype=np.int64)  # equal under a 32-bit hash
    values = {"label": np.array([1, 2, 3], dtype=np.int8),
              "source": np.zeros(3, dtype=np.int8), "partner": np.array([True, False, True]),
              "domestic": np.zeros(3, dtype=bool), "score": np.array([0.1, 0.2, 0.3])}
    table.add(keys, values)
    index = table.find(np.array([7, 8, 1 << 32, (1 << 32) | 1]))
    assert index.tolist() == [2, -1, 0, 1]
    got = table.take(index)
    assert got["label"][[0, 2, 3]].tolist() == [3, 1, 2]
    assert table.keys.tolist() == keys.tolist()
    table.add(np.array([20, 21, 22], dtype=np.int64), values)  # 6 > 5: emptied first
    assert table.overflows == 1 and len(table) == 3
    assert table.find(np.array([7, 21])).tolist() == [-1, 1]
