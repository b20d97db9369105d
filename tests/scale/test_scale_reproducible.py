"""The rules path's string columns: each value once per chunk, the same bytes every run.

A chunk's rule-id and evidence strings come from the distinct combinations' store, where
many combinations share a string. With an entry per combination the Parquet writer
encoded those dictionaries densely, and a 1M-row file's bytes differed between runs of
the same input (values equal). ``dictionary_take`` now gives each value once, in order of
first row, as the model path does.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pv_identify.stream.distinct import dictionary_take
from pv_identify.stream.runner import tag_file
from pv_identify.synth.writers import write_synthetic


@pytest.mark.parametrize("seed", range(6))
def test_dictionary_take_holds_each_value_once_in_first_row_order(seed):
    rng = np.random.default_rng(seed)
    words = ["", "a", "b", "mc=\"x\"", "article=\"Sr:304.1\"", None]
    n = int(rng.integers(1, 40))
    store = pa.table({
        "s": pa.array([words[i] for i in rng.integers(len(words), size=n)], pa.large_string()),
        "t": pa.array([words[i] for i in rng.integers(len(words) - 1, size=n)], pa.string()),
        "k": pa.array(np.arange(n) * 3),
    })
    slots = rng.integers(n, size=int(rng.integers(1, 200)))
    got = dictionary_take(store, slots)
    for name in ("s", "t"):
        col = got.column(name).combine_chunks()
        assert pa.types.is_dictionary(col.type)
        assert col.type.value_type == store.schema.field(name).type
        expected = store.column(name).take(pa.array(slots)).to_pylist()
        assert col.to_pylist() == expected  # values and missing values kept
        values = col.dictionary.to_pylist()
        assert None not in values
        assert values == list(dict.fromkeys(v for v in expected if v is not None))
    assert got.column("k").to_pylist() == (np.asarray(slots) * 3).tolist()


def test_streamed_rules_output_is_the_same_bytes_every_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    src = tmp_path / "in.parquet"
    write_synthetic(src, 30_000, seed=3)
    digests = []
    for name in ("a.parquet", "b.parquet"):
        tag_file(src, tmp_path / name, rules="default", chunk_rows=4_000, progress=False)
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups > 1
