"""Ready pipelines (:func:`load`) and the pandas entry point (:func:`tag_texts`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import spacy
from spacy.language import Language

from pv_identify.normalize.distinct import factorize_text
from pv_identify.rules.model import RuleSet
from pv_identify.schema import (
    ATTRS_KEY,
    ID_SEPARATOR,
    OUT_DOMESTIC,
    OUT_EVIDENCE,
    OUT_LABEL,
    OUT_PARTNER,
    OUT_RULE_IDS,
    OUT_SCORE,
    OUT_SOURCE,
)
from pv_identify.tagger import LABEL_DTYPE, SOURCE_DTYPE, run_metadata
from pv_identify.text.component import PVTextComponent
from pv_identify.text.rulefile import TextRuleSet
from pv_identify.text.scoring import TextScorer

COMPONENT = "pv_identify"
_CACHE: dict[tuple[str, str, tuple[str, ...]], Language] = {}
_CACHE_SIZE = 8


def load(
    rules: str | Path | RuleSet = "default",
    *,
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
    adjust_tokenizer: bool = True,
    score: TextScorer | None = None,
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
        Document scorer (default: rule-based, see :mod:`pv_identify.text.scoring`).

    Returns
    -------
    spacy.language.Language
        The pipeline. Rules given as file paths are recorded in its config; loaded
        rule objects and scorer objects are not (``nlp.to_disk`` then records the
        rule-set name only).

    Examples
    --------
    >>> nlp = load("default")
    >>> doc = nlp("Vernieling voordeur ex-vriendin (art. 350 Sr)")
    >>> doc._.pv_label, doc._.pv_partner_violence
    ('ex_partner', True)
    """
    nlp = spacy.blank("nl")
    plain = isinstance(rules, str | Path) and not isinstance(text_rules, TextRuleSet)
    config: dict[str, object] = {"adjust_tokenizer": adjust_tokenizer,
                                 "disable": list(disable)}
    if plain:
        config["rules"] = str(rules)
        config["text_rules"] = None if text_rules is None else str(text_rules)
    component = nlp.add_pipe(COMPONENT, config=config)
    if not plain or score is not None:
        # Objects cannot go through the config: rebuild the component with them.
        new = PVTextComponent(nlp, COMPONENT, rules=rules, text_rules=text_rules,
                              disable=disable, adjust_tokenizer=adjust_tokenizer,
                              score=score)
        component.__dict__.update(new.__dict__)
    return nlp


def _cache_key(rules: str | Path | RuleSet, text_rules: str | Path | TextRuleSet | None,
               disable: Sequence[str]) -> tuple[str, str, tuple[str, ...]]:
    r = f"hash:{rules.hash}" if isinstance(rules, RuleSet) else f"spec:{rules}"
    t = (f"hash:{text_rules.hash}" if isinstance(text_rules, TextRuleSet)
         else f"spec:{text_rules}")
    return r, t, tuple(disable)


def cached_pipeline(
    rules: str | Path | RuleSet = "default",
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
) -> Language:
    """Return a pipeline from :func:`load`, reused across calls with the same rules.

    Parameters
    ----------
    rules, text_rules, disable
        As for :func:`load`.

    Returns
    -------
    spacy.language.Language
        The (shared) pipeline; do not modify it.
    """
    key = _cache_key(rules, text_rules, disable)
    nlp = _CACHE.get(key)
    if nlp is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        nlp = _CACHE[key] = load(rules, text_rules=text_rules, disable=disable)
    return nlp


def tag_texts(
    texts: pd.Series | Iterable[str],
    rules: str | Path | RuleSet = "default",
    *,
    text_rules: str | Path | TextRuleSet | None = None,
    disable: Sequence[str] = (),
    nlp: Language | None = None,
    batch_size: int = 256,
    n_process: int = 1,
    distinct: bool = True,
) -> pd.DataFrame:
    """Tag a column of free texts; each distinct text is processed once.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        The texts; missing values count as empty text (label ``none``).
    rules : str, pathlib.Path or RuleSet, default "default"
        Register rule set (ignored when ``nlp`` is given).
    text_rules : str, pathlib.Path, TextRuleSet or None
        Text rule file (ignored when ``nlp`` is given).
    disable : sequence of str, optional
        Rule ids or groups to switch off (ignored when ``nlp`` is given).
    nlp : spacy.language.Language, optional
        A pipeline with the ``pv_identify`` component (default: a cached :func:`load`).
    batch_size : int, default 256
        Batch size for ``nlp.pipe``.
    n_process : int, default 1
        Processes for ``nlp.pipe``.
    distinct : bool, default True
        Process each distinct text once and map the results back (False processes
        every row; only useful for benchmarking).

    Returns
    -------
    pandas.DataFrame
        With the input's index and the columns ``pv_label`` (categorical),
        ``pv_partner_violence``, ``pv_domestic_violence``, ``pv_source``,
        ``pv_rule_ids`` (``|``-separated), ``pv_evidence`` (``text="..."`` items) and
        ``pv_score``. ``attrs["pv_identify"]`` holds the rule-set and text-rule
        metadata and the number of distinct texts.

    Examples
    --------
    >>> import pandas as pd
    >>> out = tag_texts(pd.Series(["mishandeling van zijn ex-vriendin", "belaging"],
    ...                           index=[10, 20]))
    >>> out["pv_label"].tolist()
    ['ex_partner', 'none']
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    if nlp is None:
        nlp = cached_pipeline(rules, text_rules, disable)
    component = nlp.get_pipe(COMPONENT)
    if distinct:
        codes, uniques = factorize_text(series)
        first = dict.fromkeys(uniques)
        position = {text: i for i, text in enumerate(first)}
        remap = np.array([position[t] for t in uniques], dtype=np.int64)
        codes = remap[codes] if len(codes) else codes
        work = list(first)
    else:
        codes = np.arange(len(series), dtype=np.int64)
        work = _texts(series)
    n = len(work)
    label = np.empty(n, dtype=object)
    partner = np.zeros(n, dtype=bool)
    domestic = np.zeros(n, dtype=bool)
    source = np.empty(n, dtype=object)
    rule_ids = np.empty(n, dtype=object)
    evidence = np.empty(n, dtype=object)
    score = np.full(n, np.nan)
    for i, doc in enumerate(nlp.pipe(work, batch_size=batch_size, n_process=n_process)):
        label[i] = doc._.pv_label
        partner[i] = doc._.pv_partner_violence
        domestic[i] = doc._.pv_domestic_violence
        source[i] = doc._.pv_source
        rule_ids[i] = ID_SEPARATOR.join(doc._.pv_rule_ids)
        evidence[i] = doc._.pv_evidence
        score[i] = doc._.pv_score
    index = series.index
    out = pd.DataFrame({
        OUT_LABEL: pd.Categorical(label[codes], dtype=LABEL_DTYPE),
        OUT_PARTNER: partner[codes],
        OUT_DOMESTIC: domestic[codes],
        OUT_SOURCE: pd.Categorical(source[codes], dtype=SOURCE_DTYPE),
        OUT_RULE_IDS: rule_ids[codes],
        OUT_EVIDENCE: evidence[codes],
        OUT_SCORE: score[codes],
    }, index=index)
    meta = run_metadata(component.ruleset)
    meta.update({"mode": "text", "text_rules": component.metadata["text_rules"],
                 "score": component.metadata["score"], "distinct_texts": n})
    out.attrs[ATTRS_KEY] = meta
    return out


def _texts(series: pd.Series) -> list[str]:
    codes, uniques = factorize_text(series)
    return [uniques[c] for c in codes]
