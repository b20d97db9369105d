"""Streaming file runs: chunked == whole frame, parallel == serial, atomic output, memory."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pv_identify as pv
from pv_identify.cli import main
from pv_identify.io.readers import iter_arrow, iter_extract, read_extract
from pv_identify.schema import OUTPUT_COLUMNS
from pv_identify.stream import runner
from pv_identify.stream.distinct import DistinctTagger

PV = list(OUTPUT_COLUMNS)


def _same_outputs(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same rows, columns and values of the pv_* columns (files drop dtypes)."""
    assert list(result.columns) == list(expected.columns)
    assert len(result) == len(expected)
    for col in PV:
        left = result[col].astype(object).tolist()
        right = expected[col].astype(object).tolist()
        if col == "pv_score":
            assert pd.Series(left).isna().equals(pd.Series(right).isna())
        else:
            assert left == right, col


def test_distinct_tagger_equals_tag_exactly(extract, rules):
    tagger = DistinctTagger(rules, max_entries=300)  # small bound: forces flushes
    for start in range(0, len(extract), 2_500):
        chunk = extract.iloc[start:start + 2_500]
        pd.testing.assert_frame_equal(tagger.tag(chunk), pv.tag(chunk, rules))
    assert tagger.flushes > 0
    assert tagger.size <= 300 + 2_500


def test_distinct_tagger_packed_lookup_and_its_fallback(extract, rules):
    """Combinations are looked up as packed integers while every column's values fit the
    widths chosen at the first chunk; a column that outgrows them (here: 2 bits for the
    qualification, 2 in the first chunk, hundreds later) switches the cache to its tuple
    dictionary and the output stays pv.tag's; a cleared cache packs again."""
    tagger = DistinctTagger(rules)
    frame = extract.reset_index(drop=True)
    first = frame.iloc[:400].copy()
    qual = "artikelkwalificatie"
    first[qual] = first[qual].where(first.index % 2 == 0, "mishandeling")
    first[qual] = first[qual].where(first.index % 2 == 1, "bedreiging")
    tagger.prepare(first.columns)
    tagger._widths = [2 if c == qual else 16 for c in tagger.key_columns]
    pd.testing.assert_frame_equal(tagger.tag(first), pv.tag(first, rules))
    assert tagger._widths and len(tagger._packed) == tagger.size
    pd.testing.assert_frame_equal(tagger.tag(first.iloc[::-1]), pv.tag(first.iloc[::-1], rules))
    for start in range(400, len(frame), 3_000):
        chunk = frame.iloc[start:start + 3_000]
        pd.testing.assert_frame_equal(tagger.tag(chunk), pv.tag(chunk, rules))
    assert tagger._widths == []  # outgrown: tuples
    tagger.clear()
    pd.testing.assert_frame_equal(tagger.tag(frame.iloc[:3_000]), pv.tag(frame.iloc[:3_000], rules))
    assert tagger._widths and len(tagger._packed) == tagger.size


def test_distinct_tagger_keys_keep_types_apart(rules):
    frame = pd.DataFrame({"wetsartikel": pd.Series(["304", 304, 304.0, None, float("nan"), ""],
                                                   dtype=object)})
    tagger = DistinctTagger(rules)
    pd.testing.assert_frame_equal(tagger.tag(frame), pv.tag(frame, rules))


@pytest.mark.parametrize("fmt", ["parquet", "csv", "sav"])
def test_chunked_file_equals_whole_frame(tmp_path, extract, rules, fmt):
    src = tmp_path / f"in.{fmt}"
    if fmt == "parquet":
        extract.to_parquet(src, row_group_size=3_000)
    elif fmt == "csv":
        extract.to_csv(src, index=False)
    else:
        pytest.importorskip("pyreadstat")
        extract.to_parquet(tmp_path / "tmp.parquet")
        from pv_identify.io.writers import write_extract
        write_extract(extract.astype({c: str for c in extract.columns
                                      if extract[c].dtype == bool}), src)
    out = tmp_path / "out.parquet"
    summary = runner.tag_file(src, out, rules, chunk_rows=2_000, progress=False)
    expected = pv.tag(read_extract(src), rules)
    result = pd.read_parquet(out)
    _same_outputs(result, expected)
    assert summary.rows == len(extract)
    assert summary.partner_violence == int(expected["pv_partner_violence"].sum())
    assert summary.labels["none"] == int((expected["pv_label"] == "none").sum())


def test_arrow_path_equals_pandas_path_and_keeps_types(tmp_path, extract, rules):
    src = tmp_path / "in.parquet"
    extract.to_parquet(src, row_group_size=5_000)
    fast, slow = tmp_path / "fast.parquet", tmp_path / "slow.parquet"
    a = runner.tag_file(src, fast, rules, chunk_rows=3_000, progress=False)
    b = runner.tag_file(src, slow, rules, chunk_rows=3_000, progress=False, arrow=False)
    assert a.labels == b.labels and a.rules == b.rules and a.rows == b.rows
    _same_outputs(pd.read_parquet(fast), pd.read_parquet(slow))
    in_schema = pq.read_schema(src)
    out_schema = pq.read_schema(fast)
    for name in in_schema.names:  # other columns keep their Parquet types
        assert out_schema.field(name).type == in_schema.field(name).type
    assert b"pv_identify" in out_schema.metadata


