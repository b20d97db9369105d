"""Check a rule file or term list before using it.

:func:`lint` reports, each with file and line:

* ``invalid`` — what the loader refuses (bad YAML, unknown label, bad regex, ...);
* ``duplicate`` — the same term twice in the list, or a term that another rule
  already has (same label: redundant; other label: a conflict the loader refuses);
* ``shadowed`` — a term that can never decide because a longer or earlier term
  (or an exclusion) always claims its text, and ``unreachable`` — a term that
  normalisation turns into something else (e.g. an abbreviation key);
* ``never-matches`` — terms, MC names and articles that match no offence of a given
  extract (with the count of offences each item matches in ``LintResult.items``);
* ``backtracking`` — regular expressions that take longer than a time limit on
  adversarial text (the regex module's ``timeout``), or with nested quantifiers;
* ``inside-word`` — terms that fire inside a longer, unrelated word (``partner`` in
  ``zaken-partner``, ``kind*`` in ``kinderopvang``), tested on a built-in list of
  Dutch compounds and on the words of the extract. Words from the extract are listed
  only with ``show_texts``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import regex

from pv_identify.errors import PvIdentifyError, RuleFileError
from pv_identify.io.mapping import ColumnMapping
from pv_identify.normalize.articles import ArticleRef, parse_articles
from pv_identify.normalize.distinct import factorize_text
from pv_identify.normalize.mc import normalize_mc_name
from pv_identify.rules.apply import join_mc_columns
from pv_identify.rules.compiler import CompiledRules, compile_rules, term_pattern
from pv_identify.rules.loader import check_term, combine, extra_rule_id, item_key, load_rules
from pv_identify.rules.presets import preset_names
from pv_identify.rules.regexcheck import has_nested_quantifier, slow_text
from pv_identify.rules.ruleset import DEFAULT_PRIORITY, Rule, RuleSet, Term
from pv_identify.rules.yamlfile import read_lines
from pv_identify.schema import LABELS, NONE

#: Dutch words that contain a relationship word but name no relationship. Terms that
#: fire inside them are reported (``inside-word``).
TRAP_WORDS: tuple[str, ...] = (
    "zakenpartner", "zaken-partner", "handelspartner", "sparringpartner", "gesprekspartner",
    "ketenpartner", "partnerschap", "partnerorganisatie", "partner-organisatie",
    "echtgenootschap", "levensgezelschap",
    "kinderopvang", "kinderporno", "kinderpornografie", "kinderbijslag", "kinderarbeid",
    "kinderwagen", "kindermishandeling", "kinderbescherming", "kindermeisje",
    "moedermaatschappij", "moederbedrijf", "moedertaal", "vaderland", "vaderlandse",
    "vaderdag", "moederdag", "broederschap", "zusterbedrijf", "zustermaatschappij",
    "ouderdom", "ouderenzorg", "ouderlijk", "grootouderlijk", "mannelijk", "manier",
    "mandaat", "vrouwelijk", "mevrouw", "vrouwenhandel", "vriendschappelijk",
    "vriendendienst", "vriendelijk", "gezinsvoogd", "gezinshuis", "zoontjes",
    "dochteronderneming", "dochtermaatschappij", "europa", "diploma", "ex-werknemer",
    "ex-collega", "ex-gedetineerde", "exploitatie", "expert", "boom", "tantezegger",
    "neefje", "nichtje", "pleegzorginstelling", "stiefmoederlijk", "schoonmaak",
    "schoonmaker", "schoonheidssalon", "huisgenootschap",
)

_TOKEN = regex.compile(r"[\w-]+")


@dataclass(frozen=True)
class LintIssue:
    """One finding of :func:`lint`.

    Parameters
    ----------
    severity : {"error", "warning", "info"}
        ``error``: the file will not load or a pattern hangs; ``warning``: the term
        does not do what it seems to; ``info``: worth a look.
    code : str
        ``invalid``, ``duplicate``, ``shadowed``, ``unreachable``, ``never-matches``,
        ``backtracking`` or ``inside-word``.
    file : str
        File of the term or rule.
    line : int or None
        1-based line.
    rule_id : str or None
        Rule id.
    term : str or None
        The term, MC name or article as written.
    message : str
        What is wrong and what to do.
    """

    severity: str
    code: str
    file: str
    line: int | None
    rule_id: str | None
    term: str | None
    message: str

    def format(self) -> str:
        """Return ``file:line: severity [code] rule 'term': message``."""
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" {self.rule_id}" if self.rule_id else ""
        what = f" {self.term!r}" if self.term else ""
        return f"{where}: {self.severity} [{self.code}]{who}{what}: {self.message}"


@dataclass
class LintResult:
    """All findings of :func:`lint`.

    Attributes
    ----------
    issues : list of LintIssue
        Findings, errors first.
    items : pandas.DataFrame or None
        With an extract: one row per checked item (``rule_id``, ``field``, ``item``,
        ``file``, ``line``, ``offences`` it matches).
    ruleset : RuleSet or None
        The rule set the file was checked in (None if it did not load).
    seconds : float
        Time taken.
    """

    issues: list[LintIssue] = field(default_factory=list)
    items: pd.DataFrame | None = None
    ruleset: RuleSet | None = None
    seconds: float = 0.0

    @property
    def errors(self) -> list[LintIssue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[LintIssue]:
        """The issues of severity ``warning``."""
        return [i for i in self.issues if i.severity == "warning"]

    def format(self) -> str:
        """Return one line per issue and a count line."""
        lines = [i.format() for i in self.issues]
        n = {s: sum(i.severity == s for i in self.issues) for s in ("error", "warning", "info")}
        lines.append(f"{n['error']} error(s), {n['warning']} warning(s), {n['info']} note(s)")
        return "\n".join(lines) + "\n"


_ORDER = {"error": 0, "warning": 1, "info": 2}


def _term_list_rule(path: Path, label: str, base: RuleSet, issues: list[LintIssue]
                    ) -> Rule | None:
    """Read a plain term list, collecting every problem instead of stopping."""
    rule_id = extra_rule_id(label, path)
    try:
        lines = read_lines(path)
    except RuleFileError as exc:
        issues.append(LintIssue("error", "invalid", exc.path, exc.line, None, None, exc.detail))
        return None
    if not lines:
        issues.append(LintIssue("error", "invalid", str(path), None, rule_id, None,
                                "the term list has no terms"))
        return None
    base_terms: dict[str, tuple[Rule, Term]] = {}
    for r in base.rules:
        if r.field == "qualification":
            for t in r.terms:
                base_terms.setdefault(item_key(r.field, t.text), (r, t))
    seen: dict[str, int] = {}
    terms: list[Term] = []
    for number, text in lines:
        try:
            check_term(path, text, number, rule_id, check_speed=False)  # own check below
        except RuleFileError as exc:
            issues.append(LintIssue("error", "invalid", str(path), number, rule_id, text,
                                    exc.detail))
            continue
        key = item_key("qualification", text)
        if key in seen:
            issues.append(LintIssue("error", "duplicate", str(path), number, rule_id, text,
                                    f"also on line {seen[key]}; remove one"))
            continue
        seen[key] = number
        other = base_terms.get(key)
        if other is not None:
            r, t = other
            if r.label != label:
                issues.append(LintIssue(
                    "error", "duplicate", str(path), number, rule_id, text,
                    f"gives {label!r} here but {r.label!r} in rule {r.id} ({t.file}:{t.line}); "
                    "the loader refuses one item with two labels"))
                continue
            issues.append(LintIssue("warning", "duplicate", str(path), number, rule_id, text,
                                    f"already in rule {r.id} ({t.file}:{t.line}); redundant"))
        terms.append(Term(text, str(path), number))
    if not terms:
        return None
    return Rule(id=rule_id, field="qualification", label=label,
                rationale=f"user term list {path.name}", group="extra",
                priority=DEFAULT_PRIORITY["qualification"], match="word",
                terms=tuple(terms), file=str(path), line=1)


def _load(target: str | Path, base: str | Path | RuleSet, label: str | None,
          issues: list[LintIssue]) -> tuple[RuleSet | None, set[str]]:
    """Load the target in context; return the rule set and the ids of its own rules."""
    if isinstance(target, str) and target in preset_names() and not Path(target).exists():
        rs = load_rules(target)
        return rs, {r.id for r in rs.rules}
    path = Path(target)
    if not path.is_file():
        raise PvIdentifyError(f"{path}: no such rule file or term list (or preset name)")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            rs = load_rules(path)
        except RuleFileError as exc:  # the loader lists every problem of the file
            for err in getattr(exc, "errors", [exc]):
                issues.append(LintIssue("error", "invalid", err.path, err.line, err.rule_id,
                                        None, err.detail))
            return None, set()
        own = {r.id for r in rs.rules if Path(r.file).resolve() == path.resolve()}
        return rs, own
    if label is None:
        label = path.stem if path.stem in LABELS else None
    if label is None or label not in LABELS:
        raise PvIdentifyError(f"{path}: a term list needs a label (--label), one of: "
                              f"{', '.join(LABELS)}")
    base_rs = load_rules(base)
    rule = _term_list_rule(path.resolve(), label, base_rs, issues)
    if rule is None:
        return None, set()
    try:
        rs = combine(base_rs, [rule])
    except RuleFileError as exc:  # pragma: no cover - conflicts are pre-checked above
        issues.append(LintIssue("error", "invalid", exc.path, exc.line, exc.rule_id, None,
                                exc.detail))
        return None, set()
    return rs, {rule.id}


def _groups(compiled: CompiledRules) -> dict[str, tuple[int, int]]:
    """Regex group name -> (rule index, term index)."""
    out = {}
    for name in compiled.group_rule:
        r, t = name[1:].split("_")
        out[name] = (int(r), int(t))
    return out


def _term_of(rs: RuleSet, where: tuple[int, int]) -> tuple[Rule, Term]:
    rule = rs.rules[where[0]]
    return rule, rule.terms[where[1]]


def _check_duplicates(rs: RuleSet, own: set[str], issues: list[LintIssue]) -> None:
    first: dict[tuple[str, str], tuple[Rule, Term]] = {}
    for rule in rs.rules:
        for item in rule.items:
            key = item_key(rule.field, item.text)
            prev = first.get((rule.field, key))
            if prev is None:
                first[(rule.field, key)] = (rule, item)
                continue
            if rule.id in own and prev[0].id != rule.id:
                issues.append(LintIssue(
                    "warning", "duplicate", item.file, item.line, rule.id, item.text,
                    f"also in rule {prev[0].id} ({prev[1].file}:{prev[1].line}); redundant"))


def _check_shadowing(rs: RuleSet, compiled: CompiledRules, own: set[str],
                     issues: list[LintIssue]) -> None:
    if compiled.term_regex is None:
        return
    where = _groups(compiled)
    for name, (ri, ti) in where.items():
        rule, term = _term_of(rs, (ri, ti))
        if rule.id not in own or term.text.startswith("re:"):
            continue
        probe = compiled.normalize_qualification(term.text.rstrip("*"))
        found = list(compiled.term_regex.finditer(probe, timeout=1.0))
        if any(m.lastgroup == name for m in found):
            continue
        if not found:
            issues.append(LintIssue(
                "warning", "unreachable", term.file, term.line, rule.id, term.text,
                f"after normalisation the text reads {probe!r} and the term does not match "
                "it (an abbreviation is expanded, or punctuation is removed); write the "
                "normalised form"))
            continue
        others = []
        for m in found:
            assert m.lastgroup is not None  # term_regex: one named group per term
            orule, oterm = _term_of(rs, where[m.lastgroup])
            kind = "exclusion " if orule.label == NONE else ""
            others.append(f"{kind}term {oterm.text!r} of rule {orule.id} "
                          f"({oterm.file}:{oterm.line})")
        issues.append(LintIssue(
            "warning", "shadowed", term.file, term.line, rule.id, term.text,
            "never decides: its own text is claimed by " + "; ".join(dict.fromkeys(others))))


def _check_backtracking(rs: RuleSet, compiled: CompiledRules, own: set[str],
                        texts: Sequence[str], timeout: float,
                        issues: list[LintIssue]) -> None:
    flags = regex.V0 | (0 if rs.case_sensitive else regex.IGNORECASE)
    for rule in rs.rules:
        if rule.id not in own or rule.field != "qualification":
            continue
        for term in rule.terms:
            if not term.text.startswith("re:"):
                continue
            body = term.text[3:].strip()
            if has_nested_quantifier(body):
                issues.append(LintIssue(
                    "warning", "backtracking", term.file, term.line, rule.id, term.text,
                    "nested quantifier (a repeated group that itself repeats) can backtrack "
                    "catastrophically; rewrite without the outer repetition"))
            pattern = regex.compile(term_pattern(term.text, rule.match), flags)
            probe = slow_text(pattern, body, texts, timeout)
            if probe is not None:
                issues.append(LintIssue(
                    "error", "backtracking", term.file, term.line, rule.id, term.text,
                    f"took more than {timeout:g} s on a {len(probe):,}-character text "
                    "(catastrophic backtracking); the tagger would flag such cells as errors"))


def _qualification_counts(values: pd.Series, compiled: CompiledRules
                          ) -> tuple[list[str], np.ndarray]:
    codes, uniques = factorize_text(values)
    rows = np.bincount(codes, minlength=len(uniques))
    norm: dict[str, int] = {}
    for text, n in zip(uniques, rows, strict=True):
        key = compiled.normalize_qualification(text)
        if key:
            norm[key] = norm.get(key, 0) + int(n)
    return list(norm), np.fromiter(norm.values(), dtype=np.int64, count=len(norm))


def _check_extract(rs: RuleSet, compiled: CompiledRules, own: set[str], df: pd.DataFrame,
                   columns: Mapping[str, str | Sequence[str]] | None, show_texts: bool,
                   issues: list[LintIssue]) -> tuple[pd.DataFrame, list[str]]:
    mapping = ColumnMapping.resolve(df.columns, columns)
    hits: dict[tuple[int, int], int] = {}
    texts: list[str] = []
    words: dict[str, int] = {}
    where = _groups(compiled)
    qual = mapping.get("qualification")
    if qual and compiled.term_regex is not None:
        texts, counts = _qualification_counts(df[qual], compiled)
        for text, n in zip(texts, counts, strict=True):
            for m in compiled.term_regex.finditer(text, timeout=1.0):
                assert m.lastgroup is not None  # term_regex: one named group per term
                key = where[m.lastgroup]
                hits[key] = hits.get(key, 0) + int(n)
            for w in _TOKEN.findall(text):
                words[w] = words.get(w, 0) + int(n)
    mc_names: dict[str, int] = {}
    if mapping.mc:
        mc_values = (df[mapping.mc[0]] if len(mapping.mc) == 1 else
                     join_mc_columns(df, list(mapping.mc), rs.mc_delimiters[:1] or ";"))
        codes, uniques = factorize_text(mc_values)
        rows = np.bincount(codes, minlength=len(uniques))
        for text, n in zip(uniques, rows, strict=True):
            for name in set(compiled.split_mc(text)):
                mc_names[name] = mc_names.get(name, 0) + int(n)
    refs: dict[ArticleRef, int] = {}
    art = mapping.get("article")
    if art:
        codes, uniques = factorize_text(df[art])
        rows = np.bincount(codes, minlength=len(uniques))
        for text, n in zip(uniques, rows, strict=True):
            for ref in set(parse_articles(text)):
                refs[ref] = refs.get(ref, 0) + int(n)
    present = {"qualification": bool(qual), "mc": bool(mapping.mc), "article": bool(art)}
    records = []
    for ri, rule in enumerate(rs.rules):
        if rule.id not in own:
            continue
        for ti, item in enumerate(rule.items):
            if rule.field == "qualification":
                n = hits.get((ri, ti), 0)
            elif rule.field == "mc":
                n = mc_names.get(normalize_mc_name(item.text), 0)
            else:
                ref = ArticleRef.parse(item.text)
                n = sum(c for r, c in refs.items() if ref.covers(r))
            records.append({"rule_id": rule.id, "field": rule.field, "item": item.text,
                            "file": item.file, "line": item.line, "offences": n})
            if n == 0 and present[rule.field]:
                issues.append(LintIssue(
                    "info", "never-matches", item.file, item.line, rule.id, item.text,
                    f"matches no offence of the extract ({len(df):,} rows)"))
    # inside-word check on the extract's words (trap words are checked separately)
    _check_inside_words(rs, compiled, own, words, from_extract=True, show_texts=show_texts,
                        issues=issues)
    longest = sorted(texts, key=len, reverse=True)[:200]
    return pd.DataFrame.from_records(
        records, columns=["rule_id", "field", "item", "file", "line", "offences"]), longest


def _check_inside_words(rs: RuleSet, compiled: CompiledRules, own: set[str],
                        words: Mapping[str, int], *, from_extract: bool, show_texts: bool,
                        issues: list[LintIssue]) -> None:
    if compiled.term_regex is None:
        return
    where = _groups(compiled)
    found: dict[tuple[int, int], dict[str, int]] = {}
    for word, n in words.items():
        for m in compiled.term_regex.finditer(word, timeout=1.0):
            assert m.lastgroup is not None  # term_regex: one named group per term
            ri, ti = where[m.lastgroup]
            rule = rs.rules[ri]
            if rule.id not in own or rule.label == NONE:
                continue
            whole = m.start() == 0 and m.end() == len(word)
            text = rule.terms[ti].text
            literal = compiled.normalize_qualification(text.rstrip("*"))
            if from_extract and whole and (m.group() == literal or not (
                    text.endswith("*") or text.startswith("re:"))):
                continue  # the term itself, not a longer word
            found.setdefault((ri, ti), {})[word] = n
    for (ri, ti), hits in found.items():
        rule, term = _term_of(rs, (ri, ti))
        if from_extract:
            offences = sum(hits.values())
            listed = (": " + ", ".join(sorted(hits)[:8]) if show_texts else
                      " (list them with --show-texts)")
            msg = (f"fires inside {len(hits)} longer word(s) of the extract, in {offences:,} "
                   f"offence(s){listed}; check they name the relationship, or add an "
                   "exclusion")
        else:
            msg = ("fires inside the unrelated word(s) " + ", ".join(sorted(hits)[:8])
                   + "; use whole-word matching or add an exclusion")
        issues.append(LintIssue("warning", "inside-word", term.file, term.line, rule.id,
                                term.text, msg))


def lint(
    target: str | Path,
    *,
    base: str | Path | RuleSet = "default",
    label: str | None = None,
    extract: pd.DataFrame | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    show_texts: bool = False,
    timeout: float = 0.25,
) -> LintResult:
    """Check a rule file, a term list or a preset.

    Parameters
    ----------
    target : str or pathlib.Path
        A YAML rule file, a plain-text term list, or a preset name.
    base : str, pathlib.Path or RuleSet, default "default"
        Rule set a term list is added to (its context for duplicates and shadowing).
    label : str, optional
        Label of a term list; defaults to the file name when that is a label
        (``ex_partner.txt``).
    extract : pandas.DataFrame, optional
        An extract to test the terms on (never-matches, inside-word, slow texts).
    columns : mapping, optional
        Column mapping of ``extract``.
    show_texts : bool, default False
        List the extract's words a term fires inside (they come from the data).
    timeout : float, default 0.25
        Seconds a regular expression may take on one text.

    Returns
    -------
    LintResult
        Issues (errors first) and, with an extract, per-item offence counts.

    Raises
    ------
    PvIdentifyError
        If ``target`` does not exist, or a term list has no label.

    Examples
    --------
    >>> result = lint("wodc2022")
    >>> result.errors
    []
    """
    start = time.perf_counter()
    issues: list[LintIssue] = []
    rs, own = _load(target, base, label, issues)
    result = LintResult(ruleset=rs)
    if rs is not None:
        compiled = compile_rules(rs)
        _check_duplicates(rs, own, issues)
        _check_shadowing(rs, compiled, own, issues)
        trap = {compiled.normalize_qualification(w): 0 for w in TRAP_WORDS}
        _check_inside_words(rs, compiled, own, trap, from_extract=False, show_texts=True,
                            issues=issues)
        texts: list[str] = []
        if extract is not None:
            result.items, texts = _check_extract(rs, compiled, own, extract, columns,
                                                 show_texts, issues)
        _check_backtracking(rs, compiled, own, texts, timeout, issues)
    # one finding per (place, kind): a term-list duplicate is found twice
    unique = list({(i.file, i.line, i.code, i.term, i.message[:12] if i.code == "inside-word"
                    else ""): i for i in reversed(issues)}.values())[::-1]
    unique.sort(key=lambda i: (_ORDER[i.severity], i.file, i.line or 0))
    result.issues = unique
    result.seconds = time.perf_counter() - start
    return result


def lint_to_dict(result: LintResult) -> dict[str, Any]:
    """Return a JSON-serialisable form of a lint result."""
    out: dict[str, Any] = {"issues": [asdict(i) for i in result.issues],
                           "seconds": result.seconds}
    if result.items is not None:
        out["items"] = result.items.to_dict(orient="records")
    return out
