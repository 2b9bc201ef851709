"""Ctrl+Z in the attributes table takes back removals and pastes one by one, the last first.

Delete moves on to the next row, so a second press (or the key held a moment) removes
more: each removal comes back with its own Ctrl+Z. So does the typing in a cell's
editor, once it has closed: a key pressed on a cell by mistake replaces all its text.
Any other change to the table (adding, duplicating, moving rows, those picked one by one
included) makes it forget them all.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.qt.attributes_editor import MAX_UNDO_STEPS, AttributesEditor
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from tests.qt_helpers import cell_editor, shown_attributes_editor

ROWS = [("Score", "100%"), ("Time", "2:30h"), ("Level", "Senior")]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def editor(qtbot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def _press(editor: AttributesEditor, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(editor.view, key, modifier)


def _undo(editor: AttributesEditor) -> None:
    _press(editor, Qt.Key.Key_Z, CTRL)


def _select_row(editor: AttributesEditor, row: int) -> None:
    view = editor.view
    view.setFocus()
    view.setCurrentIndex(editor.model.index(row, KEY_COLUMN))
    view.selectionModel().select(
        editor.model.index(row, KEY_COLUMN),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _selected(editor: AttributesEditor) -> list[int]:
    return sorted({index.row() for index in editor.view.selectionModel().selectedRows()})


def _undo_tooltip(name: str) -> str:
    shortcut = QKeySequence("Ctrl+Z").toString(QKeySequence.SequenceFormat.NativeText)
    return f"{name} ({shortcut})"


def test_two_deletes_are_taken_back_one_by_one(editor: AttributesEditor) -> None:
    editor.model.set_rows(ROWS)
    _select_row(editor, 0)
    _press(editor, Qt.Key.Key_Delete)
    _press(editor, Qt.Key.Key_Delete)  # a second press, or the key held a moment
    assert editor.model.rows() == [("Level", "Senior")]

    _undo(editor)
    assert editor.model.rows() == ROWS[1:]
    assert _selected(editor) == [0]
    # The first removal is still there to take back, and the button says so.
    assert editor.undo_action.isEnabled()
    assert editor.undo_action.toolTip() == _undo_tooltip("Undo remove")

    _undo(editor)
    assert editor.model.rows() == ROWS
    assert _selected(editor) == [0]
    assert not editor.undo_action.isEnabled()
    _undo(editor)
    assert editor.model.rows() == ROWS


def test_a_paste_and_the_removal_before_it_are_taken_back_in_turn(
    editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows(ROWS)
    _select_row(editor, 1)
    _press(editor, Qt.Key.Key_Delete)
    clipboard.setText("Team\tBlue\nRole\tLead\n")
    _press(editor, Qt.Key.Key_V, CTRL)
    assert editor.model.rows() == [ROWS[0], ROWS[2], ("Team", "Blue"), ("Role", "Lead")]
    assert editor.undo_action.text() == "Undo paste"
    assert editor.undo_action.toolTip() == _undo_tooltip("Undo paste")

    _undo(editor)
    assert editor.model.rows() == [ROWS[0], ROWS[2]]
    assert editor.undo_action.text() == "Undo remove"
    assert editor.undo_action.toolTip() == _undo_tooltip("Undo remove")
    assert editor.undo_action.isEnabled()

    _undo(editor)
    assert editor.model.rows() == ROWS
    assert _selected(editor) == [1]
    assert not editor.undo_action.isEnabled()


def test_a_paste_over_a_cell_and_a_removal_after_it_are_taken_back_in_turn(
    editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows(ROWS)
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    clipboard.setText("95%")
    _press(editor, Qt.Key.Key_V, CTRL)
    _select_row(editor, 2)
    _press(editor, Qt.Key.Key_Delete)
    assert editor.model.rows() == [("Score", "95%"), ROWS[1]]

    _undo(editor)
    assert editor.model.rows() == [("Score", "95%"), *ROWS[1:]]
    _undo(editor)
    assert editor.model.rows() == ROWS
    assert editor.view.currentIndex().row() == 0


def _duplicate(editor: AttributesEditor) -> None:
    _press(editor, Qt.Key.Key_D, CTRL)


def _move_down(editor: AttributesEditor) -> None:
    _press(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)


def _add(editor: AttributesEditor) -> None:
    editor.add_row()


LEFT = [("Level", "Senior"), ("Team", "Blue")]


@pytest.mark.parametrize(
    ("change", "after", "taken_back"),
    [
        (_duplicate, [LEFT[0], *LEFT], [LEFT]),
        (_move_down, [LEFT[1], LEFT[0]], [LEFT]),
        # The row added, still empty, is no step: the removal before it is taken back, and
        # the empty row with it.
        (_add, [*LEFT, ("", "")], []),
    ],
)
def test_a_change_after_removals_is_taken_back_before_them(
    editor: AttributesEditor,
    change: Callable[[AttributesEditor], None],
    after: list[tuple[str, str]],
    taken_back: list[list[tuple[str, str]]],
) -> None:
    # Before: any such change forgot every removal, though the table's tooltip and the
    # README say Ctrl+Z puts removed rows back.
    editor.model.set_rows([*ROWS, LEFT[1]])
    _select_row(editor, 0)
    _press(editor, Qt.Key.Key_Delete)
    _press(editor, Qt.Key.Key_Delete)
    assert editor.model.rows() == LEFT
    change(editor)
    assert editor.model.rows() == after
    assert editor.undo_action.isEnabled()
    editor.view.setFocus()
    for rows in [*taken_back, [ROWS[1], *LEFT], [*ROWS, LEFT[1]]]:
        _undo(editor)
        assert editor.model.rows() == rows
    assert not editor.undo_action.isEnabled()


COMMENT = "Strong communication; needs coaching on SQL. Recommended for round 2."


def _overtype(qtbot, editor: AttributesEditor, row: int, column: int, keys: str) -> QLineEdit:
    """Type ``keys`` on the cell, which opens its editor over all its text; the editor."""
    view = editor.view
    view.setFocus()
    view.setCurrentIndex(editor.model.index(row, column))
    QTest.keyClicks(view, keys[0])
    cell = cell_editor(qtbot, editor)
    QTest.keyClicks(cell, keys[1:])
    return cell


def test_a_key_typed_on_a_cell_by_mistake_is_taken_back_after_the_editor_closed(
    qtbot,
    editor: AttributesEditor,
) -> None:
    editor.model.set_rows([("Score", "92%"), ("Comment", COMMENT)])
    _overtype(qtbot, editor, 1, VALUE_COLUMN, "j")
    assert editor.model.rows()[1] == ("Comment", "j")
    editor.close_cell_editor()

    # Before: Ctrl+Z did nothing, and the comment was gone (the draft saved it so).
    assert editor.undo_action.isEnabled()
    assert editor.undo_action.text() == "Undo typing"
    _undo(editor)
    assert editor.model.rows() == [("Score", "92%"), ("Comment", COMMENT)]
    assert editor.view.currentIndex().row() == 1
    assert not editor.undo_action.isEnabled()


def test_typing_taken_back_with_esc_is_no_step_and_keeps_the_one_before(
    qtbot,
    editor: AttributesEditor,
) -> None:
    editor.model.set_rows([*ROWS, ("Comment", COMMENT)])
    _select_row(editor, 0)
    _press(editor, Qt.Key.Key_Delete)
    cell = _overtype(qtbot, editor, 0, KEY_COLUMN, "Tme")
    QTest.keyClick(cell, Qt.Key.Key_Escape)
    assert editor.model.rows() == [*ROWS[1:], ("Comment", COMMENT)]
    assert editor.undo_action.text() == "Undo remove"
    _undo(editor)
    assert editor.model.rows() == [*ROWS, ("Comment", COMMENT)]


def test_rows_picked_one_by_one_and_moved_are_a_step_and_tell_the_form(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([*ROWS, ("Team", "Blue"), ("Site", "Berlin")])
    _select_row(editor, 0)
    _press(editor, Qt.Key.Key_Delete)
    changes: list[bool] = []
    editor.changed.connect(lambda: changes.append(True))
    _select_row(editor, 1)
    editor.view.selectionModel().select(
        editor.model.index(3, KEY_COLUMN),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    _press(editor, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    moved = [("Level", "Senior"), ("Time", "2:30h"), ("Site", "Berlin"), ("Team", "Blue")]
    assert editor.model.rows() == moved
    # Before: the form heard nothing (no preview, no draft), and Ctrl+Z then brought the
    # removed row back with the move undone.
    assert changes
    # The move is taken back on its own, then the removal.
    _undo(editor)
    assert editor.model.rows() == [*ROWS[1:], ("Team", "Blue"), ("Site", "Berlin")]
    _undo(editor)
    assert editor.model.rows() == [*ROWS, ("Team", "Blue"), ("Site", "Berlin")]


def test_typing_after_a_move_made_in_the_open_editor_is_taken_back_alone(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows(ROWS)
    cell = _overtype(qtbot, editor, 0, VALUE_COLUMN, "x")
    QTest.keyClick(cell, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert editor.model.rows() == [ROWS[1], ("Score", "x"), ROWS[2]]
    QTest.keyClicks(cell, "y")
    editor.close_cell_editor()
    _undo(editor)
    # The cell's text as its editing began, the move kept. Before: the rows as they were
    # before the move came back too.
    assert editor.model.rows() == [ROWS[1], ROWS[0], ROWS[2]]


def test_typing_and_the_removal_before_it_are_taken_back_in_turn(
    qtbot,
    editor: AttributesEditor,
) -> None:
    editor.model.set_rows(ROWS)
    _select_row(editor, 0)
    _press(editor, Qt.Key.Key_Delete)
    _overtype(qtbot, editor, 1, VALUE_COLUMN, "Lead")
    editor.close_cell_editor()
    assert editor.model.rows() == [ROWS[1], ("Level", "Lead")]
    _undo(editor)
    assert editor.model.rows() == ROWS[1:]
    _undo(editor)
    assert editor.model.rows() == ROWS


def test_the_last_removals_are_kept_when_there_are_very_many(editor: AttributesEditor) -> None:
    rows = [(f"Key {n}", str(n)) for n in range(MAX_UNDO_STEPS + 2)]
    editor.model.set_rows(rows)
    _select_row(editor, 0)
    for _ in range(MAX_UNDO_STEPS + 1):
        _press(editor, Qt.Key.Key_Delete)
    assert editor.model.rows() == rows[-1:]
    for _ in range(MAX_UNDO_STEPS + 1):
        _undo(editor)
    # The oldest removal went to make room; every later one came back.
    assert editor.model.rows() == rows[1:]
    assert not editor.undo_action.isEnabled()
