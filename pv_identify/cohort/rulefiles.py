"""Load and validate the cohort data files in ``rules/cohort/``.

Four YAML files define the vocabulary the cohort builder needs; each is documented in
its own header and can be replaced by a copy the user edits (pass the folder as
``CohortConfig(rules_dir=...)``):

``disposals.yaml``
    disposal code -> class (conviction, acquittal, ...), severity category and flags;
    decision code -> class; the severity ordering; the custodial-length bands.
``pv_types.yaml``
    article -> type of partner violence (with priority and the excluded types).
``violence_articles.yaml``
    the articles that make an offence a violent offence.
``countries.yaml``
    country of birth -> one of the six published categories.
``density.yaml``
    the case-density definition (footnote 31).
``crimes.yaml``
    misdrijf / overtreding per law and article (general recidivism is "enig misdrijf").
``matching.yaml``
    caliper, its scale, ties and missing covariates of the propensity matching.

Errors name the file and line and say what was expected (:class:`RuleFileError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pv_identify.errors import RuleFileError
from pv_identify.normalize.articles import ArticleRef
from pv_identify.rules.problems import Problems
from pv_identify.rules.yamlfile import LINE_KEY, META_KEYS, read_yaml

#: Disposal classes. Only ``conviction`` makes a conviction; ``pending`` counts for
#: history and recidivism.
DISPOSAL_CLASSES: tuple[str, ...] = (
    "conviction",
    "acquittal",
    "discharge",
    "technical",
    "other",
    "pending",
)

#: Decision (offence-level) classes.
DECISION_CLASSES: tuple[str, ...] = ("proven", "acquittal", "discharge", "technical", "pending")

_FILES = (
    "disposals.yaml",
    "pv_types.yaml",
    "violence_articles.yaml",
    "countries.yaml",
    "density.yaml",
    "crimes.yaml",
    "matching.yaml",
)

#: Classes of ``crimes.yaml``.
CRIME_CLASSES: tuple[str, ...] = ("misdrijf", "overtreding", "general")


def default_rules_dir() -> Path:
    """Return the folder holding the bundled cohort data files.

    Returns
    -------
    pathlib.Path
        ``rules/cohort`` of a source checkout, or ``pv_identify/_data/rules/cohort`` of
        an installed wheel.
    """
    here = Path(__file__).resolve()
    candidates = (
        here.parents[2] / "rules" / "cohort",  # source checkout / editable install
        here.parents[1] / "_data" / "rules" / "cohort",  # wheel
    )
    for path in candidates:
        if (path / "disposals.yaml").is_file():
            return path
    return candidates[0]


def _line(obj: Any) -> int | None:
    return obj.get(LINE_KEY) if isinstance(obj, dict) else None


def _items(mapping: dict[Any, Any]) -> list[tuple[Any, Any]]:
    return [(k, v) for k, v in mapping.items() if k not in META_KEYS]


def _load(path: Path) -> dict[str, Any]:
    """Read one cohort data file with the one rule-file reader.

    Line numbers kept; duplicate and complex keys refused; regular files of bounded
    size only (:mod:`pv_identify.rules.yamlfile`).
    """
    if not path.exists():
        raise RuleFileError(str(path), "file not found; expected a cohort data file")
    return read_yaml(path)


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _parse_article(path: Path, text: Any, line: int | None) -> ArticleRef:
    try:
        return ArticleRef.parse(str(text))
    except ValueError as exc:
        raise RuleFileError(str(path), f"article {text!r}: {exc}", line) from None


@dataclass(frozen=True)
class DisposalInfo:
    """What one disposal code means.

    Parameters
    ----------
    klass : str
        One of :data:`DISPOSAL_CLASSES`.
    severity : str or None
        Severity category (conviction classes only).
    vv_vw_sb : bool
        Conditional sentence, conditional policy dismissal or penalty order.
    custodial : bool
        Unconditional custodial sentence (days in the custodial-days column).
    """

    klass: str
    severity: str | None = None
    vv_vw_sb: bool = False
    custodial: bool = False


@dataclass(frozen=True)
class PvType:
    """A type of partner violence with the articles that make it.

    Parameters
    ----------
    name : str
        Category name as in Table 2.1.
    articles : tuple of ArticleRef
        Covering references.
    exclude : bool
        Whether index cases of this type are excluded from the cohort.
    """

    name: str
    articles: tuple[ArticleRef, ...]
    exclude: bool = False


@dataclass(frozen=True)
class CohortRules:
    """The parsed cohort data files.

    Build with :func:`load_cohort_rules`; all mappings are keyed on trimmed,
    lower-cased values.
    """

    disposals: Mapping[str, DisposalInfo]
    decisions: Mapping[str, str]
    severity_order: tuple[str, ...]
    lt_1m_max_days: int
    m1_6_max_days: int
    pv_types: tuple[PvType, ...]
    pv_type_default: str
    violence_articles: tuple[ArticleRef, ...]
    countries: Mapping[str, str]
    country_other: str
    country_missing: str
    country_categories: tuple[str, ...]
    disposal_separators: tuple[str, ...] = (";", "+", "|")
    exclusion_scope: str = "pv_offences"
    density: Mapping[str, Any] = field(default_factory=dict)
    crimes: Mapping[str, Any] = field(default_factory=dict)
    matching: Mapping[str, Any] = field(default_factory=dict)
    source: str = field(default="")

    def severity_rank(self, category: str) -> int:
        """Rank of a severity category, 0 = most severe.

        Parameters
        ----------
        category : str
            A category of :attr:`severity_order`.

        Returns
        -------
        int
            Its position in the ordering.
        """
        return self.severity_order.index(category)


def _load_disposals(path: Path) -> dict[str, Any]:
    data = _load(path)
    out: dict[str, Any] = {}
    order = data.get("severity_order")
    if not isinstance(order, list) or not order:
        raise RuleFileError(str(path), "`severity_order` must be a non-empty list", _line(data))
    out["severity_order"] = tuple(str(x) for x in order)
    cust = {"vrijheidsstraf_lt_1m", "vrijheidsstraf_1_6m", "vrijheidsstraf_gt_6m"}
    disp = data.get("disposals")
    if not isinstance(disp, dict):
        raise RuleFileError(str(path), "`disposals` must be a mapping code -> {class: ...}")
    disposals: dict[str, DisposalInfo] = {}
    for code, spec in _items(disp):
        line = _line(spec) or _line(disp)
        if not isinstance(spec, dict):
            raise RuleFileError(str(path), f"disposal {code!r}: expected a mapping", line)
        klass = spec.get("class")
        if klass not in DISPOSAL_CLASSES:
            raise RuleFileError(
                str(path),
                f"disposal {code!r}: class must be one of {', '.join(DISPOSAL_CLASSES)}",
                line,
            )
        sev = spec.get("severity")
        custodial = bool(spec.get("custodial", False))
        if klass == "conviction":
            valid = (set(out["severity_order"]) - cust) | (
                {"vrijheidsstraf"} if custodial else set()
            )
            if sev not in valid:
                raise RuleFileError(
                    str(path),
                    f"disposal {code!r}: a conviction needs `severity` from severity_order"
                    " (or `vrijheidsstraf` with `custodial: true`)",
                    line,
                )
        disposals[_key(code)] = DisposalInfo(
            klass=klass,
            severity=str(sev) if sev is not None else None,
            vv_vw_sb=bool(spec.get("vv_vw_sb", False)),
            custodial=custodial,
        )
    if any(d.custodial for d in disposals.values()) and not cust <= set(out["severity_order"]):
        raise RuleFileError(
            str(path), f"`severity_order` must contain {', '.join(sorted(cust))}", _line(data)
        )
    out["disposals"] = disposals
    dec = data.get("decisions")
    if not isinstance(dec, dict):
        raise RuleFileError(str(path), "`decisions` must be a mapping code -> class")
    decisions: dict[str, str] = {}
    for code, klass in _items(dec):
        if klass not in DECISION_CLASSES:
            raise RuleFileError(
                str(path),
                f"decision {code!r}: class must be one of {', '.join(DECISION_CLASSES)}",
                _line(dec),
            )
        decisions[_key(code)] = str(klass)
    out["decisions"] = decisions
    seps = data.get("separators", [";", "+", "|"])
    if not isinstance(seps, list) or not all(isinstance(x, str) and x for x in seps):
        raise RuleFileError(str(path), "`separators` must be a list of strings", _line(data))
    out["disposal_separators"] = tuple(seps)
    bands = data.get("custodial_bands") or {}
    try:
        out["lt_1m_max_days"] = int(bands.get("lt_1m_max_days", 29))
        out["m1_6_max_days"] = int(bands.get("1_6m_max_days", 180))
    except (TypeError, ValueError):
        raise RuleFileError(
            str(path), "`custodial_bands` values must be whole numbers of days", _line(bands)
        ) from None
    return out


def _load_types(path: Path) -> dict[str, Any]:
    data = _load(path)
    types = data.get("types")
    if not isinstance(types, list) or not types:
        raise RuleFileError(str(path), "`types` must be a non-empty list", _line(data))
    parsed: list[PvType] = []
    for spec in types:
        line = _line(spec)
        if not isinstance(spec, dict) or "name" not in spec:
            raise RuleFileError(str(path), "each type needs `name` and `articles`", line)
        arts = spec.get("articles")
        if not isinstance(arts, list) or not arts:
            raise RuleFileError(
                str(path), f"type {spec['name']!r}: `articles` must be a list", line
            )
        refs = tuple(_parse_article(path, a, line) for a in arts)
        parsed.append(PvType(str(spec["name"]), refs, bool(spec.get("exclude", False))))
    names = [t.name for t in parsed]
    if len(set(names)) != len(names):
        raise RuleFileError(str(path), "type names must be unique", _line(data))
    scope = data.get("exclusion_scope", "pv_offences")
    if scope not in ("pv_offences", "case"):
        raise RuleFileError(
            str(path), "`exclusion_scope` must be 'pv_offences' or 'case'", _line(data)
        )
    return {
        "pv_types": tuple(parsed),
        "pv_type_default": str(data.get("default", "overig")),
        "exclusion_scope": scope,
    }


def _load_violence(path: Path) -> dict[str, Any]:
    data = _load(path)
    arts = data.get("articles")
    if not isinstance(arts, list) or not arts:
        raise RuleFileError(str(path), "`articles` must be a non-empty list", _line(data))
    return {"violence_articles": tuple(_parse_article(path, a, _line(data)) for a in arts)}


def _load_countries(path: Path) -> dict[str, Any]:
    data = _load(path)
    cats = data.get("categories")
    if not isinstance(cats, dict):
        raise RuleFileError(str(path), "`categories` must map a category to its aliases")
    lookup: dict[str, str] = {}
    for cat, aliases in _items(cats):
        if not isinstance(aliases, list):
            raise RuleFileError(str(path), f"category {cat!r}: aliases must be a list", _line(cats))
        for alias in [cat, *aliases]:
            lookup[_key(alias)] = str(cat)
    other = str(data.get("other", "overig"))
    missing = str(data.get("missing", other))
    ordered = [str(c) for c, _ in _items(cats)]
    for extra in (other, missing):
        if extra not in ordered:
            ordered.append(extra)
    return {
        "countries": lookup,
        "country_other": other,
        "country_missing": missing,
        "country_categories": tuple(ordered),
    }


def _number(path: Path, data: dict[str, Any], key: str, default: float, low: float) -> float:
    try:
        value = float(data.get(key, default))
    except (TypeError, ValueError):
        raise RuleFileError(str(path), f"`{key}` must be a number", _line(data)) from None
    if value < low:
        raise RuleFileError(str(path), f"`{key}` must be at least {low:g}", _line(data))
    return value


def _choice(path: Path, data: dict[str, Any], key: str, options: tuple[str, ...]) -> str:
    value = data.get(key, options[0])
    if value not in options:
        raise RuleFileError(
            str(path), f"`{key}` must be one of {', '.join(options)}", _line(data)
        )
    return str(value)


def _load_density(path: Path) -> dict[str, Any]:
    data = _load(path)
    return {
        "density": {
            "numerator": _choice(path, data, "numerator", ("prior", "prior_and_index")),
            "min_years": _number(path, data, "min_years", 1.0, 1e-9),
            "first_offender": (
                "formula" if data.get("first_offender") == "formula"
                else _number(path, data, "first_offender", 0.0, 0.0)
            ),
        }
    }


def _load_crimes(path: Path) -> dict[str, Any]:
    data = _load(path)
    laws = data.get("laws")
    if not isinstance(laws, dict):
        raise RuleFileError(str(path), "`laws` must map a law code to its rules", _line(data))
    parsed: dict[str, dict[str, Any]] = {}
    for law, spec in _items(laws):
        line = _line(spec) or _line(laws)
        if not isinstance(spec, dict):
            raise RuleFileError(str(path), f"law {law!r}: expected a mapping", line)
        default = spec.get("default", "misdrijf")
        if default not in CRIME_CLASSES:
            raise RuleFileError(
                str(path), f"law {law!r}: default must be one of {', '.join(CRIME_CLASSES)}",
                line,
            )
        ranges = []
        for r in spec.get("ranges", []) or []:
            if (not isinstance(r, dict) or r.get("class") not in CRIME_CLASSES
                    or not isinstance(r.get("from"), int) or not isinstance(r.get("to"), int)):
                raise RuleFileError(
                    str(path), f"law {law!r}: each range needs integer from/to and a class",
                    _line(r) or line,
                )
            ranges.append((int(r["from"]), int(r["to"]), str(r["class"])))
        articles: dict[str, str] = {}
        for klass in CRIME_CLASSES:
            for art in spec.get(klass, []) or []:
                articles[str(art).strip().casefold()] = klass
        parsed[str(law)] = {"default": str(default), "ranges": tuple(ranges),
                            "articles": articles}
    unparsed = data.get("unparsed", "misdrijf")
    default_law = data.get("default_law", "misdrijf")
    for key, value in (("unparsed", unparsed), ("default_law", default_law)):
        if value not in ("misdrijf", "overtreding"):
            raise RuleFileError(str(path), f"`{key}` must be misdrijf or overtreding",
                                _line(data))
    return {"crimes": {"laws": parsed, "unparsed": unparsed, "default_law": default_law}}


def _load_matching(path: Path) -> dict[str, Any]:
    data = _load(path)
    return {
        "matching": {
            "caliper_sd": _number(path, data, "caliper_sd", 0.2, 0.0),
            "caliper_scale": _choice(path, data, "caliper_scale", ("logit", "log", "pscore")),
            "tie_decimals": int(_number(path, data, "tie_decimals", 10, 0)),
            "missing": _choice(path, data, "missing", ("unmatched", "level")),
        }
    }


@lru_cache(maxsize=8)
def _load_cached(folder: str, stamp: tuple[float, ...]) -> CohortRules:
    del stamp  # part of the cache key only: an edited file is read again
    base = Path(folder)
    parts: dict[str, Any] = {}
    problems = Problems()  # report the problems of every file, not only the first
    for name, load in (("disposals.yaml", _load_disposals), ("pv_types.yaml", _load_types),
                       ("violence_articles.yaml", _load_violence),
                       ("countries.yaml", _load_countries), ("density.yaml", _load_density),
                       ("crimes.yaml", _load_crimes), ("matching.yaml", _load_matching)):
        with problems.collect():
            path = base / name
            if not path.resolve().is_relative_to(base):
                raise RuleFileError(str(path), "is a link to a file outside the cohort rules "
                                    "folder; copy the file into the folder instead")
            parts.update(load(path))
    problems.raise_if_any()
    return CohortRules(source=str(base), **parts)


def load_cohort_rules(rules_dir: str | Path | None = None) -> CohortRules:
    """Load the cohort data files from a folder.

    Parameters
    ----------
    rules_dir : str or Path, optional
        Folder with ``disposals.yaml``, ``pv_types.yaml``, ``violence_articles.yaml``
        and ``countries.yaml``; defaults to the bundled ``rules/cohort``.

    Returns
    -------
    CohortRules
        The parsed, validated rules (cached per folder).

    Raises
    ------
    RuleFileError
        If a file is missing or invalid (the message names file and line).
    """
    folder = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise RuleFileError(
            str(folder), f"cohort rules folder lacks {', '.join(missing)} (see rules/cohort/)"
        )
    stamp = tuple((folder / name).stat().st_mtime for name in _FILES)
    return _load_cached(str(folder.resolve()), stamp)
