"""The relationship grammar: whose relative the victim is, read from phrase structure.

A relationship word alone does not say whose relative the victim is: "de dochter van
zijn vriendin" is a stepchild (family), "de vader van zijn ex-partner" is not a relative
of the offender, "de moeder van zijn kind" is a (former) partner. The grammar is data
(``rules/grammar/default.yaml``, reference in ``rules/README.md``): word sets and a
table of **grammar rules**, each with an id, a label and a rationale.

It runs inside :class:`~pv_identify.rules.compiler.CompiledRules` after the term scan,
on the resolved relationship spans of the normalised text, in register and text mode
alike:

* every relationship span gets a *left* context (a possessor such as ``zijn``/``haar``,
  a third-party possessive ``diens``, a genitive name ``harrys``, an indefinite
  ``een``; modifiers such as ``13-jarig`` are skipped) and a *right* link
  (``van`` + determiner + modifiers + another relationship span, the offender
  ``verdachte``, the victim ``slachtoffer``, or somebody else);
* a chain ``R1 van ... R2 van ... Rn`` is evaluated innermost first: the value of a
  span is its relation to the offender; ``compose(relation, of)`` looks the pair up in
  the rule table (``relation``: the outer word's label; ``of``: the inner span's value
  or an anchor such as ``offender``, ``victim``, ``third_party``, ``indefinite``,
  ``unrelated``);
* in "X (name) en haar/zijn Y" a possessive of Y that differs from X's points back at
  X, and Y is composed with X ("zijn ex-vrouw en haar vriend": new partner of the ex);
* a partner noun (``vrouw``, ``vriend``) is read as a partner word before "van"; in a
  text without any relationship term only a spouse word (word set ``spouse_noun``)
  with the victim anchor decides ("de vrouw van het slachtoffer"), or a bare ``ex``
  (``ex_noun``) of a person word ("de ex van de vrouw");
* the outermost span of a chain becomes one candidate covering the whole phrase, with
  the rule's label and a note naming the steps (``parent of ex_partner -> none``); the
  one ``resolve_overlaps`` lets it mask the words inside it.

The relation algebra (the default table, see the file): child of partner -> child
(stepchild); partner of ex_partner -> none (the new partner); parent/child of
ex_partner -> none; parent of child -> partner (co-parent); partner of sibling,
parent of partner, ... -> other_family (in-laws); anything of a stranger -> none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pv_identify.errors import RuleFileError
from pv_identify.lru import remember
from pv_identify.rules.fields import version as version_field
from pv_identify.rules.presets import rules_root
from pv_identify.rules.yamlfile import (
    ITEM_LINES_KEY,
    LINE_KEY,
    META_KEYS,
    key_line,
    read_lines,
    read_yaml,
    referenced_file,
)
from pv_identify.schema import FAMILY_LABELS, LABELS

#: Relationship labels a grammar rule can read (the victim word's label and the value
#: of an inner span).
RELATIONS: tuple[str, ...] = ("partner", "ex_partner", "child", "parent", "other_family")
#: Anchors: what the victim word is linked to, when it is not another relationship.
ANCHORS: tuple[str, ...] = ("offender", "victim", "third_party", "indefinite", "unrelated",
                             "person", "contact", "bystander")
#: Shorthands usable in ``relation`` and ``of``.
ALIASES: dict[str, tuple[str, ...]] = {
    "family": FAMILY_LABELS,
    "partners": ("partner", "ex_partner"),
    "any": RELATIONS,
}
#: Group of the grammar's rules (``disable=["grammar"]`` switches the grammar off).
GRAMMAR_GROUP = "grammar"
#: Word sets the grammar needs.
WORD_SETS: tuple[str, ...] = (
    "possessive", "third_possessive", "determiner", "indefinite", "link", "offender",
    "victim", "stranger", "modifier", "no_link", "genitive_stop", "partner_noun", "person",
    "conjunction", "phrase_possessive", "spouse_noun", "preposition", "ex_noun", "accused",
    "perfect_aux", "passive_aux", "repeat_determiner", "victim_modifier",
    "conjunction_adverb",
)
#: Word sets a grammar file may leave out (empty; ``phrase_possessive`` then = ``possessive``).
OPTIONAL_SETS: frozenset[str] = frozenset({"conjunction", "phrase_possessive", "spouse_noun",
                                           "preposition", "ex_noun", "accused", "perfect_aux",
                                           "passive_aux", "repeat_determiner",
                                           "victim_modifier", "conjunction_adverb"})
TOP_KEYS = {"name", "version", "description", "words", "rules", "settings"}
SETTING_KEYS = {"max_modifiers", "max_chain"}
#: Tokens whose modifier answer a compiled grammar keeps (then forgotten).
_MODIFIER_MEMO_SIZE = 100_000
RULE_KEYS = {"id", "relation", "of", "label", "says", "rationale", "priority", "example",
             "words"}


@dataclass(frozen=True)
class GrammarRule:
    """One entry of the relation table.

    Parameters
    ----------
    id : str
        Stable identifier (``grammar.stepchild``), shown in ``pv_rule_ids``.
    relation : tuple of str
        Labels of the victim word the rule applies to.
    of : tuple of str
        What the word is a relative of: a relation label (the value of the inner
        span) or an anchor (see :data:`ANCHORS`).
    label : str
        The resulting relationship of the victim to the offender (``none``: not a
        relative of the offender).
    says : str
        Short reading shown in the evidence (``"stepchild: child of partner"``).
    rationale : str
        Why.
    priority : int
        Tie-break within a label tier (register terms: 30).
    words : tuple of str
        When given, the rule reads only these victim words (normalised); for the other
        words of the same label the rule without ``words`` decides. "de vriend van zijn
        zus" (a dating word) is no kin, "de man van zijn zus" an in-law.
    file, line : str, int
        Where the rule is written.
    """

    id: str
    relation: tuple[str, ...]
    of: tuple[str, ...]
    label: str
    says: str
    rationale: str
    priority: int = 30
    words: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def content(self) -> dict[str, Any]:
        """Return the rule without its file position (for hashing)."""
        data: dict[str, Any] = {"id": self.id, "relation": list(self.relation),
                                "of": list(self.of), "label": self.label, "says": self.says,
                                "rationale": self.rationale, "priority": self.priority}
        if self.words:  # rules without words hash as before
            data["words"] = list(self.words)
        return data


@dataclass(frozen=True)
class Grammar:
    """A validated relationship grammar (word sets, settings and relation table)."""

    name: str
    version: str
    description: str
    words: dict[str, tuple[str, ...]]
    rules: tuple[GrammarRule, ...]
    max_modifiers: int = 4
    max_chain: int = 4
    file: str = ""

    def content(self) -> dict[str, Any]:
        """Everything that changes matching (for the rule-set hash)."""
        return {"name": self.name, "version": self.version,
                "words": {k: list(v) for k, v in sorted(self.words.items())},
                "rules": [r.content() for r in self.rules],
                "max_modifiers": self.max_modifiers, "max_chain": self.max_chain}

    @property
    def hash(self) -> str:
        """SHA-256 of :meth:`content`, 16 hex digits."""
        text = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (see :meth:`from_dict`)."""
        data = self.content()
        data["description"] = self.description
        data["file"] = self.file
        data["rules"] = [{**r.content(), "file": r.file, "line": r.line} for r in self.rules]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grammar:
        """Rebuild a grammar written by :meth:`to_dict` (same content, same hash)."""
        rules = tuple(GrammarRule(
            id=r["id"], relation=tuple(r["relation"]), of=tuple(r["of"]), label=r["label"],
            says=r["says"], rationale=r["rationale"], priority=int(r["priority"]),
            words=tuple(r.get("words", ())), file=r.get("file", ""),
            line=int(r.get("line", 0))) for r in data["rules"])
        return cls(name=data["name"], version=data["version"],
                   description=data.get("description", ""),
                   words={k: tuple(v) for k, v in data["words"].items()}, rules=rules,
                   max_modifiers=int(data["max_modifiers"]), max_chain=int(data["max_chain"]),
                   file=data.get("file", ""))


