"""What was computed for the objects given last time, known again by the objects themselves.

A remote-fields JSON is parsed once into objects shared by every request built from it,
which only read them: a key typed in another field leaves them as they are, and a change
of the JSON brings new ones. So what was worked out for each of them (its encoding, its
size) can be kept by the object it is, at no cost of comparing megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

__all__ = ["LastSeenByIdentity"]

_Computed = TypeVar("_Computed")


class LastSeenByIdentity(Generic[_Computed]):
    """What ``compute`` gave for each object of the last call, by the object itself.

    Not for several threads at once: each user keeps it on the one thread that calls it.
    """

    def __init__(self) -> None:
        # By the id of each object: (that object, kept so that its id is not reused by
        # another, and what was computed for it). Replaced as one dict, never changed:
        # objects no longer given are let go at the next call.
        self._known: dict[int, tuple[object, _Computed]] = {}

    def values_of(
        self, objects: Mapping[str, object], compute: Callable[[object], _Computed]
    ) -> dict[str, _Computed]:
        """What ``compute`` gives for each of ``objects``, by the same names: computed only
        for an object not given last time, kept for the next call until then."""
        known = self._known
        kept: dict[int, tuple[object, _Computed]] = {}
        computed: dict[str, _Computed] = {}
        for name, value in objects.items():
            entry = kept.get(id(value)) or known.get(id(value))
            if entry is None or entry[0] is not value:
                entry = (value, compute(value))
            kept[id(value)] = entry
            computed[name] = entry[1]
        self._known = kept
        return computed

    def holds_any(self) -> bool:
        """True while it keeps objects from the last call."""
        return bool(self._known)

    def forget(self) -> None:
        """Keep nothing: the objects are let go (freed on the thread calling this, when
        nothing else holds them)."""
        self._known = {}
