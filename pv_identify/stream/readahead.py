"""Read the next chunks of a file in a background thread while this one is tagged.

Parquet decoding releases the GIL, so on two cores the model path's reading (about a
third of each pass) overlaps the per-chunk work instead of adding to it. At most
``depth`` chunks wait in the queue, so memory stays bounded by a few chunks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_ITEM, _DONE, _ERROR = 0, 1, 2


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield the items of ``items``, produced by a background thread up to ``depth`` ahead.

    Parameters
    ----------
    items : iterator
        The chunks (e.g. :func:`~pv_identify.io.readers.iter_arrow`); consumed only by
        the background thread.
    depth : int, default 2
        Items read ahead at most.

    Yields
    ------
    object
        The items, in order. An exception raised by ``items`` is raised here, at the
        point it was raised in the sequence. Closing the generator (or an error in the
        consumer) stops the thread after the item it is reading.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    waiting: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message: tuple[int, Any]) -> bool:
        while not stop.is_set():
            try:
                waiting.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((_ITEM, item)):
                    return
            put((_DONE, None))
        except BaseException as exc:  # handed to the consumer
            put((_ERROR, exc))

    thread = threading.Thread(target=run, name="pv-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = waiting.get()
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise value
            yield value
    finally:
        stop.set()
        while thread.is_alive():
            try:
                waiting.get(timeout=0.05)  # unblock a put in progress
            except queue.Empty:
                pass
        thread.join()
        close = getattr(items, "close", None)
        if close is not None:
            close()
