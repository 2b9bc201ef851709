"""Counting the reads of JSON text: a large JSON pasted in must be read once per change,
not once for each check of it."""

from __future__ import annotations

import json
from typing import Any

import pytest


def record_json_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The list that each text ``json.loads`` reads is added to, in order, from now until
    the test ends."""
    parsed: list[str] = []
    loads = json.loads

    def recording_loads(text: str, **options: Any) -> Any:
        parsed.append(text)
        return loads(text, **options)

    monkeypatch.setattr(json, "loads", recording_loads)
    return parsed
