"""A small progress reporter for long runs (rows, rows/s, ETA) on standard error.

On a terminal it redraws one line; otherwise (logs, CI) it prints a line at most
every ``interval`` seconds. The share done and the ETA come from the expected number
of rows when it is known (Parquet, SPSS) and otherwise from the bytes read (CSV).
It reports counts only, never record contents.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Report progress of a run over ``total`` rows (None if unknown).

    Parameters
    ----------
    total : int, optional
        Expected number of rows, for the percentage and ETA.
    enabled : bool, default True
        Print nothing when False.
    stream : file, optional
        Where to print; standard error by default.
    interval : float, default 1.0
        Minimum seconds between updates.
    """

    def __init__(self, total: int | None = None, *, enabled: bool = True,
                 stream: TextIO | None = None, interval: float = 1.0) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.interval = interval
        self.rows = 0
        self.fraction: float | None = None
        self.start = time.perf_counter()
        self._last = self.start
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def _line(self) -> str:
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = self.rows / elapsed
        text = f"{self.rows:,} rows, {rate:,.0f} rows/s"
        share = min(self.rows / self.total, 1.0) if self.total else self.fraction
        if share is not None:
            eta = elapsed * (1 - share) / share if share > 0 else float("nan")
            text = f"{share:6.1%} {text}, ETA {eta:,.0f} s"
        return text

    def bytes_read(self, done: int, total: int) -> None:
        """Record the share of the input read so far (for the ETA when rows are unknown)."""
        if total > 0:
            self.fraction = min(max(done / total, 0.0), 1.0)

    def update(self, rows: int) -> None:
        """Add ``rows`` processed rows and redraw if due."""
        self.rows += rows
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            end = "\r" if self._tty else "\n"
            print(self._line(), end=end, file=self.stream, flush=True)

    def close(self) -> float:
        """Print the final line; return the elapsed seconds."""
        elapsed = time.perf_counter() - self.start
        if self.enabled:
            print(f"{self._line()}, done in {elapsed:,.1f} s", file=self.stream, flush=True)
        return elapsed
