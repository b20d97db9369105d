"""Token patterns of the text rules: compiled elements, pattern groups and their index.

A text rule's pattern (``@parent_noun van @possessive_any @modifier{0,4} @label:child``)
is compiled into a tuple of :class:`Element` s, each a predicate on one token with a
repeat range. A :class:`Patterns` group finds the patterns a text can match from its
*key words* (the words of the patterns' required word sets), or, once bound to a
:class:`KeyBits`, from one integer per text that tells which required sets the text's
words meet; :func:`find_patterns` then walks each candidate from its possible starts.
The matcher (:mod:`pv_identify.text.matcher`) builds the groups from the rules and
decides on what they find.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from pv_identify.lru import remember

#: Seconds a token regular expression may run on one token.
REGEX_TIMEOUT = 1.0
_UNBOUNDED = 10_000
#: Tokens whose expression results one element keeps (then cleared).
_SEEN_SIZE = 1 << 16
#: Pattern lists per set of key words (or met bits) a group keeps (then cleared).
_CHOSEN_SIZE = 4096


class Element:
    """A compiled token element: a predicate on one token norm and a repeat range.

    Parameters
    ----------
    words : frozenset of str or None
        Tokens accepted as they are (``None``: any token).
    regexes : tuple of compiled expressions
        Further tokens accepted when one of these finds a match in them.
    low, high : int
        How many tokens in a row the element takes.
    negate : bool, default False
        Accept the tokens the words and expressions do *not* accept (``!@set``).
    """

    __slots__ = ("_seen", "high", "low", "negate", "once", "plain", "regexes", "words")

    def __init__(self, words: frozenset[str] | None, regexes: tuple[Any, ...],
                 low: int, high: int, negate: bool = False) -> None:
        self.words = words          # None: any token
        self.regexes = regexes
        self.low = low
        self.high = high
        self.negate = negate and words is not None
        #: A word set without expressions: ``accepts`` is ``norm in words``.
        self.plain = words is not None and not regexes and not self.negate
        #: Exactly one token (no repeat operator): from one position, at most one end.
        self.once = low == 1 and high == 1
        #: Tokens the expressions were tried on -> the answer (texts share their words).
        self._seen: dict[str, bool] = {}

    def accepts(self, norm: str) -> bool:
        """Whether the token ``norm`` is accepted (expression answers are remembered)."""
        if self.words is None:
            return True
        return self._listed(norm) != self.negate

    def _listed(self, norm: str) -> bool:
        """Whether ``norm`` is one of the words or matches one of the expressions."""
        assert self.words is not None
        if norm in self.words:
            return True
        if not self.regexes:
            return False
        known = self._seen.get(norm)
        if known is None:
            known = any(r.search(norm, timeout=REGEX_TIMEOUT) for r in self.regexes)
            remember(self._seen, norm, known, _SEEN_SIZE)
        return known


#: One token pattern: (rule index, span kind, elements, required word sets, smallest first).
Pattern = tuple[int, int, tuple[Element, ...], tuple[frozenset[str], ...]]


class Patterns(list[Pattern]):
    """Token patterns, with the ones a text can match looked up by its key words.

    A pattern can only match a text that holds a word of each of its required sets.
    :meth:`candidates` returns, in list order, the patterns all of whose required sets
    meet the text's words (those without a required set included), so a text is tested
    against a handful of patterns instead of all of them. Whether a required set meets
    the text depends only on the text's *key words* (the words of any required set), and
    texts share those few words: the list is computed once per set of key words.
    """

    _keys: frozenset[str] = frozenset()
    _always_patterns: list[Pattern]
    _chosen: dict[frozenset[str], list[Pattern]]
    _indexed: int = -1
    #: ``id`` of the element tuples of one token each (no repeat operator): such a
    #: pattern matches from a start along one path, to one end.
    fixed: frozenset[int] = frozenset()
    #: :meth:`bind`: per pattern, the bits of its required sets in a :class:`KeyBits`;
    #: the bits of all of them; the lists per met bits; the length when bound.
    _masks: list[int]
    _group_bits: int = 0
    _by_bits: dict[int, list[Pattern]]
    _bound: int = -1

    def _index(self) -> None:
        """Build the lazy index (again if patterns were added)."""
        if self._indexed != len(self):
            self._always_patterns = [p for p in self if not p[3]]
            self._chosen = {}
            self._keys = frozenset(w for p in self for words in p[3] for w in words)
            self.fixed = frozenset(id(p[2]) for p in self
                                   if p[2] and all(e.once for e in p[2]))
            self._indexed = len(self)

    def bind(self, set_bits: dict[frozenset[str], int]) -> None:
        """Give each required set a bit of ``set_bits`` (shared by the groups of a matcher).

        Afterwards :meth:`chosen` looks the candidates up by a text's met bits
        (:meth:`KeyBits.bits`), one integer for all groups.
        """
        self._index()
        masks = []
        for p in self:
            mask = 0
            for words in p[3]:
                mask |= set_bits.setdefault(words, 1 << len(set_bits))
            masks.append(mask)
        self._masks = masks
        self._group_bits = 0
        for mask in masks:
            self._group_bits |= mask
        self._by_bits = {}
        self._bound = len(self)

    def chosen(self, bits: int, present: Collection[str]) -> list[Pattern]:
        """Return :meth:`candidates` of ``present``, looked up by its met ``bits``.

        ``bits`` are the bits of the required sets ``present`` meets, from the
        :class:`KeyBits` this group was bound to; a pattern is a candidate when all of
        its sets' bits are set. A group changed since :meth:`bind` asks
        :meth:`candidates`.
        """
        if self._bound != len(self):
            return self.candidates(present)
        key = bits & self._group_bits
        found = self._by_bits.get(key)
        if found is None:
            found = [p for p, mask in zip(self, self._masks, strict=True) if key & mask == mask]
            remember(self._by_bits, key, found, _CHOSEN_SIZE)
        return found

    def candidates(self, present: Collection[str]) -> list[Pattern]:
        """Return the patterns whose required sets all meet the words ``present`` (list order)."""
        if self._indexed != len(self):  # built lazily; rebuilt if patterns were added
            self._index()
        key = self._keys.intersection(present)  # in C (a frozenset): few words remain
        if not key:  # most texts and lists: no key word at all,
            return self._always_patterns  # only the patterns without a required set
        found = self._chosen.get(key)
        if found is None:
            found = [p for p in self if all(not key.isdisjoint(w) for w in p[3])]
            remember(self._chosen, key, found, _CHOSEN_SIZE)
        return found


class KeyBits:
    """The required word sets of a matcher's pattern groups, one bit each.

    :meth:`bits` tells, in one integer per text, which of the sets the text's words
    meet; each group (:meth:`Patterns.chosen`) looks its candidates up by the bits of
    its own sets, instead of intersecting the text's words with its key words. Further
    word sets (``sets``) get a bit too (:meth:`bit`).
    """

    def __init__(self, groups: Iterable[Patterns],
                 sets: Iterable[frozenset[str]] = ()) -> None:
        set_bits: dict[frozenset[str], int] = {}
        for group in groups:
            group.bind(set_bits)
        for words in sets:  # further word sets a matcher asks about (:meth:`bit`)
            set_bits.setdefault(words, 1 << len(set_bits))
        self._set_bits = set_bits
        word_bits: dict[str, int] = {}
        for words, bit in set_bits.items():
            for word in words:
                word_bits[word] = word_bits.get(word, 0) | bit
        self._word_bits = word_bits
        self._words = frozenset(word_bits)

    def bits(self, present: Iterable[str]) -> int:
        """Return the bits of the required sets that the words ``present`` meet."""
        word_bits = self._word_bits
        bits = 0
        for word in self._words.intersection(present):
            bits |= word_bits[word]
        return bits

    def bit(self, words: frozenset[str]) -> int:
        """Return the bit of a word set given at construction (0 for an empty set).

        ``bits(present) & bit(words)`` tells whether ``present`` holds one of ``words``.
        """
        return self._set_bits[words] if words else 0


def repeat_range(op: str | None) -> tuple[int, int]:
    """Return the (low, high) repeat range of an operator: none, ``?``, ``*``, ``+``, ``{n,m}``."""
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    low, _, high = op[1:-1].partition(",")
    return int(low), int(high) if high else int(low)


def pattern_ends(norms: list[str], start: int, elements: tuple[Element, ...]) -> set[int]:
    """Return the end positions of ``elements`` matched from token ``start`` (all paths)."""
    n = len(norms)
    # while one position is reached and elements take one token each, the walk is
    # linear: the same positions as the set walk below, without building sets
    pos = start
    k = 0
    for element in elements:
        if not element.once:
            break
        words = element.words
        if pos >= n or not (norms[pos] in words if element.plain and words is not None
                            else element.accepts(norms[pos])):
            return set()
        pos += 1
        k += 1
    positions = {pos}
    for element in elements[k:]:
        low, high = element.low, element.high
        words = element.words if element.plain else None
        reached: set[int] = set()
        for pos in positions:
            if low == 0:
                reached.add(pos)
            p, count = pos, 0
            while count < high and p < n and (
                    norms[p] in words if words is not None else element.accepts(norms[p])):
                p += 1
                count += 1
                if count >= low:
                    reached.add(p)
        if not reached:
            return reached
        positions = reached
    return positions

def find_patterns(norms: list[str], group: Patterns,
                  present: Collection[str] | None = None, bits: int | None = None,
                  ) -> list[tuple[int, int, int, int]]:
    """Return the token spans ``(start, end, rule, kind)`` of the patterns of ``group``.

    Parameters
    ----------
    norms : list of str
        The tokens of the normalised text.
    group : Patterns
        The pattern group.
    present : collection of str, optional
        The words of ``norms`` (the tokens themselves by default).
    bits : int, optional
        Their :meth:`KeyBits.bits` (``group`` must then be bound to that
        :class:`KeyBits`); without them the group looks its candidates up by the
        words ``present``.

    Returns
    -------
    list of tuple
        For each candidate pattern in group order and each start, every end it
        reaches: ``(start, end, rule, kind)`` with ``end > start``.
    """
    if present is None:
        present = norms
    chosen = group.candidates(present) if bits is None else group.chosen(bits, present)
    if not chosen:
        return []  # no pattern can match (most groups on most texts)
    fixed = group.fixed
    n = len(norms)
    out = []
    for rule, kind, elements, _required in chosen:
        first = elements[0]
        if first.low == 0:
            starts: Iterable[int] = range(len(norms))
        elif first.plain:
            words = first.words
            assert words is not None
            starts = [i for i, norm in enumerate(norms) if norm in words]
        else:
            starts = [i for i, norm in enumerate(norms) if first.accepts(norm)]
        if id(elements) in fixed:  # one token per element: the walk inline, one end
            for start in starts:
                pos = start
                for element in elements:
                    if pos >= n:
                        break
                    words = element.words
                    if not (norms[pos] in words if element.plain and words is not None
                            else element.accepts(norms[pos])):
                        break
                    pos += 1
                else:
                    out.append((start, pos, rule, kind))
            continue
        for start in starts:
            for end in pattern_ends(norms, start, elements):
                if end > start:
                    out.append((start, end, rule, kind))
    return out
