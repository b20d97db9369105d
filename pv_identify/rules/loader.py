"""Load and validate rule files (YAML) and term lists (plain text).

A rule file looks like this (see ``rules/README.md`` for the full reference)::

    name: my_rules
    version: "1.0"
    description: Extra ex-partner terms for our extract.
    extends: default            # a preset name or a path, optional
    disable: [default.qual.friend]
    settings: {case_sensitive: false, match: word}
    rules:
      - id: my.qual.ex
        field: qualification
        label: ex_partner
        rationale: Our clerks write "ex-vriendin" in free-text remarks.
        terms: [ex-vriendin]
        terms_file: my_terms.txt

Every problem is reported as a :class:`~pv_identify.errors.RuleFileError` naming the
file, the line and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import regex

from pv_identify.errors import RuleFileError
from pv_identify.normalize.articles import parse_articles
from pv_identify.normalize.mc import normalize_mc_name
from pv_identify.normalize.text import normalize_text
from pv_identify.rules.fields import file_head, rule_header
from pv_identify.rules.fields import mapping_keys as _keys
from pv_identify.rules.fields import string as _str
from pv_identify.rules.fields import string_list as _str_list
from pv_identify.rules.fields import version as _version
from pv_identify.rules.grammar import Grammar, load_grammar
from pv_identify.rules.presets import resolve_preset, rules_root
from pv_identify.rules.problems import Problems
from pv_identify.rules.regexcheck import slow_message, slow_text
from pv_identify.rules.ruleset import (
    DEFAULT_PRIORITY,
    FIELDS,
    MATCH_MODES,
    Rule,
    RuleSet,
    Term,
    names_of,
)
from pv_identify.rules.yamlfile import (
    ITEM_LINES_KEY,
    LINE_KEY,
    META_KEYS,
    key_line,
    read_lines,
    read_pairs,
    read_referenced,
    read_yaml,
    referenced_file,
)
from pv_identify.schema import LABELS, NONE

TOP_KEYS = {
    "name", "version", "description", "extends", "disable", "settings", "abbreviations",
    "abbreviations_file", "mc_codes", "mc_codes_file", "choices", "rules", "grammar",
}
SETTING_KEYS = {"case_sensitive", "match", "mc_delimiters"}
RULE_KEYS = {
    "id", "field", "label", "rationale", "group", "priority", "match", "terms", "terms_file",
    "values", "articles", "vetoes", "source",
}
ITEM_KEY = {"qualification": "terms", "mc": "values", "article": "articles"}
_MAX_EXTENDS_DEPTH = 8
#: Characters that may separate several MCs in one cell (``settings.mc_delimiters``).
MC_DELIMITERS_HELP = ("a non-empty string of separator characters, e.g. \";|\" (quote it; "
                      "null, numbers and lists are not allowed)")


def allowed_roots(path: Path, allow_paths: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """Folders the files referenced by rule file ``path`` may lie in.

    Parameters
    ----------
    path : pathlib.Path
        The rule file the user named.
    allow_paths : iterable of path, optional
        More folders to allow.

    Returns
    -------
    tuple of pathlib.Path
        The rule file's folder, the bundled ``rules/`` folder, then ``allow_paths``.
    """
    return (Path(path).resolve().parent, rules_root().resolve(),
            *(Path(p).resolve() for p in allow_paths))


def _line(obj: Any, default: int | None = None) -> int | None:
    return obj.get(LINE_KEY, default) if isinstance(obj, dict) else default


def check_term(path: Path, text: str, line: int, rule_id: str, *,
               check_speed: bool = True) -> None:
    """Validate one qualification term (regex syntax, wildcard placement).

    Parameters
    ----------
    path : pathlib.Path
        File the term is in (for the error).
    text : str
        The term as written.
    line : int
        Its line.
    rule_id : str
        The rule it belongs to.
    check_speed : bool, default True
        Refuse a regular expression that backtracks catastrophically
        (:mod:`pv_identify.rules.regexcheck`); ``lint`` runs that check itself.

    Raises
    ------
    RuleFileError
        If the term is invalid.
    """
    if text.startswith("re:"):
        pattern = text[3:].strip()
        if not pattern:
            raise RuleFileError(str(path), "empty regular expression after 're:'", line=line,
                                rule_id=rule_id)
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise RuleFileError(str(path), f"invalid regular expression {pattern!r}: {exc}",
                                line=line, rule_id=rule_id) from None
        if regex.compile(pattern).match(""):
            raise RuleFileError(str(path), f"regular expression {pattern!r} matches the empty "
                                "string; it would fire everywhere", line=line, rule_id=rule_id)
        slow = (slow_text(regex.compile(pattern, regex.IGNORECASE), pattern) if check_speed
                else None)
        if slow is not None:
            raise RuleFileError(str(path), slow_message(pattern, slow, "text"), line=line,
                                rule_id=rule_id)
    elif "*" in text.rstrip("*") or text.strip("*").strip() == "":
        raise RuleFileError(
            str(path),
            f"term {text!r}: '*' is only allowed once, at the end of a term with text before it",
            line=line, rule_id=rule_id)
    elif not normalize_text(text.rstrip("*")).strip():
        raise RuleFileError(
            str(path), f"term {text!r} is empty after normalisation (brackets, quotes and "
            "punctuation are dropped), so it can never match; write the word itself",
            line=line, rule_id=rule_id)


def _load_items(path: Path, raw: dict[str, Any], field: str, rule_id: str,
                line: int, roots: tuple[Path, ...]) -> tuple[Term, ...]:
    key = ITEM_KEY[field]
    wrong = sorted((set(ITEM_KEY.values()) | {"terms_file"}) & _keys(raw) - {key} - (
        {"terms_file"} if field == "qualification" else set()))
    if wrong:
        raise RuleFileError(str(path), f"a rule on field {field!r} takes {key!r}, not "
                            f"{', '.join(map(repr, wrong))}", line=line, rule_id=rule_id)
    items: list[Term] = []
    lines = raw.get(ITEM_LINES_KEY, {}).get(key, [])
    texts = _str_list(path, raw.get(key, []), key, line, rule_id, lines)
    for i, text in enumerate(texts):
        items.append(Term(text, str(path), lines[i] if i < len(lines) else line))
    if "terms_file" in raw:
        for name in _str_list(path, raw["terms_file"], "terms_file", line, rule_id):
            term_path = referenced_file(path, name, "terms_file", roots, line, rule_id)
            lines = read_referenced(read_lines, path, name, "terms_file", term_path, line,
                                    rule_id)
            items.extend(Term(t, str(term_path), n) for n, t in lines)
    if not items:
        raise RuleFileError(str(path), f"rule has no {key}: give {key!r}"
                            + (" or 'terms_file'" if field == "qualification" else ""),
                            line=line, rule_id=rule_id)
    seen: dict[str, Term] = {}
    for item in items:
        if field == "qualification":
            check_term(Path(item.file), item.text, item.line, rule_id)
            norm = item.text.casefold()
        elif field == "mc":
            norm = normalize_mc_name(item.text)
        else:
            refs = parse_articles(item.text)
            if len(refs) != 1:
                raise RuleFileError(item.file, f"article {item.text!r} must name exactly one "
                                    f"article (parsed {len(refs)})", line=item.line,
                                    rule_id=rule_id)
            norm = str(refs[0])
        if norm in seen:
            first = seen[norm]
            raise RuleFileError(item.file, f"duplicate item {item.text!r} (also at "
                                f"{first.file}:{first.line})", line=item.line, rule_id=rule_id)
        seen[norm] = item
    return tuple(items)


def parse_rule(path: Path, raw: Any, default_match: str,
               roots: tuple[Path, ...] | None = None) -> Rule:
    """Validate one rule mapping from a rule file.

    Parameters
    ----------
    path : pathlib.Path
        The rule file (for error messages and relative term files).
    raw : dict
        The mapping as read by :func:`~pv_identify.rules.yamlfile.read_yaml`.
    default_match : str
        Match mode when the rule gives none.
    roots : tuple of pathlib.Path, optional
        Folders a ``terms_file`` may lie in (default: the rule file's folder and the
        bundled rules).

    Returns
    -------
    Rule
        The validated rule.

    Raises
    ------
    RuleFileError
        On any invalid content.
    """
    line = (_line(raw, 0) or 0) if isinstance(raw, dict) else 0
    rule_id = rule_header(path, raw, RULE_KEYS, ("field", "label", "rationale"),
                          "'id', 'field', 'label', 'rationale'", line)
    field = _str(path, raw["field"], "'field'", line, rule_id)
    if field not in FIELDS:
        raise RuleFileError(str(path), f"unknown field {field!r}; expected one of: "
                            f"{', '.join(FIELDS)}", line=line, rule_id=rule_id)
    label = _str(path, raw["label"], "'label'", line, rule_id)
    if label not in LABELS:
        raise RuleFileError(str(path), f"unknown label {label!r}; expected one of: "
                            f"{', '.join(LABELS)}", line=line, rule_id=rule_id)
    match = _str(path, raw.get("match", default_match), "'match'", line, rule_id)
    if match not in MATCH_MODES:
        raise RuleFileError(str(path), f"unknown match mode {match!r}; expected one of: "
                            f"{', '.join(MATCH_MODES)}", line=line, rule_id=rule_id)
    priority = raw.get("priority", DEFAULT_PRIORITY[field])
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise RuleFileError(str(path), "'priority' must be a whole number", line=line,
                            rule_id=rule_id)
    vetoes = tuple(_str_list(path, raw.get("vetoes", []), "'vetoes'", line, rule_id))
    if vetoes and label != NONE:
        raise RuleFileError(str(path), "only exclusion rules (label 'none') may have 'vetoes'",
                            line=line, rule_id=rule_id)
    items = _load_items(path, raw, field, rule_id, line,
                        roots if roots is not None else allowed_roots(path))
    return Rule(
        id=rule_id,
        field=field,  # type: ignore[arg-type]
        label=label,
        rationale=_str(path, raw["rationale"], "'rationale'", line, rule_id),
        group=_str(path, raw.get("group", field), "'group'", line, rule_id),
        priority=priority,
        match=match,  # type: ignore[arg-type]
        terms=items if field == "qualification" else (),
        values=items if field == "mc" else (),
        articles=items if field == "article" else (),
        vetoes=vetoes,
        source=_str(path, raw.get("source", ""), "'source'", line, rule_id, allow_empty=True),
        file=str(path),
        line=line,
    )


def _pairs(path: Path, data: dict[str, Any], key: str, file_key: str,
           roots: tuple[Path, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    inline = data.get(key, {})
    if not isinstance(inline, dict):
        raise RuleFileError(str(path), f"{key!r} must be a mapping", line=_line(data))
    for k, v in inline.items():
        if k in META_KEYS:
            continue
        table[_str(path, k, f"a key of {key!r}", _line(inline))] = _str(
            path, v, f"the value of {k!r} in {key!r}", _line(inline))
    if file_key in data:
        for name in _str_list(path, data[file_key], file_key, _line(data)):
            pair_path = referenced_file(path, name, file_key, roots, key_line(data, file_key))
            pairs = read_referenced(read_pairs, path, name, file_key, pair_path,
                                    key_line(data, file_key))
            table.update({k: v for _, k, v in pairs})
    return table


def load_rule_file(path: str | Path, _depth: int = 0, *,
                   allow_paths: Iterable[str | Path] = (),
                   _roots: tuple[Path, ...] | None = None) -> RuleSet:
    """Load one rule file, following ``extends``, and validate it.

    Every problem of the file is reported, not only the first: several problems
    raise :class:`~pv_identify.errors.RuleFileErrors` listing each with its line.

    Parameters
    ----------
    path : str or pathlib.Path
        The YAML rule file.
    allow_paths : iterable of path, optional
        Folders besides the rule file's own folder (and the bundled rules) that
        ``extends`` and the ``*_file`` keys may point into.

    Returns
    -------
    RuleSet
        The validated rule set (base rules first, then this file's).

    Raises
    ------
    RuleFileError
        On any problem, naming the file, the line and what was expected.
    """
    path = Path(path).resolve()
    roots = _roots if _roots is not None else allowed_roots(path, allow_paths)
    if _depth > _MAX_EXTENDS_DEPTH:
        raise RuleFileError(str(path), "'extends' chain is too deep (a cycle?)")
    data = read_yaml(path)
    problems = Problems()
    settings = file_head(path, data, TOP_KEYS, SETTING_KEYS, "rule file", problems)
    base: RuleSet | None = None
    base_failed = False
    if data.get("extends"):
        try:
            line = key_line(data, "extends")
            target = _str(path, data["extends"], "'extends'", line)
            if "/" in target or "\\" in target or target.endswith((".yaml", ".yml")):
                referenced_file(path, target, "'extends'", roots, line)  # before any look
            base_path = resolve_preset(target, relative_to=path.parent)
            base = load_rule_file(base_path, _depth + 1, _roots=roots)
        except RuleFileError as exc:
            problems.add(exc)
            base_failed = True
    case_sensitive = settings.get("case_sensitive", base.case_sensitive if base else False)
    if not isinstance(case_sensitive, bool):
        problems.add(RuleFileError(str(path), "'case_sensitive' must be true or false",
                                   line=_line(settings)))
    default_match = "word"
    if "match" in settings:
        with problems.collect():
            default_match = _str(path, settings["match"], "'match'", _line(settings))
            if default_match not in MATCH_MODES:
                raise RuleFileError(str(path), f"unknown match mode {default_match!r}; "
                                    f"expected one of: {', '.join(MATCH_MODES)}",
                                    line=key_line(settings, "match"))
    mc_delimiters = base.mc_delimiters if base else ";|\n"
    if "mc_delimiters" in settings:
        value = settings["mc_delimiters"]
        if not isinstance(value, str) or not value:
            got = ("null" if value is None else "an empty string" if value == ""
                   else type(value).__name__)
            problems.add(RuleFileError(
                str(path), f"'mc_delimiters' must be {MC_DELIMITERS_HELP}; got {got}",
                line=key_line(settings, "mc_delimiters")))
        else:
            mc_delimiters = value
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.add(RuleFileError(str(path), "'rules' must be a list of rules",
                                   line=_line(data)))
        raw_rules = []
    own: list[Rule] = []
    for raw in raw_rules:
        with problems.collect():
            own.append(parse_rule(path, raw, default_match, roots))
    ids: dict[str, Rule] = {}
    for rule in own:
        if rule.id in ids:
            problems.add(RuleFileError(
                str(path), f"duplicate rule id {rule.id!r} (first defined on line "
                f"{ids[rule.id].line})", line=rule.line, rule_id=rule.id))
            continue
        ids[rule.id] = rule
    rules: list[Rule] = list(base.rules) if base else []
    disable: list[str] = []
    with problems.collect():
        disable = _str_list(path, data.get("disable", []), "'disable'", _line(data))
    if disable and not base_failed:
        if base is None:
            problems.add(RuleFileError(str(path), "'disable' needs 'extends' (nothing to "
                                       "disable)", line=_line(data)))
        else:
            known = {r.id for r in rules} | {r.group for r in rules}
            for name in disable:
                if name not in known:
                    problems.add(RuleFileError(
                        str(path), f"'disable' names {name!r}, which is not a rule id or "
                        f"group of {base.name!r}", line=_line(data)))
            rules = [r for r in rules if r.id not in disable and r.group not in disable]
    rules = [ids.pop(r.id) if r.id in ids else r for r in rules] + list(ids.values())
    if not base_failed:
        with problems.collect():
            _check_vetoes(path, rules)
    with problems.collect():
        _check_conflicts(rules)
    abbreviations = dict(base.abbreviations) if base else {}
    with problems.collect():
        abbreviations.update(_pairs(path, data, "abbreviations", "abbreviations_file", roots))
    mc_codes = dict(base.mc_codes) if base else {}
    with problems.collect():
        mc_codes.update({normalize_mc_name(k): normalize_mc_name(v) for k, v in
                         _pairs(path, data, "mc_codes", "mc_codes_file", roots).items()})
    choices = list(base.choices) if base else []
    with problems.collect():
        choices += _str_list(path, data.get("choices", []), "'choices'", _line(data))
    texts: dict[str, str] = {}
    for key in ("name", "version", "description"):
        with problems.collect():
            value = data.get(key, "")
            texts[key] = (_version(path, value, key_line(data, key, 1)) if key == "version" else
                          _str(path, value, repr(key), 1, allow_empty=key == "description"))
    grammar = None
    with problems.collect():
        grammar = _load_grammar_key(path, data, base, roots)
    if grammar is not None:  # one id, one rule: pv_rule_ids and disable must not be ambiguous
        taken = {r.id for r in rules} | {r.group for r in rules}
        for grule in grammar.rules:
            if grule.id in taken:
                problems.add(RuleFileError(
                    grule.file, f"grammar rule id {grule.id!r} is also a rule id or group of "
                    f"rule set {texts.get('name') or path.name!r}; give it another id",
                    line=grule.line))
    problems.raise_if_any()
    return RuleSet(
        name=texts["name"],
        version=texts["version"],
        description=texts["description"],
        rules=tuple(rules),
        case_sensitive=case_sensitive,
        abbreviations=abbreviations,
        mc_codes=mc_codes,
        mc_delimiters=mc_delimiters,
        choices=tuple(choices),
        files=(*(base.files if base else ()), str(path)),
        grammar=grammar,
    )


def _load_grammar_key(path: Path, data: dict[str, Any], base: RuleSet | None,
                      roots: tuple[Path, ...]) -> Grammar | None:
    """Load the rule file's ``grammar:`` (a path relative to it, or null), else the base's.

    The grammar file is confined like every other referenced file (``roots``).
    """
    if "grammar" not in data:
        return base.grammar if base else None
    if data["grammar"] is None:
        return None
    name = _str(path, data["grammar"], "'grammar'", _line(data))
    target = referenced_file(path, name, "'grammar'", roots, key_line(data, "grammar"))
    if not target.is_file():
        what = "is a folder, not a grammar file" if target.is_dir() else "not found"
        raise RuleFileError(str(path), f"grammar file {name!r} {what} (looked for "
                            f"{target})", line=key_line(data, "grammar"))
    return load_grammar(target, roots)


def _check_vetoes(path: Path, rules: list[Rule]) -> None:
    known = {r.id for r in rules} | {r.group for r in rules}
    for rule in rules:
        for name in rule.vetoes:
            if name not in known:
                raise RuleFileError(rule.file or str(path), f"'vetoes' names {name!r}, which is "
                                    "not a rule id or group", line=rule.line, rule_id=rule.id)


def item_key(field: str, text: str) -> str:
    """Return the form under which two items of one field count as the same item.

    Qualification terms: case-folded; MC values: :func:`normalize_mc_name`; articles:
    the canonical reference. Used by the loader's conflict check and by ``lint``.
    """
    if field == "qualification":
        return text.casefold()
    if field == "mc":
        return normalize_mc_name(text)
    refs = parse_articles(text)
    return str(refs[0]) if refs else text


def find_conflicts(rules: Iterable[Rule]) -> list[RuleFileError]:
    """Every item given two labels by two rules of one field and match mode.

    Parameters
    ----------
    rules : iterable of Rule
        The rules, in order (the first rule of an item is the one named).

    Returns
    -------
    list of RuleFileError
        One error per conflicting item, at the item's file and line.
    """
    seen: dict[tuple[str, str, str], Rule] = {}
    found: list[RuleFileError] = []
    for rule in rules:
        for item in rule.items:
            key = (rule.field, rule.match, item_key(rule.field, item.text))
            other = seen.get(key)
            if other is not None and other.label != rule.label:
                found.append(RuleFileError(
                    item.file,
                    f"{item.text!r} gives label {rule.label!r} here but {other.label!r} in rule "
                    f"{other.id!r} ({other.file}:{other.line}); one item, one label",
                    line=item.line, rule_id=rule.id))
            seen.setdefault(key, rule)
    return found


def _check_conflicts(rules: list[Rule]) -> None:
    """Refuse the same item in two rules of one field with different labels (all listed)."""
    problems = Problems()
    for error in find_conflicts(rules):
        problems.add(error)
    problems.raise_if_any()


def extra_rule_id(label: str, path: str | Path, field: str = "qualification") -> str:
    """Return the id of a term-list rule: ``extra.<field>.<label>.<file stem>``."""
    return f"extra.{field}.{label}.{regex.sub(r'[^A-Za-z0-9_]+', '_', Path(path).stem)}"


def extra_terms_rule(label: str, path: str | Path, field: str = "qualification") -> Rule:
    """Make a rule from a plain term list, to add on top of a rule set.

    Parameters
    ----------
    label : str
        Label the terms give (``"ex_partner"``, ``"none"`` for exclusions, ...).
    path : str or pathlib.Path
        Plain-text term list, one term per line.
    field : str, default "qualification"
        Field the terms are matched in.

    Returns
    -------
    Rule
        A rule with id ``extra.<field>.<label>.<file stem>``.

    Raises
    ------
    RuleFileError
        If the label or field is unknown or the list is invalid.
    """
    path = Path(path).resolve()
    raw: dict[str, Any] = {
        "id": extra_rule_id(label, path, field),
        "field": field,
        "label": label,
        "group": "extra",
        "rationale": f"user term list {path.name}",
        LINE_KEY: 1,
    }
    if field == "qualification":
        raw["terms_file"] = path.name
    else:
        raw[ITEM_KEY.get(field, "terms")] = [t for _, t in read_lines(path)]
    return parse_rule(path, raw, "word")


def combine(base: RuleSet, extra: Iterable[Rule]) -> RuleSet:
    """Add rules on top of a rule set (same id replaces), re-checking conflicts.

    Parameters
    ----------
    base : RuleSet
        The rule set.
    extra : iterable of Rule
        Rules to add.

    Returns
    -------
    RuleSet
        The combined set, named ``"<base>+extra"``.
    """
    extra = list(extra)
    ids = {r.id: r for r in extra}
    rules = [ids.pop(r.id) if r.id in ids else r for r in base.rules] + list(ids.values())
    _check_conflicts(rules)
    _check_vetoes(Path(base.files[-1]) if base.files else Path("."), rules)
    return replace(base, name=f"{base.name}+extra", rules=tuple(rules),
                   files=base.files + tuple(dict.fromkeys(r.file for r in extra)))


def load_rules(
    spec: str | Path | RuleSet = "default",
    *,
    extra: Iterable[str | Path] = (),
    extra_terms: Mapping[str, str | Path] | None = None,
    enable: Iterable[str] | None = None,
    disable: Iterable[str] | None = None,
) -> RuleSet:
    """Load a rule set: a preset, a rule file, plus optional extra rules and term lists.

    Parameters
    ----------
    spec : str, pathlib.Path or RuleSet, default "default"
        A preset name (``"default"``, ``"wodc2022"``, ``"wodc2022_substring"``), a path to
        a YAML rule file, or an already loaded rule set.
    extra : iterable of path, optional
        More rule files whose rules are added on top (same id replaces).
    extra_terms : mapping of label to path, optional
        Plain-text term lists to add as qualification rules, e.g.
        ``{"ex_partner": "my_terms.txt"}``.
    enable, disable : iterable of str, optional
        Rule ids or groups to keep / drop for this call.

    Returns
    -------
    RuleSet
        The validated rule set.

    Raises
    ------
    RuleFileError
        If any file is invalid.
    KeyError
        If ``enable``/``disable`` names an unknown rule or group.
    """
    ruleset = spec if isinstance(spec, RuleSet) else load_rule_file(resolve_preset(spec))
    added: list[Rule] = []
    for path in extra:
        added.extend(load_rule_file(path).rules)
    for label, path in (extra_terms or {}).items():
        added.append(extra_terms_rule(label, path))
    if added:
        ruleset = combine(ruleset, added)
    if enable is not None or disable is not None:
        ruleset = ruleset.select(names_of(enable) if enable is not None else None,
                                 names_of(disable))
    return ruleset

