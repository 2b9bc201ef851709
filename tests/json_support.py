"""Watching JSON and pattern searches at work: a large JSON pasted in must be read once per
change, not once for each check of it, and a large text must reach them in short pieces
(each call of theirs holds every other thread throughout)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from types import FrameType
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


def _longest_text(value: Any) -> int:
    """The length of the longest text in ``value`` (a text, or JSON-like values)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max([0, *map(_longest_text, value.keys()), *map(_longest_text, value.values())])
    if isinstance(value, list | tuple):
        return max([0, *map(_longest_text, value)])
    return 0


def texts_given_to_searches_and_json(action: Callable[[], object]) -> list[int]:
    """Run ``action``; the length of the longest text handed to each call of ``re``'s and
    ``json``'s functions meanwhile (each such call holds every other thread throughout)."""
    watched = {(re.__file__, name) for name in ("sub", "subn", "search", "match", "findall")}
    watched |= {(json.__file__, name) for name in ("dumps", "loads")}
    seen: list[int] = []

    def on_event(frame: FrameType, event: str, _arg: object) -> None:
        code = frame.f_code
        if event == "call" and (code.co_filename, code.co_name) in watched:
            seen.append(max(map(_longest_text, frame.f_locals.values())))

    sys.setprofile(on_event)
    try:
        action()
    finally:
        sys.setprofile(None)
    return seen


def exported_custom_fields(count: int) -> dict[str, Any]:
    """Another ATS's custom fields as its export holds them: one wide object of ``count``
    small ones, with text beyond ASCII, numbers with a fraction, flags and nested objects
    (about 150 bytes each as sent)."""
    return {
        "lever": {
            "custom": {
                f"field_{n:05d}": {
                    "label": f"Question {n}",
                    "value": f"réponse {n} " * 4,
                    "options": ["a", "b", {"deep": {"x": n * 1.5, "flag": n % 2 == 0}}],
                }
                for n in range(count)
            }
        }
    }
