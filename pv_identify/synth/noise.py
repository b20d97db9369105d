"""Clerk noise: capitalisation variants, abbreviations and typos.

Noise is applied to each *distinct* rendered string once (see
:func:`pv_identify.synth.text.render_distinct`); which rows get which variant is drawn
per row with the rates of :class:`~pv_identify.synth.config.SynthConfig`.
"""

from __future__ import annotations

import numpy as np

from pv_identify.synth.config import SynthConfig
from pv_identify.synth.sampling import categorical

NOISE_NONE, NOISE_CAPITAL, NOISE_UPPER, NOISE_ABBREV, NOISE_TYPO = 0, 1, 2, 3, 4
N_NOISE = 5

#: Abbreviations clerks use (all that occur in the string are applied).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("zware mishandeling", "zw. mish."),
    ("mishandeling", "mish."),
    ("begaan tegen", "begaan tgn"),
    ("bedreiging", "bedr."),
    ("meermalen gepleegd", "meerm. gepl."),
    ("Wegenverkeerswet 1994", "WVW 1994"),
)

#: Typos (only the first that occurs in the string is applied).
TYPOS: tuple[tuple[str, str], ...] = (
    ("levensgezellin", "levensgezelin"),
    ("levensgezel", "levensgzel"),
    ("echtgenoot", "echtgenooot"),
    ("echtgenote", "echtegenote"),
    ("mishandeling", "mishandling"),
    ("bedreiging", "bedreging"),
    ("belaging", "belagin"),
    ("vernieling", "verniling"),
    ("diefstal", "diefstall"),
)


def draw_text_noise(rng: np.random.Generator, cfg: SynthConfig, n: int) -> np.ndarray:
    """Draw a qualification noise code per row.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    cfg : SynthConfig
        Noise rates.
    n : int
        Number of rows.

    Returns
    -------
    numpy.ndarray
        Codes ``NOISE_*``.
    """
    clean = 1.0 - cfg.noise_capitalise - cfg.noise_upper - cfg.noise_abbrev - cfg.noise_typo
    probs = (max(clean, 0.0), cfg.noise_capitalise, cfg.noise_upper, cfg.noise_abbrev,
             cfg.noise_typo)
    return categorical(rng, probs, n)


def apply_noise(text: str, code: int) -> str:
    """Apply one noise variant to a string.

    Parameters
    ----------
    text : str
        Clean text.
    code : int
        ``NOISE_*`` code.

    Returns
    -------
    str
        The noisy text.
    """
    if code == NOISE_CAPITAL:
        return text[:1].upper() + text[1:]
    if code == NOISE_UPPER:
        return text.upper()
    if code == NOISE_ABBREV:
        for old, new in ABBREVIATIONS:
            text = text.replace(old, new)
        return text
    if code == NOISE_TYPO:
        for old, new in TYPOS:
            if old in text:
                return text.replace(old, new, 1)
        return text
    return text
