"""Refuse runs whose outputs would overwrite an input or each other.

``pv-identify tag in.csv --cases in.csv`` would replace the extract with the case
table, and ``-o X --cases X`` one output with another. :func:`check_paths` compares
every output with every input and with the other outputs -- by the file's identity
(``st_dev``/``st_ino``: symbolic and hard links count) when the file exists, else
by its resolved path -- and raises :class:`~pv_identify.errors.OutputFileError`
before anything is read or written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pv_identify.errors import OutputFileError

PathLike = str | os.PathLike[str]


def _identity(path: PathLike) -> tuple[object, ...]:
    """Return what makes two paths the same file: inode if it exists, else the path."""
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError:
        return ("path", os.path.normcase(str(p.resolve())))
    return ("inode", st.st_dev, st.st_ino)


def check_paths(inputs: Mapping[str, PathLike | None],
                outputs: Mapping[str, PathLike | None]) -> None:
    """Check that no output is an input and no two outputs are the same file.

    Parameters
    ----------
    inputs : mapping of str to path
        Role (e.g. ``"input"``) -> input file; None values are skipped.
    outputs : mapping of str to path
        Role (e.g. ``"--output"``, ``"--cases"``) -> output file; None values are skipped.

    Raises
    ------
    OutputFileError
        Naming both roles and the path, if an output would overwrite an input or
        another output of the same run.
    """
    seen: dict[tuple[object, ...], tuple[str, bool]] = {}
    for role, path in inputs.items():
        if path is not None:
            seen.setdefault(_identity(path), (role, True))
    for role, path in outputs.items():
        if path is None:
            continue
        key = _identity(path)
        if key in seen:
            other, is_input = seen[key]
            what = (f"would overwrite the {other} file" if is_input
                    else f"is the same file as {other}")
            raise OutputFileError(
                f"{path}: {role} {what}; choose another output file name "
                "(nothing was read or written)")
        seen[key] = (role, False)
