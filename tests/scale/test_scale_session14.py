"""Session 14 (issue 17): pass 2's main thread, part two.

A new context's token indices come from numpy (``ContextIds.matrix``: the pieces'
padded rows, sorted and without repeats) instead of a set per context, with the
conjunctions' piece keyed by the signal bits ``conjunctions`` reads. Same floats and
the same files.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from pv_identify.model.features import (
    CONJUNCTION_CASE_BITS,
    CONJUNCTION_HIST_BITS,
    SIGNALS,
    conjunctions,
)


def _random_contexts(n: int, seed: int) -> np.ndarray:
    """Packed contexts with every field at random (sparse and dense masks)."""
    rng = np.random.default_rng(seed)

    def mask() -> np.ndarray:
        dense = rng.integers(0, 1 << 13, n)
        return np.where(rng.random(n) < 0.5, dense, dense & rng.integers(0, 1 << 13, n))

    return (mask() | mask() << 13 | mask() << 26 | rng.integers(0, 16, n) << 39).astype(np.int64)


def test_conjunctions_read_only_their_bits():
    """``conjunctions`` gives the same tokens with the case and history masks cut to
    the bits it reads -- every single bit and random masks (a bit it reads but the
    constants leave out would change some result)."""
    rng = np.random.default_rng(3)
    width = len(SIGNALS)
    cases = [(own, case, hist, q)
             for own in range(0, 1 << width, 37) for case in (1 << b for b in range(width))
             for hist in (0, (1 << width) - 1) for q in (False, True)]
    cases += [(own, 0, 1 << b, q) for own in range(0, 1 << width, 37) for b in range(width)
              for q in (False, True)]
    cases += [(*(int(v) for v in rng.integers(0, 1 << width, 3)), bool(rng.integers(2)))
              for _ in range(20_000)]
    for own, case, hist, q in cases:
        assert (conjunctions(own, case, hist, q)
                == conjunctions(own, case & CONJUNCTION_CASE_BITS,
                                hist & CONJUNCTION_HIST_BITS, q)), (own, case, hist, q)
    # and the constants are not wider than needed: each bit changes some result
    for bits, position in ((CONJUNCTION_CASE_BITS, 1), (CONJUNCTION_HIST_BITS, 2)):
        for b in range(width):
            if bits >> b & 1:
                assert any(conjunctions(*(args := [own, 0, 0, q]))
                           != conjunctions(*[*args[:position], 1 << b, *args[position + 1:]])
                           for own in range(0, 1 << width, 7) for q in (False, True)), b


def test_context_matrix_equals_the_strings_and_their_floats(shipped):
    """``ContextIds.matrix`` (past the checked start too, several batches, repeated
    contexts) holds each context string's sorted token indices then the padding, and
    ``part_decision`` gives the same floats from it as from the strings' lists."""
    from pv_identify.model.estimator import CONTEXT
    from pv_identify.stream.context_ids import CHECKED_CONTEXTS, ContextIds, context_string
    from pv_identify.stream.model_cache import _Scorer

    scorer = _Scorer(shipped.fitted_model)
    keys = _random_contexts(3 * CHECKED_CONTEXTS, 11)
    keys = np.concatenate([keys, keys[:50], np.array([0, 1 << 42, 7 << 39, (1 << 39) - 1])])
    expected = scorer._ids([context_string(int(k)) for k in keys], CONTEXT)
    pieces = ContextIds(lambda bags: scorer._ids(bags, CONTEXT), scorer.pad)
    cut = [0, 100, CHECKED_CONTEXTS + 7, 2 * CHECKED_CONTEXTS, len(keys)]
    for lo, hi in itertools.pairwise(cut):
        matrix = pieces.matrix(keys[lo:hi])
        assert matrix.dtype == np.int64
        rows = [row[row != scorer.pad].tolist() for row in matrix]
        assert rows == expected[lo:hi]
        for row in matrix:  # the padding only at the end
            real = row != scorer.pad
            assert not (~real[:-1] & real[1:]).any()
        model = shipped.fitted_model
        assert np.array_equal(model.part_decision(matrix), model.part_decision(expected[lo:hi]))
    assert pieces.usable
    assert pieces.matrix(np.empty(0, dtype=np.int64)).shape[0] == 0


