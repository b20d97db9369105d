"""The term scan: prefilter starts + one POSIX match each == the overlapped POSIX scan."""

import functools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.evaluate.corpus import corpus_records
from pv_identify.rules.compiler import MATCH_TIMEOUT, CompiledRules, Span
from pv_identify.tagger import Tagger

CORPUS = Path(__file__).resolve().parents[1] / "data" / "real_texts"


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
    items = corpus_records(CORPUS)
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


PIECES = st.sampled_from(["zijn", "ex", "vriendin", "partner", "zakenpartner", "echtgenote",
                          "huiselijk", "geweld", "van", "de", "moeder", "kinderen", "haar",
                          "schoon", "vader", "leven", "x", "1"])
SEPARATORS = st.sampled_from([" ", " ", "-", "", "  ", "\t", " - ", "--", "+", "_"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECES, SEPARATORS), max_size=14), st.sampled_from([0, 1, 2]))
def test_scan_window_memo_equals_posix_scan_on_raw_strings(pieces, which):
    # not normalised: whitespace runs (no memo), tabs, hyphens and "+" next to terms,
    # terms at the start and the end; each text scanned twice (the second from the memo)
    compiled = _matchers()[which]
    text = "".join(word + sep for word, sep in pieces)
    for variant in (text, text.strip(), text.replace("  ", " ")):
        expected = _reference(compiled, variant)
        assert compiled.scan(variant) == expected
        assert compiled.scan(variant) == expected


def test_literal_rule_sets_use_the_window_memo():
    # the default and wodc2022 rule sets have literal terms only: the trie prefilter and
    # the memo are on (the tests above compare them with the plain POSIX scan)
    for compiled in _matchers():
        assert compiled.scan_memo is not None
        assert compiled.scan_memo.bounds


def test_window_memo_entries_are_reused_and_bounded(monkeypatch):
    from pv_identify.rules import compiler

    compiled = _matchers()[0]
    assert compiled.scan_memo is not None
    results = compiled.scan_memo.results
    texts = ["mishandeling van zijn ex-vriendin te utrecht parketnummer 12",
             "mishandeling van zijn ex-vriendin te utrecht parketnummer 13",
             "zijn ex-vriendin", "x zijn ex vriendin", "zijn ex-vriendinnen"]
    expected = [_reference(compiled, t) for t in texts]
    monkeypatch.setattr(compiler, "SCAN_MEMO_SIZE", 3)
    results.clear()
    for _ in range(3):
        assert [compiled.scan(t) for t in texts] == expected
        assert len(results) <= 3
    results.clear()


def test_rule_sets_with_raw_expressions_scan_without_the_memo():
    from dataclasses import replace

    from pv_identify.rules.compiler import compile_rules
    from pv_identify.rules.ruleset import Term

    ruleset = Tagger("default").ruleset
    index = next(i for i, r in enumerate(ruleset.rules)
                 if r.field == "qualification" and r.label == "partner")
    rule = ruleset.rules[index]
    raw = replace(rule, terms=(*rule.terms, Term("re:vriend\\w*je", "test", 1),
                               Term("maat*", "test", 2)))
    compiled = compile_rules(replace(ruleset, rules=(*ruleset.rules[:index], raw,
                                                     *ruleset.rules[index + 1:])))
    assert compiled.scan_memo is None
    raw_hits = 0
    for text in ["zijn vriendinnetje en zijn maatje", "zijn ex-vriendin", "matige vriendje"]:
        normalized = compiled.normalize_qualification(text)
        spans = compiled.scan(normalized)
        assert spans == _reference(compiled, normalized)
        raw_hits += sum(s.rule == index for s in spans)
    assert raw_hits >= 2  # the raw expression and the wildcard term were found


def _term_variants(term: str) -> list[str]:
    """Texts that share a window with ``term`` up to its end or its look-ahead."""
    first, _, rest = term.partition(" ")
    runs = [f"{first}{' ' * 40}{rest}", f"{first}{' ' * 40}qq{rest}"] if rest else []
    return [term, f"{term}x", f"{term}-x", f"{term} x", f"{term}-", f"x {term}", f"x{term}",
            f"-{term}", term.replace("-", " "), term.replace("-", ""), term[:-1],
            f"{term}\t\tx", *runs]


