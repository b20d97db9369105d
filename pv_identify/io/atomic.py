"""Write small files atomically: a temporary file in the same folder, then ``os.replace``.

``os.replace`` swaps the directory entry, so a symbolic link planted at the target
name is replaced by the new file and its target is never written.

Temporary files are named ``.<output name>.pid<process id>.<random>.tmp``. A run
killed with SIGKILL (or a machine that lost power) cannot remove its own; the next
write of the same output removes those whose process is gone
(:func:`remove_stale_temps`), so record data never pile up in hidden files.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import regex

from pv_identify.errors import OutputFileError

log = logging.getLogger(__name__)


def temp_prefix(path: Path) -> str:
    """Prefix of this process's temporary files for output ``path``."""
    return f".{path.name}.pid{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(path: str | Path) -> int:
    """Remove temporary files of output ``path`` left by processes that no longer run.

    Parameters
    ----------
    path : str or pathlib.Path
        The output file.

    Returns
    -------
    int
        How many were removed (logged as a warning when any).
    """
    path = Path(path)
    pattern = regex.compile(rf"^\.{regex.escape(path.name)}\.pid(\d+)\.[^.]+\.tmp$")
    removed = 0
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    for entry in entries:
        m = pattern.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    if removed:
        log.warning("%s: removed %d temporary file(s) of an earlier run that was killed",
                    path, removed)
    return removed


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, with the usual permissions (umask).

    Parameters
    ----------
    path : str or pathlib.Path
        Target file.
    data : bytes
        Content.

    Returns
    -------
    pathlib.Path
        The target path.

    Raises
    ------
    OutputFileError
        If ``path`` is a folder or its folder is missing or cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputFileError(f"{path}: is a folder; give an output file name")
    remove_stale_temps(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a missing or read-only folder: no traceback, the path named
        raise OutputFileError(f"{path}: cannot write ({exc.strerror}); nothing was "
                              "written") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))
