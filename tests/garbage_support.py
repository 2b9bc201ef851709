"""What the garbage collector finds: objects left in reference cycles, which only it frees
(in the app, on whichever thread it happens to run, the GUI thread among them)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def garbage_found() -> Iterator[list[Any]]:
    """What the garbage collector finds now, kept until the block ends, then freed."""
    was_enabled = gc.isenabled()
    gc.disable()  # nothing collected before it is looked at
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
        if was_enabled:
            gc.enable()
