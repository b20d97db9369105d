"""Sentence of each normalised token: where one sentence of a free text ends.

Normalisation (:meth:`pv_identify.rules.compiled.CompiledRules.normalize_qualification`)
drops punctuation, so the token stream of "... de moord op haar drie kinderen. Haar man
beeindigde intussen hun relatie." no longer shows that "haar man" stands in the next
sentence. The salience step of :class:`pv_identify.text.matcher.TextMatcher` reads a
relationship phrase as the victim of an offence cue only within one sentence; this
module tells it which sentence each token is in.

A sentence ends at ``.``, ``!`` or ``?`` (and closing quotes or brackets) followed by
white space and a capital, a digit or an opening quote or bracket. Initials ("Johan H.
had") and abbreviations before a lower-case word do not end a sentence. Every sentence
is normalised on its own and its tokens are counted; when the counts do not add up to the
whole text's tokens (normalisation joined or split words across a boundary), no
boundaries are used (:func:`sentence_ids` returns ``None``), so the step behaves as
without this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

#: Where a sentence ends: after . ! ? (and closing quotes/brackets), before white space and
#: a capital, digit or opening quote/bracket.
SENTENCE_END: Final[re.Pattern[str]] = re.compile(
    r"(?<=[.!?])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]*[A-Z0-9À-Ý])")


def sentence_ids(text: str, normalize: Callable[[str], str], n_tokens: int
                 ) -> list[int] | None:
    """Return the sentence number of each of the ``n_tokens`` normalised tokens of ``text``.

    Parameters
    ----------
    text : str
        The raw text.
    normalize : callable
        The normaliser that made the tokens (``str -> str``, tokens separated by one
        space).
    n_tokens : int
        Number of tokens of the whole normalised text.

    Returns
    -------
    list of int or None
        Sentence number (0, 1, ...) per token; ``None`` when the text is one sentence or
        the sentences' tokens do not add up to ``n_tokens``.
    """
    parts = SENTENCE_END.split(text)
    if len(parts) < 2:
        return None
    ids: list[int] = []
    for number, part in enumerate(parts):
        normalized = normalize(part)
        if normalized:
            ids.extend([number] * (normalized.count(" ") + 1))
    return ids if len(ids) == n_tokens else None
