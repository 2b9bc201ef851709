"""Pasting into the attributes table as into a spreadsheet (qt/attributes_editor.py).

A cell being edited pastes one way whether the text comes from Ctrl+V, from Paste in
the cell's own menu, or is dropped on it. A column of values pasted on a Value cell
fills the values down from it, and rows whose keys are those of the table's rows fill
in their values: after "Next candidate", the keys stay and only the values are new.
Ctrl+Z takes each paste back in one step.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer
from PySide6.QtGui import QClipboard, QContextMenuEvent, QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from tests.qt_helpers import (
    focused,
    open_cell_editor,
    paste_on_cell,
    press_on_focus,
    selected_rows,
    shown_attributes_editor,
)


@pytest.fixture
def editor(qtbot: QtBot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def _paste_from_its_menu(qtbot: QtBot, cell: QLineEdit) -> None:
    """Right-click ``cell`` and choose Paste in the menu that opens, as with the mouse."""
    chosen: list[str] = []

    def choose_paste() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, choose_paste)
            return
        paste = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Paste"))
        chosen.append(paste.text())
        menu.close()
        paste.trigger()

    QTimer.singleShot(0, choose_paste)
    at = cell.rect().center()
    QApplication.sendEvent(
        cell, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, cell.mapToGlobal(at))
    )
    qtbot.waitUntil(lambda: bool(chosen), timeout=3000)


def _back_in_the_window(qtbot: QtBot, editor: AttributesEditor) -> None:
    """Wait until the menu is gone, and the editor's window is active again.

    Without a desktop, the closed menu takes the window's activation with it: the
    keyboard reaches nothing until the window is activated again.
    """
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor.window())


def _drop_on(cell: QLineEdit, text: str) -> None:
    """Drag ``text`` over ``cell`` and drop it there, as from another program."""
    mime = QMimeData()
    mime.setText(text)
    at = cell.rect().center()
    action, button, keys = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(cell, QDragEnterEvent(at, action, mime, button, keys))
    QApplication.sendEvent(cell, QDropEvent(QPointF(at), action, mime, button, keys))


def _ctrl(widget: QWidget, key: Qt.Key) -> None:
    QTest.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


# ---- a cell being edited: one way to paste ---------------------------------------------


def test_rows_pasted_from_a_cell_editors_menu_become_rows_taken_back_in_one_step(
    qtbot: QtBot, editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", "100%")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    clipboard.setText("Time\t2:30h\r\nLevel\tSenior\r\n")
    _paste_from_its_menu(qtbot, cell)
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2:30h"), ("Level", "Senior")]
    assert editor.view.state() != QAbstractItemView.State.EditingState

    _back_in_the_window(qtbot, editor)
    assert focused() is editor.view
    press_on_focus(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", "100%")]


def test_one_spreadsheet_cell_pasted_from_a_cell_editors_menu_loses_its_line_end(
    qtbot: QtBot, editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Comment", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    # One cell copied in a spreadsheet: its text and a line break.
    clipboard.setText("Strong communication\r\n")
    _paste_from_its_menu(qtbot, cell)
    assert editor.model.rows() == [("Comment", "Strong communication")]
    assert cell.text() == "Strong communication"

    # Words on one line go in at the cursor, commas and all, as with Ctrl+V.
    _back_in_the_window(qtbot, editor)
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    cell.end(False)
    clipboard.setText(", needs coaching on SQL")
    _paste_from_its_menu(qtbot, cell)
    assert editor.model.rows() == [("Comment", "Strong communication, needs coaching on SQL")]


def test_rows_dropped_on_a_cell_editor_become_rows(qtbot: QtBot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "100%")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    _drop_on(cell, "Time\t2:30h\r\nLevel\tSenior\r\n")
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2:30h"), ("Level", "Senior")]


def test_one_spreadsheet_cell_dropped_on_a_cell_editor_loses_its_line_end(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("Comment", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    _drop_on(cell, '"Passed all tests\nwith distinction"\r\n')
    assert editor.model.rows() == [("Comment", "Passed all tests\nwith distinction")]


# ---- a column of values -----------------------------------------------------------------


def test_a_column_of_values_pasted_on_the_first_empty_value_fills_the_values(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    """After "Next candidate" the keys stay and the values are empty; the next candidate's
    values are copied as one spreadsheet column and pasted on the first value."""
    editor.model.set_rows([("Score", ""), ("Time", ""), ("Level", "")])
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "95%\r\n1:45h\r\n")
    assert editor.model.rows() == [("Score", "95%"), ("Time", "1:45h"), ("Level", "")]
    assert selected_rows(editor) == [0, 1]
    assert editor.view.currentIndex() == editor.model.index(0, VALUE_COLUMN)

    _ctrl(editor.view, Qt.Key.Key_Z)
    assert editor.model.rows() == [("Score", ""), ("Time", ""), ("Level", "")]


def test_a_column_pasted_lower_down_writes_over_the_values_from_there(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", "90%"), ("Time", "2h"), ("Level", "Junior")])
    # An empty cell in the column empties its value, as in a spreadsheet.
    paste_on_cell(editor, clipboard, 1, VALUE_COLUMN, "1:45h\n\n")
    assert editor.model.rows() == [("Score", "90%"), ("Time", "1:45h"), ("Level", "Junior")]
    paste_on_cell(editor, clipboard, 1, VALUE_COLUMN, "1:30h\n\nSenior\n")
    assert editor.model.rows() == [
        ("Score", "90%"),
        ("Time", "1:30h"),
        ("Level", ""),
        ("", "Senior"),
    ]


def test_a_column_longer_than_the_table_adds_rows_with_their_empty_keys_marked(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", "")])
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "95%\n1:45h\nSenior")
    assert editor.model.rows() == [("Score", "95%"), ("", "1:45h"), ("", "Senior")]
    assert editor.model.problems() == {1: "Key is empty", 2: "Key is empty"}

    _ctrl(editor.view, Qt.Key.Key_Z)
    assert editor.model.rows() == [("Score", "")]


def test_a_column_pasted_in_a_value_cells_editor_fills_the_values(
    qtbot: QtBot, editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", ""), ("Time", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    clipboard.setText("95%\n1:45h\n")
    _paste_from_its_menu(qtbot, cell)
    assert editor.model.rows() == [("Score", "95%"), ("Time", "1:45h")]


def test_lines_of_keys_and_values_pasted_on_a_value_are_rows_a_column_is_values(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Score", "")])
    # Values with a colon, a comma or a semicolon in them, as a spreadsheet shows them.
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "2,5\n1:30h\nBerlin, Germany\nA;B\n")
    assert editor.model.rows() == [
        ("Score", "2,5"),
        ("", "1:30h"),
        ("", "Berlin, Germany"),
        ("", "A;B"),
    ]
    for block in (
        "Level: Senior\nTeam: Blue\n",
        "Level,Senior\nTeam,Blue\n",
        "Level;Senior\nTeam;Blue\n",
        "Level\tSenior\nTeam\tBlue\n",
    ):
        editor.model.set_rows([("Score", "")])
        paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, block)
        assert editor.model.rows() == [("Score", ""), ("Level", "Senior"), ("Team", "Blue")], block


# ---- rows whose keys the table has ------------------------------------------------------


@pytest.mark.parametrize("column", [KEY_COLUMN, VALUE_COLUMN], ids=["on-a-key", "on-a-value"])
def test_rows_with_the_tables_keys_in_order_fill_in_their_values(
    editor: AttributesEditor, clipboard: QClipboard, column: int
) -> None:
    """After "Next candidate", the next candidate's rows copied with their keys: the
    values go to the rows of those keys, not into rows of the same keys added below."""
    editor.model.set_rows([("Score", ""), ("Time", ""), ("Level", "Junior")])
    paste_on_cell(editor, clipboard, 0, column, "score\t95%\r\nTime\t1:45h\r\n")
    # The keys stay as the table spells them.
    assert editor.model.rows() == [("Score", "95%"), ("Time", "1:45h"), ("Level", "Junior")]
    assert editor.model.problems() == {}

    _ctrl(editor.view, Qt.Key.Key_Z)
    assert editor.model.rows() == [("Score", ""), ("Time", ""), ("Level", "Junior")]

    # Only the keys of the rows from the current one down, in their order, are theirs.
    for row, block in (
        (0, "Time\t1:45h\nScore\t95%\n"),
        (1, "Score\t95%\nTime\t1:45h\n"),
        (2, "Level\tSenior\nTeam\tBlue\n"),
    ):
        paste_on_cell(editor, clipboard, row, column, block)
        assert len(editor.model.rows()) == 5, (row, block)
        _ctrl(editor.view, Qt.Key.Key_Z)


# ---- a column whose cells must each keep their row ------------------------------------


@pytest.mark.parametrize(
    "copied",
    ["\n1:45h\nSenior\n", "\r\n1:45h\r\nSenior\r\n", "\n1:45h\nSenior"],
    ids=["calc", "excel", "sheets"],
)
def test_a_column_whose_first_cell_is_empty_keeps_its_values_on_their_rows(
    editor: AttributesEditor, clipboard: QClipboard, copied: str
) -> None:
    # After Next candidate: the next candidate has no Score, a Time and a Level, copied as
    # one column of three cells (the first empty) and pasted on Score's value.
    editor.model.set_rows([("Score", ""), ("Time", ""), ("Level", "")])
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, copied)
    assert editor.model.rows() == [("Score", ""), ("Time", "1:45h"), ("Level", "Senior")]


def test_a_column_of_comments_with_commas_fills_the_values_waiting_for_them(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    # As one such comment pasted on a value waiting for it goes into that cell.
    editor.model.set_rows([("Comment", ""), ("Strengths", "")])
    paste_on_cell(
        editor, clipboard, 0, VALUE_COLUMN, "Strong communication, needs coaching\nSQL, Python\n"
    )
    assert editor.model.rows() == [
        ("Comment", "Strong communication, needs coaching"),
        ("Strengths", "SQL, Python"),
    ]
    # Where not every line lands on a value waiting for it, such lines are rows.
    editor.model.set_rows([("Comment", ""), ("Strengths", "Go")])
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "Level, Senior\nTeam, Blue\n")
    assert editor.model.rows() == [
        ("Comment", ""),
        ("Level", "Senior"),
        ("Team", "Blue"),
        ("Strengths", "Go"),
    ]
    # And lines of "key: value" always are.
    editor.model.set_rows([("Comment", ""), ("Strengths", "")])
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "Level: Senior\nTeam: Blue\n")
    assert [key for key, _value in editor.model.rows()] == [
        "Comment",
        "Level",
        "Team",
        "Strengths",
    ]