def test_context_matrix_drops_repeated_tokens():
    """A token in two pieces is kept once (the union), sorted, padding last."""
    from pv_identify.stream.context_ids import ContextIds

    table = {"own:partner_mc": [5], "case:partner_mc": [5, 2], "case:multi": [2, 9]}

    def ids(bags: list[str]) -> list[list[int]]:
        return [sorted({i for t in bag.split() for i in table.get(t, [])}) for bag in bags]

    pieces = ContextIds(ids, pad=99)
    key = 1 | 1 << 13 | 1 << 39  # own and case partner_mc, case:multi
    assert pieces.matrix([key]).tolist() == [[2, 5, 9]]
    assert pieces.matrix([key, 0]).tolist() == [[2, 5, 9], [99, 99, 99]]
    assert pieces.usable


@pytest.mark.parametrize("lost", [False, True])
def test_context_matrix_from_strings_when_pieces_differ(shipped, lost):
    """If a checked context's pieces differ from its string, the strings are used
    from then on (the same matrix as the lists of ``ids``)."""
    from pv_identify.model.estimator import CONTEXT
    from pv_identify.stream.context_ids import ContextIds, context_string
    from pv_identify.stream.model_cache import _Scorer

    scorer = _Scorer(shipped.fitted_model)
    pieces = ContextIds(lambda bags: scorer._ids(bags, CONTEXT), scorer.pad)
    if lost:
        pieces._from_pieces = (  # type: ignore[method-assign]
            lambda keys: np.full((len(keys), 1), scorer.pad, dtype=np.int64))
    keys = _random_contexts(40, 5)
    got = pieces.matrix(keys)
    assert pieces.usable is not lost
    expected = scorer._ids([context_string(int(k)) for k in keys], CONTEXT)
    assert [row[row != scorer.pad].tolist() for row in got] == expected


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("refine", [True, False])
def test_combine_codes_equal_the_policy_on_every_row(shipped, threshold, refine):
    """``combine_codes`` (the policy once per distinct fired / rule label / model label)
    gives every row what ``combine_with_model`` on all rows gives: random rule labels
    (missing ones too), fired rules, probabilities near the threshold and one-hot."""
    from pv_identify.combine import RuleColumns, combine_with_model
    from pv_identify.schema import LABELS
    from pv_identify.stream.combine_codes import _codes, combine_codes

    classes = shipped.fitted_model.classes_
    rng = np.random.default_rng(int(threshold * 10) + refine)
    n = 5000
    proba = rng.dirichlet(np.full(len(classes), 0.3), n)
    proba[:300] = np.eye(len(classes))[rng.integers(0, len(classes), 300)]
    proba[300:600] = np.full(len(classes), 1 / len(classes))
    fired = rng.random(n) < 0.4
    label_code = rng.integers(-1, len(LABELS), n)
    got = combine_codes(fired, label_code, proba, classes, threshold,
                        refine_unspecified=refine)
    rules = RuleColumns(fired=fired, rule_ids=np.empty(n, dtype=object),
                        evidence=np.empty(n, dtype=object), label_code=label_code)
    expected = _codes(combine_with_model(rules, proba, classes, threshold,
                                         refine_unspecified=refine))
    assert got.keys() == expected.keys()
    for name, values in expected.items():
        assert got[name].dtype == values.dtype, name
        assert np.array_equal(got[name], values), name
    assert len(np.unique(got["label"])) > 2  # the outcomes were not all alike
    empty = combine_codes(fired[:0], label_code[:0], proba[:0], classes, threshold)
    assert all(len(v) == 0 for v in empty.values())


def test_combine_codes_fall_back_when_the_policy_scores_otherwise(shipped, monkeypatch):
    """If the policy's scores of the outcome rows are not the model's scores (a changed
    policy), every row goes through the policy."""
    from pv_identify import combine
    from pv_identify.stream import combine_codes as module

    def shifted(rules, proba, classes, threshold=0.5, *, refine_unspecified=True):
        out = combine.combine_with_model(rules, proba, classes, threshold,
                                         refine_unspecified=refine_unspecified)
        return combine.CombinedColumns(out.label, out.source, out.score + proba[:, 0],
                                       out.model_label)

    monkeypatch.setattr(module, "combine_with_model", shifted)
    classes = shipped.fitted_model.classes_
    rng = np.random.default_rng(2)
    proba = rng.dirichlet(np.ones(len(classes)), 200)
    fired = rng.random(200) < 0.5
    label_code = rng.integers(0, 5, 200)
    got = module.combine_codes(fired, label_code, proba, classes, 0.5)
    expected = module._codes(shifted(combine.RuleColumns(
        fired=fired, rule_ids=np.empty(200, dtype=object), evidence=np.empty(200, dtype=object),
        label_code=label_code), proba, classes, 0.5))
    assert np.array_equal(got["score"], expected["score"])


