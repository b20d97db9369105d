"""Misdrijf or overtreding of an offence, read from its article (``crimes.yaml``).

General recidivism is "een nieuwe strafzaak naar aanleiding van het plegen van enig
misdrijf" (seed 001, §2.4.2, seed lines 3478-3482), so only crimes count for it. The
extract has no crime/offence column; :func:`crime_class` derives the class from the
law article with the editable rules of ``rules/cohort/crimes.yaml`` (Sr Book 2 vs
Book 3; special laws by their own provisions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pv_identify.normalize.articles import ArticleRef, parse_articles

_LEADING = re.compile(r"^(\d+)")


def ref_class(ref: ArticleRef, crimes: Mapping[str, Any]) -> str:
    """Class of one article reference.

    Parameters
    ----------
    ref : ArticleRef
        A parsed reference.
    crimes : mapping
        ``CohortRules.crimes`` (from ``crimes.yaml``).

    Returns
    -------
    str
        ``"misdrijf"``, ``"overtreding"`` or ``"general"``.
    """
    law = crimes["laws"].get(ref.law)
    if law is None:
        return str(crimes["default_law"])
    art = ref.article.casefold()
    if art in law["articles"]:
        return str(law["articles"][art])
    m = _LEADING.match(art)
    if m:
        num = int(m.group(1))
        for lo, hi, klass in law["ranges"]:
            if lo <= num <= hi:
                return str(klass)
    return str(law["default"])


def crime_class(refs: Iterable[ArticleRef] | str, crimes: Mapping[str, Any]) -> str:
    """Class of an offence from all references of its article text.

    Parameters
    ----------
    refs : iterable of ArticleRef, or str
        The offence's references (or its article text, parsed here).
    crimes : mapping
        ``CohortRules.crimes``.

    Returns
    -------
    str
        ``"misdrijf"`` if a non-general reference is a misdrijf, ``"overtreding"`` if
        all non-general references are overtredingen, else ``crimes["unparsed"]``
        (no reference, or only general ones such as ``45 Sr``).
    """
    if isinstance(refs, str):
        refs = parse_articles(refs)
    classes = {ref_class(r, crimes) for r in refs} - {"general"}
    if "misdrijf" in classes:
        return "misdrijf"
    if classes:
        return "overtreding"
    return str(crimes["unparsed"])
