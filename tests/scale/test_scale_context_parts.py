"""Issue 17: pass 1 of the model path split into hash parts gives the same context.

The context pass splits rows by case hash, cases by person hash and merges the parts'
row-sorted results back in row order; whatever the number of parts the per-row
context equals the in-memory ``feature_context`` and ``tag_file`` equals ``pv.tag``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pv_identify.model.features import feature_context
from pv_identify.stream import history, runner
from pv_identify.stream.model_cache import ModelCache

MC = "maatschappelijke_classificatie"
FIELDS = ("case_mask", "multi", "hist_mask", "hist_n", "year")


@pytest.fixture(scope="module")
def awkward(extract) -> pd.DataFrame:
    """3,000 shuffled rows with every case the context pass must get right."""
    frame = extract.head(3000).sample(frac=1, random_state=3).reset_index(drop=True)
    frame.loc[[3, 400, 2999], "parketnummer"] = None      # rows without case: own cases
    frame.loc[[8, 401, 1200], "jds_nummer"] = None        # rows without person
    frame.loc[[13, 402, 1500], "inschrijvingsdatum"] = pd.NaT  # missing dates
    # a case whose rows have different persons (bad data): its person is its first row's
    frame.loc[[20, 900, 2500], "parketnummer"] = "MIXED"
    frame.loc[20, "jds_nummer"] = "PERSON-A"
    frame.loc[900, "jds_nummer"] = "PERSON-B"
    frame.loc[2500, "jds_nummer"] = None
    # ... and earlier / later cases of those persons (history across case parts)
    frame.loc[[30, 31], "jds_nummer"] = "PERSON-A"
    frame.loc[30, "inschrijvingsdatum"] = pd.Timestamp("1990-01-01")
    frame.loc[31, "inschrijvingsdatum"] = pd.Timestamp("2090-01-01")
    frame.loc[[32], "jds_nummer"] = "PERSON-B"
    # a case without person id of several rows (each row is its own person)
    frame.loc[[40, 1700, 2800], "parketnummer"] = "NOBODY"
    frame.loc[[40, 1700, 2800], "jds_nummer"] = None
    # cases of 16+ offences spread over the file (the exact fix-up of the twice mask)
    big = np.arange(100, 3000, 70)[:40]
    frame.loc[big, "parketnummer"] = "BIG"
    frame.loc[big[:20], MC] = "huiselijk geweld partnermishandeling"
    frame.loc[big[20:], MC] = None
    frame.loc[big[20], MC] = "huiselijk geweld kindermishandeling"
    frame.loc[big[21:23], MC] = "huiselijk geweld"
    sixteen = np.arange(105, 3000, 180)[:16]
    frame.loc[sixteen, "parketnummer"] = "SIXTEEN"
    frame.loc[sixteen, MC] = "huiselijk geweld partnermishandeling"
    frame.loc[sixteen[0], MC] = "huiselijk geweld"
    return frame


def _assert_outputs_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert (expected["pv_source"] == "model").any()
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    for col in ("pv_partner_violence", "pv_domestic_violence", "pv_score"):
        assert got[col].tolist() == expected[col].tolist(), col


def _context(path, shipped, parts, takes=None, chunk_rows=700):
    cache = ModelCache(shipped)
    mapping = cache.prepare(list(pd.read_parquet(path).columns))
    reader = history.case_context(path, mapping, cache, chunk_rows, parts=parts)
    try:
        summaries = [reader.take(n) for n in (takes or [])]
    finally:
        reader.close()
    return cache, mapping, summaries


@pytest.mark.parametrize("parts", [1, 2, 7, 24])
def test_context_in_parts_equals_feature_context(tmp_path, awkward, shipped, parts):
    """Null case and person ids, a case with rows of different persons, cases of 16+
    offences, cases spanning chunks and missing dates: the merged context of any number
    of parts equals the whole-frame context, taken in uneven slices."""
    src = tmp_path / "awkward.parquet"
    awkward.to_parquet(src, index=False)
    takes = [1, 999, 0, 1234, 766]
    cache, mapping, summaries = _context(src, shipped, parts, takes)
    assert [len(s) for s in summaries] == takes
    slots = np.concatenate([s.slots(cache.distinct.flushes) for s in summaries])
    own = cache.own(slots)
    expected = feature_context(pd.read_parquet(src), mapping, own)
    at = 0
    for summary in summaries:
        got = summary.context(own[at:at + len(summary)])
        for name in FIELDS:
            assert np.array_equal(np.asarray(getattr(got, name)),
                                  np.asarray(getattr(expected, name))[at:at + len(summary)]), \
                (name, parts, at)
        at += len(summary)
    big = awkward.index[awkward["parketnummer"] == "BIG"]
    assert np.asarray(expected.multi)[big].all()
    assert np.asarray(expected.hist_n).max() >= 3  # the data does have history


def test_context_reader_merges_parts_in_row_order(tmp_path):
    """The pass-2 merge over parts of many small row groups (rows scattered at random
    over the parts, one part empty) gives every row's values in row order, whatever
    the slices taken."""
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(4)
    n = 1_000
    owner = rng.integers(0, 5, n)
    owner[owner == 3] = 4  # part 3 has no rows
    ctx = rng.integers(0, 1 << 40, n)
    workdir = tempfile.TemporaryDirectory(dir=tmp_path)
    paths = []
    for k in range(5):
        rows = np.flatnonzero(owner == k)
        path = tmp_path / f"part{k}.parquet"
        pq.write_table(pa.table({"row": rows.astype(np.int64), "slot": (rows * 3).astype(np.int32),
                                 "ctx": ctx[rows], "year": (rows % 50).astype(np.int16)}),
                       path, row_group_size=int(rng.integers(3, 40)))
        paths.append(path)
    reader = history.ContextReader(paths, workdir, epoch=7)
    takes = [0, 1, 37, 300, 2, 160, 500]
    summaries = [reader.take(t) for t in takes]
    with pytest.raises(RuntimeError, match="expected 1"):
        reader.take(1)  # past the end
    reader.close()
    assert not (tmp_path / workdir.name).exists()
    table = pa.concat_tables([s.table for s in summaries])
    assert table.column("ctx").to_numpy().tolist() == ctx.tolist()
    assert table.column("slot").to_numpy().tolist() == (np.arange(n) * 3).tolist()
    assert table.column("year").to_numpy().tolist() == (np.arange(n) % 50).tolist()
    assert summaries[2].slots(7)[:2].tolist() == [3, 6] and summaries[2].slots(8) is None


def test_context_in_more_parts_than_rows(tmp_path, awkward, shipped):
    """Twelve rows in 16 parts: empty parts are skipped, the rows still come back in order."""
    src = tmp_path / "small.parquet"
    frame = awkward.head(12).copy()
    frame.loc[[0, 5, 11], "parketnummer"] = "SHARED"
    frame.loc[[0, 5, 11], "jds_nummer"] = "ONE"
    frame.to_parquet(src, index=False)
    cache, mapping, summaries = _context(src, shipped, 16, [5, 7], chunk_rows=4)
    slots = np.concatenate([s.slots(cache.distinct.flushes) for s in summaries])
    own = cache.own(slots)
    expected = feature_context(pd.read_parquet(src), mapping, own)
    got = [s.context(o) for s, o in zip(summaries, (own[:5], own[5:]), strict=True)]
    for name in FIELDS:
        assert np.array_equal(np.concatenate([np.asarray(getattr(g, name)) for g in got]),
                              np.asarray(getattr(expected, name))), name
    assert np.asarray(expected.multi)[[0, 5, 11]].all()


def test_context_in_parts_of_an_empty_file(tmp_path, extract, shipped):
    """A file without rows: a reader with nothing to give, whose close removes its files."""
    import tempfile

    src = tmp_path / "empty.parquet"
    extract.head(0).to_parquet(src, index=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    real = tempfile.tempdir
    tempfile.tempdir = str(scratch)
    try:
        _, _, summaries = _context(src, shipped, 5, [0])
    finally:
        tempfile.tempdir = real
    assert len(summaries[0]) == 0
    assert not list(scratch.iterdir())


def test_context_reader_refuses_rows_it_does_not_have(tmp_path, awkward, shipped):
    """Pass 2 asking for more rows than pass 1 saw fails with a clear error."""
    src = tmp_path / "awkward.parquet"
    awkward.head(500).to_parquet(src, index=False)
    with pytest.raises(RuntimeError, match="has 500 rows numbered 0 to 599"):
        _context(src, shipped, 3, [600])


@pytest.mark.parametrize("arrow", [True, False])
def test_tag_file_in_parts_equals_tag(tmp_path, awkward, shipped, arrow, monkeypatch):
    """tag_file with the context pass in many parts gives pv.tag's output on the file."""
    monkeypatch.setattr(history, "ROWS_PER_PART", 400)
    src = tmp_path / "awkward.parquet"
    awkward.to_parquet(src, index=False)
    assert history.part_count(src) == 8
    expected = shipped.tag(pd.read_parquet(src))
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=1_000, progress=False, arrow=arrow)
    _assert_outputs_equal(pd.read_parquet(out), expected)


