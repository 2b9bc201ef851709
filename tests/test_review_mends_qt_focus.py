"""Ctrl+Enter on a form refused for its attributes focuses the cell at fault.

The table marks its own problems (a key used twice, a value left blank) and knows their
cell; a row only the form's check refuses (an API key pasted into it) has no mark, and
the focus goes to the cell that holds the key all the same: its value when it is there.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import press_ctrl_enter
from tests.many_rows_support import PASTED_KEY, current_cell, window_showing
from tests.qt_helpers import focused


@pytest.mark.parametrize(
    ("second_row", "column"),
    [
        (("Token", f"use {PASTED_KEY}"), VALUE_COLUMN),
        ((f"Token {PASTED_KEY}", "7"), KEY_COLUMN),
        # Both at fault: the key is said and focused first, as on screen.
        ((f"Token {PASTED_KEY}", PASTED_KEY), KEY_COLUMN),
    ],
    ids=["key_in_the_value", "key_in_the_key", "key_in_both"],
)
def test_the_focus_goes_to_the_cell_holding_an_api_key(
    qtbot, fresh_sandbox: Sandbox, second_row: AttributeRow, column: int
) -> None:
    window = window_showing(qtbot, fresh_sandbox, (("Score", "88%"), second_row))
    press_ctrl_enter(qtbot, window)
    table = window.form.attributes.view
    assert focused() is table
    # Before, a row the table does not mark was focused at its key whatever was at fault.
    assert current_cell(window) == (1, column)


def test_typing_where_the_focus_went_replaces_the_value_holding_an_api_key(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_showing(qtbot, fresh_sandbox, (("Score", "88%"), ("Token", PASTED_KEY)))
    press_ctrl_enter(qtbot, window)
    table = window.form.attributes.view
    # A key typed on the table starts editing its current cell with it.
    qtbot.keyClick(table, Qt.Key.Key_4)
    editor = focused()
    assert editor is not None
    qtbot.keyClicks(editor, "2")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    # Before, the key was typed over: ("42", "ks_prod_…") and the API key still there.
    assert window.form.state().attributes == (("Score", "88%"), ("Token", "42"))
    assert window.form.problems() == []
