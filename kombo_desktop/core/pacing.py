"""Long work on a background thread that leaves the GUI thread room to paint.

A thread running Python holds the interpreter while it works; the GUI thread needs it at
each of its many calls into Python for one frame, and waits for it each time (up to the
interpreter's switch interval, 5 ms). Work of megabytes done in one go, on whatever
thread, so stalls the window for as long as it takes. Done in pieces with short pauses,
it lets the window paint between them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["PAUSE_S", "WORK_BEFORE_PAUSE_S", "paced"]

#: How long work goes on before it pauses, and how long it pauses (``paced``).
WORK_BEFORE_PAUSE_S = 0.002
PAUSE_S = 0.0005

_Piece = TypeVar("_Piece")


def paced(pieces: Iterable[_Piece]) -> Iterator[_Piece]:
    """``pieces``, with a pause of ``PAUSE_S`` every ``WORK_BEFORE_PAUSE_S`` of work.

    For a background thread only: the pauses are time the GUI thread gets the interpreter.
    """
    pause_at = time.perf_counter() + WORK_BEFORE_PAUSE_S
    for piece in pieces:
        yield piece
        if time.perf_counter() >= pause_at:
            time.sleep(PAUSE_S)
            pause_at = time.perf_counter() + WORK_BEFORE_PAUSE_S
