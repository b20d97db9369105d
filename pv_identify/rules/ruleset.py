"""The rule data model: terms, rules and rule sets, as loaded from ``rules/``.

These are plain frozen dataclasses; loading and validation live in
:mod:`pv_identify.rules.loader`, matching in :mod:`pv_identify.rules.compiler`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

from pv_identify.rules.grammar import GRAMMAR_GROUP, Grammar

Field = Literal["article", "mc", "qualification"]
MatchMode = Literal["word", "prefix", "substring"]

FIELDS: tuple[str, ...] = ("article", "mc", "qualification")
MATCH_MODES: tuple[str, ...] = ("word", "prefix", "substring")

#: Default priority of a rule by the field it reads: the qualification names the
#: victim most directly, the MC is the prosecutor's reading, the article least specific.
DEFAULT_PRIORITY: dict[str, int] = {"qualification": 30, "mc": 20, "article": 10}


def names_of(value: Iterable[str] | None) -> tuple[str, ...]:
    """Return rule ids or groups as a tuple; one string is one name, not its letters."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Term:
    """One term of a rule, with where it was written.

    Parameters
    ----------
    text : str
        The term as written (``"levensgezel"``, ``"ex-vriendin"``, ``"dochter*"``).
    file : str
        File it came from.
    line : int
        1-based line in that file.
    """

    text: str
    file: str
    line: int


@dataclass(frozen=True)
class Rule:
    """One rule: a field, what to look for in it, and the label it gives.

    Parameters
    ----------
    id : str
        Stable identifier, e.g. ``"wodc.qual.partner"``.
    field : {"article", "mc", "qualification"}
        The field the rule reads.
    label : str
        Relationship label given when the rule fires; ``"none"`` makes it an
        exclusion (its matches mask other terms, and it can veto other rules).
    rationale : str
        Why the rule exists (shown by ``explain`` and ``pv-identify rules``).
    group : str
        Rule group, for switching rules on/off together.
    priority : int
        Higher wins when rules with labels of the same tier fire.
    match : {"word", "prefix", "substring"}
        How qualification terms match (whole words, word starts, anywhere).
    terms : tuple of Term
        Qualification terms.
    values : tuple of Term
        MC names (qualification rules: empty).
    articles : tuple of Term
        Article notations (parsed with :func:`pv_identify.normalize.parse_articles`).
    vetoes : tuple of str
        Rule ids or groups that this (exclusion) rule switches off for the offence.
    source : str
        Citation (e.g. the publication and page the rule reproduces).
    file : str
        Rule file the rule was defined in.
    line : int
        Line of the rule's definition.
    """

    id: str
    field: Field
    label: str
    rationale: str
    group: str
    priority: int
    match: MatchMode = "word"
    terms: tuple[Term, ...] = ()
    values: tuple[Term, ...] = ()
    articles: tuple[Term, ...] = ()
    vetoes: tuple[str, ...] = ()
    source: str = ""
    file: str = ""
    line: int = 0

    @property
    def items(self) -> tuple[Term, ...]:
        """The terms, MC values or articles of the rule, whichever it has."""
        return self.terms or self.values or self.articles

    def content(self) -> dict[str, object]:
        """Return the rule's content without file positions (for hashing)."""
        data = asdict(self)
        for key in ("file", "line"):
            data.pop(key)
        for key in ("terms", "values", "articles"):
            data[key] = [t.text for t in getattr(self, key)]
        return data


