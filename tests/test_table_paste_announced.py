"""What a paste or a removal did to the attributes table is said, in short words
(qt/attributes_editor.py): a screen reader otherwise reads only the new current cell,
and a person who cannot see the table cannot tell values filled in from rows added."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.attributes_editor import EXTRA_COLUMNS_NOTICE, AttributesEditor
from kombo_desktop.qt.attributes_model import VALUE_COLUMN
from tests.qt_helpers import (
    paste_on_cell,
    shown_attributes_editor,
)

pytestmark = pytest.mark.skipif(
    not hasattr(QtGui, "QAccessibleAnnouncementEvent"),
    reason="Qt before 6.8 has no announcements: spoken.announce raises a description instead",
)


@pytest.fixture
def editor(qtbot: QtBot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def _said_by(editor: AttributesEditor, heard: list[tuple[Any, str]]) -> list[str]:
    return [words for source, words in heard if source is editor.view]


@pytest.mark.parametrize(
    ("rows", "block", "said"),
    [
        # After "Next candidate": the kept keys' values, and a row more.
        (
            [("Score", ""), ("Time", "")],
            "Score\t91%\nTime\t2:05h\nComment\tGood\n",
            "Filled 2 values, added 1 row.",
        ),
        ([("Score", ""), ("Time", "")], "Time\t2:05h\nScore\t91%\n", "Filled 2 values."),
        # A column of values longer than the table.
        ([("Score", "")], "95%\n1:45h\nSenior\n", "Filled 1 value, added 2 rows."),
        # Rows of their own.
        ([("Score", "90%")], "Level\tSenior\nTeam\tBlue\nCity\tBerlin\n", "Added 3 rows."),
        ([], "Level\tSenior\n", "Added 1 row."),
    ],
)
def test_a_paste_says_whether_it_filled_values_or_added_rows(
    editor: AttributesEditor,
    clipboard: QClipboard,
    heard: list[tuple[Any, str]],
    rows: list[tuple[str, str]],
    block: str,
    said: str,
) -> None:
    editor.model.set_rows(rows)
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, block)
    assert _said_by(editor, heard) == [said]


def test_columns_left_out_are_said_with_what_the_paste_did_once(
    editor: AttributesEditor, clipboard: QClipboard, heard: list[tuple[Any, str]]
) -> None:
    paste_on_cell(editor, clipboard, 0, VALUE_COLUMN, "Level\tSenior\tx\nTeam\tBlue\ty\n")
    assert editor.notice_label.text() == EXTRA_COLUMNS_NOTICE
    assert _said_by(editor, heard) == [f"Added 2 rows. {EXTRA_COLUMNS_NOTICE}"]


def test_removing_rows_says_how_many_went(
    editor: AttributesEditor, heard: list[tuple[Any, str]]
) -> None:
    editor.model.set_rows([("Score", "90%"), ("Time", "2h"), ("Level", "Senior")])
    editor.view.setFocus()
    selection = editor.view.selectionModel()
    for row in (0, 1):
        selection.select(
            editor.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.model.rows() == [("Level", "Senior")]
    assert _said_by(editor, heard) == ["Removed 2 rows."]

    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.model.rows() == []
    assert _said_by(editor, heard) == ["Removed 2 rows.", "Removed 1 row."]