@pytest.mark.parametrize("batch", [1, 3, 1 << 30])
def test_person_runs_hash_every_run_in_batches(tmp_path, monkeypatch, batch):
    """The runs' persons are hashed a batch of runs at a time: every run's hash reaches
    the files (a person back after later batches is found), the persons are the same,
    and nothing is left behind -- for one run a query, a few and all at the end."""
    import pyarrow as pa
    from test_scale_session12 import LABEL_CODES, _keys

    from pv_identify.stream import person_runs
    from pv_identify.stream.rollup_parts import aggregate_cases, aggregate_persons, person_rows

    monkeypatch.setattr(person_runs, "HASH_BATCH_RUNS", batch)
    rows = person_rows(aggregate_cases(_keys(300, 2, no_person=0), LABEL_CODES, True))
    queries: list[int] = []
    original = person_runs.PersonRuns._hash_pending

    def counting(self):
        queries.append(self._pending_runs)
        return original(self)

    monkeypatch.setattr(person_runs.PersonRuns, "_hash_pending", counting)
    for repeat in (False, True):
        pk = rows.column("pk").to_pylist()
        if repeat:
            pk[-1] = pk[0]  # the first person again, in the last run
        table = rows.set_column(0, "pk", pa.array(pk, pa.string()))
        got: list[pa.Table] = []
        runs = person_runs.PersonRuns(tmp_path, 4, got.append)
        rng = np.random.default_rng(1)
        start = 0
        while start < table.num_rows:
            size = int(rng.integers(1, 20))
            runs.add(table.slice(start, size))
            start += size
        runs.finish()
        hashed = sum(len(np.fromfile(p, dtype=np.uint64)) for p in tmp_path.iterdir())
        assert hashed == runs.runs >= 100
        assert runs.unique() is not repeat
        assert not list(tmp_path.iterdir())
        if not repeat:
            expected = aggregate_persons(table).drop_columns(["r0"])
            assert pa.concat_tables(got).combine_chunks().equals(expected)
    if batch == 1:
        assert len(queries) > 40  # one for (about) every add
    elif batch > 1 << 20:
        assert len([q for q in queries if q]) == 2  # one query a run, at the end
        assert queries[-1] == runs.runs


def test_finished_records_take_like_the_columns():
    """The finished rows kept as one record array give, by name, the values and dtypes
    the five columns gave, past several capacity doublings; writing into a chunk's
    taken values does not change the store; an empty store gives zeros."""
    from pv_identify.stream.model_cache import _Finished

    rng = np.random.default_rng(8)
    table = _Finished(max_entries=1 << 20)
    assert {k: v.tolist() for k, v in table.take(np.array([-1, -1])).items()} == {
        "score": [0.0, 0.0], "label": [0, 0], "source": [0, 0], "partner": [False, False],
        "domestic": [False, False]}
    columns: dict[str, list[np.ndarray]] = {n: [] for n in
                                            ("label", "source", "partner", "domestic", "score")}
    start = 0
    for size in (5, 1000, 3000, 10, 9000):
        keys = np.arange(start, start + size, dtype=np.int64) * 7919
        values = {"label": rng.integers(-1, 9, size).astype(np.int8),
                  "source": rng.integers(-1, 3, size).astype(np.int8),
                  "partner": rng.random(size) < 0.5, "domestic": rng.random(size) < 0.5,
                  "score": rng.random(size)}
        table.add(keys, values)
        for name, column in values.items():
            columns[name].append(column)
        start += size
    whole = {name: np.concatenate(parts) for name, parts in columns.items()}
    index = table.find(rng.integers(0, start, 50_000) * 7919)
    assert (index >= 0).all()
    got = table.take(index)
    for name, column in whole.items():
        assert got[name].dtype == column.dtype, name
        assert np.array_equal(got[name], column[index]), name
    got["label"][:] = 99
    got["score"][:] = -1.0
    again = table.take(index)
    assert np.array_equal(again["label"], whole["label"][index])
    assert np.array_equal(again["score"], whole["score"][index])


