"""What the tests of thousands of attribute rows share: the forms, the count of work a key
does, and the keys typed in a window that holds such a table.

Qt is imported only by the functions that drive a window: the core's tests use the rest
without it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from types import FrameType
from typing import TYPE_CHECKING, Any

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.form_state import FormState

if TYPE_CHECKING:
    from kombo_desktop.qt.main_window import MainWindow
    from kombo_desktop.sandbox import Sandbox

#: A Target ID of the shape Kombo's IDs have.
TARGET_ID = "8Xi6iZrwusZqJmDGXs49GB"
#: How many rows at fault Submit's description, the preview and the text under the table
#: name before the others are counted ("…and 20 more rows").
LISTED_ROWS = 10
#: A Kombo key's shape, as a settings file pasted into the table holds it.
PASTED_KEY = "ks_prod_" + "A" * 32


def values_left_blank(count: int) -> tuple[AttributeRow, ...]:
    """Rows as "Next candidate" leaves a pasted block: the keys kept, the values cleared."""
    return tuple((f"Question {n + 1}", "") for n in range(count))


def keys_in_values(count: int) -> tuple[AttributeRow, ...]:
    """``count`` rows whose value holds an API key: the form's check refuses each, the
    table marks none."""
    return tuple((f"Question {n + 1}", f"token {PASTED_KEY}") for n in range(count))


def value_holds_key_line(row: int) -> str:
    """What the form says of the row numbered ``row`` (from 1, as on screen) whose value
    holds a Kombo key: the row and the cell, never the key."""
    return f"Attributes, row {row}: Value cell {KEY_IN_TEXT_PROBLEM}"


def key_holds_key_line(row: int) -> str:
    """``value_holds_key_line`` for a row whose key holds a Kombo key."""
    return f"Attributes, row {row}: Key cell {KEY_IN_TEXT_PROBLEM}"


def form_with_rows(rows: tuple[AttributeRow, ...], **fields: Any) -> FormState:
    """A form complete but for what ``rows`` lack, with ``fields`` set as given."""
    complete = FormState(
        target_id=TARGET_ID,
        label="Assessment Result",
        url="https://example.com/results/1",
        prefix="Acme:",
        attributes=rows,
    )
    return replace(complete, **fields)


def python_calls(action: Callable[[], object]) -> int:
    """How many Python functions run on this thread while ``action`` runs: the work it
    does, counted the same whatever the machine's load."""
    calls = 0

    def count(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def window_showing(qtbot, sandbox: Sandbox, rows: tuple[AttributeRow, ...]) -> MainWindow:
    """A window whose form holds ``rows`` and the sandbox's first candidate but for the
    ID's last character, typed then (so the form is the person's), its preview caught up."""
    from tests.main_window_support import candidate_id, ready_window, type_into

    window = ready_window(qtbot, sandbox)
    target = candidate_id(sandbox)
    window.form.set_state(form_with_rows(rows, target_id=target[:-1]))
    type_into(qtbot, window, "Target ID", target[-1])
    preview_caught_up(qtbot, window)
    return window


def preview_caught_up(qtbot, window: MainWindow) -> None:
    """Wait until the request preview shows the form as it is."""
    from tests.main_window_support import WAIT_MS

    qtbot.waitUntil(lambda: not window.preview.is_building(), timeout=WAIT_MS)


def retype_last_id_character(qtbot, window: MainWindow) -> None:
    """Backspace and the same character again at the end of the Target ID: two keys that
    leave it as it was."""
    from PySide6.QtCore import Qt

    from tests.main_window_support import line_edit

    target_id = line_edit(window, "Target ID")
    last = target_id.text()[-1]
    target_id.setFocus()
    target_id.end(False)
    qtbot.keyClick(target_id, Qt.Key.Key_Backspace)
    qtbot.keyClicks(target_id, last)


def type_into_cell(qtbot, window: MainWindow, row: int, column: int, text: str) -> None:
    """Type ``text`` over the cell at ``row``, ``column`` of the attributes table."""
    from tests.qt_helpers import open_cell_editor

    cell = open_cell_editor(qtbot, window.form.attributes, row, column)
    cell.selectAll()
    qtbot.keyClicks(cell, text)


def current_cell(window: MainWindow) -> tuple[int, int]:
    """The row and column of the attributes table's current cell (where the focus goes)."""
    current = window.form.attributes.view.currentIndex()
    return current.row(), current.column()


def bulleted(lines: list[str]) -> str:
    """``lines`` as Submit's description and the preview list them: one a line, each after
    a bullet."""
    return "\n".join(f"• {line}" for line in lines)
