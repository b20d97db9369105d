"""Issue 17: the cached model path equals whole-frame tagging, chunked and unsorted."""

from __future__ import annotations

import pandas as pd
import pytest

import pv_identify as pv
from pv_identify.stream import runner
from pv_identify.stream.model_cache import ModelCache


@pytest.fixture(scope="module")
def model(extract):
    from pv_identify.model import RelationshipClassifier

    part = extract.head(4000)
    return RelationshipClassifier(max_text_features=2000).fit(part, part["true_relationship"])


@pytest.fixture(scope="module")
def shuffled(extract):
    frame = extract.sample(frac=1, random_state=5).reset_index(drop=True)
    frame.loc[3, "parketnummer"] = None   # a row without case: its own case
    frame.loc[8, "jds_nummer"] = None     # a row without person: its own person
    frame.loc[13, "inschrijvingsdatum"] = pd.NaT
    return frame


def test_model_cache_equals_tag_exactly(extract, model):
    tagger = pv.Tagger("default", model=model, threshold=0.4)
    expected = tagger.tag(extract)
    got = ModelCache(tagger).outputs(extract)
    assert (expected["pv_source"] == "model").any()
    pd.testing.assert_frame_equal(got, expected[got.columns.tolist()], check_exact=True)


def test_tag_file_unsorted_with_model_equals_whole_frame(tmp_path, shuffled, model):
    src = tmp_path / "shuffled.parquet"
    shuffled.to_parquet(src, index=False)
    whole = pd.read_parquet(src)
    tagger = pv.Tagger("default", model=model, refine_unspecified=False)
    expected = tagger.tag(whole)
    for out, arrow in ((tmp_path / "a.parquet", True), (tmp_path / "b.parquet", False)):
        summary = runner.tag_file(src, out, tagger, chunk_rows=1_500, progress=False,
                                  arrow=arrow)
        got = pd.read_parquet(out)
        for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
            assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
        assert got["pv_score"].tolist() == expected["pv_score"].tolist()
        assert got["pv_partner_violence"].tolist() == expected["pv_partner_violence"].tolist()
        assert summary.partner_violence == int(expected["pv_partner_violence"].sum())
        assert summary.sources["model"] == int((expected["pv_source"] == "model").sum())


def test_tag_file_unsorted_csv_with_model(tmp_path, shuffled, model):
    src = tmp_path / "shuffled.csv"
    shuffled.head(5000).to_csv(src, index=False)
    tagger = pv.Tagger("default", model=model)
    out = tmp_path / "out.csv"
    runner.tag_file(src, out, tagger, chunk_rows=700, progress=False)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    from pv_identify.io.readers import iter_extract

    expected = tagger.tag(pd.concat(iter_extract(src, chunk_rows=100_000)))
    assert got["pv_label"].tolist() == expected["pv_label"].astype(str).tolist()
    assert got["pv_source"].tolist() == expected["pv_source"].astype(str).tolist()


def test_context_pass_insert_error_surfaces_and_cleans_up(tmp_path, shuffled, model,
                                                          monkeypatch):
    """Pass 1 inserts in a background thread: a failed insert still fails the run,
    leaves no output and removes the pass-1 scratch directory."""
    import tempfile

    from pv_identify.stream import history

    src = tmp_path / "shuffled.parquet"
    shuffled.head(6000).to_parquet(src, index=False)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    calls = []
    real = history._insert

    def failing(con, part, created):
        calls.append(part)  # the chunk's rows, built by the insert (session 14)
        if len(calls) == 3:
            raise OSError("disk full")
        real(con, part, created)

    monkeypatch.setattr(history, "_insert", failing)
    out = tmp_path / "out.parquet"
    tagger = pv.Tagger("default", model=model)
    with pytest.raises(OSError, match="disk full"):
        runner.tag_file(src, out, tagger, chunk_rows=1_000, progress=False)
    assert len(calls) == 3
    assert not out.exists()
    assert not list(scratch.glob("pv_context_*"))


