"""The rules for the attribute rows a person types: which are sent, which are wrong.

The form's table marks problems as they are typed and the request is refused for
the same ones, so both take them from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from kombo_desktop.core.text import strip_edges

#: One attribute row as typed: (key, value), either may be blank.
AttributeRow = tuple[str, str]


def is_blank_row(row: AttributeRow) -> bool:
    """True for a row with neither key nor value: it is left out, never an error."""
    return not row[0].strip() and not row[1].strip()


def same_key(key: str) -> str:
    """What two keys share when they are the same key: trimmed of spaces and invisible
    characters, in one Unicode form, capitals aside.

    An attribute becomes a custom field of the ATS, and many ATSs do not tell ``Score``
    from ``score``: two such rows would write one field twice, or be refused there. Two
    keys that look alike (``Café`` typed and ``Café`` pasted in decomposed form, ``Score``
    with a zero-width space copied after it) are one key to the person reading them.
    """
    return _as_seen(key).casefold()


def _as_seen(key: str) -> str:
    """``key`` as a person sees it: without what is invisible at its ends, in one form."""
    return unicodedata.normalize("NFC", strip_edges(key))


def find_problems(rows: Sequence[AttributeRow]) -> dict[int, str]:
    """Row number → what is wrong with it; rows without a problem are absent.

    Keys are compared as ``same_key`` says. Every row after the first with the same key
    is marked (naming the first's spelling when only capitals differ), and so is a row
    with a value but a blank key.
    """
    problems: dict[int, str] = {}
    first_key_of: dict[str, str] = {}
    for row, (key, value) in enumerate(rows):
        name = key.strip()
        if not name:
            if value.strip():
                problems[row] = "Key is empty"
            continue
        first = first_key_of.get(same_key(name))
        if first is None:
            first_key_of[same_key(name)] = name
            continue
        problems[row] = f"Duplicate key “{name}”"
        if _as_seen(first) != _as_seen(name):
            problems[row] += f" (“{first}” in other capitals)"
    return problems
