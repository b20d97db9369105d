"""Session 10 (issue 17): the model cache's finished rows per model class, and the
rules run once per rule-field combination when the slots carry the disposal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import pv_identify as pv
from pv_identify.schema import OUTPUT_COLUMNS
from pv_identify.stream.distinct import DistinctTagger, decoded
from pv_identify.stream.model_cache import ModelCache


@pytest.fixture(scope="module")
def chunks(extract):
    """Chunks of 1,500 rows that repeat field values within and across chunks; the
    disposal varied within rule-field combinations (many slots per combination)."""
    frame = extract.copy()
    rng = np.random.default_rng(3)
    kinds = frame["afdoening"].dropna().unique()
    frame["afdoening"] = rng.choice(kinds, len(frame))
    frame.loc[frame.index[::97], "afdoening"] = None
    return [frame.iloc[i:i + 1_500] for i in range(0, 9_000, 1_500)]


def _by_slot(monkeypatch):
    """Make every slot its own model class (the keys before session 10)."""

    def identity(self, known, stored, exact):
        grown = np.arange(stored, dtype=np.int64)
        self._slot_parts["cls"] = grown

    monkeypatch.setattr(ModelCache, "_add_classes", identity)


def test_model_classes_equal_tag_per_chunk(shipped, chunks):
    """Each chunk's output equals ``pv.tag`` of the chunk, with one cache for all."""
    cache = ModelCache(shipped)
    for chunk in chunks:
        got = cache.outputs(chunk)
        expected = shipped.tag(chunk)
        pd.testing.assert_frame_equal(got, expected[got.columns.tolist()], check_exact=True)
    # the test exercises the sharing: fewer classes than slots, reused across chunks
    assert len(cache._classes) < len(cache.distinct.store) / 2
    assert cache.computed < sum(len(c) for c in chunks)


def test_model_classes_equal_keys_by_slot(shipped, chunks, monkeypatch):
    """Arrow chunks: the same tables with finished rows keyed by class and by slot."""
    by_class = ModelCache(shipped)
    first = [by_class.arrow_outputs(pa.Table.from_pandas(c, preserve_index=False))
             for c in chunks]
    _by_slot(monkeypatch)
    by_slot = ModelCache(shipped)
    second = [by_slot.arrow_outputs(pa.Table.from_pandas(c, preserve_index=False))
              for c in chunks]
    for a, b in zip(first, second, strict=True):
        assert a.equals(b)
    assert by_class.computed < by_slot.computed
    assert len(by_class._finished) < len(by_slot._finished)


def test_classes_group_equal_parts_only(shipped, chunks):
    """Two slots share a class exactly when every part the scoring reads is equal."""
    cache = ModelCache(shipped)
    for chunk in chunks[:3]:
        cache.outputs(chunk)
    parts = cache._slot_parts
    cls = parts["cls"]
    key = pd.DataFrame(parts["decision"]).astype(str).agg("|".join, axis=1)
    for name in ("own", "has_q", "fired", "label_code"):
        key = key + "|" + pd.Series(parts[name]).astype(str)
    codes = pd.factorize(key)[0]
    # one class per distinct key and back
    assert len(set(zip(codes.tolist(), cls.tolist(), strict=True))) == len(set(cls.tolist()))
    assert len(set(cls.tolist())) == len(set(codes.tolist()))


def test_exactness_lost_mid_run_keys_by_slot(shipped, chunks, monkeypatch):
    """A scorer that stops being exact (a token in another part than its source's)
    makes every slot its own class again and recomputes the chunk: output unchanged."""
    cache = ModelCache(shipped)
    cache.outputs(chunks[0])
    original = ModelCache._exact_proba
    calls = []

    def lose(self, scorer, slots, ctx):
        calls.append(len(slots))
        scorer.exact = False
        return original(self, scorer, slots, ctx)

    monkeypatch.setattr(ModelCache, "_exact_proba", lose)
    for chunk in chunks[1:]:
        got = cache.outputs(chunk)
        expected = shipped.tag(chunk)
        pd.testing.assert_frame_equal(got, expected[got.columns.tolist()], check_exact=True)
    assert calls  # the switch happened in a chunk with new keys
    cls = cache._slot_parts["cls"]
    assert cls.tolist() == list(range(len(cls)))


def _rule_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in OUTPUT_COLUMNS if c in frame.columns]


