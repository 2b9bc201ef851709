"""Profiles files as a person's disk may hold them: for the core, CLI and GUI tests alike."""

from __future__ import annotations

import json
from pathlib import Path


def add_unreadable_entry(path: Path) -> None:
    """Add an entry that cannot be read (no integration ID) to the profiles file at ``path``.

    The other entries stay readable.
    """
    document = json.loads(path.read_text(encoding="utf-8"))
    document["profiles"].append({"id": "broken", "name": "Broken", "integration_id": ""})
    path.write_text(json.dumps(document), encoding="utf-8")