def test_model_run_unfreezes_the_gc(tmp_path, shuffled, model, monkeypatch):
    """Pass 2 runs with pass 1's objects frozen (gc.freeze); the run unfreezes them,
    also when it fails."""
    import gc

    src = tmp_path / "shuffled.parquet"
    shuffled.head(3000).to_parquet(src, index=False)
    tagger = pv.Tagger("default", model=model)
    assert gc.get_freeze_count() == 0
    seen = []
    real = runner._run_jobs

    def spy(parts, state, n_jobs):
        seen.append(gc.get_freeze_count())
        yield from real(parts, state, n_jobs)

    monkeypatch.setattr(runner, "_run_jobs", spy)
    runner.tag_file(src, tmp_path / "ok.parquet", tagger, chunk_rows=1_000, progress=False)
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0

    def broken(parts, state, n_jobs):
        raise OSError("disk full")
        yield

    monkeypatch.setattr(runner, "_run_jobs", broken)
    with pytest.raises(OSError, match="disk full"):
        runner.tag_file(src, tmp_path / "bad.parquet", tagger, chunk_rows=1_000,
                        progress=False)
    assert gc.get_freeze_count() == 0


def test_model_cache_rebuilds_its_scorer_without_losing_cached_combinations(extract, model):
    """A scorer rebuild (bound reached) must not leave cached combinations without parts."""
    tagger = pv.Tagger("default", model=model, threshold=0.4)
    cache = ModelCache(tagger, max_scored=50)  # tiny bound: rebuilds during the run
    chunks = [extract.iloc[0:1500], extract.iloc[1500:3000], extract.iloc[3000:3100],
              extract.iloc[0:1500]]  # the last chunk's combinations were cached earlier
    for chunk in chunks:
        got = cache.outputs(chunk)
        expected = tagger.tag(chunk)
        pd.testing.assert_frame_equal(got, expected[got.columns.tolist()], check_exact=True)


def _assert_outputs_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Every ``pv_*`` column equal, the score float for float, evidence string for string."""
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    for col in ("pv_partner_violence", "pv_domestic_violence", "pv_score"):
        assert got[col].tolist() == expected[col].tolist(), col


def _count_slotting(monkeypatch) -> list[int]:
    """Count the calls of ModelCache._slots (one per chunk and pass that slots rows)."""
    calls: list[int] = []
    real = ModelCache._slots

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ModelCache, "_slots", counting)
    return calls


@pytest.mark.parametrize("arrow", [True, False])
def test_tag_file_with_the_shipped_model_equals_tag_and_reuses_pass1_slots(
        tmp_path, shuffled, shipped, arrow, monkeypatch):
    """The shipped register model through tag_file (two passes, unsorted, finished-row
    cache, slots kept from pass 1) gives pv.tag's output; pass 2 does not slot again."""
    src = tmp_path / "shuffled.parquet"
    shuffled.to_parquet(src, index=False)
    expected = shipped.tag(pd.read_parquet(src))
    assert (expected["pv_source"] == "model").any()
    calls = _count_slotting(monkeypatch)
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=1_500, progress=False, arrow=arrow)
    _assert_outputs_equal(pd.read_parquet(out), expected)
    assert len(calls) == -(-len(shuffled) // 1_500)  # pass 1 only


def test_tag_file_reslots_when_the_cache_was_flushed_in_pass1(tmp_path, shuffled, shipped,
                                                             monkeypatch):
    """A tiny distinct cache flushes during pass 1: its slot numbers are stale, so pass 2
    looks the fields up again; the output is still pv.tag's."""
    src = tmp_path / "shuffled.parquet"
    shuffled.head(6000).to_parquet(src, index=False)
    expected = shipped.tag(pd.read_parquet(src))
    calls = _count_slotting(monkeypatch)
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=1_000, progress=False, cache_entries=400)
    _assert_outputs_equal(pd.read_parquet(out), expected)
    assert len(calls) == 2 * 6  # both passes slot


