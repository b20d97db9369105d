"""The process heap during large runs: give freed memory back, keep it for reuse, measure it.

One home for the glibc and Arrow memory calls of the streaming passes
(:mod:`pv_identify.stream.history`, :mod:`pv_identify.stream.runner`, the roll-ups):
:func:`trim_heap` returns free pages to the system (Arrow's pool, glibc's
``malloc_trim``), :func:`kept_heap` keeps freed heap for reuse while many parts of a few
MB are allocated and freed, :func:`resident_bytes` reads the resident memory. Off glibc
the glibc calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: glibc ``mallopt`` parameters and the values :func:`kept_heap` sets: glibc's own
#: ceiling of its dynamic mmap threshold (32 MiB on 64-bit) and twice it for trimming.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEPT_MMAP = 32 << 20
_KEPT_TRIM = 64 << 20


def glibc() -> Any:
    """Return the C library if it is glibc (``mallopt``, ``malloc_trim``), else None."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not name.startswith("libc.so"):
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@contextmanager
def kept_heap() -> Iterator[None]:
    """Keep freed heap memory for reuse while the parts are rolled up (glibc only).

    Each part allocates and frees ~60 MB of numpy arrays of a few MB; with the
    thresholds glibc had, these were mapped and unmapped, or the heap top trimmed, at
    every part, so every part faulted its pages in again (10M rows: ~400k page faults,
    1-2 s of system time). The block sets the thresholds glibc's dynamic adjustment
    tends to by itself (arrays up to 32 MiB from the heap, up to 64 MiB of free heap
    top kept; they stay so, as glibc would have left them) and returns the free heap
    at its end (``malloc_trim``).
    """
    libc = glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, _KEPT_MMAP)
        libc.mallopt(_M_TRIM_THRESHOLD, _KEPT_TRIM)
    try:
        yield
    finally:
        if libc is not None:
            libc.malloc_trim(0)


def resident_bytes() -> int | None:
    """Return the process's resident memory now (Linux ``/proc``), or None."""
    import os

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def trim_heap() -> None:
    """Return free memory to the system (Arrow's pool, glibc's arenas)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = glibc()
    if libc is not None:
        libc.malloc_trim(0)