@pytest.mark.parametrize("arrow", [False, True])
def test_rules_once_per_rule_fields_with_disposal_slots(rules, chunks, arrow, monkeypatch):
    """With the disposal in the key, the store rows equal the rules' own output, and
    the rules run on one row per new rule-field combination."""
    tagger = pv.Tagger(rules)
    plain = DistinctTagger(tagger, overwrite=True)
    keyed = DistinctTagger(tagger, overwrite=True, extra_fields=("disposal",))
    seen: list[int] = []
    original = pv.Tagger.tag

    def counting(self, frame, **kwargs):
        seen.append(len(frame))
        return original(self, frame, **kwargs)

    for chunk in chunks:
        expected, _ = plain.outputs(chunk)
        monkeypatch.setattr(pv.Tagger, "tag", counting)
        if arrow:
            got_table, slots = keyed.arrow_outputs(pa.Table.from_pandas(chunk,
                                                                        preserve_index=False))
            got = decoded(got_table).to_pandas()  # dictionaries of slots: repeats
            got.index = chunk.index
            for col in ("pv_rule_ids", "pv_evidence", "pv_label", "pv_source"):
                assert got[col].astype(object).tolist() == \
                    expected[col].astype(object).tolist(), col
            assert got["pv_partner_violence"].tolist() == \
                expected["pv_partner_violence"].tolist()
        else:
            got, slots = keyed.outputs(chunk)
            pd.testing.assert_frame_equal(got, expected[_rule_columns(got)], check_exact=True)
        monkeypatch.setattr(pv.Tagger, "tag", original)
        assert slots.max() < len(keyed.store)
    # more slots than rule-field combinations, the rules ran once per combination
    assert len(keyed.store) > len(plain.store)
    assert sum(seen) == plain.tagged


def test_vocabulary_ids_equal_part_matrices(shipped):
    """Token indices from the vocabulary equal those of ``part_matrices`` per part:
    random contexts, years, field tokens, unknown and repeated tokens, and a token of
    another part (the scorer is then no longer exact, both ways)."""
    from pv_identify.model.estimator import CONTEXT, SLOT, YEAR
    from pv_identify.model.features import year_token
    from pv_identify.stream.context_ids import context_string as _context_string
    from pv_identify.stream.model_cache import _Scorer

    model = shipped.fitted_model
    fast, slow = _Scorer(model), _Scorer(model)
    assert fast.vocabulary is not None
    slow.vocabulary = None
    rng = np.random.default_rng(5)
    keys = (rng.integers(0, 1 << 13, 3000) | rng.integers(0, 1 << 13, 3000) << 13
            | rng.integers(0, 1 << 13, 3000) << 26 | rng.integers(0, 16, 3000) << 39)
    contexts = [_context_string(int(k)) for k in keys]
    contexts += ["own:assault own:assault nonsense:token", ""]
    vocabulary = model.token_vectorizer_.vocabulary_
    slot_tokens = [t for t in vocabulary if t.startswith(("art:", "mc:", "disp:"))]
    bags = {CONTEXT: contexts,
            YEAR: [year_token(y) for y in range(-1, 2030, 7)],
            SLOT: [" ".join(rng.choice(slot_tokens, 3)) for _ in range(300)] + ["art:none"]}
    for part, part_bags in bags.items():
        assert fast._ids(part_bags, part) == slow._ids(part_bags, part)
        assert fast.exact and slow.exact
    mixed = [contexts[0] + " " + year_token(2015)]
    assert fast._ids(mixed, CONTEXT) == slow._ids(mixed, CONTEXT)
    assert not fast.exact and not slow.exact


def test_vocabulary_only_for_whitespace_tokens(shipped):
    """A vectoriser that lower-cases (or tokenises otherwise) keeps ``part_matrices``."""
    import copy

    from pv_identify.stream.model_cache import _split_vocabulary

    model = copy.deepcopy(shipped.fitted_model)
    assert _split_vocabulary(model) is not None
    model.token_vectorizer_.set_params(lowercase=True)
    assert _split_vocabulary(model) is None
    model.token_vectorizer_.set_params(lowercase=False, token_pattern=r"\w+")
    assert _split_vocabulary(model) is None