def test_tag_file_in_parts_with_ids_typed_differently_between_chunks(tmp_path, awkward,
                                                                    shipped, monkeypatch):
    """A CSV chunk whose ids are all missing (typed null by the reader) and later chunks
    with string ids: rows split by case hash per chunk still meet their cases."""
    from pv_identify.io.readers import iter_extract

    monkeypatch.setattr(history, "ROWS_PER_PART", 500)
    frame = awkward.copy()
    frame.loc[:999, "jds_nummer"] = None
    frame.loc[:999, "parketnummer"] = None
    src = tmp_path / "ids.csv"
    frame.to_csv(src, index=False)
    assert history.part_count(src) > 1
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=1_000, progress=False)
    expected = shipped.tag(pd.concat(iter_extract(src, chunk_rows=100_000)))
    _assert_outputs_equal(pd.read_parquet(out), expected)


def test_context_in_parts_with_dictionary_ids(tmp_path, awkward, shipped):
    """Categorical ids (Arrow dictionaries per chunk) give the context of plain string ids."""
    plain = tmp_path / "plain.parquet"
    awkward.to_parquet(plain, index=False)
    coded = tmp_path / "coded.parquet"
    frame = awkward.copy()
    for col in ("parketnummer", "jds_nummer"):
        frame[col] = frame[col].astype("category")
    frame.to_parquet(coded, index=False, row_group_size=500)
    rows = len(awkward)
    results = []
    for path in (plain, coded):
        _, _, summaries = _context(path, shipped, 5, [rows])
        results.append(summaries[0].table.column("ctx").to_numpy())
    assert np.array_equal(results[0], results[1])


