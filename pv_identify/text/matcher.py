"""Compile a register rule set plus text rules into spaCy matchers.

One source of truth for terms: every qualification term of the register rule set
(``rules/terms/*.txt`` through a preset) becomes a :class:`spacy.matcher.PhraseMatcher`
pattern on the token ``NORM``, in its hyphen variants (``ex-partner``, ``ex partner``,
``expartner``), as the register compiler does. Text rules add token patterns
(:class:`spacy.matcher.Matcher`) and traps.

Overlaps are resolved like the register compiler's longest-first scan: the longest
candidate wins; at equal length a trap (label ``none``) wins over a text pattern,
which wins over a possessive phrase, which wins over a plain term. The surviving
candidates become :class:`~pv_identify.rules.compiler.Hit` objects decided by
:func:`pv_identify.combine.decide`, so text and register mode resolve conflicting
labels the same way (label tier, then rule priority).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import regex
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from pv_identify.rules.compiler import CompiledRules, compile_rules, term_pattern
from pv_identify.rules.model import Rule, RuleSet
from pv_identify.schema import NONE
from pv_identify.text.normalize import TokenNormalizer, norm_text
from pv_identify.text.rulefile import LABEL_SET_PREFIX, TextRuleSet, TokenSpec

#: Pattern kinds, in the order that wins ties between equally long candidates.
#: ``KIND_PART`` is a single-word term found after a hyphen inside a token
#: (``"partner"`` in ``"(ex-)partner"`` when no longer term claims the token), as the
#: register compiler finds terms after a hyphen.
KIND_TRAP, KIND_PATTERN, KIND_POSSESSIVE, KIND_TERM, KIND_PART = 0, 1, 2, 3, 4
KIND_NAMES = {KIND_TRAP: "trap", KIND_PATTERN: "pattern", KIND_POSSESSIVE: "possessive",
              KIND_TERM: "term", KIND_PART: "part"}
#: Seconds a user regular-expression term may run on one doc (guards pathological patterns).
REGEX_TIMEOUT = 1.0


@dataclass(frozen=True)
class Candidate:
    """A match before overlap resolution.

    Parameters
    ----------
    start, end : int
        Token offsets in the doc.
    rule : int
        Index of the rule in :attr:`TextMatchers.compiled`.
    kind : int
        One of the ``KIND_*`` constants.
    """

    start: int
    end: int
    rule: int
    kind: int

    @property
    def pattern(self) -> str:
        """Pattern kind: ``term``, ``part``, ``possessive``, ``pattern`` or ``trap``."""
        return KIND_NAMES[self.kind]


def _text_rule_as_rule(rule: Any) -> Rule:
    """Represent a text rule as a register :class:`Rule` (for ``decide``)."""
    return Rule(id=rule.id, field="qualification", label=rule.label,
                rationale=rule.rationale, group=rule.group, priority=rule.priority,
                vetoes=rule.vetoes, source=rule.source or "text rule",
                file=rule.file, line=rule.line)


def hyphen_variants(term: str) -> list[str]:
    """Return a term's spellings: as written, hyphens as spaces, hyphens removed.

    Parameters
    ----------
    term : str
        A normalised term (``"ex-partner"``).

    Returns
    -------
    list of str
        ``["ex-partner", "ex partner", "expartner"]``; just ``[term]`` without hyphens.
    """
    if "-" not in term:
        return [term]
    return list(dict.fromkeys([term, term.replace("-", " "), term.replace("-", "")]))


class TextMatchers:
    """Matchers for one register rule set plus one text rule set.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline whose tokenizer and vocab the patterns use.
    ruleset : RuleSet
        The register rule set (terms, exclusions, MC names).
    text_rules : TextRuleSet
        Phrase patterns and traps for free text.
    """

    def __init__(self, nlp: Language, ruleset: RuleSet, text_rules: TextRuleSet) -> None:
        self.ruleset = ruleset
        self.text_rules = text_rules
        self.normalizer = TokenNormalizer(ruleset.abbreviations)
        rules = ruleset.rules + tuple(_text_rule_as_rule(r) for r in text_rules.rules)
        combined = replace(ruleset, name=f"{ruleset.name}+{text_rules.name}", rules=rules)
        #: Compiled combined rule set: ``compiled.rules`` indexes :attr:`Candidate.rule`.
        self.compiled: CompiledRules = compile_rules(combined)
        self.vocab = nlp.vocab
        self._strings = nlp.vocab.strings
        self._make_doc = nlp.make_doc
        self.phrase = PhraseMatcher(nlp.vocab, attr="NORM")
        self.matcher = Matcher(nlp.vocab)
        self._keys: dict[int, tuple[int, int]] = {}
        self.regex_terms: list[tuple[int, regex.Pattern[str]]] = []
        self.n_patterns = 0
        #: Per Matcher pattern, the word sets of its required elements: a doc must hold
        #: a word of each for the pattern to match (lets most docs skip the Matcher).
        self.requirements: list[tuple[frozenset[str], ...]] = []
        #: Single-word term norm -> rule index, for terms after a hyphen inside a token.
        self.single_terms: dict[str, int] = {}
        self._relation_nouns = self._nouns_by_rule()
        self._add_register_terms()
        if text_rules.possessive_phrases:
            self._prepare_possessive_phrases()
        self._add_text_rules()

    # --- building --------------------------------------------------------------------

    def _key(self, rule: int, kind: int) -> str:
        name = f"pv_identify:{rule}:{kind}"
        self._keys[self._strings.add(name)] = (rule, kind)
        return name

    def _norm_doc(self, text: str) -> Doc:
        doc = self._make_doc(text)
        self.set_norms(doc)
        return doc

    def _term_docs(self, text: str) -> list[Doc]:
        return [self._norm_doc(v) for v in hyphen_variants(norm_text(text))]

    def _add_phrases(self, rule: int, kind: int, texts: Iterable[str]) -> None:
        docs = [d for t in texts for d in self._term_docs(t) if len(d)]
        for doc in docs:
            if len(doc) == 1:
                self.single_terms.setdefault(doc[0].norm_, rule)
        if docs:
            self.phrase.add(self._key(rule, kind), docs)
            self.n_patterns += len(docs)

    def _add_register_terms(self) -> None:
        mc_names = self.text_rules.match_mc_names
        for index, rule in enumerate(self.ruleset.rules):
            if rule.field == "mc" and mc_names and rule.label != NONE:
                self._add_phrases(index, KIND_TERM, (v.text for v in rule.values))
            if rule.field != "qualification":
                continue
            kind = KIND_TRAP if rule.label == NONE else KIND_TERM
            plain = []
            for term in rule.terms:
                text = term.text
                if text.startswith("re:"):
                    flags = 0 if self.ruleset.case_sensitive else regex.IGNORECASE
                    self.regex_terms.append(
                        (index, regex.compile(term_pattern(text, rule.match), flags)))
                elif text.endswith("*"):
                    for variant in hyphen_variants(norm_text(text.rstrip("*"))):
                        doc = self._norm_doc(variant)
                        if not len(doc):
                            continue
                        pattern: list[dict[str, Any]] = [{"NORM": t.norm_} for t in doc[:-1]]
                        pattern.append({"NORM": {"REGEX": "^" + regex.escape(doc[-1].norm_)}})
                        self.matcher.add(self._key(index, kind), [pattern])
                        self.requirements.append(())
                        self.n_patterns += 1
                else:
                    plain.append(text)
            self._add_phrases(index, kind, plain)

    def _nouns_by_rule(self) -> dict[int, tuple[set[str], dict[str, set[tuple[str, ...]]]]]:
        """Relation words of each relationship rule.

        Returns, per rule index, the single-word terms and, per first word, the rest
        of every multi-word term (``{"zijn": {("vrouw",)}, "voormalige": {("partner",)}}``).
        """
        out: dict[int, tuple[set[str], dict[str, set[tuple[str, ...]]]]] = {}
        for index, rule in enumerate(self.ruleset.rules):
            if rule.field != "qualification" or rule.label == NONE:
                continue
            single: set[str] = set()
            multi: dict[str, set[tuple[str, ...]]] = {}
            for term in rule.terms:
                if term.text.startswith("re:") or term.text.endswith("*"):
                    continue
                for variant in hyphen_variants(norm_text(term.text)):
                    norms = [t.norm_ for t in self._norm_doc(variant)]
                    if len(norms) == 1:
                        single.add(norms[0])
                    elif norms:
                        multi.setdefault(norms[0], set()).add(tuple(norms[1:]))
            out[index] = (single, multi)
        return out

    def relation_nouns(self, label: str | None = None) -> set[str]:
        """Relation nouns of the register rules (all, or those with ``label``).

        Parameters
        ----------
        label : str, optional
            Relationship label; all relationship labels when omitted.

        Returns
        -------
        set of str
            Norms of single-word terms and of the nouns of possessive terms.
        """
        possessives = set(self.text_rules.sets.get("possessive", ()))
        nouns: set[str] = set()
        for index, (single, multi) in self._relation_nouns.items():
            if label is None or self.ruleset.rules[index].label == label:
                nouns |= single
                for first, rests in multi.items():
                    if first in possessives:
                        nouns |= {rest[0] for rest in rests if len(rest) == 1}
        return nouns

    def _set_attr(self, values: Iterable[str]) -> dict[str, Any]:
        values = sorted(set(values))
        if not values:
            return {"NORM": {"IN": ["\u0000never"]}}
        if not any(v.startswith("re:") for v in values):
            return {"NORM": {"IN": values}}
        words = [regex.escape(v) for v in values if not v.startswith("re:")]
        parts = [f"(?:{v[3:]})" for v in values if v.startswith("re:")]
        if words:
            parts.append(f"^(?:{'|'.join(words)})$")
        return {"NORM": {"REGEX": "|".join(parts)}}

    def _spec(self, spec: TokenSpec) -> dict[str, Any]:
        if spec.kind == "any":
            token: dict[str, Any] = {}
        elif spec.kind == "regex":
            token = {"NORM": {"REGEX": spec.values[0]}}
        elif spec.kind == "words":
            token = ({"NORM": spec.values[0]} if len(spec.values) == 1
                     else {"NORM": {"IN": list(spec.values)}})
        else:
            name = spec.values[0]
            if name == "relation":
                token = self._set_attr(self.relation_nouns())
            elif name.startswith(LABEL_SET_PREFIX):
                token = self._set_attr(self.relation_nouns(name[len(LABEL_SET_PREFIX):]))
            else:
                token = self._set_attr(self.text_rules.sets[name])
        if spec.op:
            token["OP"] = spec.op
        return token

    def _modifier(self, low: int) -> dict[str, Any]:
        token = self._set_attr(self.text_rules.sets["modifier"])
        token["OP"] = f"{{{low},{self.text_rules.max_modifiers}}}"
        return token

    def _prepare_possessive_phrases(self) -> None:
        """Tables for :meth:`_possessive_candidates` (no Matcher patterns needed)."""
        sets = self.text_rules.sets
        self.possessives = frozenset(sets["possessive"])
        modifiers = sets["modifier"]
        self.modifier_words = frozenset(m for m in modifiers if not m.startswith("re:"))
        expressions = [m[3:] for m in modifiers if m.startswith("re:")]
        self.modifier_regex = regex.compile("|".join(expressions)) if expressions else None
        #: (possessive, rest of the term) -> rule, for terms such as "zijn vriendin".
        self.possessive_terms: dict[str, dict[tuple[str, ...], int]] = {}
        for index, (_single, multi) in self._relation_nouns.items():
            for first, rests in multi.items():
                if first in self.possessives:
                    table = self.possessive_terms.setdefault(first, {})
                    for rest in rests:
                        table.setdefault(rest, index)
        self.max_rest = max((len(r) for t in self.possessive_terms.values() for r in t),
                            default=0)

    def _is_modifier(self, norm: str) -> bool:
        if norm in self.modifier_words:
            return True
        return self.modifier_regex is not None and self.modifier_regex.search(norm) is not None

    def _possessive_candidates(self, norms: list[str],
                               found: list[Candidate]) -> list[Candidate]:
        """Extend relationship matches to "POSSESSIVE MODIFIER* term" phrases.

        ``zijn (toenmalige) echtgenote``: a term match preceded by a possessive and at
        most ``max_modifiers`` modifiers; ``zijn huidige vriendin``: a possessive term
        ("zijn vriendin") with modifiers inside.
        """
        out: list[Candidate] = []
        starts: dict[int, list[Candidate]] = {}
        rules = self.ruleset.rules
        for cand in found:
            if cand.kind == KIND_TERM and cand.rule < len(rules) and \
                    rules[cand.rule].label != NONE:
                starts.setdefault(cand.start, []).append(cand)
        n = len(norms)
        max_mod = self.text_rules.max_modifiers
        for i, norm in enumerate(norms):
            if norm not in self.possessives:
                continue
            k = i + 1
            while k < n and k - i - 1 < max_mod and self._is_modifier(norms[k]):
                # a term may itself start with a modifier word ("eigen"): try both
                for cand in starts.get(k, ()):
                    out.append(Candidate(i, cand.end, cand.rule, KIND_POSSESSIVE))
                k += 1
            for cand in starts.get(k, ()):
                out.append(Candidate(i, cand.end, cand.rule, KIND_POSSESSIVE))
            if k > i + 1:
                table = self.possessive_terms.get(norm)
                if table:
                    for length in range(1, min(self.max_rest, n - k) + 1):
                        rule = table.get(tuple(norms[k:k + length]))
                        if rule is not None:
                            out.append(Candidate(i, k + length, rule, KIND_POSSESSIVE))
        return out

    def _requirements(self, specs: tuple[TokenSpec, ...]) -> tuple[frozenset[str], ...]:
        required = []
        for spec in specs:
            if spec.optional or spec.kind in {"any", "regex"}:
                continue
            token = self._spec(TokenSpec(spec.kind, spec.values))
            values = token.get("NORM")
            if isinstance(values, str):
                required.append(frozenset([values]))
            elif isinstance(values, dict) and "IN" in values:
                required.append(frozenset(values["IN"]))
        return tuple(required)

    def _add_text_rules(self) -> None:
        offset = len(self.ruleset.rules)
        for i, rule in enumerate(self.text_rules.rules):
            index = offset + i
            kind = KIND_TRAP if rule.label == NONE else KIND_PATTERN
            if rule.patterns:
                self.matcher.add(self._key(index, kind),
                                 [[self._spec(s) for s in p] for p in rule.patterns])
                self.n_patterns += len(rule.patterns)
                self.requirements.extend(self._requirements(p) for p in rule.patterns)
            if rule.terms:
                self._add_phrases(index, kind, (t.text for t in rule.terms))

    def _matcher_needed(self, norms: list[str]) -> bool:
        present = set(norms)
        return any(all(not req.isdisjoint(present) for req in reqs)
                   for reqs in self.requirements)

    # --- matching --------------------------------------------------------------------

    def set_norms(self, doc: Doc) -> list[str]:
        """Set ``Token.norm_`` of every token to the matching norm; return the norms."""
        normalize = self.normalizer
        norms = []
        for token in doc:
            norm = normalize(token.text)
            token.norm_ = norm
            norms.append(norm)
        return norms

    def candidates(self, doc: Doc, norms: list[str] | None = None) -> list[Candidate]:
        """Return all matches on a doc.

        Parameters
        ----------
        doc : spacy.tokens.Doc
            The document.
        norms : list of str, optional
            The token norms as returned by :meth:`set_norms`; computed (and set on the
            doc) when omitted.

        Returns
        -------
        list of Candidate
            Every match, overlapping ones included.
        """
        if norms is None:
            norms = self.set_norms(doc)
        keys = self._keys
        found = []
        for match_id, start, end in self.phrase(doc):
            rule, kind = keys[match_id]
            found.append(Candidate(start, end, rule, kind))
        single = self.single_terms
        for i, norm in enumerate(norms):
            if "-" in norm[1:-1]:
                parts = norm.split("-")
                for k in range(1, len(parts)):
                    rule = single.get("-".join(parts[k:]))
                    if rule is not None:
                        found.append(Candidate(i, i + 1, rule, KIND_PART))
                        break
        if self.regex_terms:
            text = doc.text
            for rule, pattern in self.regex_terms:
                for m in pattern.finditer(text, timeout=REGEX_TIMEOUT):
                    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                    if span is not None and len(span):
                        found.append(Candidate(span.start, span.end, rule, KIND_TERM))
        if len(self.matcher) and self._matcher_needed(norms):
            for match_id, start, end in self.matcher(doc):
                rule, kind = keys[match_id]
                found.append(Candidate(start, end, rule, kind))
        if self.text_rules.possessive_phrases:
            found.extend(self._possessive_candidates(norms, found))
        return found


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: longest first, then by kind, then leftmost.

    Parameters
    ----------
    candidates : list of Candidate
        All matches.

    Returns
    -------
    list of Candidate
        The winners, in text order.
    """
    ordered = sorted(set(candidates),
                     key=lambda c: (c.start - c.end, c.kind, c.start, c.rule))
    taken: set[int] = set()
    kept = []
    for cand in ordered:
        positions = range(cand.start, cand.end)
        if any(p in taken for p in positions):
            continue
        taken.update(positions)
        kept.append(cand)
    return sorted(kept, key=lambda c: (c.start, c.end))
