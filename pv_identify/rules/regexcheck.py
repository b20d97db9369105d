"""Find regular expressions that backtrack catastrophically, before they are used.

One check shared by the rule loader (which refuses such a ``re:`` term, so
``pv-identify rules validate`` reports it) and ``pv-identify lint`` (which also
warns about nested quantifiers and tries the texts of an extract): the pattern is run
on adversarial probes built from its own letters, each with a time limit.
``re:(a|aa)+$`` takes longer than any limit on ``"aaaa...!"`` and is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import regex

#: Length of the adversarial probes.
PROBE_LENGTH: Final[int] = 3000
#: Seconds a pattern may take on one probe when a rule file is loaded.
LOAD_TIMEOUT: Final[float] = 0.25

_NESTED = regex.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,\d*\})")


def has_nested_quantifier(body: str) -> bool:
    """Whether a repeated group itself contains a repetition (``(a+)+``)."""
    return _NESTED.search(body) is not None


def probes(body: str) -> list[str]:
    """Adversarial texts for pattern ``body``: long runs of its own letters, then a stop.

    Parameters
    ----------
    body : str
        The regular expression (without ``re:``).

    Returns
    -------
    list of str
        The probe texts.
    """
    letters = sorted({c for c in regex.sub(r"\\.", "", body) if c.isalnum() or c == " "})
    out = [c * n + "!" for c in (letters[:6] or ["a"]) for n in (40, PROBE_LENGTH)]
    out += ["a" * PROBE_LENGTH + "!", " " * PROBE_LENGTH + "!", "ab " * (PROBE_LENGTH // 3)]
    if len(letters) >= 2:
        out.append("".join(letters[:2]) * (PROBE_LENGTH // 2) + "!")
    return out


def slow_text(pattern: regex.Pattern[str], body: str, texts: Iterable[str] = (),
              timeout: float = LOAD_TIMEOUT) -> str | None:
    """Return the first probe (or text) on which ``pattern`` exceeds ``timeout``, else None.

    Parameters
    ----------
    pattern : regex.Pattern
        The compiled expression (as the matcher would use it).
    body : str
        Its source (the probes are built from its letters).
    texts : iterable of str, optional
        More texts to try (e.g. the longest texts of an extract).
    timeout : float
        Seconds allowed per text.

    Returns
    -------
    str or None
        The text that timed out (callers report its length only).
    """
    for text in [*probes(body), *texts]:
        try:
            pattern.search(text, timeout=timeout)
        except TimeoutError:
            return text
    return None


def slow_message(pattern: str, slow: str, unit: str, timeout: float = LOAD_TIMEOUT) -> str:
    """Return the error for an expression that backtracks catastrophically on ``slow``.

    One wording for register terms, text-rule tokens and grammar words (``unit``:
    "text", "token", "word"); it gives the probe's length, never the probe.
    """
    return (f"regular expression {pattern!r} took more than {timeout:g} s on a "
            f"{len(slow):,}-character {unit} (catastrophic backtracking, e.g. a repeated "
            "group whose alternatives overlap); rewrite it so each character can be matched "
            "one way only")