def test_part_count_from_metadata_or_size(tmp_path, awkward):
    src = tmp_path / "a.parquet"
    awkward.to_parquet(src, index=False)
    assert history.part_count(src, 3000) == 1
    assert history.part_count(src, 1000) == 3
    assert history.part_count(src, 999) == 4
    csv = tmp_path / "a.csv"
    awkward.to_csv(csv, index=False)
    size = csv.stat().st_size
    assert history.part_count(csv, 1000) == -(-(size // 100) // 1000)
    with pytest.raises(ValueError):
        history.part_count(src, 0)


def test_context_in_parts_under_a_directory_with_a_quote(tmp_path, awkward, shipped,
                                                         monkeypatch):
    """The SQL steps name their files in quoted strings: a quote in the path is escaped."""
    import tempfile

    src = tmp_path / "awkward.parquet"
    awkward.head(300).to_parquet(src, index=False)
    plain = _context(src, shipped, 1, [300])[2][0].table.column("ctx").to_numpy()
    scratch = tmp_path / "it's here"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    quoted = _context(src, shipped, 3, [300])[2][0].table.column("ctx").to_numpy()
    assert np.array_equal(plain, quoted)
    assert not list(scratch.iterdir())


@pytest.mark.parametrize("parts", [1, 3])
def test_pass_one_files_are_gone_before_step_b(tmp_path, awkward, shipped, monkeypatch, parts):
    """Step A removes each part's pass-1 files once read (step C works from its .npy
    files), so the scratch folder never holds pass 1's rows and step A's results at
    once; the context is unchanged (the test above)."""
    from pv_identify.stream import context_parts

    src = tmp_path / "awkward.parquet"
    awkward.to_parquet(src, index=False)
    left = []
    real_step_b = context_parts.step_b

    def step_b(cases):
        left.extend(history_dir.rglob("rows_*"))
        return real_step_b(cases)

    real_summarise = context_parts.summarise

    def summarise(rows, directory, group_rows):
        nonlocal history_dir
        history_dir = directory
        assert any(rows)  # pass 1 did write files
        return real_summarise(rows, directory, group_rows)

    history_dir = tmp_path
    monkeypatch.setattr(context_parts, "step_b", step_b)
    monkeypatch.setattr(history, "summarise", summarise)
    _, _, summaries = _context(src, shipped, parts, [len(awkward)])
    assert len(summaries[0]) == len(awkward)
    assert left == []
