"""Session 13 (issue 17): less work on pass 2's main thread.

The run summary is counted from a chunk's distinct outputs without pandas
(``RunSummary.add_distinct``, ``ModelCache.count_rows`` with one bincount over the rule
ids' chunk codes shared with the output's dictionary), and the scorer numbers its
contexts and years with a C hash table (``stream/key_rows.py``) instead of a dict loop.
Same summaries (counts and their order) and the same files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pv_identify.schema import (
    ID_SEPARATOR,
    LABELS,
    OUT_DOMESTIC,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SOURCE,
)
from pv_identify.stream import key_rows, runner
from pv_identify.stream.key_rows import KeyRows, dense_factorize
from pv_identify.tagger import SOURCE_DTYPE


def _grouped(tagged: pd.DataFrame, weights: np.ndarray) -> runner.RunSummary:
    """The summary's counts as ``RunSummary.add`` computed them before (pandas group-bys)."""
    out = runner.RunSummary()
    out.rows += int(weights.sum())
    w = pd.Series(weights, index=tagged.index)
    for counter, col in ((out.labels, OUT_LABEL), (out.sources, OUT_SOURCE)):
        sums = w.groupby(tagged[col].astype(object).to_numpy()).sum()
        counter.update({str(k): int(v) for k, v in sums.items() if v})
    out.partner_violence += int(w[tagged[OUT_PARTNER].to_numpy(dtype=bool)].sum())
    out.domestic_violence += int(w[tagged[OUT_DOMESTIC].to_numpy(dtype=bool)].sum())
    for ids, count in w.groupby(tagged[OUT_RULE_IDS].astype(object).to_numpy()).sum().items():
        for rule_id in str(ids).split(ID_SEPARATOR):
            if rule_id and count:
                out.rules[rule_id] += int(count)
    return out


def _counts(summary: runner.RunSummary) -> tuple:
    """Everything a summary counts, with the counters' order (ties in ``most_common``)."""
    return (summary.rows, list(summary.labels.items()), list(summary.sources.items()),
            list(summary.rules.items()), summary.partner_violence, summary.domestic_violence)


def _tagged(rng: np.random.Generator, n: int) -> pd.DataFrame:
    labels = rng.choice([*LABELS, None], n)
    rules = rng.choice(["", "r.b", "r.a|r.c", "r.c", "r.a|r.b|r.d", None], n)
    return pd.DataFrame({
        OUT_LABEL: pd.Categorical(labels, categories=list(LABELS)),
        OUT_PARTNER: rng.random(n) < 0.3, OUT_DOMESTIC: rng.random(n) < 0.5,
        OUT_SOURCE: pd.Categorical(rng.choice(list(SOURCE_DTYPE.categories), n),
                                   dtype=SOURCE_DTYPE),
        OUT_RULE_IDS: rules})


@pytest.mark.parametrize("seed", range(6))
def test_add_distinct_counts_as_the_group_bys(seed):
    """Counts, their order, missing labels and rule ids, zero weights: as before."""
    rng = np.random.default_rng(seed)
    got, want = runner.RunSummary(), runner.RunSummary()
    for _ in range(3):  # several chunks: the counters' order across updates too
        tagged = _tagged(rng, int(rng.integers(1, 60)))
        weights = rng.integers(0, 4, len(tagged))
        got.add(tagged, weights)
        want.merge(_grouped(tagged, weights))
    assert _counts(got) == _counts(want)
    assert got.rules.most_common(3) == want.rules.most_common(3)


def test_add_without_weights_counts_rows():
    tagged = _tagged(np.random.default_rng(1), 40)
    got = runner.RunSummary()
    got.add(tagged)
    assert _counts(got) == _counts(_grouped(tagged, np.ones(40, dtype=np.int64)))


