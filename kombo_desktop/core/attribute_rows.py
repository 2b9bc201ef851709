"""The rules for the attribute rows a person types: which are sent, which are wrong.

The form's table marks problems as they are typed and the request is refused for
the same ones, so both take them from here.
"""

from __future__ import annotations

from collections.abc import Sequence

#: One attribute row as typed: (key, value), either may be blank.
AttributeRow = tuple[str, str]


def is_blank_row(row: AttributeRow) -> bool:
    """True for a row with neither key nor value: it is left out, never an error."""
    return not row[0].strip() and not row[1].strip()


def find_problems(rows: Sequence[AttributeRow]) -> dict[int, str]:
    """Row number → what is wrong with it; rows without a problem are absent.

    Keys are compared trimmed and case-sensitively. Every row after the first with
    the same key is marked, and so is a row with a value but a blank key.
    """
    problems: dict[int, str] = {}
    first_row_of: dict[str, int] = {}
    for row, (key, value) in enumerate(rows):
        name = key.strip()
        if not name:
            if value.strip():
                problems[row] = "Key is empty"
            continue
        if name in first_row_of:
            problems[row] = f"Duplicate key “{name}”"
        else:
            first_row_of[name] = row
    return problems
