"""The attribute table's cell editor and its pastes (qt/attributes_editor.py): the editor
widens as a long key is typed, a column of values changes the list of problems once,
and a value longer than a line edit usually holds is edited whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from tests.qt_helpers import open_cell_editor, shown_attributes_editor

#: A key far wider than its column, and than the whole table.
LONG_KEY = (
    "Communication skills assessment, written and spoken English, "
    "reviewed by two interviewers after the second round of the graduate programme"
)
#: A report as long as a line edit holds at most by default (32767 characters), and more.
LONG_REPORT = "Passed all tests with distinction. " * 1000


@pytest.fixture
def editor(qtbot: QtBot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def _type_one_by_one(cell: QLineEdit, text: str) -> list[int]:
    """Type ``text`` into ``cell`` a character at a time; the cell's width after each."""
    widths = []
    for character in text:
        QTest.keyClicks(cell, character)
        widths.append(cell.width())
    return widths


def _paste_on(
    editor: AttributesEditor, clipboard: QClipboard, index: QModelIndex, text: str
) -> None:
    """Ctrl+V with ``text`` on the cell at ``index``, not editing it."""
    editor.view.setFocus()
    editor.view.setCurrentIndex(index)
    clipboard.setText(text)
    QTest.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


# ---- the cell editor widens with its text -----------------------------------------------