def test_window_memo_equals_posix_scan_next_to_every_term():
    # each term followed by a word character, a hyphenated word, a space, preceded by a
    # word character; multi-word terms with a long whitespace run inside: texts whose
    # windows agree up to the look-ahead or a run, scanned one after the other
    for compiled in _matchers():
        assert compiled.scan_memo is not None
        compiled.scan_memo.results.clear()
        terms = {compiled.normalize_qualification(t.text)
                 for r in compiled.ruleset.rules if r.field == "qualification"
                 for t in r.terms}
        for term in sorted(terms):
            for text in _term_variants(term):
                assert compiled.scan(text) == _reference(compiled, text), (term, text)


def _overlapped_starts(compiled: CompiledRules, text: str) -> list[int]:
    assert compiled.prefilter is not None
    return [m.start() for m in compiled.prefilter.finditer(text, overlapped=True)]


def test_ascii_starts_equal_the_prefilter_on_the_corpus():
    # the standard-library lookahead finds the prefilter's (regex module) start positions
    items = corpus_records(CORPUS)
    texts = [i["context"] for i in items] + [i["kwalificatie"] for i in items]
    found = 0
    for compiled in _matchers():
        assert compiled.ascii_starts is not None
        for text in texts:
            for variant in (compiled.normalize_qualification(text), text):
                if variant.isascii():
                    starts = compiled.ascii_starts(variant)
                    assert starts == _overlapped_starts(compiled, variant)
                    found += len(starts)
    assert found > 1000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECES, st.sampled_from([" ", "-", "", "\t", "\x1c", "\x0b", "+",
                                                   "_", "/", "\u00e9", "\u2013"])),
                max_size=14), st.sampled_from([0, 1, 2]))
def test_ascii_starts_equal_the_prefilter_on_raw_strings(pieces, which):
    # ASCII separators the two engines could read differently (\x1c is whitespace to
    # Python's str but not to either pattern), and non-ASCII ones, which keep the
    # regex-module prefilter: the scan equals the POSIX reference either way
    compiled = _matchers()[which]
    assert compiled.ascii_starts is not None
    text = "".join(word + sep for word, sep in pieces)
    if text.isascii():
        starts = compiled.ascii_starts(text)
        assert starts == _overlapped_starts(compiled, text)
    assert compiled.scan(text) == _reference(compiled, text)


def test_ascii_starts_try_the_trie_after_non_word_characters_only():
    # every term of the shipped rule sets starts with the start anchor: the prefilter
    # runs on " " + text and matches the character before each start (the tests above
    # compare its starts with the regex-module prefilter)
    for compiled in _matchers():
        assert compiled.ascii_starts is not None
        assert compiled.ascii_starts.boundary
        assert compiled.ascii_starts.pattern.pattern.startswith("[^\\w](?=")


def _with_terms(match: str, *texts: str) -> CompiledRules:
    """The default rule set with one more partner rule of ``texts`` in ``match`` mode."""
    from dataclasses import replace

    from pv_identify.rules.compiler import compile_rules
    from pv_identify.rules.ruleset import Term

    ruleset = Tagger("default").ruleset
    index = next(i for i, r in enumerate(ruleset.rules)
                 if r.field == "qualification" and r.label == "partner")
    extra = replace(ruleset.rules[index], id="test_extra_terms", match=match,
                    terms=tuple(Term(t, "test", k + 1) for k, t in enumerate(texts)))
    return compile_rules(replace(ruleset, rules=(*ruleset.rules, extra)))


SUBSTRING_TEXTS = st.lists(st.tuples(PIECES, st.sampled_from([" ", "-", "", "+", "_", "/", "x"])),
                           max_size=10)


@settings(max_examples=200, deadline=None)
@given(SUBSTRING_TEXTS, st.sampled_from(["substring", "prefix"]))
def test_ascii_starts_with_unanchored_or_prefix_terms(pieces, match):
    # a substring term may start inside a word: the plain lookahead then tries every
    # position (boundary False); prefix terms keep the start anchor (boundary True)
    compiled = _with_terms(match, "riend", "-vader", "ouder")
    assert compiled.ascii_starts is not None
    assert compiled.ascii_starts.boundary == (match == "prefix")
    text = "".join(word + sep for word, sep in pieces)
    for variant in (text, f"-{text}", f" {text}", f"{text}-"):
        assert compiled.ascii_starts(variant) == _overlapped_starts(compiled, variant)
        assert compiled.scan(variant) == _reference(compiled, variant)
