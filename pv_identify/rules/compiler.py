"""Compile a :class:`~pv_identify.rules.ruleset.RuleSet` into fast matchers.

Matching works on *normalised distinct values*: one qualification text, one tuple of
MC names, one tuple of article references. Each returns the :class:`Hit` objects of
the rules that fire, with the matched text as evidence.

Qualification terms of all rules are compiled into **one** alternation, longest term
first. All candidate spans are collected (overlapping ones too) by :meth:`CompiledRules.scan`,
then :func:`resolve_overlaps` keeps the longest span, then (at equal length) the
strongest kind (an exclusion before a text pattern, a possessive phrase and a plain
term), then the leftmost; spans overlapping a kept one are dropped. So a longer term
hides the shorter ones inside or across it: ``"ex-partner"`` (ex_partner) wins over
``"partner"`` (partner) and over ``"zijn ex"`` in ``"zijn ex partner"``, and an
exclusion such as ``"zakenpartner"`` consumes its text so no partner term fires inside
it.

This is the one term matcher of the library: register mode calls
:meth:`CompiledRules.match_qualification`; free-text mode
(:mod:`pv_identify.text.matcher`) runs the same :meth:`CompiledRules.scan` on the same
normalised text, adds only its text-specific candidates (token patterns, possessive
phrases) and resolves them with the same :func:`resolve_overlaps`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

import regex

from pv_identify.lru import LRUCache, remember
from pv_identify.normalize.articles import ArticleRef
from pv_identify.normalize.mc import normalize_mc_name, split_mc
from pv_identify.normalize.text import TextNormalizer
from pv_identify.rules.grammar import GRAMMAR_GROUP, RELATIONS, CompiledGrammar, Grammar
from pv_identify.rules.possessive import PossessivePhrases, relation_nouns
from pv_identify.rules.ruleset import Rule, RuleSet
from pv_identify.schema import NONE

#: Word boundaries: a term starts after a non-word character (a hyphen counts, so
#: ``"partner"`` is found in ``"ex-partner"`` when no longer term claims it) and ends
#: before a non-word character that does not start a hyphenated continuation
#: (``"zijn ex"`` does not match ``"zijn ex-schoonvader"``).
_START = r"(?<!\w)"
_END = r"(?!\w)(?!-\w)"

#: Guard against pathological user regular expressions (seconds per text).
MATCH_TIMEOUT = 1.0


#: Candidate kinds, in the order that wins ties between equally long spans.
#: A grammar phrase (:mod:`pv_identify.rules.grammar`) is usually longer than anything it
#: competes with; at equal length a text pattern or trap wins over it.
KIND_TRAP, KIND_PATTERN, KIND_GRAMMAR, KIND_POSSESSIVE, KIND_TERM = 0, 1, 2, 3, 4
KIND_NAMES = {KIND_TRAP: "trap", KIND_PATTERN: "pattern", KIND_GRAMMAR: "grammar",
              KIND_POSSESSIVE: "possessive", KIND_TERM: "term"}


class Span(NamedTuple):
    """A candidate match on a normalised text, before overlap resolution.

    Parameters
    ----------
    start, end : int
        Character offsets in the normalised text.
    rule : int
        Index of the rule in the compiled rule set.
    kind : int
        One of the ``KIND_*`` constants (breaks ties between equally long spans).
    """

    start: int
    end: int
    rule: int
    kind: int
    #: The grammar's reading of the phrase (``"stepchild: child of partner"``), else "".
    note: str = ""

    @property
    def pattern(self) -> str:
        """Kind name: ``term``, ``possessive``, ``grammar``, ``pattern`` or ``trap``."""
        return KIND_NAMES[self.kind]


#: ``Span`` from a tuple of all five fields, built in C (``tuple.__new__``) without the
#: named tuple's Python ``__new__``: for the matchers' per-text loops. Equal to
#: ``Span(start, end, rule, kind, note)``.
new_span: Callable[[tuple[int, int, int, int, str]], Span] = partial(  # type: ignore[assignment]
    tuple.__new__, Span)


def resolve_overlaps(candidates: list[Span]) -> list[Span]:
    """Keep non-overlapping candidates: longest first, then by kind, then leftmost.

    Parameters
    ----------
    candidates : list of Span
        All candidates, overlapping ones included.

    Returns
    -------
    list of Span
        The winners, in text order.
    """
    if len(candidates) < 2:
        return list(candidates)  # nothing to overlap (most texts: one phrase or none)
    if len(candidates) == 2:  # (a term and its possessive phrase, two phrases)
        a, b = candidates
        if a == b:
            return [a]
        if not (a.end > b.start and a.start < b.end):
            return [a, b] if a < b else [b, a]  # both kept, in text order
        return [a if _overlap_order(a) < _overlap_order(b) else b]  # the first wins
    ordered = sorted(set(candidates), key=_overlap_order)
    kept: list[Span] = []
    for cand in ordered:
        start, end = cand.start, cand.end
        for k in kept:
            if end > k.start and start < k.end:
                break  # overlaps a kept one
        else:
            kept.append(cand)
    kept.sort()
    return kept


def _overlap_order(c: Span) -> tuple[int, int, int, int, str]:
    """Longest first, then by kind, then leftmost (then by rule and note: a total order).

    The note makes the order total: two spans that differ only in the grammar's note
    were once ordered by set iteration, which depends on the string hash of the process
    (``PYTHONHASHSEED``), so the same text could keep a different note in another worker.
    """
    return (c.start - c.end, c.kind, c.start, c.rule, c.note)


class Hit(NamedTuple):
    """A rule that fired on one field value.

    Parameters
    ----------
    rule : int
        Index of the rule in the compiled rule set.
    field : str
        Field that was read.
    text : str
        The evidence: matched (normalised) text, MC name or article reference.
    note : str
        For a grammar phrase, the steps that decided (``"relative of the ex-partner"``).
    """

    rule: int
    field: str
    text: str
    note: str = ""


#: ``Hit`` from a tuple of all four fields, built in C (as :data:`new_span`).
new_hit: Callable[[tuple[int, str, str, str]], Hit] = partial(  # type: ignore[assignment]
    tuple.__new__, Hit)


def term_pattern(normalized_term: str, match: str) -> str:
    """Turn one normalised term into a regular expression.

    Parameters
    ----------
    normalized_term : str
        Term after text normalisation, or ``"re:<pattern>"`` for a raw expression.
    match : {"word", "prefix", "substring"}
        Boundary mode.

    Returns
    -------
    str
        Pattern text. Hyphens match a hyphen, a space or nothing (``ex-partner``
        matches ``ex partner`` and ``expartner``); a trailing ``*`` lets the word
        continue (``dochter*`` matches ``dochtertje``).
    """
    if normalized_term.startswith("re:"):
        body = f"(?:{normalized_term[3:].strip()})"
    else:
        body = "".join(_literal_tokens(normalized_term.rstrip("*")))
        if normalized_term.endswith("*"):
            body += r"\w*"
    if match == "word":
        return f"{_START}{body}{_END}"
    if match == "prefix":
        return f"{_START}{body}"
    return body


def term_tokens(normalized_term: str, match: str) -> list[str] | None:
    r"""Split the pattern of one literal term into tokens that each match at most one character.

    Parameters
    ----------
    normalized_term : str
        Term after text normalisation.
    match : {"word", "prefix", "substring"}
        Boundary mode.

    Returns
    -------
    list of str or None
        The start anchor (if any), one token per character of the term (a literal, a
        hyphen's ``[-\s+]?`` or a space's ``\s+``) and the end anchor (if any), so that
        ``"".join(tokens) == term_pattern(normalized_term, match)``; None for a raw
        expression (``re:``) or a wildcard term, whose match length is not bounded.
    """
    if normalized_term.startswith("re:") or normalized_term.endswith("*"):
        return None
    return ([_START] if match in ("word", "prefix") else []) + _literal_tokens(
        normalized_term) + ([_END] if match == "word" else [])


#: Pattern of the characters of a literal term that are not matched as themselves: a
#: hyphen matches a hyphen, whitespace or nothing (the class keeps the historical "+"),
#: a space any whitespace run.
_LITERAL_SPECIAL = {"-": r"[-\s+]?", " ": r"\s+"}


def _literal_tokens(words: str) -> list[str]:
    """One pattern token per character of a literal term (the body of :func:`term_pattern`)."""
    return [_LITERAL_SPECIAL.get(ch) or regex.escape(ch) for ch in words.strip()]


def _trie_pattern(paths: list[list[str]]) -> str:
    """One regular expression for the union of token paths, common prefixes shared.

    Matches the same strings as the plain alternation of the paths (only the order in
    which alternatives are tried differs), so at any position it matches iff one of
    them does; sharing prefixes makes the failing positions, most of them, cheap.
    """
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for path in paths:
        node = root
        for token in path:
            node = node.setdefault(token, {})
        node[""] = {}  # end of a path

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        alternatives = [token + emit(child) for token, child in node.items() if token]
        if "" in node:
            alternatives.append("")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return emit(root)


#: Cached POSIX results per text window are dropped when this many are held.
SCAN_MEMO_SIZE = 1 << 16
#: Two whitespace characters in a row: a term's ``\s+`` may then match more than one
#: character, so the scan does not use its window memo on such a text.
_WHITESPACE_RUN = regex.compile(r"\s\s")


def _has_whitespace_run(text: str) -> bool:
    """Whether :data:`_WHITESPACE_RUN` occurs in ``text``.

    In printable ASCII text the only whitespace character is the space, so a run is two
    spaces (a substring test); other text asks the expression.
    """
    if text.isascii() and text.isprintable():
        return "  " in text
    return _WHITESPACE_RUN.search(text) is not None


@dataclass(frozen=True)
class ScanMemo:
    """Longest-term results per text window, for rule sets whose terms are all literal.

    Every token of a literal term matches at most one character (given no whitespace
    run), so the POSIX match at a start position ``p`` reads only the text from ``p - 1``
    (the start anchor's look-behind) to ``p`` + the longest term that can start there +
    2 (the end anchor's look-ahead). The longest term that can start there is looked up
    by the two characters at ``p`` (``bounds``; terms whose first two tokens are not
    both literal count for every start, ``default``). The same window (and whether
    ``p`` is the start of the text) gives the same match, so it is computed once.

    Attributes
    ----------
    bounds : dict of str to int
        Two characters -> the most characters a term starting with them matches.
    default : int
        The bound for any other start.
    results : dict
        ``(p == 0, window) -> (match length, rule index)``.
    """

    bounds: dict[str, int]
    default: int
    results: dict[tuple[bool, str], tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AsciiStarts:
    r"""The term start positions of an ASCII text (the prefilter of :meth:`CompiledRules.scan`).

    Attributes
    ----------
    pattern : re.Pattern
        The lookahead of the literal terms' trie (``boundary`` False), or a non-word
        character followed by that lookahead (``boundary`` True).
    boundary : bool
        Whether every term starts with the start anchor ``(?<!\w)``: a term then starts
        only at the text's start or after a non-word character, and ``pattern`` runs
        on ``" " + text``, so that the search skips the word characters in C and tries
        the trie only after a non-word character (the added space stands for the
        start of the text, which the anchor reads alike). Each match is that
        character, one before the term start in ``text``.
    """

    pattern: re.Pattern[str]
    boundary: bool

    def __call__(self, text: str) -> list[int]:
        """Return the positions in ``text`` where some term matches, in order."""
        if self.boundary:
            return [m.start() for m in self.pattern.finditer(" " + text)]
        return [m.start() for m in self.pattern.finditer(text)]


@dataclass(frozen=True)
class CompiledRules:
    """Matchers for one rule set.

    Use :func:`compile_rules` to build (it caches by rule-set hash).
    """

    ruleset: RuleSet
    normalizer: TextNormalizer
    term_regex: regex.Pattern[str] | None
    group_rule: dict[str, int]
    prefilter: regex.Pattern[str] | None
    scan_regex: regex.Pattern[str] | None
    scan_rule: dict[str, int]
    mc_index: dict[str, tuple[int, ...]]
    article_rules: tuple[tuple[int, ArticleRef], ...]
    vetoes: dict[int, frozenset[int]]
    rule_kinds: tuple[int, ...]
    all_rules: tuple[Rule, ...] = ()
    grammar: CompiledGrammar | None = None
    grammar_offset: int = 0
    possessive: PossessivePhrases | None = None
    #: Window memo of :meth:`scan` (None unless every term is literal).
    scan_memo: ScanMemo | None = field(default=None, compare=False, repr=False)
    #: The prefilter for ASCII texts (None unless every term is literal): see
    #: :func:`_ascii_starts`.
    ascii_starts: AsciiStarts | None = field(default=None, compare=False, repr=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, indexed as in :attr:`Hit.rule`: the rule set's, then the grammar's."""
        return self.all_rules or self.ruleset.rules

    def normalize_qualification(self, text: str) -> str:
        """Normalise a qualification text as the matchers expect it."""
        return self.normalizer(text)

    def scan(self, normalized: str) -> list[Span]:
        """Return every term candidate on one normalised text (overlapping ones too).

        Parameters
        ----------
        normalized : str
            Text as returned by :meth:`normalize_qualification`.

        Returns
        -------
        list of Span
            Candidates; exclusion terms have kind ``KIND_TRAP``, others ``KIND_TERM``.
        """
        if not normalized or self.prefilter is None or self.scan_regex is None:
            return []
        # The group-free prefilter finds the start positions where some term matches
        # (the same alternatives as ``scan_regex``); only there does the POSIX
        # (leftmost-longest) match run, once per start, one named group per rule. Same
        # spans as ``scan_regex.finditer(overlapped=True)``, about twice as fast: the
        # POSIX attempt is the expensive one and most positions start no term.
        # With literal terms only, the POSIX result at a start depends on a short text
        # window (:class:`ScanMemo`): texts share their relationship phrases, so most
        # starts are looked up instead of matched.
        kinds = self.rule_kinds
        scan = self.scan_regex
        memo = self.scan_memo
        if memo is not None and _has_whitespace_run(normalized):
            memo = None  # "\s+" may match a run: windows do not bound the match
        out = []
        starts: Iterable[int] = (
            (m.start() for m in self.prefilter.finditer(normalized, overlapped=True,
                                                        timeout=MATCH_TIMEOUT))
            if self.ascii_starts is None or not normalized.isascii()
            else self.ascii_starts(normalized))
        for p in starts:
            if memo is not None:
                bound = memo.bounds.get(normalized[p:p + 2], memo.default)
                key = (p == 0, normalized[p - 1 if p else 0:p + bound + 2])
                found = memo.results.get(key)
                if found is not None:
                    out.append(new_span((p, p + found[0], found[1], kinds[found[1]], "")))
                    continue
            m = scan.match(normalized, p, timeout=MATCH_TIMEOUT)
            if m is None:  # pragma: no cover - same alternatives as the prefilter
                continue
            assert m.lastgroup is not None  # one named group per rule, nothing outside them
            rule = self.scan_rule[m.lastgroup]
            out.append(Span(m.start(), m.end(), rule, kinds[rule]))
            if memo is not None:
                remember(memo.results, key, (m.end() - p, rule), SCAN_MEMO_SIZE)
        return out

    def resolve(self, normalized: str, candidates: list[Span]) -> list[Span]:
        """Resolve overlapping candidates, then apply the relationship grammar.

        The grammar reads the phrases of the surviving relationship spans (whose
        relative the victim is) and adds one candidate per decided phrase; those are
        resolved with the same :func:`resolve_overlaps`, so a phrase masks the words
        inside it. Register and text mode both call this.

        Parameters
        ----------
        normalized : str
            The normalised text.
        candidates : list of Span
            All candidates (overlapping ones too).

        Returns
        -------
        list of Span
            The winners, in text order.
        """
        kept = resolve_overlaps(candidates)
        grammar = self.grammar
        if grammar is None:
            return kept
        rules = self.rules
        relations = [(s.start, s.end, rules[s.rule].label) for s in kept
                     if rules[s.rule].label in RELATIONS]
        # without a relationship term a partner noun may still head a chain:
        # "de vrouw van het slachtoffer", "de vrouw van verdachte"
        chains = grammar.apply(normalized, relations)
        if not chains:
            return kept
        offset = self.grammar_offset
        extra = [Span(c.start, c.end, offset + c.rule, KIND_GRAMMAR,
                      f"{rules[offset + c.rule].label} ({grammar.notes(c)})") for c in chains]
        return resolve_overlaps(kept + extra)

    def hits(self, normalized: str, spans: Sequence[Span], field: str) -> tuple[Hit, ...]:
        """Turn resolved spans into hits whose evidence is the matched text."""
        return tuple([new_hit((s.rule, field, normalized[s.start:s.end], s.note))
                      for s in spans])

    def match_qualification(self, normalized: str,
                            field: str = "qualification") -> tuple[Hit, ...]:
        """Return the hits of qualification rules on one normalised text.

        Parameters
        ----------
        normalized : str
            Text as returned by :meth:`normalize_qualification`.
        field : str, default "qualification"
            Field name recorded in the hits (``"text"`` in free-text mode).

        Returns
        -------
        tuple of Hit
            The hits that survive overlap resolution, in text order.
        """
        spans = self.scan(normalized)
        spans += self.possessive_spans(normalized, spans)
        if not spans and self.grammar is None:
            return ()
        return self.hits(normalized, self.resolve(normalized, spans), field)

    def possessive_spans(self, normalized: str, candidates: list[Span]) -> list[Span]:
        """Possessive-phrase candidates of the grammar (``zijn vijf maanden oude baby``).

        Register and text mode both add these before :meth:`resolve`
        (:mod:`pv_identify.rules.possessive`); rule sets without a grammar have none.

        Parameters
        ----------
        normalized : str
            The normalised text.
        candidates : list of Span
            The candidates found so far; term candidates are extended.

        Returns
        -------
        list of Span
            New candidates of kind ``KIND_POSSESSIVE``.
        """
        if self.possessive is None:
            return []
        terms = [(c.start, c.end, c.rule) for c in candidates if c.kind == KIND_TERM]
        return [Span(a, b, rule, KIND_POSSESSIVE)
                for a, b, rule in self.possessive.candidates(normalized, terms)]

    def split_mc(self, value: str) -> tuple[str, ...]:
        """Split and normalise one MC cell with the rule set's delimiters and codes."""
        return split_mc(value, self.ruleset.mc_delimiters, self.ruleset.mc_codes)

    def match_mc(self, names: tuple[str, ...]) -> tuple[Hit, ...]:
        """Return the hits of MC rules on the normalised MC names of one offence."""
        hits = []
        for name in names:
            for index in self.mc_index.get(name, ()):
                hits.append(Hit(index, "mc", name))
        return tuple(hits)

    def match_articles(self, refs: tuple[ArticleRef, ...]) -> tuple[Hit, ...]:
        """Return the hits of article rules on the parsed articles of one offence."""
        hits = []
        for ref in refs:
            for index, rule_ref in self.article_rules:
                if rule_ref.covers(ref):
                    hits.append(Hit(index, "article", str(ref)))
        return tuple(hits)


def _compile(ruleset: RuleSet) -> CompiledRules:
    normalizer = TextNormalizer(ruleset.abbreviations, case_sensitive=ruleset.case_sensitive)
    term_only = TextNormalizer(case_sensitive=ruleset.case_sensitive)
    alternatives: list[tuple[int, str, str]] = []  # (length, group, pattern)
    group_rule: dict[str, int] = {}
    by_rule: dict[int, list[tuple[int, str]]] = {}
    literal: list[tuple[str, list[str]]] | None = []  # (term, tokens) while all are literal
    mc_index: dict[str, list[int]] = {}
    article_rules: list[tuple[int, ArticleRef]] = []
    for index, rule in enumerate(ruleset.rules):
        if rule.field == "qualification":
            for t_index, term in enumerate(rule.terms):
                if term.text.startswith("re:"):
                    norm = term.text
                else:
                    norm = term_only(term.text.rstrip("*")) + ("*" if term.text.endswith("*")
                                                               else "")
                group = f"r{index}_{t_index}"
                group_rule[group] = index
                length = len(norm) - (1 if norm.endswith("*") else 0)
                pattern = term_pattern(norm, rule.match)
                alternatives.append((length, group, pattern))
                tokens = term_tokens(norm, rule.match)
                if tokens is None:
                    literal = None  # a raw expression or wildcard: no trie, no memo
                elif literal is not None:
                    literal.append((norm.strip(), tokens))
                by_rule.setdefault(index, []).append((length, pattern))
        elif rule.field == "mc":
            for value in rule.values:
                mc_index.setdefault(normalize_mc_name(value.text), []).append(index)
        else:
            for article in rule.articles:
                article_rules.append((index, ArticleRef.parse(article.text)))
    alternatives.sort(key=lambda a: -a[0])
    term_regex = prefilter = scan_regex = None
    if alternatives:
        # Texts and terms are normalised alike (case folded unless case-sensitive), so no
        # IGNORECASE. Three patterns: ``term_regex`` names every term (for lint and
        # attribution; slow with hundreds of groups), ``prefilter`` has no groups (fast
        # "is any term here?"), ``scan_regex`` has one group per rule and POSIX
        # leftmost-longest matching, so each start position yields its longest term.
        term_regex = regex.compile("|".join(f"(?P<{g}>{p})" for _, g, p in alternatives))
        # with literal terms only, the prefilter is their trie: the same language, and
        # a position where no term starts fails after a character or two
        prefilter = regex.compile(
            _trie_pattern([tokens for _, tokens in literal]) if literal
            else "|".join(f"(?:{p})" for _, _, p in alternatives))
        scan_regex = regex.compile("(?p)" + "|".join(
            f"(?P<r{i}>{'|'.join(p for _, p in sorted(alts, key=lambda a: -a[0]))})"
            for i, alts in by_rule.items()))
    by_name: dict[str, set[int]] = {}
    for index, rule in enumerate(ruleset.rules):
        by_name.setdefault(rule.id, set()).add(index)
        by_name.setdefault(rule.group, set()).add(index)
    vetoes = {
        index: frozenset(i for name in rule.vetoes for i in by_name.get(name, ()))
        for index, rule in enumerate(ruleset.rules)
        if rule.label == NONE and rule.vetoes
    }
    grammar_rules = _grammar_rules(ruleset.grammar) if ruleset.grammar is not None else ()
    all_rules = ruleset.rules + grammar_rules
    grammar = CompiledGrammar(ruleset.grammar) if ruleset.grammar is not None else None
    possessive = None
    if grammar is not None:
        possessive = PossessivePhrases(ruleset.rules, relation_nouns(ruleset.rules, term_only),
                                       grammar.phrase_possessives, grammar.is_modifier,
                                       grammar.grammar.max_modifiers)
    return CompiledRules(
        ruleset=ruleset,
        normalizer=normalizer,
        term_regex=term_regex,
        group_rule=group_rule,
        prefilter=prefilter,
        scan_regex=scan_regex,
        scan_rule={f"r{i}": i for i in by_rule},
        mc_index={k: tuple(v) for k, v in mc_index.items()},
        article_rules=tuple(article_rules),
        vetoes=vetoes,
        rule_kinds=tuple(KIND_TRAP if r.label == NONE else KIND_TERM for r in ruleset.rules)
        + (KIND_GRAMMAR,) * len(grammar_rules),
        all_rules=all_rules,
        grammar=grammar,
        grammar_offset=len(ruleset.rules),
        possessive=possessive,
        scan_memo=_scan_memo(literal) if literal else None,
        ascii_starts=_ascii_starts(literal) if literal else None,
    )


def _ascii_starts(literal: list[tuple[str, list[str]]]) -> AsciiStarts | None:
    r"""Return the prefilter of start positions on ASCII text, for the standard ``re``.

    A lookahead of the same trie, with the ``ASCII`` flag: its (empty) matches are the
    positions where some term matches, the starts that ``prefilter.finditer(...,
    overlapped=True)`` finds, several times faster. On ASCII text both engines read the
    trie alike: a literal term has no other construct than escaped characters, the
    anchors' ``\w`` and the hyphen's and space's ``\s`` (ASCII ``\w`` is
    ``[A-Za-z0-9_]`` and ASCII ``\s`` is ``[ \t\n\r\f\v]`` in both). Literal terms
    cannot backtrack badly, so no timeout is needed. When every term starts with the
    start anchor (word and prefix terms), the lookahead is tried only after a non-word
    character (:class:`AsciiStarts`). None if ``re`` rejects the pattern.
    """
    paths = [tokens for _, tokens in literal]
    boundary = all(tokens and tokens[0] == _START for tokens in paths)
    try:
        lookahead = f"(?={_trie_pattern(paths)})"
        return AsciiStarts(re.compile(r"[^\w]" + lookahead if boundary else lookahead,
                                      re.ASCII), boundary)
    except re.error:  # pragma: no cover - an escape only the regex module knows
        return None


def _scan_memo(literal: list[tuple[str, list[str]]]) -> ScanMemo:
    """Return the empty window memo of literal terms (see :class:`ScanMemo`)."""
    bounds: dict[str, int] = {}
    default = 0
    for term, _ in literal:
        if len(term) >= 2 and not {term[0], term[1]} & {"-", " "}:
            bounds[term[:2]] = max(bounds.get(term[:2], 0), len(term))
        else:  # may start at any two characters ("-" matches "", " " or "-")
            default = max(default, len(term))
    return ScanMemo({k: max(v, default) for k, v in bounds.items()}, default)


def _grammar_rules(grammar: Grammar) -> tuple[Rule, ...]:
    """Return the grammar's rules as :class:`Rule` objects (hits, decisions and ids use them)."""
    return tuple(Rule(id=g.id, field="qualification", label=g.label, rationale=g.rationale,
                      group=GRAMMAR_GROUP, priority=g.priority,
                      source=f"relationship grammar {grammar.name}", file=g.file, line=g.line)
                 for g in grammar.rules)


_CACHE = LRUCache(16)


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Compile a rule set (cached, so repeated calls and chunks share the work).

    Parameters
    ----------
    ruleset : RuleSet
        A validated rule set.

    Returns
    -------
    CompiledRules
        The matchers.
    """
    key = ruleset.hash
    return _CACHE.get_or_create(key, lambda: _compile(ruleset))
