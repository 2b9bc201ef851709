"""``kombo-desktop profiles``: list, add and remove saved credential profiles."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """Add the ``profiles`` sub-command (filled in by the profiles work)."""
