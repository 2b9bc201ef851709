"""After "Next candidate", the next candidate's rows pasted with their keys in another
order fill in the kept keys' values (qt/attributes_editor.py): rows whose keys the table
has not are added at its end, and one Ctrl+Z takes the paste back. Rows with their
values in place are written over by no block in another order: it is rows to add."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    at_next_candidate,
    posts,
    ready_window,
    submit_and_wait,
)
from tests.qt_helpers import (
    find_by_accessible_name,
    focused,
    paste_on_cell,
    press_on_focus,
    selected_rows,
    shown_attributes_editor,
)


@pytest.fixture
def editor(qtbot: QtBot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


@pytest.mark.parametrize("column", [KEY_COLUMN, VALUE_COLUMN], ids=["on-a-key", "on-a-value"])
def test_the_kept_keys_in_another_order_fill_in_their_values(
    editor: AttributesEditor, clipboard: QClipboard, column: int
) -> None:
    editor.model.set_rows([("Score", ""), ("Time", "")])
    paste_on_cell(editor, clipboard, 0, column, "Time\t2:05h\r\nscore\t91%\r\n")
    # The keys stay as the table spells them; no key is there twice.
    assert editor.model.rows() == [("Score", "91%"), ("Time", "2:05h")]
    assert editor.model.problems() == {}
    assert selected_rows(editor) == [0, 1]

    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", ""), ("Time", "")]


def test_rows_whose_keys_the_table_has_not_are_added_at_its_end_in_one_step(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", ""), ("Time", ""), ("Level", "")])
    block = "Key\tValue\nComment\tStrong on SQL\nTime\t2:05h\nScore\t91%\nTeam\tBlue\n"
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, block)
    # Level had no value pasted: it keeps waiting for one.
    assert editor.model.rows() == [
        ("Score", "91%"),
        ("Time", "2:05h"),
        ("Level", ""),
        ("Comment", "Strong on SQL"),
        ("Team", "Blue"),
    ]
    QTest.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", ""), ("Time", ""), ("Level", "")]


@pytest.mark.parametrize(
    ("rows", "row", "block"),
    [
        # Values in place are written over by no block in another order.
        ([("Score", "90%"), ("Time", "2h")], 0, "Time\t2:05h\nScore\t91%\n"),
        ([("Score", ""), ("Time", ""), ("Level", "Junior")], 0, "Time\t2:05h\nScore\t91%\n"),
        # A key pasted twice: which of its values is meant is unsure.
        ([("Score", ""), ("Time", "")], 0, "Time\t2:05h\nScore\t91%\nTime\t3h\n"),
        # A key of a row above the current one would be there twice.
        ([("Score", ""), ("Time", "")], 1, "Score\t91%\nTime\t2:05h\n"),
    ],
)
def test_a_block_in_another_order_is_rows_to_add_where_values_are_unsure(
    editor: AttributesEditor,
    clipboard: QClipboard,
    rows: list[tuple[str, str]],
    row: int,
    block: str,
) -> None:
    editor.model.set_rows(rows)
    paste_on_cell(editor, clipboard, row, VALUE_COLUMN, block)
    # Added below the current row, the rows there before kept as they were.
    after = editor.model.rows()
    assert [row for row in after if row in rows] == rows
    assert len(after) == len(rows) + block.count("\n")


def test_after_next_candidate_the_kept_keys_pasted_in_another_order_are_sent_once(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    window = ready_window(qtbot, fresh_sandbox)
    at_next_candidate(qtbot, window, fresh_sandbox)
    table = find_by_accessible_name(window, "Attributes", QTableView)
    first_value = table.visualRect(table.model().index(0, VALUE_COLUMN)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first_value)
    assert focused() is table

    clipboard.setText("Time\t2:05h\r\nScore\t91%\r\n")
    press_on_focus(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "91%"},
        {"key": "Time", "value": "2:05h"},
    ]
