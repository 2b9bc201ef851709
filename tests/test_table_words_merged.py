"""Every row of the attribute table at fault is said, each once, in row order.

The table marks its own problems (a key used twice, a value left blank); the form's check
refuses those rows too, and others the table does not mark (an API key pasted into a key
or a value). What the form says of the table, Submit's description, the preview and the
text under the table, names both: a row the table marks says its mark, then what the
check finds there beyond it, and a row only the check refuses is said all the same.
"""

from __future__ import annotations

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.qt.attributes_model import KEY_COLUMN
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import button, press_ctrl_enter
from tests.many_rows_support import (
    PASTED_KEY,
    bulleted,
    current_cell,
    key_holds_key_line,
    value_holds_key_line,
    window_showing,
)

PREVIEW_WAITS = "The preview appears when the form is complete."


def test_a_row_only_the_check_refuses_is_said_with_the_rows_the_table_marks(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    rows: tuple[AttributeRow, ...] = (
        ("Token", f"use {PASTED_KEY}"),  # only the check refuses it
        ("Score", ""),  # the table marks it
        ("Score", f"token {PASTED_KEY}"),  # the table marks its key, the check its value
    )
    window = window_showing(qtbot, fresh_sandbox, rows)
    said = [
        value_holds_key_line(1),
        "Attributes, row 2: Value is empty",
        "Attributes, row 3: Duplicate key “Score”",
        value_holds_key_line(3),
    ]
    # Before, the table's marks replaced the check's words: rows 1 and 3's keys went unsaid
    # until the table's own problems were fixed.
    assert window.form.problems() == said
    submit = button(window, "Submit")
    assert submit.toolTip() == f"Cannot send yet:\n{bulleted(said)}"
    still_needed = f"{PREVIEW_WAITS}\n\nStill needed:\n{bulleted(said)}"
    assert window.preview.body.placeholderText() == still_needed

    press_ctrl_enter(qtbot, window)
    table = window.form.attributes
    # The table lists its own marks right above; under it goes what it does not mark.
    beyond_the_table = f"{value_holds_key_line(1)}\n{value_holds_key_line(3)}"
    assert window.form.error_text("attributes") == beyond_the_table
    assert table.accessibleDescription() == beyond_the_table
    # The focus goes to the first row at fault, as the first problem named.
    assert table.view.currentIndex().row() == 0
    assert not submit.isEnabled()


def test_a_key_in_both_the_key_and_the_value_of_a_row_is_said_once_at_each(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_showing(
        qtbot, fresh_sandbox, ((f"Token {PASTED_KEY}", PASTED_KEY), ("Score", "88%"))
    )
    lines = [key_holds_key_line(1), value_holds_key_line(1)]
    # Each cell is named once, the key's first: the row never says a line twice.
    assert window.form.problems() == lines
    assert button(window, "Submit").toolTip() == f"Cannot send yet:\n{bulleted(lines)}"
    press_ctrl_enter(qtbot, window)
    assert window.form.error_text("attributes") == "\n".join(lines)
    # The focus goes to the cell the first line names.
    assert current_cell(window) == (0, KEY_COLUMN)
