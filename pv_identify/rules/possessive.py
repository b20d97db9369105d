"""Possessive phrases: a relationship term read with its possessive and modifiers.

``zijn (toenmalige) echtgenote`` and ``zijn vijf maanden oude baby`` name the victim with
a possessive, modifiers and a relationship word. Two things follow from the tokens of
the normalised text, and both are done here, once, for register and text mode:

* a relationship term preceded by ``POSSESSIVE MODIFIER*`` becomes one longer candidate
  of the same rule (the evidence is the whole phrase, and the phrase masks the words
  inside it);
* a term that has its possessive built in (``zijn baby``, ``haar mama``) also matches
  with modifiers between the possessive and the rest (``zijn oude baby``).

With a relationship grammar (the ``default`` preset) the possessive and modifier words
are the grammar's (``rules/grammar/default.yaml``) and the step belongs to the compiled
rule set, so a qualification and the same words in free text get the same candidates;
without one (``wodc2022``), free text uses the text rules' word sets and the register
has no possessive step (the published rule is literal).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from pv_identify.rules.ruleset import Rule
from pv_identify.schema import NONE


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


def relation_nouns(rules: Sequence[Rule], normalize: Callable[[str], str]
                   ) -> dict[int, tuple[set[str], dict[str, set[tuple[str, ...]]]]]:
    """Per relationship rule: its single-word terms, and multi-word terms by first word.

    Parameters
    ----------
    rules : sequence of Rule
        Rules, indexed as in the candidates.
    normalize : callable
        The term normaliser (the rule set's, without abbreviations).

    Returns
    -------
    dict
        Rule index -> (single words, {first word: set of the remaining words}).
    """
    out: dict[int, tuple[set[str], dict[str, set[tuple[str, ...]]]]] = {}
    for index, rule in enumerate(rules):
        if rule.field != "qualification" or rule.label == NONE:
            continue
        single: set[str] = set()
        multi: dict[str, set[tuple[str, ...]]] = {}
        for term in rule.terms:
            if term.text.startswith("re:") or term.text.endswith("*"):
                continue
            for variant in hyphen_variants(normalize(term.text)):
                words = tuple(normalize(variant).split())
                if len(words) == 1:
                    single.add(words[0])
                elif words:
                    multi.setdefault(words[0], set()).add(words[1:])
        out[index] = (single, multi)
    return out


class PossessivePhrases:
    """Possessive-phrase candidates for one set of rules and word sets.

    Parameters
    ----------
    rules : sequence of Rule
        The rules whose terms are extended (indices as in the candidates).
    nouns : dict
        :func:`relation_nouns` of those rules.
    possessives : iterable of str
        Possessive words (``zijn``, ``haar``).
    is_modifier : callable
        Whether a token may stand between the possessive and the noun.
    max_modifiers : int
        At most this many modifiers.
    """

    def __init__(self, rules: Sequence[Rule],
                 nouns: dict[int, tuple[set[str], dict[str, set[tuple[str, ...]]]]],
                 possessives: Iterable[str], is_modifier: Callable[[str], bool],
                 max_modifiers: int) -> None:
        self.rules = tuple(rules)
        self.possessives = frozenset(possessives)
        self.is_modifier = is_modifier
        self.max_modifiers = max_modifiers
        #: (possessive, rest of the term) -> rule, for terms such as "zijn vriendin".
        self.possessive_terms: dict[str, dict[tuple[str, ...], int]] = {}
        for index, (_single, multi) in sorted(nouns.items()):
            for first, rests in multi.items():
                if first in self.possessives:
                    table = self.possessive_terms.setdefault(first, {})
                    for rest in sorted(rests):
                        table.setdefault(rest, index)
        self.max_rest = max((len(r) for t in self.possessive_terms.values() for r in t),
                            default=0)

    def token_candidates(self, norms: list[str], terms: list[tuple[int, int, int]]
                         ) -> list[tuple[int, int, int]]:
        """Extend relationship terms to ``POSSESSIVE MODIFIER* term`` token spans.

        Parameters
        ----------
        norms : list of str
            The tokens of the normalised text.
        terms : list of (start, end, rule)
            Term candidates as token spans.

        Returns
        -------
        list of (start, end, rule)
            Possessive-phrase candidates as token spans.
        """
        out: list[tuple[int, int, int]] = []
        starts: dict[int, list[tuple[int, int]]] = {}
        rules = self.rules
        for start, end, rule in terms:
            if rule < len(rules) and rules[rule].label != NONE:
                starts.setdefault(start, []).append((end, rule))
        n = len(norms)
        max_mod = self.max_modifiers
        possessives = self.possessives
        for i in [i for i, norm in enumerate(norms) if norm in possessives]:
            norm = norms[i]
            k = i + 1
            while k < n and k - i - 1 < max_mod and self.is_modifier(norms[k]):
                # a term may itself start with a modifier word ("eigen"): try both
                if k in starts:
                    out.extend((i, end, rule) for end, rule in starts[k])
                k += 1
            if k in starts:
                out.extend((i, end, rule) for end, rule in starts[k])
            if k > i + 1:
                table = self.possessive_terms.get(norm)
                if table:
                    for length in range(1, min(self.max_rest, n - k) + 1):
                        found = table.get(tuple(norms[k:k + length]))
                        if found is not None:
                            out.append((i, k + length, found))
        return out

    def candidates(self, normalized: str, terms: Iterable[tuple[int, int, int]]
                   ) -> list[tuple[int, int, int]]:
        """Possessive-phrase candidates on one normalised text, as character spans.

        Parameters
        ----------
        normalized : str
            The normalised text (tokens separated by one space).
        terms : iterable of (start, end, rule)
            Character spans of the term candidates found so far (not traps, patterns).

        Returns
        -------
        list of (start, end, rule)
            Character offsets in ``normalized`` and the rule of each new candidate.
        """
        if not normalized:
            return []
        norms = normalized.split(" ")
        if self.possessives.isdisjoint(norms):
            return []
        starts = [0]
        for norm in norms[:-1]:
            starts.append(starts[-1] + len(norm) + 1)
        ends = [s + len(t) for s, t in zip(starts, norms, strict=True)]
        token_at = {s: i for i, s in enumerate(starts)}
        token_terms = []
        for start, end, rule in terms:
            if start in token_at:
                last = bisect_right(starts, end - 1) - 1
                if ends[last] == end:
                    token_terms.append((token_at[start], last + 1, rule))
        return [(starts[a], ends[b - 1], rule)
                for a, b, rule in self.token_candidates(norms, token_terms)]
