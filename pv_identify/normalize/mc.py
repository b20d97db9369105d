"""Normalise maatschappelijke classificaties (MC).

An offence carries zero, one or several MCs, as one delimited column or as several
columns. Names are compared case-, diacritic- and punctuation-insensitively:
``"Huiselijk Geweld - Partnermishandeling"`` and ``"huiselijk geweld
partnermishandeling"`` are the same MC. Organisation-specific codes are translated
to names through the rule set's code table before comparison.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import regex

from pv_identify.normalize.text import clean_text, strip_diacritics

#: Characters that separate several MCs in one cell.
DEFAULT_DELIMITERS = ";|\n"

_NON_WORD = regex.compile(r"[^\w]+|_")


def normalize_mc_name(name: str) -> str:
    """Normalise one MC name or code for comparison.

    Parameters
    ----------
    name : str
        Raw MC value.

    Returns
    -------
    str
        Lower case, no diacritics, punctuation replaced by single spaces, stripped.
    """
    name = strip_diacritics(unicodedata.normalize("NFKC", clean_text(name)).casefold())
    return _NON_WORD.sub(" ", name).strip()


def split_mc(
    value: str,
    delimiters: str = DEFAULT_DELIMITERS,
    codes: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    r"""Split one MC cell into normalised names, translating known codes.

    Parameters
    ----------
    value : str
        The cell, e.g. ``"Huiselijk geweld; Mishandeling"``.
    delimiters : str, default ``";|\\n"``
        Characters separating several MCs.
    codes : mapping of str to str, optional
        Normalised code -> normalised MC name.

    Returns
    -------
    tuple of str
        Normalised names in order, empty parts and duplicates removed.
    """
    if not value:
        return ()
    value = clean_text(value)  # a zero-width character never splits or hides an MC
    parts = regex.split(f"[{regex.escape(delimiters)}]", value) if delimiters else [value]
    names: list[str] = []
    for part in parts:
        name = normalize_mc_name(part)
        if codes:
            name = codes.get(name, name)
        if name and name not in names:
            names.append(name)
    return tuple(names)