# --- loading ------------------------------------------------------------------------------

class _Problems:
    """Collects every problem of a grammar file, raised together at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[tuple[str, int | None, str]] = []

    def add(self, message: str, line: int | None, file: str | None = None) -> None:
        self.items.append((file or str(self.path), line, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        file, line, message = self.items[0]
        if len(self.items) > 1:
            rest = "\n".join(f"  {f}:{n}: {m}" if n is not None else f"  {f}: {m}"
                             for f, n, m in self.items[1:])
            message = f"{message}\n{len(self.items) - 1} more problem(s):\n{rest}"
        error = RuleFileError(file, message, line=line)
        error.problems = list(self.items)  # type: ignore[attr-defined]
        raise error


def _norm(word: str) -> str:
    from pv_identify.normalize.text import normalize_text

    return normalize_text(word)


def _load_words(path: Path, raw: Any, problems: _Problems,
                roots: tuple[Path, ...]) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw, dict):
        problems.add("'words' must be a mapping of set name to a list of words "
                     "(or {file: x.txt})", 1)
        return words
    top = raw.get(LINE_KEY)
    item_lines = raw.get(ITEM_LINES_KEY, {})
    for name, value in raw.items():
        if name in META_KEYS:
            continue
        if name not in WORD_SETS:
            problems.add(f"unknown word set {name!r}; expected one of: "
                         f"{', '.join(WORD_SETS)}", top)
            continue
        entries: list[tuple[str, int | None, str]] = []  # (file, line, word)
        if isinstance(value, dict):
            where = value.get(LINE_KEY, top)
            unknown = sorted(str(k) for k in value if k not in ("file", "items")
                             and k not in META_KEYS)
            if unknown:
                problems.add(f"word set {name!r}: unknown key(s) {', '.join(map(repr, unknown))}"
                             "; expected 'file' and/or 'items'", where)
            files = value.get("file", [])
            if not isinstance(files, str | list) or not all(isinstance(f, str) for f in
                                                              ([files] if isinstance(files, str)
                                                               else files)):
                problems.add(f"word set {name!r}: 'file' must be a file name or a list of "
                             "file names", where)
                files = []
            for fname in [files] if isinstance(files, str) else files:
                try:  # confined to the grammar's folder (or the bundled rules/ folder)
                    target = referenced_file(path, str(fname), "'file'", roots, where)
                except RuleFileError as exc:
                    problems.add(exc.detail, where)
                    continue
                if not target.is_file():
                    problems.add(f"word set {name!r}: file {fname!r} not found (looked for "
                                 f"{target})", where)
                    continue
                entries += [(str(target), n, t) for n, t in read_lines(target)]
            extra = value.get("items", [])
            if not isinstance(extra, list):
                problems.add(f"word set {name!r}: 'items' must be a list of words", where)
                extra = []
            entries += _list_items(name, extra, value.get(ITEM_LINES_KEY, {}).get("items", []),
                                   where, problems, str(path))
        elif isinstance(value, list):
            entries = _list_items(name, value, item_lines.get(name, []), top, problems,
                                  str(path))
        else:
            problems.add(f"word set {name!r} must be a list of words or {{file: x.txt}}", top)
            continue
        for file, line, word in entries:
            if word.startswith("re:"):
                _check_word_regex(name, word[3:], line, file, problems)
        words[name] = tuple(dict.fromkeys(
            w if w.startswith("re:") else _norm(w) for _, _, w in entries))
    for name in WORD_SETS:
        if name in OPTIONAL_SETS:
            continue
        if name not in words and not any(name == n for n in raw if n not in META_KEYS):
            problems.add(f"word set {name!r} is missing", top)
    return words


def _list_items(name: str, values: list[Any], lines: list[int], default: int | None,
                problems: _Problems, file: str) -> list[tuple[str, int | None, str]]:
    """Return the words of a YAML list with their lines; report non-word items."""
    out: list[tuple[str, int | None, str]] = []
    for i, v in enumerate(values):
        line = lines[i] if i < len(lines) else default
        if not isinstance(v, str | int) or isinstance(v, bool) or not str(v).strip():
            # the type only: an item may be a (huge) list built from YAML aliases
            problems.add(f"word set {name!r}: item {i + 1} ({type(v).__name__}) must be a "
                         "non-empty word", line)
            continue
        out.append((file, line, str(v).strip()))
    return out


def _check_word_regex(name: str, body: str, line: int | None, file: str,
                      problems: _Problems) -> None:
    """Check a ``re:`` word: only in ``modifier``, valid, not empty-matching, not slow."""
    import re

    import regex

    from pv_identify.rules.regexcheck import slow_message, slow_text

    if name != "modifier":
        problems.add(f"word set {name!r}: 're:' items are only read in 'modifier'; write the "
                     "words out", line, file)
        return
    body = body.strip()
    try:  # the grammar matches modifiers with the standard 're' module
        compiled = re.compile(body)
    except re.error as exc:
        problems.add(f"word set {name!r}: invalid regular expression after 're:' ({exc})",
                     line, file)
        return
    if compiled.search("") is not None:
        problems.add(f"word set {name!r}: regular expression after 're:' matches the empty "
                     "string; every word would be a modifier", line, file)
        return
    try:
        pattern = regex.compile(body)
    except regex.error:  # 're' syntax that 'regex' reads otherwise: nothing to probe
        return
    slow = slow_text(pattern, body)
    if slow is not None:
        problems.add(f"word set {name!r}: {slow_message(body, slow, 'word')}", line, file)


def _expand(value: Any, allowed: tuple[str, ...], what: str, line: int,
            problems: _Problems) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        problems.add(f"{what!r} must be a name or a list of names", line)
        return ()
    out: list[str] = []
    for item in items:
        item = str(item)
        if item in ALIASES:
            out += [a for a in ALIASES[item] if a in allowed]
        elif item in allowed:
            out.append(item)
        else:
            problems.add(f"{what!r}: unknown {item!r}; expected one of: "
                         f"{', '.join(allowed + tuple(ALIASES))}", line)
    return tuple(dict.fromkeys(out))


def _load_rule(path: Path, raw: Any, problems: _Problems) -> GrammarRule | None:
    if not isinstance(raw, dict):
        problems.add("each grammar rule must be a mapping with id, relation, of, label, "
                     "says and rationale", None)
        return None
    line = int(raw.get(LINE_KEY, 0))
    unknown = sorted(str(k) for k in raw if k not in RULE_KEYS and k not in META_KEYS)
    if unknown:
        problems.add(f"unknown key(s) {', '.join(map(repr, unknown))} in a grammar rule; "
                     f"expected one of: {', '.join(sorted(RULE_KEYS))}", line)
    missing = [k for k in ("id", "relation", "of", "label", "says", "rationale")
               if k not in raw or raw[k] in (None, "")]
    if missing:
        problems.add(f"grammar rule has no {', '.join(map(repr, missing))}", line)
        return None
    label = str(raw["label"])
    if label not in LABELS:
        problems.add(f"unknown label {label!r}; expected one of: {', '.join(LABELS)}", line)
    priority = raw.get("priority", 30)
    if isinstance(priority, bool) or not isinstance(priority, int):
        problems.add("'priority' must be a whole number", line)
        priority = 30
    relation = _expand(raw["relation"], RELATIONS, "relation", line, problems)
    of = _expand(raw["of"], RELATIONS + ANCHORS, "of", line, problems)
    words: tuple[str, ...] = ()
    if "words" in raw:
        items = raw["words"]
        if not isinstance(items, list) or not items or not all(
                isinstance(w, str) and w.strip() and not w.startswith("re:") for w in items):
            problems.add("'words' must be a non-empty list of plain words (the victim words "
                         "the rule reads)", line)
        else:
            words = tuple(dict.fromkeys(_norm(w) for w in items))
    return GrammarRule(id=str(raw["id"]), relation=relation, of=of, label=label,
                       says=str(raw["says"]).strip(), rationale=str(raw["rationale"]).strip(),
                       priority=priority, words=words, file=str(path), line=line)


def load_grammar(path: str | Path, roots: Sequence[Path] = ()) -> Grammar:
    """Load and validate a grammar file; every problem is reported at once.

    Parameters
    ----------
    path : str or pathlib.Path
        The YAML grammar file.
    roots : sequence of pathlib.Path, optional
        Further folders its word files may lie in (the loader passes the roots of the
        rule file that names the grammar); the grammar's own folder and the bundled
        ``rules/`` folder are always allowed.

    Returns
    -------
    Grammar
        The validated grammar.

    Raises
    ------
    RuleFileError
        Naming the file and line of the first problem, and listing all others.
    """
    path = Path(path).resolve()
    data = read_yaml(path)
    problems = _Problems(path)
    unknown = sorted(str(k) for k in data if k not in TOP_KEYS and k not in META_KEYS)
    if unknown:
        problems.add(f"unknown key(s) {', '.join(map(repr, unknown))} in the grammar file; "
                     f"expected one of: {', '.join(sorted(TOP_KEYS))}", 1)
    for key in ("name", "version", "words", "rules"):
        if key not in data:
            problems.add(f"grammar file has no {key!r}", 1)
    version = ""
    if "version" in data:
        try:  # the presets' and text rules' check: "1.10" unquoted is the number 1.1
            version = version_field(path, data["version"], key_line(data, "version", 1))
        except RuleFileError as exc:
            problems.add(exc.detail, key_line(data, "version", 1))
    settings = data.get("settings", {}) or {}
    if not isinstance(settings, dict):
        problems.add("'settings' must be a mapping", 1)
        settings = {}
    values = {}
    for key in SETTING_KEYS:
        value = settings.get(key, 4)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            problems.add(f"setting {key!r} must be a whole number from 0 to 10",
                         settings.get(LINE_KEY, 1))
            value = 4
        values[key] = value
    for key in settings:
        if key not in SETTING_KEYS and key not in META_KEYS:
            problems.add(f"unknown setting {key!r}; expected one of: "
                         f"{', '.join(sorted(SETTING_KEYS))}", settings.get(LINE_KEY, 1))
    words = _load_words(path, data.get("words", {}), problems,
                        (path.parent, rules_root().resolve(), *roots))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.add("'rules' must be a list of grammar rules", 1)
        raw_rules = []
    rules: list[GrammarRule] = []
    ids: dict[str, GrammarRule] = {}
    pairs: dict[tuple[str, str, str], GrammarRule] = {}
    for raw in raw_rules:
        rule = _load_rule(path, raw, problems)
        if rule is None:
            continue
        if rule.id in ids:
            problems.add(f"duplicate grammar rule id {rule.id!r} (first on line "
                         f"{ids[rule.id].line})", rule.line)
            continue
        ids[rule.id] = rule
        for pair in ((r, o, w) for r in rule.relation for o in rule.of
                     for w in (rule.words or ("",))):
            if pair in pairs:
                word = f" for the word {pair[2]!r}" if pair[2] else ""
                problems.add(f"rule {rule.id!r}: {pair[0]} of {pair[1]}{word} is already "
                             f"decided by {pairs[pair].id!r} (line {pairs[pair].line}); one "
                             "pair, one rule", rule.line)
            else:
                pairs[pair] = rule
        rules.append(rule)
    problems.raise_if_any()
    return Grammar(name=str(data["name"]), version=version,
                   description=str(data.get("description", "") or ""), words=words,
                   rules=tuple(rules), max_modifiers=values["max_modifiers"],
                   max_chain=values["max_chain"], file=str(path))


# --- applying --------------------------------------------------------------------------

@dataclass(frozen=True)
class Chain:
    """A grammar decision on one phrase (character offsets in the normalised text).

    Attributes
    ----------
    start, end : int
        The phrase.
    rule : int
        Index of the deciding (outermost) grammar rule in :attr:`Grammar.rules`.
    steps : tuple of int
        The grammar rules applied, outermost first.
    """

    start: int
    end: int
    rule: int
    steps: tuple[int, ...] = field(default=())


class CompiledGrammar:
    """A grammar ready to apply to the resolved spans of one normalised text."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        w = grammar.words
        self._sets = {name: frozenset(v for v in w.get(name, ()) if not v.startswith("re:"))
                      for name in WORD_SETS}
        import re

        self._mod_re = [re.compile(v[3:]) for v in w.get("modifier", ()) if v.startswith("re:")]
        self._mod_cache: dict[str, bool] = {}
        self._links = tuple(f" {w} " for w in self._sets["link"])
        self._left_words = (self._sets["third_possessive"] | self._sets["indefinite"])
        self._conj_or_own = (self._sets["conjunction"] | self._sets["possessive"]
                             | self._sets["conjunction_adverb"])
        self._link_or_own = self._sets["link"] | self._sets["possessive"]
        #: Words before a link that may head a chain (:meth:`_worth_reading`): with
        #: relationship spans, partner and ex words; without, spouse and ex words.
        self._chain_heads = self._sets["partner_noun"] | self._sets["ex_noun"]
        self._lone_heads = self._sets["spouse_noun"] | self._sets["ex_noun"]

        #: (victim word's label, what it is a relative of) -> rule index; rules with
        #: ``words`` in ``word_table`` by (label, of, word), looked up first.
        self.table: dict[tuple[str, str], int] = {}
        self.word_table: dict[tuple[str, str, str], int] = {}
        for i, rule in enumerate(grammar.rules):
            for r in rule.relation:
                for o in rule.of:
                    if rule.words:
                        for word in rule.words:
                            self.word_table.setdefault((r, o, word), i)
                    else:
                        self.table.setdefault((r, o), i)

    @property
    def phrase_possessives(self) -> frozenset[str]:
        """Possessives that make one phrase with modifiers and a relationship word.

        The word set ``phrase_possessive`` (``zijn vijf maanden oude baby``); the
        ``possessive`` set when the file has none.
        """
        return self._sets["phrase_possessive"] or self._sets["possessive"]

    @property
    def accused_words(self) -> frozenset[str]:
        """The word set ``accused``: words that name somebody as the accused in a sentence.

        "De 92-jarige echtgenoot van het slachtoffer is gearresteerd": the victim's
        partner is the offender only in a sentence that accuses somebody (the anchor
        ``bystander`` reads the others, :meth:`TextMatcher._bystander_step`).
        """
        return self._sets["accused"]

    @property
    def voice_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The word sets ``perfect_aux`` ("heeft") and ``passive_aux`` ("werd").

        With an offence participle they tell an active offence ("De vrouw van het
        slachtoffer heeft hem doodgestoken") from a passive one ("werd ook de vrouw van
        het slachtoffer bedreigd").
        """
        return self._sets["perfect_aux"], self._sets["passive_aux"]

    @property
    def repeat_determiners(self) -> frozenset[str]:
        """The word set ``repeat_determiner``: determiners of a relation word that repeats.

        "De zoon kan erg dwingend zijn" after "de zoon van patiënt" names the same son
        again: :meth:`TextMatcher._repeat_step` reads the bare word as the earlier phrase
        was read. Empty: the step is off.
        """
        return self._sets["repeat_determiner"]

    @property
    def link_words(self) -> frozenset[str]:
        """The word set ``link`` ("van"): the word that joins a relation to its possessor."""
        return self._sets["link"]

    @property
    def conjunctions(self) -> frozenset[str]:
        """The word set ``conjunction`` ("en"): words that join two relationship phrases."""
        return self._sets["conjunction"]

    def is_modifier(self, token: str) -> bool:
        """Whether ``token`` may stand between a possessive or determiner and a noun."""
        known = self._mod_cache.get(token)
        if known is None:  # a token seen before costs one look-up
            known = token in self._sets["modifier"] or any(r.search(token)
                                                           for r in self._mod_re)
            remember(self._mod_cache, token, known, _MODIFIER_MEMO_SIZE)
        return known

    def rule_for(self, relation: str, of: str, word: str) -> int | None:
        """Return the index of the rule that reads a victim word as a relative of ``of``.

        Parameters
        ----------
        relation : str
            The victim word's label.
        of : str
            What it is a relative of (a label or an anchor).
        word : str
            The victim word (normalised); a rule with ``words`` naming it decides first.

        Returns
        -------
        int or None
            Index in :attr:`Grammar.rules`; None when the word keeps its label.
        """
        if self.word_table:
            found = self.word_table.get((relation, of, word))
            if found is not None:
                return found
        return self.table.get((relation, of))

    def notes(self, chain: Chain) -> str:
        """Return the reading of a chain: ``says`` of each step, outermost first."""
        rules = self.grammar.rules
        return " <- ".join(rules[i].says for i in chain.steps)

    def apply(self, normalized: str,
              spans: list[tuple[int, int, str]]) -> list[Chain]:
        """Decide the relationship phrases of one text.

        Parameters
        ----------
        normalized : str
            The normalised text (tokens separated by single spaces).
        spans : list of (start, end, label)
            Resolved relationship spans (character offsets), in text order.

        Returns
        -------
        list of Chain
            One per phrase the grammar decides (a chain, or a word with a telling
            left context); words the grammar leaves alone give nothing.
        """
        if not self._worth_reading(normalized, spans):
            return []
        tokens = normalized.split(" ")
        starts: list[int] = []
        pos = 0
        for tok in tokens:
            starts.append(pos)
            pos += len(tok) + 1
        tok_at = {s: i for i, s in enumerate(starts)}
        # relation span per start token: (end token (exclusive), label, char start, char end)
        rel: dict[int, tuple[int, str, int, int]] = {}
        for start, end, label in spans:
            first = tok_at.get(start)
            if first is None:
                continue  # the word starts inside a token (after a hyphen)
            last = first
            while last + 1 < len(starts) and starts[last + 1] < end:
                last += 1
            rel[first] = (last + 1, label, start, end)
        covered = {t for f, (e, _, _, _) in rel.items() for t in range(f, e)}
        loose: set[int] = set()  # partner words that are no terms: only chains decide
        link_words = self._sets["link"]
        # in a text without relationship terms only a spouse word heads a chain ("de
        # vrouw van het slachtoffer"); "de vriendin van de beklaagde" alone says too little;
        # a bare "ex" before "van" always names a former partner ("de ex van de vrouw")
        nouns = self._sets["partner_noun"] if spans else self._sets["spouse_noun"]
        ex_nouns = self._sets["ex_noun"]
        for t, tok in enumerate(tokens[:-1]):
            # "de nieuwe vriend van zijn ex": a partner word read as one before "van";
            # "de ex van zijn broer": an ex word likewise, as an ex-partner
            if (tok in nouns or tok in ex_nouns) and t not in covered \
                    and tokens[t + 1] in link_words and not (
                        t > 0 and tokens[t - 1] in self._sets["indefinite"]):
                # ("een vriend van zijn broer" is a friend)
                kind = "ex_partner" if tok in ex_nouns else "partner"
                rel[t] = (t + 1, kind, starts[t], starts[t] + len(tok))
                loose.add(t)
        sets = self._sets
        max_mod = self.grammar.max_modifiers
        memo: dict[int, tuple[str, tuple[int, ...], int]] = {}
        heads: dict[int, int] = {}  # span start token -> token of the contact it belongs to
        ending = {e: f for f, (e, _, _, _) in rel.items()}  # end token -> start token

        def conjunct(i: int, depth: int) -> str | None:
            """Return the relation to the offender of X in "X (name) en haar/zijn Y", else None.

            The possessive of Y points back at X when it differs from X's own
            possessive ("zijn ex-vrouw Nicole en haar vriend": her friend), not when it
            repeats it ("zijn vrouw en zijn dochter": both his). A word of the set
            ``conjunction_adverb`` may stand between "en" and the possessive ("een
            55-jarige man en ook zijn 44-jarige vriendin").
            """
            own = self._own(tokens, i, max_mod)
            c = self._conjunction_before(tokens, own)
            if c < 1:
                return None
            k = c - 1
            for _ in range(4):  # a name or an age may stand between X and 'en'
                x = ending.get(k + 1)
                if x is not None:
                    break
                tok = tokens[k] if k >= 0 else ""
                if not tok or not (tok.isalpha() or tok.isdigit()) or any(
                        tok in sets[n] for n in ("link", "determiner", "possessive",
                                                 "conjunction", "indefinite")):
                    return None
                k -= 1
            else:
                return None
            x_own = self._own(tokens, x, max_mod)
            if x_own >= 0 and tokens[x_own] == tokens[own]:
                return None
            if depth >= self.grammar.max_chain:
                return None
            inner, steps, _ = value(x, depth + 1)
            if inner in RELATIONS:
                return inner
            # X is nobody's relative ("een 44-jarige vader en zijn 24-jarige zoon"): nor is Y
            return "unrelated" if steps else None

        def past_modifiers(i: int) -> int:
            """Return the first token from ``i`` on that is no modifier (``max_mod`` at most)."""
            m = 0
            while i < len(tokens) and m < max_mod and i not in rel \
                    and self.is_modifier(tokens[i]):
                i += 1
                m += 1
            return i

        def link(k: int) -> tuple[str, int, int] | None:
            """Return what the word ending before token ``k`` is linked to by 'van ...'."""
            if k + 1 < len(tokens) and tokens[k].isdigit() and tokens[k + 1] in sets["link"]:
                k += 1  # an age between the word and 'van': "het zoontje (2) van zijn vriendin"
            if k >= len(tokens) or tokens[k] not in sets["link"]:
                return None
            j = k + 1
            if j + 1 < len(tokens) and j not in rel and tokens[j] in sets["indefinite"] \
                    and tokens[j + 1] in sets["link"]:
                j += 2  # a partitive: "de moeder van een van zijn kinderen"
            if j in rel:  # a phrase of its own: "zijn vriendin", "moeder van zijn kind"
                return ("relation", j, rel[j][0])
            det = tokens[j] if j < len(tokens) else ""
            has_det = det in sets["determiner"] or det in sets["indefinite"]
            own = det in sets["possessive"]
            third = det in sets["third_possessive"]
            if has_det or own or third:
                j += 1
            if has_det and j < len(tokens) and tokens[j] in sets["victim_modifier"]:
                # "de echtgenoot van de vermoorde (23-jarige) atlete": the murdered one is
                # the victim
                k = past_modifiers(j + 1)
                if k < len(tokens) and k not in rel and tokens[k].isalpha():
                    return ("victim", j, k + 1)
            start = j
            j = past_modifiers(j)
            m = j - start
            if j >= len(tokens):
                return None
            tok = tokens[j]
            if m and not (has_det or own or third) and (
                    tok in sets["possessive"] or tok in sets["determiner"]):
                return None  # "een moeder van 23 jaar haar stiefzoon": an age, no genitive
            if j in rel:
                if third:
                    return ("third_party", j, rel[j][0])
                return ("relation_det" if has_det else "relation", j, rel[j][0])
            if tok in sets["offender"]:
                return ("offender", j, j + 1)
            if tok in sets["victim"]:
                return ("victim", j, j + 1)
            if tok in sets["person"]:
                if det in sets["indefinite"]:
                    return ("unrelated", j, j + 1)  # "de moeder van een jongen"
                return ("person", j, j + 1)
            if tok in sets["no_link"] or not tok.isalpha():
                return None
            if third or tok in sets["stranger"]:
                return ("unrelated", j, j + 1)
            if has_det:
                return ("noun", j, j + 1)  # "de dochter van de minister"
            return None

        def shared_link(i: int, end_tok: int) -> tuple[str, int, int] | None:
            """Return the 'van ...' that a bare word shares with the next one after 'en'.

            "de moeder en de zus van zijn vriendin", "moeder en dochter van de buren":
            both words are read with the link after the second. Not when the
            first word has a possessive of its own ("zijn vrouw en de moeder van ...").
            """
            if end_tok >= len(tokens) or tokens[end_tok] not in sets["conjunction"] \
                    or self._own(tokens, i, max_mod) >= 0:
                return None
            j = end_tok + 1
            if j < len(tokens) and tokens[j] in sets["determiner"]:
                j += 1
            if j not in rel or self._own(tokens, j, max_mod) >= 0:
                return None
            return link(rel[j][0])

        def value(i: int, depth: int) -> tuple[str, tuple[int, ...], int]:
            """(relation to the offender, rules applied, end token) of the span at ``i``."""
            if i in memo:
                return memo[i]
            end_tok, label, _, _ = rel[i]
            result: tuple[str, tuple[int, ...], int] = (label, (), end_tok)
            found = link(end_tok) if depth < self.grammar.max_chain else None
            if found is None and depth < self.grammar.max_chain:
                found = shared_link(i, end_tok)
            if found is not None:
                kind, j, stop = found
                if i in loose and kind == "victim" and tokens[i] not in sets["spouse_noun"]:
                    kind = ""  # "de vriendin van het slachtoffer" is often a witness;
                    # "de vrouw van het slachtoffer" (spouse_noun) is the offender
                elif i in loose and not spans and kind != "victim" and not (
                        kind == "person" and tokens[i] in sets["ex_noun"]):
                    kind = ""  # with no term in the text only "X van het slachtoffer"
                    # decides: "de vrouw van de verdachte" alone is often a witness (but
                    # "de ex van de vrouw" names the couple)
                if kind in ("relation", "relation_det"):
                    inner, steps, stop = value(j, depth + 1)
                    if kind == "relation_det" and not steps and not self._anchored(
                            tokens, j, rel[j][0]):
                        of = "unrelated"  # "de stiefvader van het andere kind"
                    elif label == "parent" and inner == "child" and not steps and \
                            self._bare(tokens, end_tok + 1, j, rel[j][0]):
                        of = "indefinite"  # "vader van drie kinderen": a description
                    else:
                        of = inner if inner in RELATIONS else "unrelated"
                elif kind == "noun" and self._possessed(tokens, i, max_mod):
                    steps, of = (), ""  # "haar dochter van een flat": not a genitive
                else:
                    steps, of = (), "unrelated" if kind == "noun" else kind
                rule = self.rule_for(label, of, tokens[i])
                if rule is not None:
                    result = (self.grammar.rules[rule].label, (rule, *steps), stop)
            else:
                head = self._contact(tokens, i, max_mod, rel)
                left = "contact" if head >= 0 else None
                if head >= 0:
                    heads[i] = head  # "de buurman van zijn vrouw": the neighbour is named
                if left is None and sets["conjunction"]:
                    left = conjunct(i, depth)
                if left is None:
                    left = self._left(tokens, i, max_mod)
                if left is not None:
                    rule = self.rule_for(label, left, tokens[i])
                    if rule is not None:
                        result = (self.grammar.rules[rule].label, (rule,), end_tok)
            memo[i] = result
            return result

        out: list[Chain] = []
        for i in sorted(rel):
            _, steps, stop = value(i, 0)
            if not steps:
                continue
            first = heads.get(i, -1)
            if first < 0:
                first = self._phrase_start(tokens, i, max_mod)
            end_char = starts[stop - 1] + len(tokens[stop - 1])
            out.append(Chain(starts[first], max(end_char, rel[i][3]), steps[0], steps))
        return out

    def _worth_reading(self, normalized: str, spans: list[tuple[int, int, str]]) -> bool:
        """Tell cheaply whether the grammar could decide anything here (most texts: no).

        A link after a word, a telling word before one, or a partner word before 'van'.
        """
        links = self._links
        for start, end, _ in spans:
            for link in links:
                if normalized.startswith(link, end):
                    return True
            age_end = normalized.find(" ", end + 1)  # "het zoontje 2 van zijn vriendin"
            if age_end > end + 1 and normalized[end + 1:age_end].isdigit() and any(
                    normalized.startswith(link, age_end) for link in links):
                return True
            if start > 1:
                prev = normalized[normalized.rfind(" ", 0, start - 1) + 1:start - 1]
                if prev in self._left_words or prev[-1:] == "s" or self.is_modifier(prev):
                    return True
                if prev in self._conj_or_own and self._after(normalized, start, "conjunction",
                                                             skip="conjunction_adverb"):
                    return True
                if prev in self._link_or_own and self._after(normalized, start, "link",
                                                             "stranger"):
                    return True
                if prev in self._sets["determiner"] and self._after(
                        normalized, start, "link", "stranger", definite=True):
                    return True
        nouns = self._chain_heads if spans else self._lone_heads
        for link in links:
            at = normalized.find(link)
            while at > 0:
                if normalized[normalized.rfind(" ", 0, at) + 1:at] in nouns:
                    return True
                at = normalized.find(link, at + 1)
        return False

    def _after(self, normalized: str, start: int, words_set: str,
               before: str | None = None, definite: bool = False,
               skip: str | None = None) -> bool:
        """Whether a word of ``words_set`` stands before the word at ``start``.

        Or before its possessive: ``en`` in "zijn vrouw en haar vriend", ``van`` in "de
        buurman van zijn vrouw"; with ``before``, a word of that set must precede it
        (the ``stranger`` "buurman"). With ``definite`` the word at ``start`` has a
        determiner instead, and the stranger must be indefinite ("een vriendinnetje van
        een van de dochters"; :meth:`_contact`). A word of the set ``skip`` may stand
        between ("en ook zijn vriendin").
        """
        words = normalized[max(0, start - 48):start].split()
        drop = "determiner" if definite else "possessive"
        if words and words[-1] in self._sets[drop]:
            words = words[:-1]
        elif definite:
            return False
        if skip is not None and words and words[-1] in self._sets[skip]:
            words = words[:-1]
        if not words or words[-1] not in self._sets[words_set]:
            return False
        if before is None:
            return True
        k = self._past_partitive(words, len(words) - 2)
        return k >= 0 and words[k] in self._sets[before] and (
            not definite or (k >= 1 and words[k - 1] in self._sets["indefinite"]))

    def _past_partitive(self, tokens: list[str], k: int) -> int:
        """Index ``k``, or two tokens further back past a partitive "een van".

        ``k`` is the word before a link ("de kleuterjuf van een van zijn kinderen":
        ``een``); the contact reading and its prefilter both look past the partitive.
        """
        sets = self._sets
        if k >= 2 and tokens[k] in sets["indefinite"] and tokens[k - 1] in sets["link"]:
            return k - 2
        return k

    def _before_modifiers(self, tokens: list[str], i: int, max_mod: int) -> int:
        """Index of the first token before ``i`` that is not one of up to ``max_mod`` modifiers.

        ``-1`` when the modifiers reach the start of the text (``zijn 8-jarige dochter``:
        from ``dochter`` back to ``zijn``).
        """
        j = i - 1
        m = 0
        while j >= 0 and m < max_mod and self.is_modifier(tokens[j]):
            j -= 1
            m += 1
        return j

    def _own(self, tokens: list[str], i: int, max_mod: int) -> int:
        """Token index of the possessive of the word at ``i`` (``zijn 8-jarige dochter``), or -1."""
        sets = self._sets
        if tokens[i] in sets["possessive"]:
            return i
        j = self._before_modifiers(tokens, i, max_mod)
        return j if j >= 0 and tokens[j] in sets["possessive"] else -1

    def _contact(self, tokens: list[str], i: int, max_mod: int,
                 rel: dict[int, tuple[int, str, int, int]]) -> int:
        """Token of the stranger whose possessor the word at ``i`` is, or -1.

        "de buurman van zijn vrouw", "een vriendje van haar eigen kind": the possessive
        phrase names the neighbour's or friend's possessor; the victim is the stranger
        (a partner word before "van" is a relation of its own: "de vriend van zijn
        moeder" is her partner). A partitive "een van" may stand between: "de
        kleuterjuf van een van zijn kinderen".
        """
        sets = self._sets
        own = self._own(tokens, i, max_mod)
        # No possessive: after an indefinite contact a determiner names the family the text
        # is about ("een vriendinnetje van een van de dochters").
        definite = own < 0
        if definite:
            own = self._before_modifiers(tokens, i, max_mod)
            if own < 0 or tokens[own] not in sets["determiner"]:
                return -1
        if own < 2 or tokens[own - 1] not in sets["link"]:
            return -1
        k = self._past_partitive(tokens, own - 2)
        if k in rel or (definite and (k < 1 or tokens[k - 1] not in sets["indefinite"])):
            return -1
        return k if tokens[k] in sets["stranger"] else -1

    def _bare(self, tokens: list[str], start: int, j: int, end: int) -> bool:
        """Whether the phrase from ``start`` to the word span ``j:end`` names no possessor.

        No determiner, possessive or link before the word and none inside its span:
        "(vader) van drie kinderen", not "van zijn kinderen" or "van de kinderen".
        """
        sets = self._sets
        words = ("possessive", "determiner", "indefinite", "third_possessive")
        return not any(tokens[t] in sets[w] for t in range(start, j) for w in words) \
            and not self._anchored(tokens, j, end)

    def _possessed(self, tokens: list[str], i: int, max_mod: int) -> bool:
        """Whether the word at ``i`` has the offender's possessive (``zijn 8-jarige dochter``)."""
        return self._own(tokens, i, max_mod) >= 0

    def _anchored(self, tokens: list[str], i: int, end: int) -> bool:
        """Whether a span of several tokens names its own possessor ("moeder van zijn kind")."""
        sets = self._sets
        return any(tokens[t] in sets["possessive"] or tokens[t] in sets["link"]
                   for t in range(i, end))

    def _left(self, tokens: list[str], i: int, max_mod: int) -> str | None:
        """Return the anchor given by the words before token ``i`` (None: nothing telling)."""
        sets = self._sets
        j = self._before_modifiers(tokens, i, max_mod)
        if j < 0:
            return None
        tok = tokens[j]
        own = i if tokens[i] in sets["possessive"] else j if tok in sets["possessive"] else -1
        c = self._conjunction_before(tokens, own)
        if c >= 1 and self._somebody(tokens, c - 1):
            return "unrelated"  # "een medebewoner en zijn vrouw": his = the neighbour's
        if tok in sets["third_possessive"]:
            return "third_party"
        if tok in sets["indefinite"]:
            return "indefinite"
        if (j == i - 1 and len(tok) > 2 and tok.endswith("s") and tok.isalpha()
                and tok not in sets["genitive_stop"] and tokens[i] not in sets["possessive"]
                and tokens[i] not in sets["preposition"]):  # "Lois, met wie hij samenwoonde"
            if tok[:-1] in sets["offender"]:
                return "offender"  # "verdachtes echtgenote"
            if tok[:-1] in sets["victim"]:
                return "victim"
            return "third_party"  # "harrys vrouw": Harry's wife
        return None

    def _conjunction_before(self, tokens: list[str], own: int) -> int:
        """Index of the conjunction right before the possessive at ``own``, else -1.

        "zijn vrouw en haar vriend"; a word of the set ``conjunction_adverb`` may stand
        between ("een 55-jarige man en ook zijn 44-jarige vriendin"). ``own`` < 0 (no
        possessive) gives -1.
        """
        c = own - 1
        if c >= 1 and tokens[c] in self._sets["conjunction_adverb"]:
            c -= 1
        return c if c >= 0 and tokens[c] in self._sets["conjunction"] else -1

    def _somebody(self, tokens: list[str], k: int) -> bool:
        """Whether token ``k`` names somebody else: a stranger, the victim or ``een`` + a person.

        "het slachtoffer en zijn vrouw werden bedreigd": coordinated with the victim, his
        wife shares the victim's role; she is not the offender.
        """
        sets = self._sets
        if tokens[k] in sets["stranger"] or tokens[k] in sets["victim"]:
            return True
        if tokens[k] not in sets["person"]:
            return False
        j = self._before_modifiers(tokens, k, self.grammar.max_modifiers)
        return j >= 0 and tokens[j] in sets["indefinite"]  # "een 70-jarige vrouw en haar zoon"

    def _phrase_start(self, tokens: list[str], i: int, max_mod: int) -> int:
        """First token of the phrase of the word at ``i`` (its determiner or possessor)."""
        sets = self._sets
        j = self._before_modifiers(tokens, i, max_mod)
        if j >= 0 and (tokens[j] in sets["possessive"] or tokens[j] in sets["determiner"]
                       or tokens[j] in sets["indefinite"]
                       or tokens[j] in sets["third_possessive"]):
            return j
        if j >= 0 and j == i - 1 and self._left(tokens, i, max_mod) == "third_party":
            return j
        return j + 1  # after the modifiers (i itself when there are none)

