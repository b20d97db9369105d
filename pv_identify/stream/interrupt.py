"""Handle SIGINT, SIGTERM and SIGHUP alike while a file run writes its outputs.

A run killed by ``kill`` (SIGTERM) or a closed terminal (SIGHUP) must end as a
Ctrl-C does: temporary outputs removed, nothing committed, exit code 128 + signal.
:func:`termination_as_interrupt` turns those signals into :class:`Interrupted` (a
``KeyboardInterrupt``) in the main thread and remembers that a signal came, so an
error raised while the run unwinds (a reader cut off mid-file) is reported as the
interruption, never as a corrupt input file.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

log = logging.getLogger(__name__)

#: The signals handled; SIGHUP does not exist on Windows.
SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; nothing was written.

    Parameters
    ----------
    signum : int
        The signal number.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number."""
        return 128 + self.signum


@dataclass
class SignalState:
    """What :func:`termination_as_interrupt` saw: the first signal, if any."""

    signum: int | None = None

    @property
    def received(self) -> bool:
        """Whether a signal arrived during the block."""
        return self.signum is not None


@contextmanager
def termination_as_interrupt() -> Iterator[SignalState]:
    """Raise :class:`Interrupted` on SIGINT, SIGTERM or SIGHUP while the block runs.

    Outside the main thread (where Python cannot install handlers) the block runs
    unchanged. The previous handlers are restored on exit. Any exception other than
    the interruption itself that leaves the block after a signal is replaced by
    :class:`Interrupted`.

    Yields
    ------
    SignalState
        Records the signal received, if any.
    """
    state = SignalState()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if state.signum is None:
            state.signum = signum
        raise Interrupted(signum)

    previous: dict[signal.Signals, Any] = {}
    for sig in SIGNALS:
        previous[sig] = signal.signal(sig, handler)
    try:
        yield state
    except Interrupted:
        raise
    except BaseException as exc:
        if state.signum is not None:  # an error caused by the interruption
            raise Interrupted(state.signum) from exc
        raise
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def clean_up(*steps: Callable[[], object] | None) -> None:
    """Run every clean-up step of an unwinding run, each even if an earlier one failed.

    While an error or an interruption unwinds a file run, its temporary files must all
    go: a step that fails (a key file cut off in the middle of a write that cannot be
    closed) must not leave the later steps' files behind. A failing step is logged by
    its exception type only (never its message, which may quote record values) and not
    raised: the error that is unwinding the run is the one reported. A second
    interruption (``KeyboardInterrupt``) is not swallowed.

    Parameters
    ----------
    *steps : callable or None
        Clean-up calls without arguments, run in order; None entries are skipped.
    """
    for step in steps:
        if step is None:
            continue
        try:
            step()
        except Exception as exc:  # the unwinding error is the one to report
            log.debug("a clean-up step failed (%s); the next ones still run",
                      type(exc).__name__)


_WATCHED: set[int] = set()
#: Seconds between checks of a worker process that its parent still runs.
WATCH_INTERVAL = 0.5


def _parent_gone(parent_pid: int) -> bool:
    if os.getppid() != parent_pid:  # re-parented: the parent died (SIGKILL)
        return True
    try:
        os.kill(parent_pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def exit_with_parent(parent_pid: int) -> None:
    """In a worker process: exit as soon as ``parent_pid`` no longer runs.

    Starts (once per process) a daemon thread that checks every
    :data:`WATCH_INTERVAL` seconds. Joblib's worker processes would otherwise keep
    running -- and keep record data in memory -- after their parent was killed with
    SIGKILL. Does nothing in the parent itself.

    Parameters
    ----------
    parent_pid : int
        Process id of the run's main process.
    """
    if parent_pid == os.getpid() or parent_pid in _WATCHED:
        return
    _WATCHED.add(parent_pid)

    def watch() -> None:
        while not _parent_gone(parent_pid):
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="pv-parent-watch", daemon=True).start()
