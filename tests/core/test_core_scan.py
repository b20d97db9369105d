"""The term scan: prefilter starts + one POSIX match each == the overlapped POSIX scan."""

import functools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.rules.compiler import MATCH_TIMEOUT, CompiledRules, Span
from pv_identify.tagger import Tagger

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_texts.jsonl"


def _reference(compiled: CompiledRules, normalized: str) -> list[Span]:
    """Every start position's longest term: the POSIX scan regex over all positions."""
    if not normalized or compiled.scan_regex is None:
        return []
    return [Span(m.start(), m.end(), compiled.scan_rule[m.lastgroup],
                 compiled.rule_kinds[compiled.scan_rule[m.lastgroup]])
            for m in compiled.scan_regex.finditer(normalized, overlapped=True,
                                                  timeout=MATCH_TIMEOUT)]


@functools.lru_cache(maxsize=1)
def _matchers() -> list[CompiledRules]:
    return [Tagger("default").text_matcher.compiled, Tagger("default").compiled,
            Tagger("wodc2022").compiled]


def test_scan_equals_overlapped_posix_scan_on_the_corpus():
    items = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts = [i["context"] for i in items] + [i["kwalificatie"] for i in items]
    found = 0
    for compiled in _matchers():
        for text in texts:
            normalized = compiled.normalize_qualification(text)
            spans = compiled.scan(normalized)
            assert spans == _reference(compiled, normalized)
            found += len(spans)
    assert found > 1000  # the corpus names many terms: the comparison is not vacuous


WORDS = st.sampled_from(["zijn", "ex", "ex-vriendin", "vriendin", "partner", "zakenpartner",
                         "echtgenote", "huiselijk", "geweld", "van", "de", "moeder", "304",
                         "sub", "1", "sr", "levensgezel", "stiefzoontje", "schoon", "x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=25), st.sampled_from([0, 1, 2]))
def test_scan_equals_overlapped_posix_scan_on_word_salad(words, which):
    compiled = _matchers()[which]
    normalized = compiled.normalize_qualification(" ".join(words))
    assert compiled.scan(normalized) == _reference(compiled, normalized)
