"""Normalisation: turn register strings into comparable, canonical values.

- :mod:`.text` — qualification text (case, diacritics, punctuation, abbreviations).
- :mod:`.articles` — law-article notations into canonical references.
- :mod:`.mc` — maatschappelijke classificatie names and codes.
- :mod:`.distinct` — apply a function once per distinct value and map back.
"""

from pv_identify.normalize.articles import ArticleRef, parse_articles
from pv_identify.normalize.distinct import map_distinct
from pv_identify.normalize.mc import normalize_mc_name, split_mc
from pv_identify.normalize.text import normalize_text

__all__ = [
    "ArticleRef",
    "map_distinct",
    "normalize_mc_name",
    "normalize_text",
    "parse_articles",
    "split_mc",
]
