"""What the garbage collector finds: objects left in reference cycles, which only it frees
(in the app, on whichever thread it happens to run, the GUI thread among them)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class FoundGarbage:
    """What the garbage collector found of what a ``garbage_found`` block left."""

    def __init__(self) -> None:
        self._objects: list[Any] | None = None

    @property
    def objects(self) -> list[Any]:
        """The objects found, known once the block has ended (they live as long as this)."""
        if self._objects is None:
            # Looked at inside the block, it would hold nothing, and the test could not fail.
            raise RuntimeError("what the block left is known once it has ended: look after it")
        return self._objects


@contextmanager
def garbage_found() -> Iterator[FoundGarbage]:
    """Run the block (the code under test) with automatic collection off, then find what it
    left to the garbage collector.

    A cycle the block leaves is kept until it is looked at: collected before that, it could
    not fail the test. What was left before the block is freed first, not counted.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    frozen = gc.get_freeze_count()
    found = FoundGarbage()
    try:
        yield found
        # Frozen objects are never collected: a cycle frozen in the block would go unseen.
        assert gc.get_freeze_count() == frozen, "objects were frozen while the block ran"
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found._objects = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
