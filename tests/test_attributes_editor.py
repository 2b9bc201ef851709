"""The attributes table widget with real keyboard and clipboard (qt/attributes_editor.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAccessible, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QToolButton

from kombo_desktop.qt import attributes_editor
from kombo_desktop.qt.attributes_editor import AttributesEditor, copy_text_for_rows
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from tests.main_window_support import WAIT_MS, build_window, candidate_id, fill_form, posts
from tests.qt_helpers import (
    cell_editor,
    find_by_accessible_name,
    focused,
    open_cell_editor,
    press_on_focus,
    shown_attributes_editor,
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def editor(qtbot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def _press(widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifier)


def _select_rows(editor: AttributesEditor, rows: list[int]) -> None:
    view = editor.view
    view.clearSelection()
    view.setCurrentIndex(editor.model.index(rows[0], KEY_COLUMN))
    for row in rows:
        view.selectionModel().select(
            editor.model.index(row, KEY_COLUMN),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def _paste_on_a_value(editor: AttributesEditor, clipboard, row: tuple[str, str], text: str) -> None:
    """One row in the table; Ctrl+V with ``text`` on its value cell, not editing it."""
    editor.model.set_rows([row])
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    clipboard.setText(text)
    _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _button(editor: AttributesEditor, name: str) -> QToolButton:
    return find_by_accessible_name(editor, name, QToolButton)


def _selected(editor: AttributesEditor) -> list[int]:
    return sorted({i.row() for i in editor.view.selectionModel().selectedRows()})


def _spoken(widget: QLineEdit) -> tuple[str, str]:
    """Name and description as assistive technology reads them."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name), interface.text(QAccessible.Text.Description)


def test_accessible_names_and_tooltips(editor: AttributesEditor) -> None:
    assert editor.view.accessibleName() == "Attributes"
    for name in (
        "Add attribute",
        "Remove attribute",
        "Duplicate attribute",
        "Move attribute up",
        "Move attribute down",
    ):
        assert _button(editor, name).toolTip().startswith(name + " (")
    labels = [w for w in editor.findChildren(QLabel) if w.accessibleName() == "Attribute problems"]
    assert len(labels) == 1


def test_typing_with_tab_walks_key_value_next_key(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("", ""), ("", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    QTest.keyClicks(cell, "Score")
    _press(cell, Qt.Key.Key_Tab)
    cell = cell_editor(qtbot, editor)
    assert editor.view.currentIndex() == editor.model.index(0, VALUE_COLUMN)
    QTest.keyClicks(cell, "100 %")
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.view.currentIndex() == editor.model.index(1, KEY_COLUMN))
    cell = cell_editor(qtbot, editor)
    QTest.keyClicks(cell, "Time")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows()[1] == ("Time", ""))
    assert editor.model.rows() == [("Score", "100 %"), ("Time", "")]


def test_typing_on_a_selected_cell_starts_editing(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("", "")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, KEY_COLUMN))
    QTest.keyClicks(editor.view, "S")
    cell = cell_editor(qtbot, editor)
    QTest.keyClicks(cell, "core")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Score", "")])


def test_enter_in_last_rows_value_adds_a_row(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    QTest.keyClicks(cell, "7")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 2)
    assert editor.model.rows() == [("Score", "7"), ("", "")]
    assert editor.view.currentIndex() == editor.model.index(1, KEY_COLUMN)
    # ...and the new key is being edited already.
    cell = cell_editor(qtbot, editor)
    QTest.keyClicks(cell, "Time")
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.model.rows()[1] == ("Time", ""))


