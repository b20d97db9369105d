"""The token pattern scan (key-word index, memoised lists, set walk) == a plain scan."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from pv_identify.tagger import Tagger
from pv_identify.text import patterns as patterns_module
from pv_identify.text.matcher import TextMatcher
from pv_identify.text.patterns import Patterns, pattern_ends

GROUPS = ("patterns", "cue_patterns", "time_patterns", "gender_patterns",
          "stranger_patterns", "_antecedent_anchors", "_antecedent_persons")


@functools.lru_cache(maxsize=1)
def _matcher() -> TextMatcher:
    return Tagger("default").text_matcher


@functools.lru_cache(maxsize=1)
def _vocabulary() -> list[str]:
    """Words of the patterns' word sets (each group's), plus words no pattern names."""
    words: set[str] = set()
    for group in GROUPS:
        for _, _, elements, _ in getattr(_matcher(), group):
            for element in elements:
                words |= set(sorted(element.words or ())[:6])
    return [*sorted(words), "x", "de", "12", "12-jarige", "vriendin", "zijn", "haar", "en"]


def _reference(norms: list[str], patterns: Patterns) -> list[tuple[int, int, int, int]]:
    """Every pattern from every start, by the recursive walk over ``accepts`` (no index)."""
    out = []
    for rule, kind, elements, _ in patterns:
        for start in range(len(norms)):
            ends: set[int] = set()

            def walk(pos: int, k: int, elements=elements, ends=ends) -> None:
                if k == len(elements):
                    ends.add(pos)
                    return
                element = elements[k]
                if element.low == 0:
                    walk(pos, k + 1)
                p, count = pos, 0
                while count < element.high and p < len(norms) and element.accepts(norms[p]):
                    p += 1
                    count += 1
                    if count >= element.low:
                        walk(p, k + 1)

            walk(start, 0)
            out += [(start, end, rule, kind) for end in ends if end > start]
    return sorted(out)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_pattern_candidates_equal_a_plain_scan(data):
    matcher = _matcher()
    norms = data.draw(st.lists(st.sampled_from(_vocabulary()), max_size=18))
    for group in GROUPS:
        patterns = getattr(matcher, group)
        expected = _reference(norms, patterns)
        for _ in range(2):  # the second time from the memoised pattern list
            assert sorted(matcher._pattern_candidates(norms, patterns)) == expected
            assert sorted(matcher._pattern_candidates(norms, patterns, set(norms))) == expected


def _plain_path(matcher: TextMatcher, norms: list[str], patterns: Patterns,
                ) -> list[tuple[int, int, int, int]]:
    """The scan without the inline walk of one-token patterns: the set walk from every start."""
    return [(start, end, rule, kind) for rule, kind, elements, _ in patterns
            for start in range(len(norms))
            for end in pattern_ends(norms, start, elements) if end > start]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_pattern_candidates_keep_the_order_of_the_plain_path(data):
    # the steps read the spans in order (the salience step takes the first stranger
    # next to a cue): the inline walk of one-token patterns keeps pattern, start and
    # end order
    matcher = _matcher()
    norms = data.draw(st.lists(st.sampled_from(_vocabulary()), max_size=18))
    for group in GROUPS:
        patterns = getattr(matcher, group)
        assert matcher._pattern_candidates(norms, patterns) == _plain_path(matcher, norms,
                                                                            patterns)


def test_one_token_patterns_are_walked_inline():
    # most shipped patterns take one token per element (the inline walk); the others
    # ("@modifier{0,4}", "*") keep the set walk
    matcher = _matcher()
    fixed = other = 0
    for group in GROUPS:
        patterns = getattr(matcher, group)
        patterns.candidates(set())
        for _, _, elements, _ in patterns:
            if id(elements) in patterns.fixed:
                assert all(e.low == e.high == 1 for e in elements)
                fixed += 1
            else:
                assert any((e.low, e.high) != (1, 1) for e in elements)
                other += 1
    assert fixed > 20 and other > 10


def _needing(patterns, present: set[str]) -> list:
    """The patterns all of whose required sets meet ``present``, in list order (reference)."""
    return [p for p in patterns if all(present & w for w in p[3])]


def _added_later(matcher, patterns, ask) -> None:
    """A pattern appended after indexing is among the answers of ``ask(present)``."""
    extra = matcher.patterns[0]
    patterns.append(extra)
    present = {w for words in extra[3] for w in sorted(words)[:1]}
    assert ask(present)[-1] is extra


def test_pattern_lists_follow_the_required_sets(monkeypatch):
    matcher = _matcher()
    monkeypatch.setattr(patterns_module, "_CHOSEN_SIZE", 2)
    patterns = Patterns(matcher.patterns)
    vocabulary = _vocabulary()
    seen = 0
    for i in range(0, len(vocabulary), 3):
        present = set(vocabulary[i:i + 5])
        chosen = patterns.candidates(present)
        assert chosen == _needing(patterns, present)
        assert len(patterns._chosen) <= 2
        seen += len(chosen)
    assert seen > 0
    # a pattern added later is indexed too
    _added_later(matcher, patterns, patterns.candidates)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_key_bits_choose_the_same_patterns_as_the_key_words(data):
    # match() computes one integer per text (the required sets its words meet) and
    # each group looks its candidates up by it: the same list, in the same order, as
    # the intersection with the group's key words
    matcher = _matcher()
    present = set(data.draw(st.lists(st.sampled_from(_vocabulary()), max_size=18)))
    bits = matcher._key_bits.bits(present)
    for group in GROUPS:
        patterns = getattr(matcher, group)
        for _ in range(2):  # the second time from the memoised list
            assert patterns.chosen(bits, present) == patterns.candidates(present)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_vocabulary(), "zijn", "haar", "hun", "nieuwe", "huidige"]),
                max_size=12))
def test_key_bits_tell_possessives_and_new_words(norms):
    # match() asks the bits, not the words, whether the possessive pass and the
    # new-partner step have anything to read
    matcher = _matcher()
    bits = matcher._key_bits.bits(norms)
    assert bits == matcher._key_bits.bits(set(norms))
    possessives = matcher.possessive.possessives
    assert bool(bits & matcher._possessive_bit) == (not possessives.isdisjoint(norms))
    assert bool(bits & matcher._new_word_bit) == (not matcher._new_words.isdisjoint(norms))
    assert matcher._possessive_bit and matcher._new_word_bit


def test_key_bits_of_a_changed_group_fall_back_to_the_key_words(monkeypatch):
    matcher = Tagger("default").text_matcher
    monkeypatch.setattr(patterns_module, "_CHOSEN_SIZE", 2)
    patterns = matcher.cue_patterns
    vocabulary = _vocabulary()
    met = 0
    for i in range(0, len(vocabulary), 2):
        present = set(vocabulary[i:i + 6])
        chosen = patterns.chosen(matcher._key_bits.bits(present), present)
        assert chosen == _needing(patterns, present)
        assert len(patterns._by_bits) <= 2
        met += len(chosen)
    assert met > 0
    # a pattern added after the bits were given: its sets have no bit, so the group
    # answers from its key words
    _added_later(matcher, patterns,
                 lambda present: patterns.chosen(matcher._key_bits.bits(present), present))


def _accepts_uncached(element, norm: str) -> bool:
    if element.words is None:
        return True
    listed = norm in element.words or any(r.search(norm) for r in element.regexes)
    return listed != element.negate  # "!@set": the tokens the set does not hold


def test_token_answers_of_expressions_are_remembered_exactly(monkeypatch):
    # elements with expressions ("re:jarige$", "re:^\d+$" among the modifiers) remember
    # each token's answer; the remembered answer is the expressions' answer, also after
    # the memo is cleared at its bound
    monkeypatch.setattr(patterns_module, "_SEEN_SIZE", 5)
    elements = [e for group in GROUPS for _, _, es, _ in getattr(_matcher(), group)
                for e in es if e.regexes]
    assert elements
    tokens = [*_vocabulary(), "13-jarige", "73-jarige", "jarige", "2015", "300", "-", "/",
              "a1", "jarigen", "ex-vriendin"]
    accepted = 0
    for element in elements:
        element._seen.clear()
        for _ in range(2):
            for token in tokens:
                assert element.accepts(token) == _accepts_uncached(element, token), token
                accepted += element.accepts(token)
            assert len(element._seen) <= 5
        element._seen.clear()
    assert accepted > 0


class _AllPatterns(Patterns):
    """A pattern list without the key-word index: every pattern is a candidate."""

    def candidates(self, present: set[str]) -> list:
        return list(self)


@functools.lru_cache(maxsize=1)
def _unindexed_matcher() -> TextMatcher:
    """A matcher whose pattern groups have no key-word index (the plain path).

    No step can then skip itself because no pattern of its cue group is a candidate,
    and every pattern takes the set walk (``fixed`` stays empty).
    """
    matcher = Tagger("default").text_matcher
    for group in GROUPS:
        setattr(matcher, group, _AllPatterns(getattr(matcher, group)))
    return matcher


PHRASES = ["zijn ex-vriendin", "haar nieuwe vriend", "zijn vrouw", "haar ouders",
           "de moeder van zijn kinderen", "het slachtoffer", "de aangever", "hij", "zij",
           "sloeg", "stak haar", "mishandeling van", "na de scheiding", "tijdens hun relatie",
           "de buurman", "verdachte", "zijn moeder", "haar vader", "en", "van", "hem te wurgen",
           "uw ex-vriendin", "zijn huidige vriendin", "de kennis die ook slachtoffer is",
           "73-jarige", "12", "x"]


#: Sentences on which the antecedent, possessor agreement and new-partner steps decide
#: (tests/text/test_text_possessor.py, test_text_model_doors.py).
STEP_SENTENCES = ["Hij sloeg haar ouders in de gang.", "Zij stak zijn vader neer.",
                  "Hij woonde bij zijn vrouw. Hij sloeg haar moeder.",
                  "Behalve de vrouw stak hij ook haar ouders neer.",
                  "Het slachtoffer ging naar huis, waar zijn moeder al sliep.",
                  "Het was niet het beoogde slachtoffer dat de deur opende, maar zijn vrouw.",
                  "Uw ex-vriendin heeft niks meer. U heeft haar gestalkt en haar nieuwe "
                  "vriend geslagen.", "Hij stak haar vriend neer."]


def _step_notes(text: str) -> set[str]:
    return {span.note.partition("(")[2].partition(":")[0]
            for span in _matcher().match(text).spans if span.note}


def test_step_sentences_are_read_by_the_steps():
    # the sentences below reach the steps that skip themselves by key words
    notes = set().union(*map(_step_notes, STEP_SENTENCES))
    assert "possessor" in notes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PHRASES, *STEP_SENTENCES, *_vocabulary()[:60]]),
                max_size=14))
def test_key_word_shortcuts_equal_the_unindexed_matcher(words):
    # the key-word index, the steps that skip themselves when their cue group has no
    # candidate (antecedent, possessor agreement, new partner) and the inline walk:
    # the same match as a matcher that tries every pattern everywhere
    text = " ".join(words)
    assert _matcher().match(text) == _unindexed_matcher().match(text)
    for sentence in words:
        if sentence in STEP_SENTENCES:
            assert _matcher().match(sentence) == _unindexed_matcher().match(sentence)


def test_key_word_shortcuts_equal_the_unindexed_matcher_on_the_corpus():
    import json
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "data" / "unlabelled_texts.jsonl"
    texts = [json.loads(line)["context"] for line in corpus.read_text("utf-8").splitlines()]
    changed = 0
    for text in texts:
        match = _matcher().match(text)
        assert match == _unindexed_matcher().match(text)
        changed += any(span.note for span in match.spans)
    assert changed > 0  # some texts are re-read by the grammar steps: not vacuous


#: Long texts (more tokens than most drawn ones) on which the time step decides.
TIME_SENTENCES = ["Tijdens hun relatie heeft hij zijn ex-vriendin in de woning te Utrecht "
                  "meermalen mishandeld en bedreigd.",
                  "Na de scheiding heeft de verdachte zijn vrouw op 22 juni 2015 in de woning "
                  "te Utrecht bedreigd."]


def test_time_step_skipped_by_key_words_only_where_it_reads_nothing():
    # match() asks for the time cues only when a time pattern is a candidate: on these
    # texts it is, and the time step decides as in the unindexed matcher
    for text in TIME_SENTENCES:
        for variant in (text, f"{text} {text.lower()}", f"x {STEP_SENTENCES[0]} {text}"):
            match = _matcher().match(variant)
            assert match == _unindexed_matcher().match(variant)
        assert any("(time:" in h.note for h in _matcher().match(text).decision.hits)


def _offsets(norms: list[str]) -> list[int]:
    starts, pos = [], 0
    for norm in norms:
        starts.append(pos)
        pos += len(norm) + 1
    return starts


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*PHRASES, *STEP_SENTENCES, *_vocabulary()[:60]]),
                max_size=14))
def test_new_partner_step_is_skipped_only_where_it_reads_nothing(words):
    # match() runs the new-partner step only when a word of the "new" set is in the
    # text; on the other texts the step itself (the plain path) changes nothing
    matcher = _matcher()
    match = matcher.match(" ".join(words))
    norms = match.normalized.split(" ")
    if match.spans and set(norms).isdisjoint(matcher._new_words):
        assert matcher._new_partner_step(match.spans, norms, _offsets(norms)) == (
            match.spans, frozenset())


def test_new_partner_step_reads_the_new_partner_of_the_ex():
    text = STEP_SENTENCES[6]  # "Uw ex-vriendin ... haar nieuwe vriend geslagen."
    notes = [s.note for s in _matcher().match(text).spans if s.note]
    assert any("is the ex-partner's beside the ex-partner phrase" in n for n in notes)