@dataclass(frozen=True)
class RuleSet:
    """A validated, complete set of rules with its normalisation settings.

    Parameters
    ----------
    name : str
        Name of the rule set (``"wodc2022"``, ``"default"``, or the user's).
    version : str
        Version string from the rule file.
    description : str
        What the rule set is.
    rules : tuple of Rule
        The rules, in file order (base rules first).
    case_sensitive : bool
        Whether qualification matching keeps case.
    abbreviations : dict of str to str
        Clerk abbreviations expanded before matching.
    mc_codes : dict of str to str
        Organisation-specific MC code -> MC name.
    mc_delimiters : str
        Characters that separate several MCs in one cell.
    choices : tuple of str
        Documented decisions (where the published method is silent).
    files : tuple of str
        The files the set was loaded from.
    grammar : Grammar or None
        The relationship grammar (:mod:`pv_identify.rules.grammar`) applied after the
        term scan; None for the published presets.
    """

    name: str
    version: str
    description: str
    rules: tuple[Rule, ...]
    case_sensitive: bool = False
    abbreviations: dict[str, str] = field(default_factory=dict)
    mc_codes: dict[str, str] = field(default_factory=dict)
    mc_delimiters: str = ";|\n"
    choices: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    grammar: Grammar | None = None

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the rule set's content (rules, terms, settings), 16 hex digits.

        File names and line numbers do not count: moving a term list changes
        nothing, editing a term does. Computed once per (immutable) rule set.
        """
        payload = {
            "rules": [r.content() for r in self.rules],
            "case_sensitive": self.case_sensitive,
            "abbreviations": self.abbreviations,
            "mc_codes": self.mc_codes,
            "mc_delimiters": self.mc_delimiters,
        }
        if self.grammar is not None:  # rule sets without a grammar keep their hash
            payload["grammar"] = self.grammar.content()
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-serialisable form (for saved pipelines); see :meth:`from_dict`."""
        data = asdict(self)
        data["grammar"] = self.grammar.to_dict() if self.grammar is not None else None
        data["rules"] = [{**asdict(r), **{k: [[t.text, t.file, t.line] for t in getattr(r, k)]
                                          for k in ("terms", "values", "articles")}}
                         for r in self.rules]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSet:
        """Rebuild a rule set written by :meth:`to_dict` (same content, same hash)."""
        rules = []
        for raw in data["rules"]:
            items: dict[str, Any] = {k: tuple(Term(t, f, int(n)) for t, f, n in raw[k])
                                     for k in ("terms", "values", "articles")}
            rest: dict[str, Any] = {k: v for k, v in raw.items() if k not in items}
            rest["vetoes"] = tuple(rest.get("vetoes", ()))
            rules.append(Rule(**rest, **items))
        return cls(name=data["name"], version=data["version"],
                   description=data["description"], rules=tuple(rules),
                   case_sensitive=bool(data["case_sensitive"]),
                   abbreviations=dict(data["abbreviations"]), mc_codes=dict(data["mc_codes"]),
                   mc_delimiters=str(data["mc_delimiters"]), choices=tuple(data["choices"]),
                   files=tuple(data["files"]),
                   grammar=Grammar.from_dict(data["grammar"]) if data.get("grammar") else None)

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id ``rule_id``.

        Raises
        ------
        KeyError
            If there is no such rule.
        """
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"no rule {rule_id!r} in rule set {self.name!r}")

    @property
    def groups(self) -> tuple[str, ...]:
        """Rule groups in order of first appearance."""
        return tuple(dict.fromkeys(r.group for r in self.rules))

    def select(
        self, enable: list[str] | tuple[str, ...] | None = None,
        disable: list[str] | tuple[str, ...] | None = None,
    ) -> RuleSet:
        """Keep only some rules, by id or group.

        Parameters
        ----------
        enable : sequence of str, optional
            Rule ids or groups to keep (all others are dropped). None keeps all.
        disable : sequence of str, optional
            Rule ids or groups to drop.

        Returns
        -------
        RuleSet
            A new rule set (its hash differs when rules were dropped).

        Raises
        ------
        KeyError
            If a name is neither a rule id nor a group.
        """
        enable = None if enable is None else names_of(enable)
        disable = names_of(disable)
        known = self.names
        for name in list(enable or []) + list(disable or []):
            if name not in known:
                raise KeyError(
                    f"{name!r} is not a rule id or group of rule set {self.name!r}; "
                    f"groups: {', '.join(self.groups)}"
                )
        rules = self.rules
        if enable is not None:
            rules = tuple(r for r in rules if r.id in enable or r.group in enable)
        if disable:
            rules = tuple(r for r in rules if r.id not in disable and r.group not in disable)
        return replace(self, rules=rules, grammar=self._select_grammar(enable, disable))

    @property
    def names(self) -> set[str]:
        """Rule ids and groups, and the grammar's rule ids and group ``grammar``."""
        known = {r.id for r in self.rules} | set(self.groups)
        if self.grammar is not None:
            known |= {g.id for g in self.grammar.rules} | {GRAMMAR_GROUP}
        return known

    def _select_grammar(self, enable: list[str] | tuple[str, ...] | None,
                        disable: list[str] | tuple[str, ...] | None) -> Grammar | None:
        """Return the grammar with the rules ``enable``/``disable`` keep (None: none left)."""
        if self.grammar is None:
            return None
        kept = self.grammar.rules
        if enable is not None:
            kept = tuple(g for g in kept if g.id in enable or GRAMMAR_GROUP in enable)
        if disable:
            kept = tuple(g for g in kept if g.id not in disable and GRAMMAR_GROUP not in disable)
        if kept == self.grammar.rules:
            return self.grammar
        return replace(self.grammar, rules=kept) if kept else None
