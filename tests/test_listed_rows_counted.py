"""Rows the form's check refuses where the table marks none: counted as rows, worded once.

A block of settings pasted into the table puts an API key into keys and values: the form
refuses each such key and value, one problem each, though the table marks no row. Submit's
description and the preview name the first rows at fault and count the others as rows,
not as problems.
"""

from __future__ import annotations

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import button
from tests.many_rows_support import (
    LISTED_ROWS,
    PASTED_KEY,
    bulleted,
    key_holds_key_line,
    value_holds_key_line,
    window_showing,
)


def _keys_in_keys_and_values(count: int) -> tuple[AttributeRow, ...]:
    """``count`` rows whose key and value both hold an API key: two problems a row."""
    return tuple((f"{n + 1} {PASTED_KEY}", PASTED_KEY) for n in range(count))


def test_a_row_with_two_problems_is_counted_once(qtbot, fresh_sandbox: Sandbox) -> None:
    window = window_showing(qtbot, fresh_sandbox, _keys_in_keys_and_values(LISTED_ROWS + 2))
    named = [
        line
        for row in range(1, LISTED_ROWS + 1)
        for line in (key_holds_key_line(row), value_holds_key_line(row))
    ]
    # Each of the first ten rows says its key in its key and its value, a line each cell;
    # the two rows left are counted as two (it was "…and 14 more rows": problems, not
    # rows).
    listed = bulleted([*named, "…and 2 more rows"])
    submit = button(window, "Submit")
    assert submit.toolTip() == f"Cannot send yet:\n{listed}"
    assert window.preview.body.placeholderText().endswith(f"Still needed:\n{listed}")
    assert len(window.form.problems()) == 2 * (LISTED_ROWS + 2)