@pytest.mark.parametrize("arrow", [True, False])
def test_model_run_summary_counts_its_output(tmp_path, extract, shipped, arrow):
    """A model run's summary (count_rows per chunk) equals the counts of the file it wrote."""
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.Table.from_pandas(extract.head(5000), preserve_index=False), src,
                   row_group_size=1500)
    summary = runner.tag_file(src, out, shipped, chunk_rows=700, progress=False, arrow=arrow)
    tagged = pd.read_parquet(out)
    want = _grouped(tagged, np.ones(len(tagged), dtype=np.int64))
    # one update for the whole file: the same counts, in another order than the chunks'
    assert [sorted(c) if isinstance(c, list) else c for c in _counts(summary)] == \
        [sorted(c) if isinstance(c, list) else c for c in _counts(want)]
    assert summary.rows == 5000 and summary.rules  # something was counted


@pytest.mark.parametrize("seed", range(4))
def test_key_rows_number_keys_as_a_dict_did(seed):
    rng = np.random.default_rng(seed)
    rows, known = KeyRows(), {}
    for _ in range(8):
        keys = rng.integers(0, 200, int(rng.integers(0, 80))) * (1 << 40) + rng.integers(0, 3)
        if seed % 2:
            keys = np.unique(keys)  # the scorer's calls: distinct keys
        want, new = [], []
        for key in keys.tolist():  # the loop KeyRows replaced
            row = known.get(key)
            if row is None:
                row = known[key] = len(known)
                new.append(key)
            want.append(row)
        got, got_new = rows.rows(keys)
        assert got.dtype == np.int64 and got.tolist() == want
        assert got_new == new and all(type(k) is int for k in got_new)
        assert len(rows) == len(known)


def test_key_rows_of_no_keys_and_negative_keys():
    rows = KeyRows()
    out, new = rows.rows(np.array([], dtype=np.int64))
    assert out.tolist() == [] and new == [] and len(rows) == 0
    out, new = rows.rows(np.array([-1, 5, -1, -(1 << 62)]))
    assert out.tolist() == [0, 1, 0, 2] and new == [-1, 5, -(1 << 62)]
    assert rows.rows(np.array([5, -1]))[0].tolist() == [1, 0]


def test_scorer_numbers_contexts_and_years_once(shipped):
    """The scorer's context and year rows: new keys computed once, in order of first sight."""
    from pv_identify.stream.model_cache import _Scorer

    scorer = _Scorer(shipped.fitted_model)
    calls: list[list[int]] = []

    def ids(new):
        calls.append(list(new))
        return [[] for _ in new]

    first = scorer._rows(np.array([11, 4, 11]), scorer.year_ids, "year_table", ids)
    again = scorer._rows(np.array([4, 7]), scorer.year_ids, "year_table", ids)
    assert first.tolist() == [0, 1, 0] and again.tolist() == [1, 2]
    assert calls == [[11, 4], [7]]
    assert len(scorer.year_table) == 3 and len(scorer) == 3


@pytest.mark.parametrize("seed", range(5))
def test_dense_factorize_is_pd_factorize(seed):
    rng = np.random.default_rng(seed)
    size = [1, 7, 3000, 1 << 20, 50][seed]
    values = rng.integers(0, size, int(rng.integers(1, 5000)))
    codes, uniques = dense_factorize(values)
    want_codes, want_uniques = pd.factorize(values)
    assert codes.dtype == np.int64 and uniques.dtype == np.int64
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == want_uniques.tolist()


@pytest.mark.parametrize("values", [np.array([], dtype=np.int64), np.array([3, -1, 3]),
                                    np.array([2, 1 << 40, 2]), np.array([4], dtype=np.int8),
                                    np.array([9, 0, 9, 9], dtype=np.uint16)])
def test_dense_factorize_edges_and_fallback(values, monkeypatch):
    calls: list[int] = []
    real = pd.factorize

    def counted(v):
        calls.append(len(v))
        return real(v)

    monkeypatch.setattr(key_rows.pd, "factorize", counted)
    codes, uniques = dense_factorize(values)
    want_codes, want_uniques = real(values)
    assert codes.tolist() == want_codes.tolist() and uniques.tolist() == want_uniques.tolist()
    dense = len(values) and values.min() >= 0 and values.max() < key_rows.DENSE_LIMIT
    assert bool(calls) != bool(dense)  # the table for small values, pd.factorize else