def test_a_cell_editor_widens_as_a_long_key_is_typed_up_to_the_tables_edge(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    start = cell.geometry()
    assert start == editor.view.visualRect(editor.model.index(0, KEY_COLUMN))
    edge = editor.view.viewport().width()

    widths = _type_one_by_one(cell, LONG_KEY)

    assert editor.model.rows() == [(LONG_KEY, "")]
    assert widths[0] == start.width()  # a short key fits its cell
    assert widths == sorted(widths)
    # It grows to the right from where the cell starts, up to the table's edge and no
    # further; there the text scrolls.
    assert start.width() < widths[-1] == edge - start.x()
    assert cell.x() == start.x()
    assert cell.geometry().right() < edge

    # Laid out again (a wider window), it keeps reaching the table's edge.
    editor.resize(editor.width() + 100, editor.height())
    qtbot.waitUntil(lambda: editor.view.viewport().width() > edge)
    qtbot.waitUntil(lambda: cell.x() + cell.width() == editor.view.viewport().width())

    # Emptied, it is as wide as its cell again.
    cell.selectAll()
    QTest.keyClick(cell, Qt.Key.Key_Backspace)
    assert cell.geometry() == editor.view.visualRect(editor.model.index(0, KEY_COLUMN))


def test_a_widened_cell_editor_shows_all_its_text_until_the_edge(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    edge = editor.view.viewport().width() - cell.x()
    # Where the cursor stands in the empty editor: the text starts there.
    origin = cell.cursorRect().center().x()
    for character in LONG_KEY:
        QTest.keyClicks(cell, character)
        if cell.width() < edge:
            # Painted (a line edit scrolls its text as it paints it), the cursor after the
            # last letter is as far from the start as the text is wide: nothing scrolled
            # out of sight.
            cell.repaint()
            text_width = cell.fontMetrics().horizontalAdvance(cell.text())
            assert cell.cursorRect().center().x() == origin + text_width, cell.text()


def test_right_to_left_a_cell_editor_widens_to_the_left_within_the_table(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    editor.model.set_rows([("", "")])
    cell = open_cell_editor(qtbot, editor, 0, KEY_COLUMN)
    assert cell.isRightToLeft()
    start = cell.geometry()

    widths = _type_one_by_one(cell, LONG_KEY)

    assert widths == sorted(widths)
    assert start.width() < widths[-1]
    # The key column is on the right: the editor keeps the cell's right edge and grows
    # to the left, up to the table's left edge.
    assert cell.geometry().right() == start.right()
    assert cell.x() == 0


# ---- a column of values changes the list of problems once --------------------------------


def test_a_column_that_adds_rows_changes_the_list_of_problems_once(
    editor: AttributesEditor, clipboard: QClipboard
) -> None:
    """After "Next candidate", a column one value longer than the table: the values
    waiting are filled in (their problems gone) and a row without a key is added (a
    new problem). The table says so once, not first "no problem" for a column pasted
    halfway, and then the problem."""
    model = editor.model
    model.set_rows([("Score", ""), ("Time", "")])
    assert editor.problem_label.text() == (
        "2 problems: value is empty (row 1); value is empty (row 2)"
    )
    marks_announced: list[tuple[int, int]] = []
    description = int(Qt.ItemDataRole.AccessibleDescriptionRole.value)

    def count_marks(first: QModelIndex, last: QModelIndex, roles: list[int]) -> None:
        if description in (int(getattr(role, "value", role)) for role in roles):
            marks_announced.append((first.row(), last.row()))

    model.dataChanged.connect(count_marks)
    # What the table shows and says about its problems each time the model tells it of a
    # change (connected after the table itself, so read once the table has followed).
    seen: list[tuple[str, bool, str]] = []

    def note(*_args: object) -> None:
        label = editor.problem_label
        seen.append((label.text(), label.isVisible(), editor.view.accessibleDescription()))

    for signal in (model.dataChanged, model.rowsInserted):
        signal.connect(note)

    _paste_on(editor, clipboard, model.index(0, VALUE_COLUMN), "95%\n1:45h\nSenior\n")

    assert model.rows() == [("Score", "95%"), ("Time", "1:45h"), ("", "Senior")]
    problem = "1 problem: key is empty (row 3)"
    text, shown, spoken = seen[-1]
    assert (text, shown) == (problem, True)
    assert spoken.startswith(f"{problem}\n")
    assert set(seen) == {seen[-1]}
    assert len(marks_announced) == 1, marks_announced


# ---- a value longer than a line edit holds by default ---------------------------------------


def test_a_long_report_pasted_on_a_value_is_edited_whole(
    qtbot: QtBot, editor: AttributesEditor, clipboard: QClipboard
) -> None:
    report = LONG_REPORT.strip()
    assert len(report) > 32767
    editor.model.set_rows([("Report", "")])
    _paste_on(editor, clipboard, editor.model.index(0, VALUE_COLUMN), LONG_REPORT)
    assert editor.model.rows() == [("Report", report)]

    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    assert cell.text() == report
    # The last character deleted: the rest of the report stays, not a cut of it.
    cell.end(False)
    QTest.keyClick(cell, Qt.Key.Key_Backspace)
    assert editor.model.rows() == [("Report", report[:-1])]


def test_a_long_report_pasted_in_a_cell_editor_goes_in_whole(
    qtbot: QtBot, editor: AttributesEditor, clipboard: QClipboard
) -> None:
    editor.model.set_rows([("Report", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    clipboard.setText(LONG_REPORT)
    QTest.keyClick(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Report", LONG_REPORT)]


# ---- the cell editor stays over its cell when the table scrolls ------------------------------


def _assert_over_its_cell(editor: AttributesEditor, cell: QLineEdit, index: QModelIndex) -> None:
    """``cell`` starts where the table shows the cell at ``index`` now, and is as high."""
    shown = editor.view.visualRect(index)
    assert (cell.x(), cell.y(), cell.height()) == (shown.x(), shown.y(), shown.height()), (
        cell.geometry(),
        shown,
    )


def test_a_cell_editor_stays_on_its_row_when_typing_after_the_table_scrolled(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([(f"Key {n}", f"Value {n}") for n in range(60)])
    row = 20
    index = editor.model.index(row, KEY_COLUMN)
    editor.view.scrollTo(index)
    cell = open_cell_editor(qtbot, editor, row, KEY_COLUMN)
    _assert_over_its_cell(editor, cell, index)

    # The mouse wheel (or the scroll bar) moves the rows under the open editor, and the
    # editor with them.
    bar = editor.view.verticalScrollBar()
    bar.setValue(bar.value() + 3)
    _assert_over_its_cell(editor, cell, index)

    cell.end(False)
    QTest.keyClicks(cell, "x")
    assert editor.model.rows()[row][0] == "Key 20x"
    # Still over the row it edits, not over the one that was there before the scroll.
    _assert_over_its_cell(editor, cell, index)
    # A long key still widens it from there.
    QTest.keyClicks(cell, LONG_KEY)
    _assert_over_its_cell(editor, cell, index)
    assert cell.width() > editor.view.visualRect(index).width()


def test_a_cell_editor_stays_over_its_cell_when_typing_after_the_table_scrolled_sideways(
    qtbot: QtBot, editor: AttributesEditor
) -> None:
    editor.model.set_rows([("Score", "95%")])
    # A key column dragged wider than the table: the table scrolls sideways.
    editor.view.horizontalHeader().resizeSection(KEY_COLUMN, 2 * editor.view.width())
    index = editor.model.index(0, VALUE_COLUMN)
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    _assert_over_its_cell(editor, cell, index)

    bar = editor.view.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    _assert_over_its_cell(editor, cell, index)

    cell.end(False)
    QTest.keyClicks(cell, " in the written test")
    assert editor.model.rows() == [("Score", "95% in the written test")]
    _assert_over_its_cell(editor, cell, index)
