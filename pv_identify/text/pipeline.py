"""Ready pipelines (:func:`load`) and the pandas entry point (:func:`tag_texts`).

Both run the tagger's free-text path (:meth:`pv_identify.Tagger.text_matcher`):
:func:`tag_texts` calls it directly on each distinct text (no spaCy document is built),
the spaCy component calls it on ``doc.text``; the results are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import spacy
from spacy.language import Language

from pv_identify.lru import LRUCache
from pv_identify.normalize.distinct import factorize_text
from pv_identify.rules.ruleset import RuleSet, names_of
from pv_identify.rules.textrules import TextRuleSet
from pv_identify.schema import (
    ATTRS_KEY,
    ID_SEPARATOR,
    MAX_CELL_CHARS,
    NONE,
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
    SOURCE_ERROR,
)
from pv_identify.tagger import LABEL_DTYPE, SOURCE_DTYPE, Tagger
from pv_identify.text.component import PVTextComponent
from pv_identify.text.output import TextOutput, text_outputs
from pv_identify.text.scoring import TextScorer

COMPONENT = "pv_identify"
_CACHE = LRUCache(8)
_MODEL_CACHE = LRUCache(8)


def load(
    rules: str | Path | RuleSet = "default",
    *,
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
    adjust_tokenizer: bool = True,
    score: TextScorer | None = None,
    tagger: Tagger | None = None,
    model: Any = None,
    policy: str | None = None,
) -> Language:
    """Return a ``spacy.blank("nl")`` pipeline with the ``pv_identify`` component.

    Parameters
    ----------
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set: preset name (``"default"``, ``"wodc2022"``), rule file, or
        a loaded rule set.
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file; the bundled ``rules/text/default.yaml`` when None.
    disable : sequence of str, optional
        Rule ids or groups (register or text rules) to switch off.
    adjust_tokenizer : bool, default True
        Adjust the tokenizer for Dutch judicial text.
    score : TextScorer, optional
        Document scorer (default: no model score, see :mod:`pv_identify.text.scoring`).
    tagger : Tagger, optional
        A configured tagger (``rules``, ``text_rules`` and ``disable`` are then not used).
    model : TextRelationshipClassifier, str or pathlib.Path, optional
        Text model (``"default"``: the shipped one); the tagger's ``text_model``.
    policy : str or None, default None
        How rules and model combine (:mod:`pv_identify.combine_text`); None: the text
        model's chosen policy.

    Returns
    -------
    spacy.language.Language
        The pipeline. ``nlp.to_disk`` saves the component's rule set and text rules
        themselves, so ``spacy.load`` restores the same configuration anywhere.

    Examples
    --------
    >>> nlp = load("default")
    >>> doc = nlp("Vernieling voordeur ex-vriendin (art. 350 Sr)")
    >>> doc._.pv_label, doc._.pv_partner_violence
    ('ex_partner', True)
    """
    nlp = spacy.blank("nl")
    if tagger is None:
        tagger = Tagger(rules, text_rules=text_rules, disable=list(names_of(disable)),
                        text_model=model)
    elif model is not None:
        tagger = with_text_model(tagger, model)
    config: dict[str, object] = {"adjust_tokenizer": adjust_tokenizer, "policy": policy}
    if isinstance(tagger.text_model, str | Path):
        config["text_model"] = str(tagger.text_model)
    if isinstance(tagger.rules, str) and not tagger.extra_terms and tagger.enable is None:
        config["rules"] = tagger.rules
    component = cast(PVTextComponent, nlp.add_pipe(COMPONENT, config=config))
    component.set_tagger(tagger)
    if score is not None:
        component.score = score
    return nlp


def _cache_key(rules: str | Path | RuleSet, text_rules: str | Path | TextRuleSet | None,
               disable: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    r = f"hash:{rules.hash}" if isinstance(rules, RuleSet) else f"spec:{rules}"
    t = (f"hash:{text_rules.hash}" if isinstance(text_rules, TextRuleSet)
         else f"spec:{text_rules}")
    return r, t, names_of(disable)


def cached_tagger(
    rules: str | Path | RuleSet = "default",
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
) -> Tagger:
    """Return a bound :class:`Tagger` for free text, reused across calls with the same rules.

    Parameters
    ----------
    rules, text_rules, disable
        As for :func:`load`.

    Returns
    -------
    Tagger
        The (shared) tagger; do not modify it.
    """
    def build() -> Tagger:
        tagger = Tagger(rules, text_rules=text_rules, disable=list(names_of(disable)))
        _ = tagger.text_matcher
        return tagger

    return _CACHE.get_or_create(_cache_key(rules, text_rules, disable), build)


def with_text_model(tagger: Tagger, model: Any) -> Tagger:
    """Return a tagger like ``tagger`` with ``text_model=model`` (``tagger`` unchanged).

    Taggers built from the same configuration are cached, so repeated calls load the
    rules and the model once.
    """
    params = {**tagger.get_params(), "text_model": model}
    key = ("with_model", id(tagger), str(model) if not hasattr(model, "classes_")
           else f"obj:{id(model)}")
    cached = _MODEL_CACHE.get(key)
    if cached is None or cached[0] is not tagger:
        clone = Tagger(**params)
        clone._ruleset = tagger._ruleset
        clone._text = tagger._text
        cached = (tagger, clone)
        _MODEL_CACHE.put(key, cached)
    return cached[1]


def tag_texts(
    texts: pd.Series | Iterable[str],
    rules: str | Path | RuleSet = "default",
    *,
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
    nlp: Language | None = None,
    tagger: Tagger | None = None,
    distinct: bool = True,
    batch_size: int | None = None,
    n_process: int | None = None,
    model: Any = None,
    policy: Any = None,
) -> pd.DataFrame:
    """Tag a column of free texts; each distinct text is processed once.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        The texts; missing values count as empty text (label ``none``).
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set (ignored when ``tagger`` or ``nlp`` is given).
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file (ignored when ``tagger`` or ``nlp`` is given).
    disable : sequence of str, optional
        Rule ids or groups to switch off (ignored when ``tagger`` or ``nlp`` is given).
    nlp : spacy.language.Language, optional
        A pipeline with the ``pv_identify`` component: its tagger is used.
    tagger : Tagger, optional
        A configured tagger.
    distinct : bool, default True
        Process each distinct text once and map the results back (False processes
        every row; only useful for benchmarking).
    batch_size, n_process : optional
        Accepted for compatibility; the texts are matched without building spaCy
        documents, so they have no effect.
    model : TextRelationshipClassifier, str or pathlib.Path, optional
        The text model (``"default"``: the shipped ``models/pv_text_default.pvmodel``);
        the tagger's ``text_model`` parameter. When given with ``tagger`` or ``nlp``, a
        copy of their tagger with this model is used. None: the tagger's own model
        (rules only unless it has one).
    policy : str or TextPolicy, optional
        How rules and model combine (:mod:`pv_identify.combine_text`:
        ``"rules_first"``, ``"model_first"``, ``"rules_only"``, ``"stacked"``; by default
        the text model's chosen policy); the component's policy when ``nlp`` is given.

    Returns
    -------
    pandas.DataFrame
        With the input's index and the columns ``pv_label`` (categorical),
        ``pv_partner_violence``, ``pv_domestic_violence``, ``pv_source``,
        ``pv_rule_ids`` (``|``-separated), ``pv_evidence`` (``text="..."`` items) and
        ``pv_score`` (the calibrated partner-violence probability with a model, NaN
        without). ``attrs["pv_identify"]`` holds the rule-set, text-rule and text-model
        metadata, the policy and the number of distinct texts. A text longer than
        :data:`~pv_identify.schema.MAX_CELL_CHARS` characters, or one a rule's regular
        expression times out on, is not matched: label ``none``, ``pv_source`` ``"error"``
        and the reason in ``pv_evidence`` (as in register mode).

    Raises
    ------
    TypeError
        If ``texts`` is one string (it would be tagged character by character) or a
        DataFrame (its column names would be tagged).

    Examples
    --------
    >>> import pandas as pd
    >>> out = tag_texts(pd.Series(["mishandeling van zijn ex-vriendin", "belaging"],
    ...                           index=[10, 20]))
    >>> out["pv_label"].tolist()
    ['ex_partner', 'none']
    """
    if isinstance(texts, str | bytes | pd.DataFrame):  # would iterate characters / column names
        what = "a DataFrame" if isinstance(texts, pd.DataFrame) else "one text"
        raise TypeError(f"tag_texts takes a column of texts (a Series, list, ...), not {what}; "
                        "pass df['column'] or [text]")
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    if tagger is None:
        if nlp is not None:
            component = cast(PVTextComponent, nlp.get_pipe(COMPONENT))
            tagger = component.tagger
            if policy is None:
                policy = getattr(component, "policy", None)
        else:
            tagger = cached_tagger(rules, text_rules, disable)
    if model is not None and model is not tagger.text_model:
        tagger = with_text_model(tagger, model)
    text_model = tagger.fitted_text_model
    matcher = tagger.text_matcher
    compiled = matcher.compiled
    if distinct:
        codes, uniques = factorize_text(series)
        work = list(uniques)
    else:
        codes = np.arange(len(series), dtype=np.int64)
        work = _texts(series)
    n = len(work)
    label = np.empty(n, dtype=object)
    source = np.empty(n, dtype=object)
    rule_ids = np.empty(n, dtype=object)
    evidence = np.empty(n, dtype=object)
    score = np.full(n, np.nan)
    if text_model is None:
        # rules only: each match becomes its output at once, so the matches (spans,
        # hits, decisions: many small objects) are not all held for the garbage collector
        # to walk over and over
        outputs, failed = _match_all(matcher, work, text_outputs(compiled))
        for i, out in failed.items():
            outputs[i] = out
    else:
        from pv_identify.model.text_apply import model_outputs

        matches, failed = _match_all(matcher, work)
        ok = [m for m in matches if m is not None]
        done = model_outputs(text_model, ok, compiled, policy, tagger.threshold) if ok else []
        it = iter(done)
        outputs = [failed[i] if m is None else next(it) for i, m in enumerate(matches)]
    for i, out in enumerate(outputs):
        label[i], source[i] = out.label, out.source
        rule_ids[i] = ID_SEPARATOR.join(out.rule_ids)
        evidence[i] = out.evidence
        score[i] = out.score
    labels = pd.Categorical(label[codes] if n else [], dtype=LABEL_DTYPE)
    frame = pd.DataFrame({
        OUT_LABEL: labels,
        OUT_PARTNER: np.isin(np.asarray(labels.astype(object)), ["partner", "ex_partner"]),
        OUT_DOMESTIC: np.asarray(labels.astype(object)) != "none",
        OUT_SOURCE: pd.Categorical(source[codes] if n else [], dtype=SOURCE_DTYPE),
        OUT_RULE_IDS: rule_ids[codes] if n else np.empty(0, dtype=object),
        OUT_EVIDENCE: evidence[codes] if n else np.empty(0, dtype=object),
        OUT_SCORE: score[codes] if n else np.empty(0),
    }, index=series.index)
    meta = tagger.metadata()
    meta.update({"mode": "text",
                 "text_rules": {"name": matcher.text_rules.name,
                                "version": matcher.text_rules.version,
                                "hash": matcher.text_rules.hash},
                 "distinct_texts": n})
    if text_model is not None:
        from pv_identify.model.persist import model_info
        from pv_identify.model.text_apply import policy_for

        pol = policy_for(text_model, policy, tagger.threshold)
        meta["text_model"] = {**model_info(text_model), "policy": pol.name,
                              "threshold": pol.threshold}
    frame.attrs[ATTRS_KEY] = meta
    return frame


def _match_all(matcher: Any, work: Sequence[Any], convert: Callable[[Any], Any] | None = None,
               ) -> tuple[list[Any], dict[int, TextOutput]]:
    """Match every text; an unmatchable text becomes an error output.

    A text over :data:`~pv_identify.schema.MAX_CELL_CHARS` characters, or one a
    regular expression times out on, gets label ``none``, ``pv_source="error"`` and
    the reason in the evidence (no text contents), as in register mode; the batch
    goes on. The first list holds each text's match (``convert(match)`` when given),
    None for a failed one.
    """
    matches: list[Any] = []
    failed: dict[int, TextOutput] = {}
    for i, text in enumerate(work):
        size = len(text) if isinstance(text, str) else 0
        if size > MAX_CELL_CHARS:
            reason = f"text of {size:,} characters not matched (limit {MAX_CELL_CHARS:,})"
        else:
            try:
                match = matcher.match(text)
            except TimeoutError:
                reason = (f"a regular expression timed out on this text of {size:,} "
                          "characters; run 'pv-identify lint' on the rule file")
            else:
                matches.append(match if convert is None else convert(match))
                continue
        matches.append(None)
        failed[i] = TextOutput(label=NONE, source=SOURCE_ERROR, rule_ids=(),
                               evidence=f"error: text: {reason}")
    return matches, failed


def _texts(series: pd.Series) -> list[str]:
    codes, uniques = factorize_text(series)
    return [uniques[c] for c in codes]
