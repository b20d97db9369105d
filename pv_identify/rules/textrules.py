"""Load and validate text-mode rule files (``rules/text/*.yaml``).

A text rule file adds phrase patterns and traps to a register rule set; it never
repeats terms (those come from ``rules/terms/`` through the register preset). The
format (full reference in ``rules/text/README.md``)::

    name: text_default
    version: "1.0.0"
    settings: {possessive_phrases: true, max_modifiers: 4, match_mc_names: true}
    sets:
      possessive: [zijn, haar]
      modifier: {file: modifiers.txt}
    rules:
      - id: text.partner.parent_of_children
        label: partner
        priority: 25
        rationale: ...
        patterns: ["@parent_noun van @possessive_any @modifier{0,4} @label:child"]
      - id: text.trap.non_intimate_ex
        label: none
        rationale: ...
        terms_file: exclude_ex.txt

A pattern is a sequence of token elements separated by spaces:

- ``word`` a token whose norm is ``word``; ``a|b|c`` one of several words;
- ``@name`` a token in the set ``name`` (from ``sets``), ``@label:child`` a
  relationship noun of the register rules with that label (``@label:child|parent``:
  with one of those labels), ``@relation`` any relationship noun of the register rules;
- ``re:<expression>`` a token whose norm matches the regular expression (Python
  ``re`` syntax, searched in the norm; the whole element is the expression, so it
  takes no quantifier: put it in a set to make it optional);
- ``_`` any token;
- ``!`` before a word, alternation or set: a token that is *not* one of them
  (``!@possessive_any``, ``!de|het``; a set's ``re:`` entries are excluded too);
- a quantifier may follow a word, alternation, set, negation or ``_``: ``?``, ``*``,
  ``+``, ``{m,n}``.

Errors are :class:`~pv_identify.errors.RuleFileError` with file and line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from pv_identify.errors import RuleFileError
from pv_identify.normalize.text import normalize_text
from pv_identify.rules.fields import check_keys as _check_keys
from pv_identify.rules.fields import file_head, rule_header
from pv_identify.rules.fields import is_meta as _is_meta
from pv_identify.rules.fields import string as _str
from pv_identify.rules.fields import string_list as _str_list
from pv_identify.rules.fields import version as _version
from pv_identify.rules.presets import rules_root
from pv_identify.rules.problems import Problems
from pv_identify.rules.regexcheck import slow_message, slow_text
from pv_identify.rules.ruleset import Term
from pv_identify.rules.yamlfile import (
    LINE_KEY,
    key_line,
    read_lines,
    read_referenced,
    read_yaml,
    referenced_file,
)
from pv_identify.schema import LABELS

TOP_KEYS = {"name", "version", "description", "settings", "sets", "rules"}
SETTING_KEYS = {"possessive_phrases", "max_modifiers", "match_mc_names"}
RULE_KEYS = {"id", "label", "priority", "group", "rationale", "patterns", "terms",
             "terms_file", "vetoes", "source"}
#: Sets that are built from the register rules, not from the text rule file.
BUILTIN_SETS = {"relation"}
LABEL_SET_PREFIX = "label:"
_NAME = regex.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUANT = regex.compile(r"(\?|\*|\+|\{\d+,\d+\}|\{\d+\})$")
_MAX_PATTERN_TOKENS = 40
#: Groups of the offender gender cue rules (possessor agreement, text mode).
GENDER_GROUPS = ("text.offender.male", "text.offender.female")
#: Word sets a file with gender cue rules must define: the possessives of each gender
#: and the relation nouns that name a man / a woman.
GENDER_SETS = ("male_possessive", "female_possessive", "male_relative", "female_relative")


@dataclass(frozen=True)
class TokenSpec:
    """One element of a phrase pattern.

    Parameters
    ----------
    kind : {"words", "set", "regex", "any"}
        What the token must be: one of ``values`` (norms), in the set named
        ``values[0]``, match the regular expression ``values[0]``, or anything.
    values : tuple of str
        Words, the set name, or the expression.
    op : str or None
        Quantifier (``?``, ``*``, ``+``, ``{m,n}``) or None.
    negated : bool, default False
        For ``words`` and ``set``: the token must *not* be one of them (``!@set``).
    """

    kind: str
    values: tuple[str, ...]
    op: str | None = None
    negated: bool = False

    @property
    def optional(self) -> bool:
        """Whether the element can match zero tokens."""
        return self.op in {"?", "*"} or bool(self.op and regex.match(r"\{0[,}]", self.op))


@dataclass(frozen=True)
class TextRule:
    """One text-mode rule: phrase patterns and/or plain terms with a label.

    Parameters
    ----------
    id : str
        Stable identifier (``text.trap.third_party_relative``).
    label : str
        Relationship label; ``none`` makes a trap that masks the terms inside it.
    rationale : str
        Why the rule exists.
    group : str
        Rule group (switch rules off together).
    priority : int
        Tie-break between labels of the same tier (register qualification rules: 30).
    patterns : tuple of tuple of TokenSpec
        Parsed phrase patterns.
    pattern_texts : tuple of str
        The patterns as written.
    terms : tuple of Term
        Plain phrases, matched like register terms (hyphen variants).
    vetoes : tuple of str
        Rule ids or groups a trap switches off.
    source : str
        Citation or origin.
    file : str
        File of the definition.
    line : int
        Line of the definition.
    """

    id: str
    label: str
    rationale: str
    group: str
    priority: int
    patterns: tuple[tuple[TokenSpec, ...], ...] = ()
    pattern_texts: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    vetoes: tuple[str, ...] = ()
    source: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class TextRuleSet:
    """A validated text rule file.

    Parameters
    ----------
    name, version, description : str
        From the file.
    rules : tuple of TextRule
        The rules in file order.
    sets : dict of str to tuple of str
        Named word sets (norms; ``re:`` entries are regular expressions).
    possessive_phrases : bool
        Extend register relationship terms to possessive phrases.
    max_modifiers : int
        Maximum number of modifier tokens between possessive and noun.
    match_mc_names : bool
        Match the register's MC names as phrases.
    files : tuple of str
        Files read.
    """

    name: str
    version: str
    description: str
    rules: tuple[TextRule, ...]
    sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    possessive_phrases: bool = True
    max_modifiers: int = 4
    match_mc_names: bool = True
    files: tuple[str, ...] = ()

    def without(self, names: list[str] | tuple[str, ...]) -> TextRuleSet:
        """Drop the rules whose id or group is in ``names`` (other names are ignored)."""
        kept = tuple(r for r in self.rules if r.id not in names and r.group not in names)
        return replace(self, rules=kept)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable form (for saved pipelines); see :meth:`from_dict`."""
        return {
            "name": self.name, "version": self.version, "description": self.description,
            "rules": [{**{k: getattr(r, k) for k in ("id", "label", "rationale", "group",
                                                    "priority", "source", "file", "line")},
                       "pattern_texts": list(r.pattern_texts),
                       "terms": [[t.text, t.file, t.line] for t in r.terms],
                       "vetoes": list(r.vetoes)} for r in self.rules],
            "sets": {k: list(v) for k, v in self.sets.items()},
            "possessive_phrases": self.possessive_phrases,
            "max_modifiers": self.max_modifiers, "match_mc_names": self.match_mc_names,
            "files": [Path(f).name for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextRuleSet:
        """Rebuild a text rule set written by :meth:`to_dict` (same content and hash).

        The patterns are parsed again from their texts, which the hash covers (the
        compiled elements are not saved), so a saved state cannot hold elements its
        texts and hash do not say.
        """
        sets = {k: tuple(v) for k, v in data["sets"].items()}
        rules = tuple(TextRule(
            id=r["id"], label=r["label"], rationale=r["rationale"], group=r["group"],
            priority=int(r["priority"]),
            patterns=tuple(parse_pattern(Path(str(r["file"])), text, sets, int(r["line"]),
                                         str(r["id"]))
                           for text in r["pattern_texts"]),
            pattern_texts=tuple(r["pattern_texts"]),
            terms=tuple(Term(t, f, int(n)) for t, f, n in r["terms"]),
            vetoes=tuple(r["vetoes"]), source=r["source"], file=r["file"], line=int(r["line"]))
            for r in data["rules"])
        return cls(name=data["name"], version=data["version"],
                   description=data["description"], rules=rules,
                   sets=sets,
                   possessive_phrases=bool(data["possessive_phrases"]),
                   max_modifiers=int(data["max_modifiers"]),
                   match_mc_names=bool(data["match_mc_names"]), files=tuple(data["files"]))

    @property
    def hash(self) -> str:
        """SHA-256 of the content (16 hex digits); file positions do not count."""
        payload = {
            "rules": [
                {"id": r.id, "label": r.label, "priority": r.priority, "group": r.group,
                 "patterns": list(r.pattern_texts), "terms": [t.text for t in r.terms],
                 "vetoes": list(r.vetoes)}
                for r in self.rules
            ],
            "sets": {k: list(v) for k, v in sorted(self.sets.items())},
            "settings": [self.possessive_phrases, self.max_modifiers, self.match_mc_names],
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def default_text_rules_path() -> Path:
    """Return the path of the bundled text rule file ``rules/text/default.yaml``."""
    return rules_root() / "text" / "default.yaml"


def _line(obj: Any, default: int = 0) -> int:
    return obj.get(LINE_KEY, default) if isinstance(obj, dict) else default


def _item_lines(obj: dict[str, Any], key: str, count: int, default: int) -> list[int]:
    """Line of each item of list ``key`` where the YAML reader recorded it."""
    for meta_key, value in obj.items():
        if _is_meta(meta_key) and meta_key != LINE_KEY and isinstance(value, dict):
            lines = value.get(key)
            if isinstance(lines, list) and len(lines) == count:
                return [int(x) for x in lines]
    return [default] * count


def _check_regex(path: Path, pattern: str, line: int, rule_id: str | None = None) -> None:
    # spaCy's Matcher compiles token expressions with the standard 're' module.
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RuleFileError(str(path), f"invalid regular expression {pattern!r}: {exc}",
                            line=line, rule_id=rule_id) from None
    if compiled.fullmatch(""):
        raise RuleFileError(str(path), f"regular expression {pattern!r} matches an empty "
                            "token; it would match everywhere", line=line, rule_id=rule_id)
    try:  # refused like a register rule's 're:' term (pv_identify.rules.regexcheck)
        probe = regex.compile(pattern)
    except regex.error:  # 're' syntax that 'regex' reads otherwise: nothing to probe
        return
    slow = slow_text(probe, pattern)
    if slow is not None:
        raise RuleFileError(str(path), slow_message(pattern, slow, "token"), line=line,
                            rule_id=rule_id)


def _norm_word(word: str) -> str:
    """Normalise a word of a set or pattern like the text it is compared with."""
    return normalize_text(word) or word


def _set_entries(path: Path, items: list[tuple[int, str]]) -> tuple[str, ...]:
    out: list[str] = []
    for line, item in items:
        if item.startswith("re:"):
            _check_regex(path, item[3:].strip(), line)
            out.append("re:" + item[3:].strip())
        else:
            out.append(_norm_word(item))
    return tuple(dict.fromkeys(out))


def _roots(path: Path) -> tuple[Path, ...]:
    """Folders a text rule file's lists may lie in: its own and the bundled rules."""
    from pv_identify.rules.presets import rules_root

    return (path.parent, rules_root().resolve())


def _load_sets(path: Path, raw: Any) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RuleFileError(str(path), "'sets' must be a mapping of name to a list of words "
                            "or {file: name}", line=1)
    line = _line(raw)
    sets: dict[str, tuple[str, ...]] = {}
    for name, value in raw.items():
        if _is_meta(name):
            continue
        name = str(name)
        if not _NAME.match(name) or name in BUILTIN_SETS:
            raise RuleFileError(str(path), f"set name {name!r} must be a plain name (letters, "
                                f"digits, '_') and not one of {sorted(BUILTIN_SETS)}",
                                line=line)
        if isinstance(value, dict):
            _check_keys(path, value, {"file", "items"}, f"set {name!r}")
            items = [(_line(value, line), w) for w in
                     _str_list(path, value.get("items", []), f"set {name!r}", line)]
            if "file" in value:
                set_path = referenced_file(path, _str(path, value["file"], "'file'", line),
                                           f"set {name!r} 'file'", _roots(path), line)
                items += read_referenced(read_lines, path, str(value["file"]), "'file'",
                                         set_path, line)
                entries = _set_entries(set_path, items)
            else:
                entries = _set_entries(path, items)
        else:
            entries = _set_entries(
                path, [(line, w) for w in _str_list(path, value, f"set {name!r}", line)])
        if not entries:
            raise RuleFileError(str(path), f"set {name!r} is empty", line=line)
        sets[name] = entries
    return sets


def parse_pattern(path: Path, text: str, sets: dict[str, tuple[str, ...]], line: int,
                  rule_id: str) -> tuple[TokenSpec, ...]:
    """Parse one phrase pattern into token elements.

    Parameters
    ----------
    path : pathlib.Path
        Rule file (for messages).
    text : str
        The pattern as written.
    sets : dict
        Named sets of the file.
    line : int
        Line of the rule.
    rule_id : str
        Rule id (for messages).

    Returns
    -------
    tuple of TokenSpec
        The elements.

    Raises
    ------
    RuleFileError
        On an unknown set or label, a bad quantifier or expression, or a pattern that
        can match zero tokens.
    """
    specs: list[TokenSpec] = []
    for element in text.split():
        op = None
        negated = len(element) > 1 and element.startswith("!")
        if negated:
            element = element[1:]
            if element.startswith(("re:", "_", "!")):
                raise RuleFileError(str(path), f"pattern {text!r}: '!' negates a word, an "
                                    "alternation or a set (!word, !a|b, !@set); write a "
                                    "negated expression as re:^(?!...)", line=line,
                                    rule_id=rule_id)
        if element.startswith("re:"):
            body = element[3:]
            _check_regex(path, body, line, rule_id)
            specs.append(TokenSpec("regex", (body,)))
            continue
        if len(element) > 1:
            m = _QUANT.search(element)
            if m:
                op, element = m.group(1), element[: m.start()]
        if op and op.startswith("{"):
            low, _, high = op[1:-1].partition(",")
            if high and int(high) < int(low):
                raise RuleFileError(str(path), f"quantifier {op!r} in pattern {text!r}: the "
                                    "upper bound is below the lower bound", line=line,
                                    rule_id=rule_id)
        if not element:
            raise RuleFileError(str(path), f"pattern {text!r} has a quantifier without a token",
                                line=line, rule_id=rule_id)
        if element == "_":
            specs.append(TokenSpec("any", (), op))
        elif element.startswith("@"):
            name = element[1:]
            if name.startswith(LABEL_SET_PREFIX):
                for label in name[len(LABEL_SET_PREFIX):].split("|"):
                    if label not in LABELS or label == "none":
                        raise RuleFileError(str(path), f"unknown label {label!r} in {element!r}; "
                                            f"expected one of: {', '.join(LABELS[:-1])}",
                                            line=line, rule_id=rule_id)
            elif name not in sets and name not in BUILTIN_SETS:
                known = ", ".join(sorted(set(sets) | BUILTIN_SETS))
                raise RuleFileError(str(path), f"pattern {text!r} uses unknown set {element!r};"
                                    f" known sets: {known}, or @label:<label>", line=line,
                                    rule_id=rule_id)
            specs.append(TokenSpec("set", (name,), op, negated))
        else:
            if "{" in element or "}" in element:
                raise RuleFileError(str(path), f"pattern {text!r}: {element!r} has a malformed "
                                    "quantifier; write {n} or {m,n} at the end of an element",
                                    line=line, rule_id=rule_id)
            words = tuple(_norm_word(w) for w in element.split("|") if w)
            if not words:
                raise RuleFileError(str(path), f"empty alternative in pattern {text!r}",
                                    line=line, rule_id=rule_id)
            split = [w for w in words if len(w.split()) != 1]
            if split:  # a pattern element matches one token of the normalised text
                raise RuleFileError(str(path), f"pattern {text!r}: {split[0]!r} is not one word "
                                    "after normalisation, so it never matches a token; write "
                                    "its words as separate elements", line=line,
                                    rule_id=rule_id)
            specs.append(TokenSpec("words", words, op, negated))
    if not specs or all(s.optional for s in specs):
        raise RuleFileError(str(path), f"pattern {text!r} can match zero tokens; give at least "
                            "one required element", line=line, rule_id=rule_id)
    if len(specs) > _MAX_PATTERN_TOKENS:
        raise RuleFileError(str(path), f"pattern {text!r} has more than {_MAX_PATTERN_TOKENS} "
                            "elements", line=line, rule_id=rule_id)
    return tuple(specs)


def _parse_rule(path: Path, raw: Any, sets: dict[str, tuple[str, ...]]) -> TextRule:
    line = _line(raw)
    rule_id = rule_header(path, raw, RULE_KEYS, ("label", "rationale"),
                          "'id', 'label', 'rationale' and 'patterns' or 'terms'", line)
    label = _str(path, raw["label"], "'label'", line, rule_id)
    if label not in LABELS:
        raise RuleFileError(str(path), f"unknown label {label!r}; expected one of: "
                            f"{', '.join(LABELS)}", line=line, rule_id=rule_id)
    priority = raw.get("priority", 30)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise RuleFileError(str(path), "'priority' must be a whole number", line=line,
                            rule_id=rule_id)
    pattern_texts = tuple(_str_list(path, raw.get("patterns", []), "'patterns'", line, rule_id))
    lines = _item_lines(raw, "patterns", len(pattern_texts), line)
    patterns = tuple(parse_pattern(path, p, sets, n, rule_id)
                     for p, n in zip(pattern_texts, lines, strict=True))
    terms = [Term(t, str(path), line)
             for t in _str_list(path, raw.get("terms", []), "'terms'", line, rule_id)]
    if "terms_file" in raw:
        term_path = referenced_file(
            path, _str(path, raw["terms_file"], "'terms_file'", line, rule_id), "terms_file",
            _roots(path), line, rule_id)
        terms += [Term(t, str(term_path), n) for n, t in read_referenced(
            read_lines, path, str(raw["terms_file"]), "terms_file", term_path, line, rule_id)]
    for term in terms:
        if term.text.startswith("re:") or "*" in term.text:
            raise RuleFileError(term.file, f"term {term.text!r}: text-rule terms are plain "
                                "phrases; write a pattern for anything else", line=term.line,
                                rule_id=rule_id)
    if not patterns and not terms:
        raise RuleFileError(str(path), "rule has neither 'patterns' nor 'terms'/'terms_file'",
                            line=line, rule_id=rule_id)
    vetoes = tuple(_str_list(path, raw.get("vetoes", []), "'vetoes'", line, rule_id))
    if vetoes and label != "none":
        raise RuleFileError(str(path), "only traps (label 'none') may have 'vetoes'",
                            line=line, rule_id=rule_id)
    return TextRule(
        id=rule_id, label=label,
        rationale=_str(path, raw["rationale"], "'rationale'", line, rule_id),
        group=_str(path, raw.get("group", "text"), "'group'", line, rule_id),
        priority=priority, patterns=patterns, pattern_texts=pattern_texts,
        terms=tuple(terms), vetoes=vetoes,
        source=str(raw.get("source", "") or ""), file=str(path), line=line,
    )


def load_text_rules(path: str | Path | None = None) -> TextRuleSet:
    """Load and validate a text rule file.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The YAML file; the bundled ``rules/text/default.yaml`` when omitted.

    Returns
    -------
    TextRuleSet
        The validated rules.

    Raises
    ------
    RuleFileError
        On any problem, naming the file and line.
    """
    path = Path(path).resolve() if path is not None else default_text_rules_path()
    data = read_yaml(path)
    problems = Problems()
    settings = file_head(path, data, TOP_KEYS, SETTING_KEYS, "text rule file", problems)
    for key in ("possessive_phrases", "match_mc_names"):
        if not isinstance(settings.get(key, True), bool):
            problems.add(RuleFileError(str(path), f"{key!r} must be true or false",
                                       line=_line(settings)))
    max_modifiers = settings.get("max_modifiers", 4)
    if isinstance(max_modifiers, bool) or not isinstance(max_modifiers, int) or not (
            0 <= max_modifiers <= 10):
        problems.add(RuleFileError(str(path), "'max_modifiers' must be a whole number from 0 "
                                   "to 10", line=_line(settings)))
    sets: dict[str, tuple[str, ...]] = {}
    with problems.collect():
        sets = _load_sets(path, data.get("sets"))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.add(RuleFileError(str(path), "'rules' must be a list of rules",
                                   line=_line(data)))
        raw_rules = []
    rules: list[TextRule] = []
    for raw in raw_rules:
        with problems.collect():
            rules.append(_parse_rule(path, raw, sets))
    seen: dict[str, TextRule] = {}
    for rule in rules:
        if rule.id in seen:
            problems.add(RuleFileError(
                str(path), f"duplicate rule id {rule.id!r} (first defined on line "
                f"{seen[rule.id].line})", line=rule.line, rule_id=rule.id))
        seen.setdefault(rule.id, rule)
    if settings.get("possessive_phrases", True) and not {"possessive", "modifier"} <= set(sets):
        problems.add(RuleFileError(str(path), "'possessive_phrases' needs the sets "
                                   "'possessive' and 'modifier'", line=_line(settings)))
    missing = [n for n in GENDER_SETS if n not in sets]
    for rule in rules:
        if rule.group in GENDER_GROUPS and missing:
            problems.add(RuleFileError(
                str(path), f"gender cue rules (group {rule.group!r}) need the sets "
                f"{', '.join(repr(n) for n in missing)}", line=rule.line, rule_id=rule.id))
    names: dict[str, str] = {}
    with problems.collect():
        names["name"] = _str(path, data.get("name", ""), "'name'", 1)
    with problems.collect():
        names["version"] = _version(path, data.get("version", ""), key_line(data, "version", 1))
    problems.raise_if_any()
    return TextRuleSet(
        name=names["name"],
        version=names["version"],
        description=str(data.get("description", "") or "").strip(),
        rules=tuple(rules), sets=sets,
        possessive_phrases=bool(settings.get("possessive_phrases", True)),
        max_modifiers=max_modifiers,
        match_mc_names=bool(settings.get("match_mc_names", True)),
        files=(str(path),),
    )