def test_pass_one_keeps_field_hits_across_chunks(tmp_path, shipped, chunks, monkeypatch):
    """Pass 1 of the model path tags new rule-field combinations with the field hits
    kept across chunks (``cross_chunk_cache``, as pass 2 and the rules path): each
    distinct raw qualification is normalised once by the rules; output unchanged."""
    from pv_identify.rules import apply
    from pv_identify.stream import history, runner

    frame = pd.concat(chunks)
    src = tmp_path / "in.parquet"
    frame.to_parquet(src, index=False)
    active: list[bool] = []
    original = history.case_context

    def spying(*args, **kwargs):
        active.append(apply.field_cache(shipped.compiled, "qualification") is not None)
        return original(*args, **kwargs)

    normalised: list[object] = []
    normalize = apply.match_qualifications

    def counting(values, compiled):
        # the values the rules' matching sees, minus those its cross-chunk cache holds
        cache = apply.field_cache(compiled, "qualification")
        normalised.extend(v for v in pd.unique(values.dropna())
                          if cache is None or cache.get(v) is None)
        return normalize(values, compiled)

    apply.clear_match_cache()
    monkeypatch.setattr(history, "case_context", spying)
    monkeypatch.setattr(apply, "match_qualifications", counting)
    monkeypatch.setattr("pv_identify.tagger.match_qualifications", counting, raising=False)
    runner.tag_file(src, tmp_path / "out.parquet", shipped, chunk_rows=1_500, progress=False)
    monkeypatch.undo()
    assert active == [True]
    assert len(normalised) > 50
    assert len(normalised) == len(set(normalised))  # no raw qualification matched twice
    got = pd.read_parquet(tmp_path / "out.parquet")
    expected = shipped.tag(pd.read_parquet(src))
    for col in ("pv_label", "pv_source", "pv_rule_ids", "pv_evidence"):
        assert got[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    assert got["pv_score"].tolist() == expected["pv_score"].tolist()


def test_context_pieces_equal_context_strings(shipped):
    """The union of a context's pieces has the token indices of its whole string:
    random packed contexts (all flags and masks), in one batch and in several."""
    from pv_identify.model.estimator import CONTEXT
    from pv_identify.stream.context_ids import ContextIds, context_string
    from pv_identify.stream.model_cache import _Scorer

    scorer = _Scorer(shipped.fitted_model)
    rng = np.random.default_rng(9)
    n = 4000
    keys = (rng.integers(0, 1 << 13, n) & rng.integers(0, 1 << 13, n)
            | (rng.integers(0, 1 << 13, n) & rng.integers(0, 1 << 13, n)) << 13
            | (rng.integers(0, 1 << 13, n) & rng.integers(0, 1 << 13, n)) << 26
            | rng.integers(0, 16, n) << 39).tolist()
    keys += [0, 1 << 42, 7 << 39, (1 << 39) - 1]
    expected = scorer._ids([context_string(k) for k in keys], CONTEXT)
    pieces = ContextIds(lambda bags: scorer._ids(bags, CONTEXT), scorer.pad)
    assert pieces(keys[:100]) + pieces(keys[100:]) == expected
    assert pieces.usable
    unchecked = pieces._from_pieces(np.asarray(keys))  # past the checked start too
    assert [row[row != scorer.pad].tolist() for row in unchecked] == expected


def test_context_pieces_given_up_when_they_differ(shipped):
    """If the pieces ever miss a token of the string, the strings are used."""
    from pv_identify.model.estimator import CONTEXT
    from pv_identify.stream import context_ids
    from pv_identify.stream.model_cache import _Scorer

    scorer = _Scorer(shipped.fitted_model)
    pieces = context_ids.ContextIds(lambda bags: scorer._ids(bags, CONTEXT), scorer.pad)
    pieces._from_pieces = (  # type: ignore[method-assign]
        lambda keys: np.zeros((len(keys), 0), dtype=np.int64))
    keys = [1 | 1 << 13 | 1 << 39, 3 << 26]
    assert pieces(keys) == scorer._ids([context_ids.context_string(k) for k in keys], CONTEXT)
    assert not pieces.usable


def test_scratch_arrays_load_one_at_a_time(tmp_path, monkeypatch):
    """The context pass's ``.npy`` parts are loaded under one lock (CPython 3.11's
    header parser fails when two threads parse at once), values unchanged."""
    from pv_identify.stream import npy

    path = tmp_path / "a.npy"
    np.save(path, np.arange(10, dtype=np.int32))
    held: list[bool] = []
    original = np.load

    def checking(*args, **kwargs):
        held.append(npy.LOCK.locked())
        return original(*args, **kwargs)

    monkeypatch.setattr(np, "load", checking)
    got = npy.load_array(path)
    assert held == [True]
    assert got.dtype == np.int32 and got.tolist() == list(range(10))
    import inspect

    from pv_identify.stream import context_parts, context_rollups

    for module in (context_parts, context_rollups):  # no other loads of parts
        assert "np.load(" not in inspect.getsource(module)


def test_pack_is_the_inverse_of_unpack():
    """One layout of a packed context: ``pack`` (the model cache) and ``unpack`` (the
    context pieces) agree on every field at its extremes and on random rows."""
    from pv_identify.stream.context_ids import SIGNAL_BITS, pack, unpack

    rng = np.random.default_rng(0)
    top = (1 << SIGNAL_BITS) - 1
    n = 500
    own, case, hist = (np.r_[0, top, rng.integers(0, top + 1, n)] for _ in range(3))
    multi = np.r_[False, True, rng.integers(0, 2, n).astype(bool)]
    hist_n = np.r_[0, 3, rng.integers(0, 4, n)]
    has_q = np.r_[True, False, rng.integers(0, 2, n).astype(bool)]
    keys = pack(own, case, hist, multi, hist_n, has_q)
    assert keys.dtype == np.int64
    got = [unpack(int(k)) for k in keys]
    expected = list(zip(own.tolist(), case.tolist(), hist.tolist(), multi.tolist(),
                        hist_n.tolist(), has_q.tolist(), strict=True))
    assert got == expected