def test_parallel_equals_serial(tmp_path, extract, rules):
    src = tmp_path / "in.csv"
    extract.to_csv(src, index=False)
    serial, parallel = tmp_path / "s.parquet", tmp_path / "p.parquet"
    a = runner.tag_file(src, serial, rules, chunk_rows=1_500, progress=False)
    b = runner.tag_file(src, parallel, rules, chunk_rows=1_500, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(pd.read_parquet(serial), pd.read_parquet(parallel))
    assert a.labels == b.labels and a.rules == b.rules


def test_interrupted_run_leaves_no_output(tmp_path, extract, rules, monkeypatch, capsys):
    src = tmp_path / "in.parquet"
    extract.to_parquet(src, row_group_size=2_000)
    out = tmp_path / "out" / "tagged.parquet"
    calls = {"n": 0}
    original = runner.ChunkJob.__call__

    def interrupt(self, part):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, part)

    monkeypatch.setattr(runner.ChunkJob, "__call__", interrupt)
    code = main(["tag", str(src), "-o", str(out), "--chunk-rows", "2000", "--no-progress"])
    assert code == 130
    assert "interrupted; no output was written" in capsys.readouterr().err
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no temporary file left behind


def test_failing_run_leaves_no_output(tmp_path, extract, rules, monkeypatch):
    src = tmp_path / "in.csv"
    extract.to_csv(src, index=False)
    out = tmp_path / "tagged.csv"

    def fail(self, part):
        raise pv.PvIdentifyError("boom")

    monkeypatch.setattr(runner.ChunkJob, "__call__", fail)
    with pytest.raises(pv.PvIdentifyError, match="boom"):
        runner.tag_file(src, out, rules, chunk_rows=2_000, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_reading_is_memory_bounded(tmp_path, extract):
    src = tmp_path / "in.parquet"
    big = pd.concat([extract] * 10, ignore_index=True)
    big.to_parquet(src, row_group_size=4_000)
    whole = pq.read_table(src).nbytes
    pool = pa.default_memory_pool()
    peak = 0
    before = pool.bytes_allocated()
    rows = 0
    for table in iter_arrow(src, chunk_rows=4_000):
        assert table.num_rows <= 4_000
        rows += table.num_rows
        peak = max(peak, pool.bytes_allocated() - before)
        del table
    assert rows == len(big)
    assert peak < whole / 5, (peak, whole)  # a few row groups, not the file
    sizes = [len(c) for c in iter_extract(src, chunk_rows=5_000)]
    assert max(sizes) <= 5_000 and sum(sizes) == len(big)


def test_progress_reports_rate_and_eta(tmp_path, extract, rules, capsys):
    src = tmp_path / "in.csv"
    extract.to_csv(src, index=False)
    runner.tag_file(src, None, rules, chunk_rows=3_000, progress=True)
    err = capsys.readouterr().err
    assert "rows/s" in err and "done in" in err


def test_model_options_reach_every_chunk(tmp_path, extract, rules):
    """tag_file with a model, a non-default threshold and refine off equals pv.tag."""
    from pv_identify.model import RelationshipClassifier

    part = extract.head(2000)
    model = RelationshipClassifier(C=1.0, calibration=None, max_text_features=500).fit(
        part, part["true_relationship"])
    src = tmp_path / "in.csv"
    part.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    options = {"model": model, "threshold": 0.3, "refine_unspecified": False}
    runner.tag_file(src, out, rules, progress=False, chunk_rows=100_000, **options)
    expected = pv.tag(pd.read_csv(src, dtype=str, keep_default_na=False), rules, **options)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["pv_label"].tolist() == expected["pv_label"].astype(str).tolist()
    assert got["pv_source"].tolist() == expected["pv_source"].astype(str).tolist()
    assert (expected["pv_source"] == "model").any()
    # a tagger configured once gives the same file
    out2 = tmp_path / "out2.csv"
    runner.tag_file(src, out2, pv.Tagger(rules, **options), progress=False)
    assert pd.read_csv(out2, dtype=str)["pv_label"].tolist() == got["pv_label"].tolist()


def test_existing_output_columns_need_overwrite(tmp_path, extract, rules):
    tagged = pv.tag(extract.head(300), rules)
    src = tmp_path / "tagged.parquet"
    tagged.to_parquet(src)
    with pytest.raises(pv.ColumnMappingError, match="overwrite"):
        runner.tag_file(src, tmp_path / "o.parquet", rules, progress=False)
    runner.tag_file(src, tmp_path / "o.parquet", rules, progress=False, overwrite=True)
    _same_outputs(pd.read_parquet(tmp_path / "o.parquet"),
                  pv.tag(pd.read_parquet(src), rules, overwrite=True))