def test_pass_two_reads_the_context_in_the_read_ahead_thread(tmp_path, extract, shipped,
                                                               monkeypatch):
    """With Arrow chunks each chunk's context is taken in the read-ahead thread, in
    chunk order: the same files and summary as the pandas route (context taken on the
    calling thread), every row's context taken once."""
    import threading

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pv_identify.stream import history, runner

    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(extract.head(5000), preserve_index=False), src,
                   row_group_size=900)
    calls: list[tuple[str, int]] = []
    real = history.ContextReader.take

    def take(self, n):
        calls.append((threading.current_thread().name, n))
        return real(self, n)

    monkeypatch.setattr(history.ContextReader, "take", take)
    summaries = {}
    for arrow in (True, False):
        calls.clear()
        out = tmp_path / f"out_{arrow}.parquet"
        summaries[arrow] = runner.tag_file(src, out, shipped, chunk_rows=700, progress=False,
                                           arrow=arrow, cases_path=tmp_path / f"c_{arrow}.parquet")
        assert sum(n for _, n in calls) == 5000
        names = {name for name, _ in calls}
        assert names == ({"pv-read-ahead"} if arrow else {threading.current_thread().name})
    got, expected = (pq.read_table(tmp_path / f"out_{a}.parquet").to_pandas()
                     for a in (True, False))
    for frame in (got, expected):  # the routes' string types differ (dictionaries)
        for name in frame.columns:
            if isinstance(frame[name].dtype, pd.CategoricalDtype):
                frame[name] = frame[name].astype(object)
    pd.testing.assert_frame_equal(got, expected)
    lines = {a: [line for line in summaries[a].format().split("\n") if not line.startswith("time")]
             for a in (True, False)}
    assert lines[True] == lines[False]


def test_a_context_error_in_the_read_ahead_thread_leaves_no_output(tmp_path, extract, shipped,
                                                                  monkeypatch):
    """The context reader's error (a file changed between passes) surfaces from the
    read-ahead thread as before: raised, no output files left."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pv_identify.stream import history, runner

    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(extract.head(3000), preserve_index=False), src)
    real = history.ContextReader.take
    seen: list[int] = []

    def failing(self, n):
        seen.append(n)
        if len(seen) == 3:
            raise RuntimeError("the context pass has other rows")
        return real(self, n)

    monkeypatch.setattr(history.ContextReader, "take", failing)
    with pytest.raises(RuntimeError, match="other rows"):
        runner.tag_file(src, tmp_path / "out.parquet", shipped, chunk_rows=500, progress=False,
                        cases_path=tmp_path / "cases.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]


def test_pass_one_builds_its_rows_in_the_inserter_thread(tmp_path, extract, shipped,
                                                         monkeypatch):
    """Pass 1's rows (ids, dates, years) are built in the inserter thread, chunk by
    chunk in row order, and give the output ``pv.tag`` gives on the whole frame; an
    error there is raised and leaves no output."""
    import threading

    import pyarrow as pa
    import pyarrow.parquet as pq

    from pv_identify.stream import history, runner

    frame = extract.head(4000)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src)
    built: list[tuple[str, int]] = []
    real = history._part_table

    def part_table(chunk, arrow, start, *args):
        built.append((threading.current_thread().name, start))
        return real(chunk, arrow, start, *args)

    monkeypatch.setattr(history, "_part_table", part_table)
    out = tmp_path / "out.parquet"
    runner.tag_file(src, out, shipped, chunk_rows=600, progress=False)
    assert [start for _, start in built] == list(range(0, 4000, 600))
    assert all(name.startswith("pv_context_insert") for name, _ in built)
    got = pd.read_parquet(out)
    expected = shipped.tag(frame)
    for col in ("pv_label", "pv_source", "pv_rule_ids"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert got["pv_score"].tolist() == expected["pv_score"].tolist()

    def failing(*args):
        raise ValueError("a date that cannot be read")

    monkeypatch.setattr(history, "_part_table", failing)
    for path in tmp_path.iterdir():
        if path.name != "in.parquet":
            path.unlink()
    with pytest.raises(ValueError, match="cannot be read"):
        runner.tag_file(src, out, shipped, chunk_rows=600, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]