def test_enter_in_a_value_that_is_not_last_adds_nothing(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", ""), ("Time", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    QTest.keyClicks(cell, "7")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows()[0] == ("Score", "7"))
    assert editor.model.rowCount() == 2


def test_paste_spreadsheet_block_inserts_rows_below_current_without_header(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("First", "1"), ("Last", "9")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    clipboard.setText("Key\tValue\r\nScore\t100%\r\nTime\t2:30h\r\n")
    with qtbot.waitSignal(editor.changed, timeout=2000):
        _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [
        ("First", "1"),
        ("Score", "100%"),
        ("Time", "2:30h"),
        ("Last", "9"),
    ]
    selected = sorted({i.row() for i in editor.view.selectionModel().selectedRows()})
    assert selected == [1, 2]


def test_paste_into_an_empty_row_fills_it(qtbot, editor: AttributesEditor, clipboard) -> None:
    editor.model.set_rows([("", "")])
    editor.view.setCurrentIndex(editor.model.index(0, KEY_COLUMN))
    clipboard.setText("Score,100%\nTime,2h")
    _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2h")]


def test_paste_with_nothing_current_appends(editor: AttributesEditor, clipboard) -> None:
    editor.model.set_rows([("a", "1")])
    editor.view.setCurrentIndex(editor.model.index(-1, -1))
    clipboard.setText("b\t2")
    editor.paste_action.trigger()  # what the context menu's Paste does
    assert editor.model.rows() == [("a", "1"), ("b", "2")]


def test_single_word_pasted_while_editing_goes_into_the_cell(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("Sc", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    cell.end(False)
    clipboard.setText("ore")
    _press(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell.text() == "Score"
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Score", "")])


def test_comma_text_pasted_while_editing_stays_text(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("Score", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    clipboard.setText("2,5")
    _press(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Score", "2,5")])


def test_one_copied_spreadsheet_cell_with_a_decimal_comma_goes_into_the_cell(
    editor: AttributesEditor, clipboard
) -> None:
    # A spreadsheet copies one cell as its text and a line break; typed text has none.
    _paste_on_a_value(editor, clipboard, ("Score", ""), "2,5\r\n")
    assert editor.model.rows() == [("Score", "2,5")]
    _paste_on_a_value(editor, clipboard, ("", ""), "Score,100%")
    assert editor.model.rows() == [("Score", "100%")]


def test_block_pasted_while_editing_keeps_the_typing_and_adds_rows(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    QTest.keyClicks(cell, "Overall")
    clipboard.setText("Score\t1\nTime\t2\n")
    _press(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3)
    assert editor.model.rows() == [("Overall", ""), ("Score", "1"), ("Time", "2")]
    assert editor.view.state() != QAbstractItemView.State.EditingState


def test_single_word_pasted_on_a_cell_replaces_it(editor: AttributesEditor, clipboard) -> None:
    _paste_on_a_value(editor, clipboard, ("Score", "old"), "  93%\n")
    assert editor.model.rows() == [("Score", "93%")]


@pytest.mark.parametrize("line", ["Score = 100%", "Score: 100%", "Score =100%\n"])
def test_one_key_value_line_pasted_on_the_table_becomes_a_row(
    editor: AttributesEditor, clipboard, line: str
) -> None:
    # Read as two such lines are: one line is no reason to put it all in one cell.
    _paste_on_a_value(editor, clipboard, ("Time", "2:30h"), line)
    assert editor.model.rows() == [("Time", "2:30h"), ("Score", "100%")]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/r/1",
        "https://example.com/report?id=5",
        "2:30h",
        "Note:see",
        "Score=100%",
        "dGVzdA==",
    ],
)
def test_one_value_with_a_colon_or_equals_sign_pasted_on_a_cell_stays_one_value(
    editor: AttributesEditor, clipboard, text: str
) -> None:
    _paste_on_a_value(editor, clipboard, ("Link", "old"), text)
    assert editor.model.rows() == [("Link", text)]


def test_copy_selected_rows_as_tab_separated_text(editor: AttributesEditor, clipboard) -> None:
    editor.model.set_rows([("Score", "1"), ("Note", "two\tcells"), ("Time", "3")])
    _select_rows(editor, [0, 1])
    _press(editor.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == 'Score\t1\nNote\t"two\tcells"\n'
    # ...and pasting it back gives the same rows.
    editor.view.setCurrentIndex(editor.model.index(2, KEY_COLUMN))
    _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows()[3:] == [("Score", "1"), ("Note", "two\tcells")]


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_key_removes_selected_rows(editor: AttributesEditor, key: Qt.Key) -> None:
    editor.model.set_rows([("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
    _select_rows(editor, [1, 3])
    _press(editor.view, key)
    assert editor.model.rows() == [("a", "1"), ("c", "3")]


def test_delete_on_the_numeric_keypad_removes_selected_rows(editor: AttributesEditor) -> None:
    # The keypad's Delete (Num Lock off) comes flagged as a keypad key.
    editor.model.set_rows([("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
    _select_rows(editor, [1, 3])
    _press(editor.view, Qt.Key.Key_Delete, Qt.KeyboardModifier.KeypadModifier)
    assert editor.model.rows() == [("a", "1"), ("c", "3")]


def test_ctrl_z_puts_removed_rows_back_where_they_were(editor: AttributesEditor) -> None:
    rows = [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]
    editor.model.set_rows(rows)
    _select_rows(editor, [1, 3])
    _press(editor.view, Qt.Key.Key_Delete)
    assert editor.model.rows() == [("a", "1"), ("c", "3")]
    assert editor.undo_action.isEnabled()

    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == rows
    assert _selected(editor) == [1, 3]
    # One removal, taken back once: a second Ctrl+Z changes nothing.
    assert not editor.undo_action.isEnabled()
    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == rows


def test_ctrl_z_takes_back_a_paste_over_a_cell_or_a_pasted_block(
    editor: AttributesEditor, clipboard
) -> None:
    rows = [("Score", "100%"), ("Time", "2:30h")]
    editor.model.set_rows(rows)
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    clipboard.setText("hello")
    _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", "hello"), ("Time", "2:30h")]
    assert editor.undo_action.text() == "Undo paste"
    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == rows
    assert editor.view.currentIndex().row() == 0

    clipboard.setText("Level\tSenior\nTeam\tBlue\n")
    _press(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.model.rows()) == 4
    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == rows
    assert not editor.undo_action.isEnabled()


def test_typing_after_a_removal_is_taken_back_before_it(qtbot, editor: AttributesEditor) -> None:
    # A cell's typing is a step of its own once its editor closed (it used to forget the
    # removal, and could not be taken back itself).
    editor.model.set_rows([("a", "1"), ("b", "2"), ("c", "3")])
    _select_rows(editor, [0])
    _press(editor.view, Qt.Key.Key_Delete)
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    QTest.keyClicks(cell, "9")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows()[0] == ("b", "9"))
    assert editor.undo_action.text() == "Undo typing"
    editor.view.setFocus()
    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("b", "2"), ("c", "3")]
    _press(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("a", "1"), ("b", "2"), ("c", "3")]


def test_remove_clicked_while_a_cell_is_edited_leaves_the_focus_in_the_table(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("a", "1"), ("b", "2"), ("c", "3")])
    _select_rows(editor, [1])
    cell = open_cell_editor(qtbot, editor, 1, VALUE_COLUMN)
    QTest.keyClicks(cell, "typed")
    QTest.mouseClick(editor.buttons["Remove attribute"], Qt.MouseButton.LeftButton)
    assert editor.model.rows() == [("a", "1"), ("c", "3")]
    # Before: the focus went with the cell's editor, to nothing, and Ctrl+Z reached
    # no shortcut.
    assert focused() is editor.view
    press_on_focus(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("a", "1"), ("b", "typed"), ("c", "3")]


#: The Control key as Qt names it on a Mac (its Ctrl is the Command key there).
MAC_CONTROL = Qt.KeyboardModifier.MetaModifier


@pytest.mark.parametrize("on_a_mac", [False, True], ids=["here", "on-a-mac"])
@pytest.mark.parametrize("editing", [False, True], ids=["on-a-cell", "in-a-cell-editor"])
def test_ctrl_tab_leaves_the_table_however_many_rows_it_has(
    qtbot, editor: AttributesEditor, editing: bool, on_a_mac: bool, monkeypatch
) -> None:
    # Tab walks every cell, two a row. Before: 30 presses past 15 rows, and Ctrl+Tab
    # stayed in the table. On a Mac (Control+Tab, Qt's Meta+Tab) it still did: Qt's own
    # Tab handling, which stops only for its Ctrl and Alt, moved to the next cell first.
    control = Qt.KeyboardModifier.ControlModifier
    if on_a_mac:
        monkeypatch.setattr(attributes_editor, "_CONTROL_KEY", MAC_CONTROL)
        control = MAC_CONTROL
    editor.model.set_rows([(f"K{n}", f"V{n}") for n in range(15)])
    _select_rows(editor, [3])
    view = editor.view
    view.setFocus()
    target = open_cell_editor(qtbot, editor, 3, VALUE_COLUMN) if editing else view
    if editing:
        QTest.keyClicks(target, "typed")
    _press(target, Qt.Key.Key_Tab, control)
    assert focused() is editor.buttons["Add attribute"]
    assert editor.model.rows()[3] == ("K3", "typed" if editing else "V3")
    view.setFocus()
    _press(view, Qt.Key.Key_Backtab, control | Qt.KeyboardModifier.ShiftModifier)
    back = focused()
    assert back is not None
    assert back is not view
    assert not view.isAncestorOf(back)


def test_delete_while_editing_deletes_text_not_rows(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Scores", "1")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    cell.end(False)
    _press(cell, Qt.Key.Key_Backspace)
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Score", "1")])


def test_buttons_add_remove_duplicate_move(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("a", "1"), ("b", "2")])
    _select_rows(editor, [0])
    qtbot.mouseClick(_button(editor, "Duplicate attribute"), Qt.MouseButton.LeftButton)
    assert editor.model.rows() == [("a", "1"), ("a", "1"), ("b", "2")]
    assert "duplicate key “a” (row 2)" in editor.problem_label.text()

    _select_rows(editor, [2])
    qtbot.mouseClick(_button(editor, "Move attribute up"), Qt.MouseButton.LeftButton)
    assert [k for k, _ in editor.model.rows()] == ["a", "b", "a"]
    assert editor.view.currentIndex().row() == 1
    qtbot.mouseClick(_button(editor, "Move attribute up"), Qt.MouseButton.LeftButton)
    assert [k for k, _ in editor.model.rows()] == ["b", "a", "a"]
    assert not _button(editor, "Move attribute up").isEnabled()
    qtbot.mouseClick(_button(editor, "Move attribute down"), Qt.MouseButton.LeftButton)
    assert [k for k, _ in editor.model.rows()] == ["a", "b", "a"]

    _select_rows(editor, [2])
    qtbot.mouseClick(_button(editor, "Remove attribute"), Qt.MouseButton.LeftButton)
    assert editor.model.rows() == [("a", "1"), ("b", "2")]
    assert editor.problem_label.text() == ""

    qtbot.mouseClick(_button(editor, "Add attribute"), Qt.MouseButton.LeftButton)
    assert editor.model.rows() == [("a", "1"), ("b", "2"), ("", "")]
    cell = cell_editor(qtbot, editor)
    assert editor.view.currentIndex() == editor.model.index(2, KEY_COLUMN)
    QTest.keyClicks(cell, "c")
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.model.rows()[2] == ("c", ""))


def test_problem_label_lists_duplicate_and_blank_keys(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "1"), ("Time", "2"), ("Score", "3"), ("", "4")])
    assert editor.problem_label.isVisible()
    assert editor.problem_label.text() == (
        "2 problems: duplicate key “Score” (row 3); key is empty (row 4)"
    )
    tooltip = editor.model.data(editor.model.index(3, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "no key" in tooltip
    # Fixing the duplicate by typing updates the marks at once.
    cell = open_cell_editor(qtbot, editor, 2, KEY_COLUMN)
    cell.selectAll()
    QTest.keyClicks(cell, "Rank")
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.problem_label.text() == "1 problem: key is empty (row 4)")
    assert editor.model.problems() == {3: "Key is empty"}


def test_changed_is_emitted_for_text_and_row_changes_only(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("a", "1"), ("a", "2")])
    count = []
    editor.changed.connect(lambda: count.append(1))
    editor.model.setData(editor.model.index(1, KEY_COLUMN), "b", Qt.ItemDataRole.EditRole)
    assert len(count) == 1  # the highlight refresh of row 1 is not a second change
    editor.model.append_empty_row()
    editor.model.fill_values(0, ["", "", ""])
    editor.model.move_rows([0], 1)
    assert len(count) == 4


def test_tab_leaves_the_table_after_the_last_cell(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("a", "1")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    qtbot.waitUntil(editor.view.hasFocus)
    _press(editor.view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not editor.view.hasFocus())
    assert editor.model.rowCount() == 1


def test_cell_editors_are_named_by_column_and_row(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "1")])
    qtbot.mouseClick(_button(editor, "Add attribute"), Qt.MouseButton.LeftButton)
    cell = cell_editor(qtbot, editor)
    name, description = _spoken(cell)
    assert name == "Key of attribute 2"
    assert description  # says how to keep or undo what is typed
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.view.currentIndex() == editor.model.index(1, VALUE_COLUMN))
    assert _spoken(cell_editor(qtbot, editor))[0] == "Value of attribute 2"


def test_a_cell_editor_on_a_row_at_fault_says_the_problem(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "1"), ("Score", "2")])
    cell = open_cell_editor(qtbot, editor, 1, VALUE_COLUMN)
    name, description = _spoken(cell)
    assert name == "Value of attribute 2"
    assert description.startswith("Duplicate key “Score”: row 1 already uses this key")


def test_shift_down_then_alt_up_moves_the_selected_block(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(2, KEY_COLUMN))
    _press(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert _selected(editor) == [2, 3]

    _press(editor.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert editor.model.rows() == [("A", "1"), ("C", "3"), ("D", "4"), ("B", "2")]
    assert _selected(editor) == [1, 2]
    assert editor.view.currentIndex() == editor.model.index(2, KEY_COLUMN)  # still on D

    _press(editor.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [k for k, _ in editor.model.rows()] == ["C", "D", "A", "B"]
    assert _selected(editor) == [0, 1]
    # At the top the block stays whole: nothing moves, and the button says so.
    assert not _button(editor, "Move attribute up").isEnabled()
    _press(editor.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [k for k, _ in editor.model.rows()] == ["C", "D", "A", "B"]
    assert _selected(editor) == [0, 1]

    _press(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [k for k, _ in editor.model.rows()] == ["A", "C", "D", "B"]
    assert _selected(editor) == [1, 2]


def test_alt_arrows_flagged_as_keypad_keys_move_the_block_and_keep_it_whole(
    editor: AttributesEditor,
) -> None:
    # On macOS Qt marks every arrow key as a keypad key, as it does the arrows of a
    # numeric keypad with Num Lock off elsewhere.
    alt = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier
    editor.model.set_rows([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(1, KEY_COLUMN))
    _press(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert _selected(editor) == [1, 2]

    _press(editor.view, Qt.Key.Key_Up, alt)
    assert [k for k, _ in editor.model.rows()] == ["B", "C", "A", "D"]
    assert _selected(editor) == [0, 1]
    # At the top nothing moves, and the block stays selected as a whole...
    _press(editor.view, Qt.Key.Key_Up, alt)
    assert [k for k, _ in editor.model.rows()] == ["B", "C", "A", "D"]
    assert _selected(editor) == [0, 1]
    # ...so that it moves back down together.
    _press(editor.view, Qt.Key.Key_Down, alt)
    assert [k for k, _ in editor.model.rows()] == ["A", "B", "C", "D"]
    assert _selected(editor) == [1, 2]


def test_move_buttons_move_scattered_rows_and_stop_at_the_bottom(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
    _select_rows(editor, [0, 2])
    down = _button(editor, "Move attribute down")
    qtbot.mouseClick(down, Qt.MouseButton.LeftButton)
    assert [k for k, _ in editor.model.rows()] == ["B", "A", "D", "C"]
    assert _selected(editor) == [1, 3]
    assert not down.isEnabled()
    _press(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [k for k, _ in editor.model.rows()] == ["B", "A", "D", "C"]
    assert _selected(editor) == [1, 3]


def test_the_cell_editor_stays_put_when_the_key_it_holds_becomes_a_duplicate(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("Score", "1"), ("", "")])
    cell = open_cell_editor(qtbot, editor, 1, KEY_COLUMN)
    before = cell.geometry()
    QTest.keyClicks(cell, "Score")
    qtbot.waitUntil(lambda: 1 in editor.model.problems())
    assert cell.geometry() == before
    assert cell.text() == "Score"


def test_esc_puts_back_what_the_cell_held(qtbot, editor: AttributesEditor) -> None:
    editor.model.set_rows([("Score", "1")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    cell.selectAll()
    QTest.keyClicks(cell, "Rank")
    _press(cell, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.view.state() != QAbstractItemView.State.EditingState)
    assert editor.model.rows() == [("Score", "1")]


def test_typing_in_the_middle_of_a_cell_keeps_the_cursor_there(
    qtbot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("Sre", "1")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    cell.setCursorPosition(1)
    QTest.keyClicks(cell, "co")
    assert cell.text() == "Score"
    assert cell.cursorPosition() == 3
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Score", "1")])


# ---- an open cell: the table holds its text at every step ---------------------------------


def _still_editing(editor: AttributesEditor) -> bool:
    return editor.view.state() == QAbstractItemView.State.EditingState


def test_every_edit_in_an_open_cell_reaches_the_table_at_once(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    # Nothing reads the form in between: the table alone must hold what the cell shows.
    editor.model.set_rows([("Score", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)

    QTest.keyClicks(cell, "9")
    assert editor.model.rows() == [("Score", "9")]

    clipboard.setText("5%")
    _press(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell.text() == "95%"
    assert editor.model.rows() == [("Score", "95%")]

    _press(cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # takes the paste back
    assert cell.text() == "9"
    assert editor.model.rows() == [("Score", "9")]

    _press(
        cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert cell.text() == "95%"
    assert editor.model.rows() == [("Score", "95%")]
    assert _still_editing(editor)


def test_text_from_an_input_method_reaches_the_table_at_once(
    qtbot, editor: AttributesEditor
) -> None:
    # Accented or Asian text typed through an input method arrives as a commit string.
    editor.model.set_rows([("Niveau", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    composing = QInputMethodEvent("e\u0301", [])
    QApplication.sendEvent(cell, composing)
    assert editor.model.rows() == [("Niveau", "")]  # still being composed: not text yet
    committed = QInputMethodEvent()
    committed.setCommitString("Avancé")
    QApplication.sendEvent(cell, committed)
    assert cell.text() == "Avancé"
    assert editor.model.rows() == [("Niveau", "Avancé")]
    assert _still_editing(editor)


def test_reading_the_form_writes_nothing_into_the_table(qtbot, fresh_sandbox) -> None:
    # Reading the form (for the preview, the draft or a send) is no edit: what the table
    # holds is what the person's edits put there, and a read leaves it as it is.
    window = build_window(qtbot, fresh_sandbox)
    form = window.form
    form.attributes.model.set_rows([("Score", "91%")])
    cell = open_cell_editor(qtbot, form.attributes, 0, VALUE_COLUMN)
    cell.setText("not typed by anyone")  # text set by code, not an edit by the person
    writes: list[object] = []
    form.attributes.model.dataChanged.connect(lambda *args: writes.append(args))

    assert form.state().attributes == (("Score", "91%"),)
    form.current_request()
    assert writes == []
    assert form.attributes.model.rows() == [("Score", "91%")]


def test_ctrl_enter_in_an_open_cell_sends_what_the_cell_shows_after_paste_and_undo(
    qtbot, fresh_sandbox, clipboard
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    table = window.form.attributes
    qtbot.mouseClick(table.buttons["Add attribute"], Qt.MouseButton.LeftButton)
    # The click makes the window active, so that its Ctrl+Enter shortcut answers.
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    key_cell = cell_editor(qtbot, table)
    QTest.keyClicks(key_cell, "Score")
    _press(key_cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: table.view.currentIndex().column() == VALUE_COLUMN)
    value_cell = cell_editor(qtbot, table)
    QTest.keyClicks(value_cell, "88")
    clipboard.setText(" of 100")
    _press(value_cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(value_cell, "!!")
    _press(value_cell, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    shown = value_cell.text()
    assert shown != "88 of 100!!"  # the undo took something back
    assert _still_editing(table)

    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        _press(value_cell, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    sent = posts(fresh_sandbox)
    assert len(sent) == 1
    assert sent[0].json()["details"]["attributes"] == [{"key": "Score", "value": shown}]
    assert window.response.summary_text().startswith("Success")


def _notice(editor: AttributesEditor) -> QLabel:
    return find_by_accessible_name(editor, "Attribute notice", QLabel)


def test_a_block_with_more_columns_says_only_two_were_used_until_the_next_edit(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    _paste_on_a_value(editor, clipboard, ("", ""), "Score\t100%\tExtra\nTime\t2h\tmore\n")
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2h")]
    notice = _notice(editor)
    assert notice.isVisible()
    assert notice.text() == "Only the first two columns were used: key and value."
    assert notice.accessibleDescription() == notice.text()  # read out, not only shown
    assert not editor.problem_label.isVisible()  # a notice, not a problem

    cell = open_cell_editor(qtbot, editor, 1, VALUE_COLUMN)
    QTest.keyClicks(cell, "0")
    qtbot.waitUntil(lambda: not notice.isVisible())
    assert notice.text() == ""


def test_a_block_of_two_columns_shows_no_notice(editor: AttributesEditor, clipboard) -> None:
    _paste_on_a_value(editor, clipboard, ("", ""), "Score,100%,Extra")
    assert _notice(editor).isVisible()
    _paste_on_a_value(editor, clipboard, ("", ""), "Score\t100%\t\nTime\t2h\n")
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2h")]
    assert not _notice(editor).isVisible()


# ---- pastes one after the other, one copied cell, the empty table, large blocks ----------

CTRL = Qt.KeyboardModifier.ControlModifier
#: What a spreadsheet puts on the clipboard for one cell whose text has a line break
#: (Alt+Enter in the cell): the text quoted, then a line break.
ONE_CELL_WITH_A_BREAK = '"Passed all tests\nwith distinction"\r\n'


def _ctrl_v(editor: AttributesEditor, clipboard, text: str) -> None:
    clipboard.setText(text)
    editor.view.setFocus()
    _press(editor.view, Qt.Key.Key_V, CTRL)


def test_two_blocks_pasted_one_after_the_other_stay_in_order_and_come_back_in_turn(
    editor: AttributesEditor, clipboard
) -> None:
    # The scores from one sheet, then the times from another.
    _ctrl_v(editor, clipboard, "Score\t100%\nRank\t3\n")
    first = [("Score", "100%"), ("Rank", "3")]
    _ctrl_v(editor, clipboard, "Time\t2h\nAttempts\t1\n")
    assert editor.model.rows() == [*first, ("Time", "2h"), ("Attempts", "1")]
    # The second block is selected, its first row current, as a spreadsheet leaves a paste.
    assert _selected(editor) == [2, 3]
    assert editor.view.currentIndex() == editor.model.index(2, KEY_COLUMN)

    _press(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.model.rows() == first
    assert _selected(editor) == [0, 1]
    _press(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.model.rows() == []
    assert not editor.undo_action.isEnabled()


def test_a_block_is_pasted_below_the_selected_rows_whichever_of_them_is_current(
    editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("Score", "1"), ("Time", "2"), ("Level", "3")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(1, KEY_COLUMN))
    _press(editor.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # rows 1-2, 1 current
    assert _selected(editor) == [0, 1]
    _ctrl_v(editor, clipboard, "Team\tBlue\n")
    assert editor.model.rows() == [("Score", "1"), ("Time", "2"), ("Team", "Blue"), ("Level", "3")]


def test_one_cell_with_line_breaks_pasted_on_a_value_goes_into_it(
    editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("Comment", ""), ("Score", "7")])
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    _ctrl_v(editor, clipboard, ONE_CELL_WITH_A_BREAK)
    assert editor.model.rows() == [
        ("Comment", "Passed all tests\nwith distinction"),
        ("Score", "7"),
    ]
    assert editor.undo_action.text() == "Undo paste"
    _press(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.model.rows() == [("Comment", ""), ("Score", "7")]


def test_one_cell_pasted_while_editing_goes_in_at_the_cursor_without_its_line_end(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    editor.model.set_rows([("Comment", "Note: "), ("Score", "7")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    cell.end(False)
    clipboard.setText(ONE_CELL_WITH_A_BREAK)
    _press(cell, Qt.Key.Key_V, CTRL)
    # Line breaks and all, as pasted on the cell without editing it; the quotes and the
    # line break after the cell go.
    assert cell.text() == "Note: Passed all tests\nwith distinction"
    assert editor.model.rows() == [("Comment", cell.text()), ("Score", "7")]
    assert editor.view.state() == QAbstractItemView.State.EditingState
    _press(cell, Qt.Key.Key_Z, CTRL)  # the editor's own undo takes the paste back
    assert editor.model.rows()[0] == ("Comment", "Note: ")

    cell.selectAll()
    clipboard.setText("93%\r\n")  # one plain cell, with the line break a spreadsheet adds
    _press(cell, Qt.Key.Key_V, CTRL)
    assert editor.model.rows()[0] == ("Comment", "93%")


def test_one_line_with_commas_pasted_on_the_empty_value_of_a_key_fills_it(
    editor: AttributesEditor, clipboard
) -> None:
    # A comment copied from one spreadsheet cell, pasted on the Value of "Comment".
    comment = "Strong communication, needs coaching on SQL"
    editor.model.set_rows([("Comment", ""), ("Score", "7")])
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    _ctrl_v(editor, clipboard, comment + "\r\n")
    assert editor.model.rows() == [("Comment", comment), ("Score", "7")]
    # On an empty row, or on a key, such a line is a key and a value, as before.
    _paste_on_a_value(editor, clipboard, ("", ""), "Score,100%\n")
    assert editor.model.rows() == [("Score", "100%")]
    editor.model.set_rows([("Level", "")])
    editor.view.setCurrentIndex(editor.model.index(0, KEY_COLUMN))
    _ctrl_v(editor, clipboard, "Score,100%\n")
    assert editor.model.rows() == [("Level", ""), ("Score", "100%")]


def test_typing_in_the_empty_table_starts_a_row(qtbot, editor: AttributesEditor) -> None:
    # Keyboard only: Tab into the empty table and type a key.
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    _press(editor.view, Qt.Key.Key_Space)  # the table's own key: no row
    assert editor.model.rowCount() == 0
    QTest.keyClicks(editor.view, "S")
    cell = cell_editor(qtbot, editor)
    assert QApplication.focusWidget() is cell
    assert _spoken(cell)[0] == "Key of attribute 1"
    QTest.keyClicks(cell, "core")
    _press(cell, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: editor.view.currentIndex() == editor.model.index(0, VALUE_COLUMN))
    assert editor.model.rows() == [("Score", "")]


def test_enter_in_the_empty_table_starts_a_row_and_opens_its_key(
    qtbot, editor: AttributesEditor
) -> None:
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    _press(editor.view, Qt.Key.Key_Return)
    assert editor.model.rows() == [("", "")]
    cell = cell_editor(qtbot, editor)
    assert QApplication.focusWidget() is cell
    assert _spoken(cell)[0] == "Key of attribute 1"
    QTest.keyClicks(cell, "Time")
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rows() == [("Time", "")])


def _composed(text: str) -> QInputMethodEvent:
    """An input method's word still being composed (shown, not yet typed)."""
    return QInputMethodEvent(text, [])


def _committed(text: str) -> QInputMethodEvent:
    """An input method's word committed: typed."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    return event


def test_a_word_from_an_input_method_starts_the_empty_table(
    qtbot, editor: AttributesEditor
) -> None:
    # Japanese typed through an input method: composed in readings, then committed.
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    QApplication.sendEvent(editor.view, _composed("とくてん"))
    assert editor.model.rows() == [("", "")]  # composing: the row, no text yet
    QApplication.sendEvent(QApplication.focusObject(), _committed("得点"))
    # Before: both went to the table itself, which dropped them; no row, the word lost.
    cell = cell_editor(qtbot, editor)
    assert QApplication.focusWidget() is cell
    assert editor.model.rows() == [("得点", "")]
    QTest.keyClicks(cell, "1")
    assert editor.model.rows() == [("得点1", "")]


def test_a_letter_committed_at_once_starts_the_empty_table(qtbot, editor: AttributesEditor) -> None:
    # A dead key's accented letter arrives committed, with no composing first.
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    QApplication.sendEvent(editor.view, _committed("é"))
    cell = cell_editor(qtbot, editor)
    assert QApplication.focusWidget() is cell
    assert editor.model.rows() == [("é", "")]


def test_a_word_committed_on_a_cell_replaces_its_text(qtbot, editor: AttributesEditor) -> None:
    # As a key pressed on a cell does.
    editor.model.set_rows([("Score", "95%")])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, KEY_COLUMN))
    qtbot.waitUntil(editor.view.hasFocus)
    QApplication.sendEvent(editor.view, _committed("Évaluation"))
    # Before: the cell's editor opened holding "Score"; the word was lost.
    cell = cell_editor(qtbot, editor)
    assert cell.text() == "Évaluation"
    assert editor.model.rows() == [("Évaluation", "95%")]
    # Composed first, then committed: Qt's own way, kept.
    _press(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not _still_editing(editor))
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    QApplication.sendEvent(editor.view, _composed("ひゃく"))
    assert _still_editing(editor)
    QApplication.sendEvent(editor.view, _committed("百"))
    qtbot.waitUntil(lambda: editor.model.rows() == [("Évaluation", "百")])


def _emptied_by_delete(qtbot, editor: AttributesEditor, rows: list[tuple[str, str]]) -> None:
    """``rows`` in the table, all selected and removed with Delete: the table, empty,
    keeps the focus, and Ctrl+Z would put them back."""
    editor.model.set_rows(rows)
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    editor.view.selectAll()
    _press(editor.view, Qt.Key.Key_Delete)
    assert editor.model.rows() == []
    assert editor.undo_action.text() == "Undo remove"


def _esc_then_ctrl_z(qtbot, editor: AttributesEditor, cell: QLineEdit) -> None:
    _press(cell, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.view.state() != QAbstractItemView.State.EditingState)
    qtbot.waitUntil(editor.view.hasFocus)
    _press(editor.view, Qt.Key.Key_Z, CTRL)


def test_removed_rows_come_back_after_enter_and_esc_in_the_emptied_table(
    qtbot, editor: AttributesEditor
) -> None:
    # Enter in the emptied table starts a row; Esc leaves it empty: Ctrl+Z still puts
    # the removed rows back (the empty row goes with it).
    rows = [("Score", "100%"), ("Time", "2h")]
    _emptied_by_delete(qtbot, editor, rows)
    _press(editor.view, Qt.Key.Key_Return)
    assert editor.model.rows() == [("", "")]
    assert editor.undo_action.isEnabled()
    _esc_then_ctrl_z(qtbot, editor, cell_editor(qtbot, editor))
    assert editor.model.rows() == rows


def test_removed_rows_come_back_after_a_character_typed_and_taken_back_with_esc(
    qtbot, editor: AttributesEditor
) -> None:
    # "z" for Ctrl+Z with Ctrl missed: the character starts a row, Esc takes it back.
    rows = [("Score", "100%"), ("Time", "2h")]
    _emptied_by_delete(qtbot, editor, rows)
    QTest.keyClicks(editor.view, "z")
    cell = cell_editor(qtbot, editor)
    assert cell.text() == "z"
    assert editor.model.rows() == [("z", "")]
    _esc_then_ctrl_z(qtbot, editor, cell)
    assert editor.model.rows() == rows
    assert not editor.undo_action.isEnabled()


def test_a_row_typed_in_the_emptied_table_is_taken_back_before_the_removal(
    qtbot, editor: AttributesEditor
) -> None:
    # The row typed is a step of its own: neither it nor the removed rows are lost.
    rows = [("Score", "100%"), ("Time", "2h")]
    _emptied_by_delete(qtbot, editor, rows)
    QTest.keyClicks(editor.view, "L")
    cell = cell_editor(qtbot, editor)
    QTest.keyClicks(cell, "evel")
    _press(cell, Qt.Key.Key_Tab)
    value = cell_editor(qtbot, editor)
    QTest.keyClicks(value, "Senior")
    _press(value, Qt.Key.Key_Tab)  # the last cell: the focus leaves the table
    qtbot.waitUntil(lambda: editor.view.state() != QAbstractItemView.State.EditingState)
    assert editor.model.rows() == [("Level", "Senior")]
    assert editor.undo_action.text() == "Undo add"
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    _press(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.model.rows() == []
    assert editor.undo_action.text() == "Undo remove"
    _press(editor.view, Qt.Key.Key_Z, CTRL)
    assert editor.model.rows() == rows


def test_a_value_copied_with_a_line_break_before_it_goes_into_the_cell(
    qtbot, editor: AttributesEditor, clipboard
) -> None:
    # A line selected in a mail or a web page often comes with the line break before it.
    editor.model.set_rows([("Comment", ""), ("Score", "7")])
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    _ctrl_v(editor, clipboard, "\r\nWell done\r\n")
    assert editor.model.rows() == [("Comment", "Well done"), ("Score", "7")]
    # While editing the cell too: at the cursor, without the line breaks.
    cell = open_cell_editor(qtbot, editor, 1, VALUE_COLUMN)
    cell.end(False)
    clipboard.setText("\n\n0%\n")
    _press(cell, Qt.Key.Key_V, CTRL)
    assert cell.text() == "70%"
    assert editor.model.rows() == [("Comment", "Well done"), ("Score", "70%")]


def test_an_export_quoting_every_cell_is_pasted_without_its_header_and_quotes(
    editor: AttributesEditor, clipboard
) -> None:
    _ctrl_v(editor, clipboard, '"Key"\t"Value"\r\n"Score"\t"100%"\r\n"Time"\t"2:30h"\r\n')
    assert editor.model.rows() == [("Score", "100%"), ("Time", "2:30h")]
    _ctrl_v(editor, clipboard, 'Key\tValue\n"Comment"\t"Passed\nall tests"\n')
    assert editor.model.rows()[2:] == [("Comment", "Passed\nall tests")]


def _ranges(editor: AttributesEditor) -> list[tuple[int, int]]:
    selection = editor.view.selectionModel().selection()
    parts = [selection.at(i) for i in range(selection.size())]
    return [(part.top(), part.bottom()) for part in parts]


def test_a_large_pasted_block_is_selected_as_one_range_and_stays_whole(
    editor: AttributesEditor, clipboard
) -> None:
    # One range per row made every walk over the selection as slow as rows times rows:
    # thousands of pasted rows froze the window for seconds at each action.
    rows = [(f"Item {i}", str(i)) for i in range(500)]
    editor.model.set_rows([("Score", "1")])
    editor.view.setCurrentIndex(editor.model.index(0, KEY_COLUMN))
    _ctrl_v(editor, clipboard, copy_text_for_rows(rows))
    assert editor.model.rows() == [("Score", "1"), *rows]
    assert _ranges(editor) == [(1, 500)]
    assert editor.selected_rows() == list(range(1, 501))
    # The buttons follow the block: at the bottom, it can move up only.
    assert editor.remove_action.isEnabled()
    assert editor.duplicate_action.isEnabled()
    assert editor.move_up_action.isEnabled()
    assert not editor.move_down_action.isEnabled()

    _press(editor.view, Qt.Key.Key_D, CTRL)  # the copies, selected as one range too
    assert _ranges(editor) == [(501, 1000)]
    assert editor.model.rows()[501:] == rows
    assert len(editor.model.problems()) == 500  # every copy is a duplicate key
    _press(editor.view, Qt.Key.Key_Delete)
    assert editor.model.rows() == [("Score", "1"), *rows]
    _press(editor.view, Qt.Key.Key_Z, CTRL)  # the removal comes back, selected as it was
    assert _ranges(editor) == [(501, 1000)]


def test_the_problems_of_many_rows_are_signalled_at_once(editor: AttributesEditor) -> None:
    # Each signal makes the table list its problems again: one per duplicated row took
    # seconds for thousands of them.
    editor.model.set_rows([(f"Item {i}", str(i)) for i in range(200)])
    _select_rows(editor, list(range(200)))
    problem_signals: list[list[int]] = []

    def record(_top: QModelIndex, _bottom: QModelIndex, roles: list[int]) -> None:
        if Qt.ItemDataRole.ToolTipRole in roles:
            problem_signals.append(roles)

    editor.model.dataChanged.connect(record)
    _press(editor.view, Qt.Key.Key_D, CTRL)
    assert sorted(editor.model.problems()) == list(range(200, 400))
    assert len(problem_signals) == 1
    tooltip = editor.model.index(399, KEY_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Duplicate key “Item 199”")