def test_finished_rows_are_reused_and_bounded(extract, shipped):
    """Finished (slot, context) rows are kept across chunks (a repeated chunk scores
    nothing new) and the bound empties the store without changing the output."""
    for bound in (2_000_000, 50):
        cache = ModelCache(shipped, max_finished=bound)
        chunk = extract.iloc[:2000]
        first = cache.outputs(chunk)
        computed = cache.computed
        again = cache.outputs(chunk)
        pd.testing.assert_frame_equal(first, again, check_exact=True)
        expected = shipped.tag(chunk)
        pd.testing.assert_frame_equal(again, expected[again.columns.tolist()], check_exact=True)
        if bound > 2000:
            assert cache.computed == computed
        else:
            assert cache.computed > computed
            assert len(cache._finished) <= bound


def test_pass1_dates_equal_parse_dates():
    """Arrow dates are cast in Arrow; values and years as parse_dates (the one date rule of
    the in-memory features and the roll-ups) gives: Dutch day-first strings included."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa

    from pv_identify.normalize.dates import parse_dates
    from pv_identify.stream.history import _dates

    days = [dt.date(2010, 5, 5), None, dt.date(1500, 1, 1), dt.date(2021, 12, 31)]
    cases = [pa.array(days), pa.array(days, pa.date64()),
             pa.array([None if d is None else dt.datetime(d.year, d.month, d.day, 13)
                       for d in days[:2]] + [dt.datetime(2020, 2, 29, 1)], pa.timestamp("us")),
             pa.array(["2010-05-05", None, "kapot"]), pd.Series(["2010-05-05", None, "x"]),
             pa.array(["02-05-2019", "20-03-2019", "2019-03-21", None]),
             pa.array([dt.datetime(2019, 3, 1, 23, 30)], pa.timestamp("us", tz="Europe/Amsterdam"))]
    for values in cases:
        date, year = _dates(values)
        series = values.to_pandas() if isinstance(values, pa.Array) else values
        expected = parse_dates(pd.Series(series))
        assert date.to_pandas().tolist() == pd.Series(
            expected.to_numpy(dtype="datetime64[ns]")).tolist()
        assert year.tolist() == expected.dt.year.fillna(-1).astype(np.int64).tolist()
    date, year = _dates(pa.array(["02-05-2019", "20-03-2019"]))
    assert date.to_pylist() == [dt.datetime(2019, 5, 2), dt.datetime(2019, 3, 20)]


def test_history_reads_dutch_dates_day_first_in_memory_and_streamed(tmp_path, shipped):
    """A person's earlier case is found with Dutch dd-mm-yyyy dates (pandas.to_datetime
    read 02-05-2019 as 5 February and set 20-03-2019 to NaT), the same in pv.tag and
    streamed from a CSV file."""
    import numpy as np

    from pv_identify.io.mapping import ColumnMapping
    from pv_identify.model.features import feature_context

    frame = pd.DataFrame({
        "jds_nummer": ["P1", "P1"], "parketnummer": ["C2", "C1"],
        "inschrijvingsdatum": ["02-05-2019", "20-03-2019"],
        "artikelkwalificatie": ["mishandeling", "mishandeling, begaan tegen zijn echtgenote"],
        "wetsartikel": ["300 Sr", "300 jo 304 Sr"]})
    mapping = ColumnMapping.resolve(frame.columns)
    context = feature_context(frame, mapping, np.array([0, 1], dtype=np.int64))
    assert context.hist_n.tolist() == [1, 0]  # the May case has the March case before it
    assert context.year.tolist() == [2019, 2019]
    src = tmp_path / "dutch.csv"
    frame.to_csv(src, index=False)
    tagger = shipped
    expected = tagger.tag(frame)
    out = tmp_path / "out.csv"
    runner.tag_file(src, out, tagger, chunk_rows=1, progress=False)
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert got["pv_label"].tolist() == expected["pv_label"].astype(str).tolist()
    assert [float(v) for v in got["pv_score"]] == pytest.approx(
        expected["pv_score"].tolist(), abs=1e-12)


def test_pass1_context_of_cases_too_large_for_the_spread_sum(tmp_path, extract, shipped):
    """Pass 1 counts a case's signals with one sum of 4-bit fields; a case of 16+ offences
    could carry between fields, so it gets the exact per-signal aggregate: the context
    equals the in-memory feature_context, for a 40-offence case with a signal 20 times
    (would overflow), one signal once and one twice, and for cases of exactly 15 and 16."""
    import numpy as np

    from pv_identify.model.features import feature_context
    from pv_identify.stream.history import case_context

    frame = extract.head(3000).reset_index(drop=True)
    mc = "maatschappelijke_classificatie"
    frame.loc[:39, "parketnummer"] = "BIG"
    frame.loc[:19, mc] = "huiselijk geweld partnermishandeling"
    frame.loc[20:39, mc] = None
    frame.loc[20, mc] = "huiselijk geweld kindermishandeling"
    frame.loc[21:22, mc] = "huiselijk geweld"
    frame.loc[40:54, "parketnummer"] = "FIFTEEN"
    frame.loc[40:54, mc] = "huiselijk geweld partnermishandeling"
    frame.loc[55:70, "parketnummer"] = "SIXTEEN"
    frame.loc[55:70, mc] = "huiselijk geweld partnermishandeling"
    frame.loc[55, mc] = "huiselijk geweld"
    src = tmp_path / "big.parquet"
    frame.to_parquet(src, index=False)
    cache = ModelCache(shipped)
    mapping = cache.prepare(list(frame.columns))
    reader = case_context(src, mapping, cache, 1_000)
    try:
        summary = reader.take(len(frame))
    finally:
        reader.close()
    slots = summary.slots(cache.distinct.flushes)
    assert slots is not None
    own = cache.own(slots)
    assert np.bincount(own[:40] > 0).tolist()[1] >= 20  # the big case has signals
    got = summary.context(own)
    expected = feature_context(pd.read_parquet(src), mapping, own)
    for name in ("case_mask", "multi", "hist_mask", "hist_n", "year"):
        assert np.array_equal(np.asarray(getattr(got, name)),
                              np.asarray(getattr(expected, name))), name


def test_model_cache_without_the_part_scorer_equals_tag(extract, shipped, monkeypatch):
    """When the scorer cannot sum decision parts (a model without them, or a token in a
    part its source does not stand for), the cache featurises and scores with the model's
    own predict_proba_table: the output is still pv.tag's, float for float."""
    from pv_identify.stream import model_cache

    real = model_cache._Scorer.__init__

    def inexact(self, model):
        real(self, model)
        self.exact = False

    monkeypatch.setattr(model_cache._Scorer, "__init__", inexact)
    frame = extract.head(3000)
    expected = shipped.tag(frame)
    got = ModelCache(shipped).outputs(frame)
    _assert_outputs_equal(got, expected)


def test_pass1_chunks_with_differently_typed_ids(tmp_path, shuffled, shipped):
    """Pass 1 writes a Parquet file per chunk; DuckDB unifies their types: a CSV chunk
    whose person and case ids are all missing (typed null/float by the reader) and
    later chunks with string ids still give pv.tag's output on the whole file."""
    from pv_identify.io.readers import iter_extract

    frame = shuffled.head(3000).copy()
    frame.loc[:999, "jds_nummer"] = None
    frame.loc[:999, "parketnummer"] = None
    src = tmp_path / "ids.csv"
    frame.to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=1_000, progress=False)
    expected = shipped.tag(pd.concat(iter_extract(src, chunk_rows=100_000)))
    _assert_outputs_equal(pd.read_parquet(out), expected)
