"""The sampling design: a stratified random sample of offences and its JSON sidecar.

:func:`draw_stratified` draws a stratified simple random sample without replacement
(STSI): the strata of :mod:`pv_identify.estimate.strata`, sizes from
:mod:`pv_identify.estimate.allocation`, and within each stratum ``n_h`` of its
``N_h`` rows chosen uniformly at random with a fixed seed. Every drawn row has
inclusion probability ``pi = n_h / N_h``.

:class:`SampleDesign` is what the estimator needs to know about the draw; it is written
next to the annotation sheet as ``<sheet>.design.json`` and read back by
``pv-identify estimate``. The ``active`` design (rows ranked for the model's benefit,
:func:`pv_identify.model.sample.select_for_annotation`) is recorded in the same
format but has no inclusion probabilities: it can train a model, not estimate.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pv_identify._version import __version__
from pv_identify.estimate.allocation import ALLOCATIONS, allocate, neyman_sd
from pv_identify.estimate.errors import EstimateError
from pv_identify.estimate.strata import DEFAULT_BANDS, check_bands, parse_strata, stratum_keys
from pv_identify.estimate.tagged import TaggedColumns

#: Sampling designs.
DESIGNS: tuple[str, ...] = ("stratified", "active")
#: ``format`` field of the sidecar.
DESIGN_FORMAT = "pv_identify.sample_design"
#: Suffix of the sidecar, appended to the sheet's file name.
DESIGN_SUFFIX = ".design.json"


def design_path(sheet: str | Path) -> Path:
    """Return the design sidecar of an annotation sheet (``<sheet>.design.json``)."""
    sheet = Path(sheet)
    return sheet.with_name(sheet.name + DESIGN_SUFFIX)


@dataclass(frozen=True)
class SampleDesign:
    """How the annotation sample was drawn.

    Parameters
    ----------
    design : str
        ``stratified`` or ``active``.
    population : int
        Rows of the tagged extract (``N``).
    strata : pandas.DataFrame
        One row per stratum: ``stratum``, ``rows`` (``N_h``), ``sampled`` (``n_h``),
        ``inclusion_probability`` (``n_h / N_h``; NaN for ``active``) and
        ``anticipated_pv_share`` (what the allocation assumed).
    rows : numpy.ndarray of int
        Positions of the drawn rows in the extract, ascending.
    row_stratum : numpy.ndarray of str
        Stratum of each drawn row.
    by : tuple of str
        Stratifiers.
    allocation : str or None
        ``neyman`` or ``proportional`` (None for ``active``).
    bands : tuple of float
        Inner score-band edges.
    seed : int
        Random seed of the draw.
    threshold : float
        Model threshold of the tagged extract.
    fingerprint : str
        :meth:`TaggedColumns.fingerprint` of the extract.
    minimum : int
        Least rows per stratum asked for.
    extract : str or None
        File name of the extract (information only).
    created : str
        ISO time of the draw.
    """

    design: str
    population: int
    strata: pd.DataFrame
    rows: np.ndarray
    row_stratum: np.ndarray
    by: tuple[str, ...] = ()
    allocation: str | None = None
    bands: tuple[float, ...] = DEFAULT_BANDS
    seed: int = 0
    threshold: float = 0.5
    fingerprint: str = ""
    minimum: int = 2
    extract: str | None = None
    created: str = field(default_factory=lambda: datetime.now(UTC)
                         .isoformat(timespec="seconds"))

    @property
    def n(self) -> int:
        """Rows drawn."""
        return len(self.rows)

    @property
    def probabilistic(self) -> bool:
        """Whether every drawn row has a known inclusion probability."""
        return self.design == "stratified"

    def inclusion_probability(self) -> np.ndarray:
        """Inclusion probability of each drawn row (NaN for the ``active`` design)."""
        pi = self.strata.set_index("stratum")["inclusion_probability"]
        return pd.Series(self.row_stratum).map(pi).to_numpy(dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """Return the design as a JSON-ready dict (the sidecar's content)."""
        by_stratum = pd.Series(self.rows).groupby(pd.Series(self.row_stratum)).agg(list)
        strata = []
        for rec in self.strata.to_dict("records"):
            pi = rec["inclusion_probability"]
            strata.append({
                "stratum": rec["stratum"], "rows": int(rec["rows"]),
                "sampled": int(rec["sampled"]),
                "inclusion_probability": None if not np.isfinite(pi) else float(pi),
                "anticipated_pv_share": _num(rec.get("anticipated_pv_share")),
                "sampled_rows": [int(r) for r in by_stratum.get(rec["stratum"], [])]})
        return {
            "format": DESIGN_FORMAT, "format_version": 1, "design": self.design,
            "allocation": self.allocation, "strata_by": list(self.by),
            "score_bands": list(self.bands), "minimum_per_stratum": self.minimum,
            "seed": self.seed, "threshold": self.threshold, "sample_size": self.n,
            "extract": {"file": self.extract, "rows": self.population,
                        "fingerprint": self.fingerprint},
            "created": self.created, "pv_identify": __version__, "strata": strata,
        }

    def write(self, path: str | Path) -> Path:
        """Write the sidecar JSON.

        Parameters
        ----------
        path : str or pathlib.Path
            Target file.

        Returns
        -------
        pathlib.Path
            The file written.
        """
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "design") -> SampleDesign:
        """Rebuild a design from its sidecar dict.

        Parameters
        ----------
        data : dict
            Output of :meth:`to_dict`.
        where : str
            Name used in error messages (the file).

        Returns
        -------
        SampleDesign
            The design.

        Raises
        ------
        EstimateError
            If the dict is not a pv_identify sample design.
        """
        if not isinstance(data, dict) or data.get("format") != DESIGN_FORMAT:
            raise EstimateError(f"{where}: not a pv_identify sample design "
                                f"(expected \"format\": \"{DESIGN_FORMAT}\")")
        try:
            strata = pd.DataFrame([{
                "stratum": str(s["stratum"]), "rows": int(s["rows"]),
                "sampled": int(s["sampled"]),
                "inclusion_probability": (np.nan if s.get("inclusion_probability") is None
                                          else float(s["inclusion_probability"])),
                "anticipated_pv_share": (np.nan if s.get("anticipated_pv_share") is None
                                         else float(s["anticipated_pv_share"]))}
                for s in data["strata"]])
            pairs = sorted((int(r), str(s["stratum"])) for s in data["strata"]
                           for r in s["sampled_rows"])
            extract = data.get("extract") or {}
            return cls(
                design=str(data["design"]), population=int(extract["rows"]), strata=strata,
                rows=np.array([p[0] for p in pairs], dtype=np.int64),
                row_stratum=np.array([p[1] for p in pairs], dtype=object),
                by=tuple(data.get("strata_by") or ()), allocation=data.get("allocation"),
                bands=tuple(data.get("score_bands") or DEFAULT_BANDS),
                seed=int(data.get("seed", 0)), threshold=float(data.get("threshold", 0.5)),
                fingerprint=str(extract.get("fingerprint") or ""),
                minimum=int(data.get("minimum_per_stratum", 2)),
                extract=extract.get("file"), created=str(data.get("created", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise EstimateError(f"{where}: incomplete sample design ({exc})") from None

    @classmethod
    def read(cls, path: str | Path) -> SampleDesign:
        """Read a sidecar written by :meth:`write`.

        Parameters
        ----------
        path : str or pathlib.Path
            The ``.design.json`` file.

        Returns
        -------
        SampleDesign
            The design.

        Raises
        ------
        EstimateError
            If the file is missing or not a design.
        """
        path = Path(path)
        if not path.is_file():
            raise EstimateError(f"{path}: sample design not found (it is written next to "
                                "the sheet by 'pv-identify sample'; pass it with --design)")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise EstimateError(f"{path}: not valid JSON (line {getattr(exc, 'lineno', '?')})"
                                ) from None
        return cls.from_dict(data, where=str(path))


def _num(value: object) -> float | None:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None


def anticipated_share(view: TaggedColumns) -> np.ndarray:
    """Anticipated partner-violence probability per row, for the Neyman allocation.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.

    Returns
    -------
    numpy.ndarray of float
        The model's score where there is one, else the tagger's flag (0/1).
    """
    return np.where(np.isfinite(view.score), view.score, view.partner.astype(float))


def draw_stratified(
    view: TaggedColumns,
    n: int,
    *,
    by: Sequence[str] | None = None,
    allocation: str = "neyman",
    bands: Sequence[float] = DEFAULT_BANDS,
    minimum: int = 2,
    seed: int = 0,
    extract: str | None = None,
) -> SampleDesign:
    """Draw a stratified simple random sample of ``n`` offences.

    Parameters
    ----------
    view : TaggedColumns
        The tagged extract.
    n : int
        Sample size.
    by : sequence of str, optional
        Stratifiers (:data:`pv_identify.estimate.strata.STRATIFIERS`; empty: simple
        random sampling). Default: ``signal, band`` (``signal`` without model scores).
    allocation : {"neyman", "proportional"}
        Allocation of ``n`` to the strata.
    bands : sequence of float
        Inner score-band edges.
    minimum : int, default 2
        Least rows per stratum (smaller strata are taken whole).
    seed : int, default 0
        Random seed.
    extract : str, optional
        File name recorded in the design.

    Returns
    -------
    SampleDesign
        The drawn rows and their inclusion probabilities.

    Raises
    ------
    EstimateError
        On an unknown allocation or an impossible sample size.
    """
    if allocation not in ALLOCATIONS:
        raise EstimateError(f"unknown allocation {allocation!r}; use one of {ALLOCATIONS}")
    bands = check_bands(bands)
    by = parse_strata(by, has_model=view.has_model)
    keys = stratum_keys(view, by, bands)
    codes, names = pd.factorize(pd.Series(keys, dtype=object), sort=True)
    sizes = np.bincount(codes, minlength=len(names))
    p_row = anticipated_share(view)
    anticipated = np.bincount(codes, weights=p_row, minlength=len(names)) / sizes
    sd = neyman_sd(anticipated) if allocation == "neyman" else None
    take = allocate(sizes, n, sd=sd, minimum=minimum)
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(len(codes)), codes))  # random order within stratum
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = np.arange(len(codes)) - np.repeat(starts, sizes)
    chosen = np.flatnonzero(rank < take[codes])
    strata = pd.DataFrame({"stratum": np.asarray(names, dtype=object), "rows": sizes,
                           "sampled": take, "inclusion_probability": take / sizes,
                           "anticipated_pv_share": anticipated})
    return SampleDesign(
        design="stratified", population=len(view), strata=strata, rows=chosen,
        row_stratum=np.asarray(names, dtype=object)[codes[chosen]], by=by,
        allocation=allocation, bands=bands, seed=seed, threshold=view.threshold,
        fingerprint=view.fingerprint(), minimum=minimum, extract=extract)
