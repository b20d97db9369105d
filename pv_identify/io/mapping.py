"""Column mapping: which of the user's columns holds which canonical field.

The user's names win; otherwise a column is found by its default OBJD name
(``artikelkwalificatie``, ``wetsartikel``, ...) or by the canonical name itself
(``qualification``), case-insensitively. MC may be one delimited column or several
(``mc_1``, ``mc_2`` ... or an explicit list).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from pv_identify.errors import ColumnMappingError, InputFileError
from pv_identify.schema import DEFAULT_COLUMNS, TEXT_FIELDS

_MC_SERIES = regex.compile(r"^(?:mc|maatschappelijke_classificatie|mc_naam)_?\d+$", regex.I)
#: Column names shown in error messages: short identifiers. Anything else (text with
#: spaces, numbers, long strings) may be a data row read as a header and is shown only
#: by position, so messages never echo record contents.
_SHOWABLE = regex.compile(r"^[\p{L}_][\p{L}\p{N}_.]{0,39}$")


def describe_columns(names: Sequence[str]) -> str:
    """Describe the columns for an error message without echoing possible data.

    Names that look like identifiers are listed; others are given by position, with a
    hint that the first line may not be a header row.

    Parameters
    ----------
    names : sequence of str
        Column names.

    Returns
    -------
    str
        E.g. ``['jds_nummer', <column 2>] (2 column(s); 1 not shown ...)``.
    """
    shown = [repr(n) if _SHOWABLE.match(n) else f"<column {i + 1}>"
             for i, n in enumerate(names)]
    hidden = sum(1 for n in names if not _SHOWABLE.match(n))
    text = f"[{', '.join(shown[:30])}" + (", ...]" if len(shown) > 30 else "]")
    text += f" ({len(names)} column(s)"
    if hidden:
        text += (f"; {hidden} not shown because they do not look like column names: is "
                 "the first line a header row?")
    text += ")"
    return text


@dataclass(frozen=True)
class ColumnMapping:
    """Canonical field -> column name(s) in the user's frame.

    Parameters
    ----------
    columns : dict of str to str
        Canonical field -> column, for every field found (``mc`` excluded).
    mc : tuple of str
        MC column(s), empty if none.
    """

    columns: dict[str, str] = field(default_factory=dict)
    mc: tuple[str, ...] = ()

    def get(self, name: str) -> str | None:
        """Return the column of canonical field ``name`` (not ``mc``), or None."""
        return self.columns.get(name)

    def as_dict(self) -> dict[str, str | list[str]]:
        """Return the mapping as a plain dict (``mc`` as a list), e.g. for metadata."""
        out: dict[str, str | list[str]] = dict(self.columns)
        if self.mc:
            out["mc"] = list(self.mc)
        return out

    @classmethod
    def resolve(
        cls,
        available: Iterable[str],
        user: Mapping[str, str | Sequence[str]] | None = None,
        *,
        require_text: bool = True,
        required: Iterable[str] = (),
    ) -> ColumnMapping:
        """Find the columns of each canonical field among ``available``.

        Parameters
        ----------
        available : iterable of str
            The frame's column names.
        user : mapping, optional
            Canonical field -> the user's column (``mc`` may map to a list).
        require_text : bool, default True
            Require at least one of article, mc, qualification.
        required : iterable of str
            Further canonical fields that must be found.

        Returns
        -------
        ColumnMapping
            The resolved mapping.

        Raises
        ------
        ColumnMappingError
            On an unknown canonical field, a mapped column that does not exist,
            duplicate column names, or missing required fields. The message lists
            the columns found and the mapping used.
        """
        labels = list(available)
        odd = [i + 1 for i, c in enumerate(labels) if not isinstance(c, str)]
        if odd:
            raise ColumnMappingError(
                f"{len(odd)} column label(s) are not strings (e.g. integer labels, at "
                f"position(s) {odd[:10]}): name the columns, e.g. df.columns = "
                "df.columns.astype(str) or read the file with a header row")
        names = [str(c) for c in labels]
        positions: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            positions.setdefault(name, []).append(i + 1)
        dupes = {n: p for n, p in positions.items() if len(p) > 1}
        if dupes:
            raise ColumnMappingError(
                f"duplicate column names {sorted(dupes)} at positions "
                f"{[dupes[n] for n in sorted(dupes)]}: rename them so each column is unique")
        user = dict(user or {})
        for fld, wanted in user.items():
            ok = isinstance(wanted, str) or (
                fld == "mc" and isinstance(wanted, list | tuple) and wanted
                and all(isinstance(w, str) for w in wanted))
            if not ok:
                raise ColumnMappingError(
                    f"the mapping for field {fld!r} must be a column name (str)"
                    + (" or a list of column names" if fld == "mc" else "")
                    + f", got a {type(wanted).__name__}")
        unknown = sorted(set(user) - set(DEFAULT_COLUMNS))
        if unknown:
            raise ColumnMappingError(
                f"unknown field(s) {unknown} in the column mapping; known fields: "
                f"{', '.join(DEFAULT_COLUMNS)}")
        folded: dict[str, list[str]] = {}
        for c in names:
            folded.setdefault(c.casefold(), []).append(c)
        columns: dict[str, str] = {}
        mc: tuple[str, ...] = ()
        for fld, default in DEFAULT_COLUMNS.items():
            if fld in user:
                wanted = user[fld]
                wanted_list = [wanted] if isinstance(wanted, str) else list(wanted)
                missing = [w for w in wanted_list if w not in names]
                if missing:
                    raise ColumnMappingError(
                        f"the mapping says field {fld!r} is in column(s) {missing}, but the "
                        f"data has no such column. Columns found: {describe_columns(names)}")
                if fld == "mc":
                    mc = tuple(wanted_list)
                elif len(wanted_list) != 1:
                    raise ColumnMappingError(f"field {fld!r} takes one column, got {wanted_list}")
                else:
                    columns[fld] = wanted_list[0]
                continue
            found = None
            for candidate in (default, fld):
                same = folded.get(candidate.casefold(), [])
                if len(same) > 1:
                    raise ColumnMappingError(
                        f"ambiguous columns for field {fld!r}: {same} differ only in case. "
                        f"Say which one with --map {fld}=COLUMN (columns={{{fld!r}: ...}} "
                        "in Python) or rename one")
                if same:
                    found = same[0]
                    break
            if fld == "mc":
                if found:
                    mc = (found,)
                else:
                    mc = tuple(c for c in names if _MC_SERIES.match(c))
            elif found:
                columns[fld] = found
        mapping = cls(columns, mc)
        present = [f for f in TEXT_FIELDS if (f == "mc" and mc) or f in columns]
        if require_text and not present:
            raise ColumnMappingError(
                "none of the fields the rules read (article, mc, qualification) was found. "
                f"Columns found: {describe_columns(names)}. Expected default names "
                f"{[DEFAULT_COLUMNS[f] for f in TEXT_FIELDS]} or a mapping such as "
                "--map qualification=<column>.")
        if require_text and len(present) < len(TEXT_FIELDS):
            _warn_unread(mapping, names)
        missing = [f for f in required if f not in columns and not (f == "mc" and mc)]
        if missing:
            raise ColumnMappingError(
                f"required field(s) {missing} not found. Columns found: "
                f"{describe_columns(names)}. "
                f"Mapping used: {mapping.as_dict()}. Give them with --map field=column.")
        return mapping


#: Parts of a column name that suggest a field the rules read (casefolded).
_FIELD_HINTS: dict[str, tuple[str, ...]] = {
    "article": ("artikel", "article", "wetsart"),
    "mc": ("classificatie", "classification"),
    "qualification": ("kwalificatie", "kwal", "qualification", "qualif"),
}


class UnreadColumnWarning(UserWarning):
    """A column looks like a field the rules read, but no field was mapped to it."""


def unread_columns(mapping: ColumnMapping, names: Sequence[str]) -> dict[str, list[str]]:
    """Columns whose names suggest a field the rules read that was not found.

    "kwalificatie" or "artikel_sr" are not default OBJD names, so they are not read
    unless mapped; a frame that has them beside a found field (an ``mc`` column) would
    otherwise be tagged from that field alone, without a word of warning.

    Parameters
    ----------
    mapping : ColumnMapping
        The resolved mapping.
    names : sequence of str
        The frame's column names.

    Returns
    -------
    dict of str to list of str
        Unfound field -> unmapped columns whose name suggests it (only names that look
        like identifiers: a data row read as a header is never echoed).
    """
    used = set(mapping.columns.values()) | set(mapping.mc)
    # a field's own default or canonical name is never a hint for another field
    # ("artikelkwalificatie" holds "artikel"), nor a qualification-like name for article
    known = {n.casefold() for n in DEFAULT_COLUMNS.values()} | set(DEFAULT_COLUMNS)
    candidates = [n for n in names if n not in used and _SHOWABLE.match(n)
                  and n.casefold() not in known]
    out: dict[str, list[str]] = {}
    for fld in TEXT_FIELDS:
        if (fld == "mc" and mapping.mc) or fld in mapping.columns:
            continue
        hits = [n for n in candidates
                if any(h in n.casefold() for h in _FIELD_HINTS[fld])
                and not (fld == "article" and any(
                    h in n.casefold() for h in _FIELD_HINTS["qualification"]))]
        if hits:
            out[fld] = hits
    return out


def _warn_unread(mapping: ColumnMapping, names: Sequence[str]) -> None:
    """Warn about columns that look like an unfound field (:func:`unread_columns`)."""
    import warnings

    unread = unread_columns(mapping, names)
    if unread:
        hint = "; ".join(f"{fld}: {cols}" for fld, cols in unread.items())
        example = next(iter(unread.items()))
        warnings.warn(
            f"column(s) that look like fields the rules read are not read: {hint}. Only "
            f"the default OBJD names ({', '.join(DEFAULT_COLUMNS[f] for f in TEXT_FIELDS)}) "
            f"are found by themselves; map them, e.g. --map {example[0]}={example[1][0]} "
            f"(columns={{{example[0]!r}: {example[1][0]!r}}} in Python)",
            UnreadColumnWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    """``stacklevel`` of the first frame outside this package (the user's call)."""
    import inspect

    package = str(Path(__file__).resolve().parent.parent)
    level = 1
    frame = inspect.currentframe()
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back
        level += 1
    return level - 1


def parse_map_options(options: Iterable[str]) -> dict[str, str | list[str]]:
    """Parse CLI ``--map field=column`` options (``mc=col1,col2`` for several MC columns).

    Parameters
    ----------
    options : iterable of str
        The option values.

    Returns
    -------
    dict
        Canonical field -> column (or list of columns for ``mc``).

    Raises
    ------
    ColumnMappingError
        If an option is not ``field=column``.
    """
    out: dict[str, str | list[str]] = {}
    for option in options:
        fld, sep, column = option.partition("=")
        if not sep or not fld.strip() or not column.strip():
            raise ColumnMappingError(f"--map expects field=column, got {option!r}")
        fld = fld.strip()
        out[fld] = [c.strip() for c in column.split(",")] if fld == "mc" else column.strip()
    return out


def read_mapping_config(path: str | Path) -> dict[str, str | list[str]]:
    """Read a column mapping from a TOML config file's ``[columns]`` table.

    Parameters
    ----------
    path : str or pathlib.Path
        Config file, e.g.::

            [columns]
            qualification = "kwalificatie_tekst"
            mc = ["mc1", "mc2"]

    Returns
    -------
    dict
        Canonical field -> column(s).

    Raises
    ------
    InputFileError
        If the file is missing or not valid TOML, or has no ``[columns]`` table.
    """
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder; give the TOML config file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"{path}: config file not found") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text (byte {exc.start}); save the config "
                             "file as UTF-8") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the config file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{path}: invalid TOML: {exc}; expected a [columns] table "
                             "mapping fields to columns") from None
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise InputFileError(f"{path}: expected a [columns] table mapping fields to columns")
    return {str(k): v for k, v in columns.items()}
