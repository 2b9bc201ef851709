"""One line pasted into the attributes table: a key and a value, or one value.

A spreadsheet copies one cell as its text and a line break; a text editor copies one
line the same way. ``Score,100%`` and its line break is a row (Key ``Score``, Value
``100%``), while ``2,5`` and its line break is one cell holding a number with a decimal
comma, and must not be split into a key ``2`` and a value ``5``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.paste import is_key_value_line, parse_key_value_block
from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.attributes_model import VALUE_COLUMN
from tests.main_window_support import (
    build_window,
    candidate_id,
    fill_form,
    paste_attributes,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import shown_attributes_editor

#: One line copied with its line break, and the row it stands for.
KEY_VALUE_LINES = [
    ("Score,100%\n", ("Score", "100%")),
    ("Score,100%\r\n", ("Score", "100%")),
    ("Score,100%", ("Score", "100%")),
    ('"Score","100%"\n', ("Score", "100%")),
    ("Time,2:30h\n", ("Time", "2:30h")),
    ("Score = 100%\n", ("Score", "100%")),
]

#: One cell holding a number written with a decimal comma or digit groups, alone or as a
#: score, a price, a duration or a measure: no key is a number.
NUMBERS = [
    "2,5\n", "2,5", "2,5\r\n", "-0,75\n", "1.234,5\n", "1,234.5\n", "12,5 %\n",
    "4,5/5\n", "2,50 €\n", "2,5 h\n", "12,5 kg\n", "3,0 / 4,0\n", "€ 2,50\n", "$ 1,5\n",
]  # fmt: skip


# ---- the core ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "row"), KEY_VALUE_LINES)
def test_a_key_value_line_is_a_row(line: str, row: tuple[str, str]) -> None:
    assert is_key_value_line(line)
    assert parse_key_value_block(line).rows == (row,)


@pytest.mark.parametrize("number", NUMBERS)
def test_a_number_with_a_decimal_comma_is_one_value(number: str) -> None:
    assert not is_key_value_line(number)


#: One value: a quoted cell, a value without a comma, one with a semicolon before it.
ONE_VALUES = [
    '"2,5"\n',
    '"Berlin, Germany"\n',
    "2:30h\n",
    "https://example.com/r?id=5\n",
    "a;b",
    "Notes; see attached\n",
    "Notes; see attached, p.2\n",
    "Score;2,5\n",
]


@pytest.mark.parametrize("text", ONE_VALUES)
def test_one_quoted_cell_or_a_value_without_a_comma_is_one_value(text: str) -> None:
    assert not is_key_value_line(text)


def test_a_two_line_csv_block_is_read_as_before() -> None:
    assert parse_key_value_block("Score,100%\nTime,2:30h\n").rows == (
        ("Score", "100%"),
        ("Time", "2:30h"),
    )
    assert parse_key_value_block("2,5\n3,75\n").rows == (("2", "5"), ("3", "75"))


def test_tab_separated_lines_are_read_as_before() -> None:
    assert parse_key_value_block("Score\t2,5\n").rows == (("Score", "2,5"),)
    assert parse_key_value_block("Score\t100%\r\nTime\t2:30h\r\n").rows == (
        ("Score", "100%"),
        ("Time", "2:30h"),
    )


# ---- the table, with the real clipboard and Ctrl+V ---------------------------------------------


@pytest.fixture
def editor(qtbot) -> AttributesEditor:
    return shown_attributes_editor(qtbot)


def paste_on_a_value(
    editor: AttributesEditor, clipboard, row: tuple[str, str], text: str
) -> list[tuple[str, str]]:
    """The table holds ``row``; Ctrl+V with ``text`` on its value cell; the rows after."""
    editor.model.set_rows([row])
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(0, VALUE_COLUMN))
    clipboard.setText(text)
    QTest.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    return editor.model.rows()


@pytest.mark.parametrize(("line", "row"), KEY_VALUE_LINES)
def test_a_key_value_line_copied_with_its_line_break_becomes_a_row(
    editor: AttributesEditor, clipboard, line: str, row: tuple[str, str]
) -> None:
    assert paste_on_a_value(editor, clipboard, ("Level", "Senior"), line) == [
        ("Level", "Senior"),
        row,
    ]


@pytest.mark.parametrize("number", NUMBERS)
def test_a_copied_number_with_a_decimal_comma_goes_into_the_cell(
    editor: AttributesEditor, clipboard, number: str
) -> None:
    assert paste_on_a_value(editor, clipboard, ("Score", "old"), number) == [
        ("Score", number.strip())
    ]


@pytest.mark.parametrize("text", [t for t in ONE_VALUES if not t.startswith('"')])
def test_a_copied_value_with_a_semicolon_or_no_comma_goes_into_the_cell(
    editor: AttributesEditor, clipboard, text: str
) -> None:
    assert paste_on_a_value(editor, clipboard, ("Notes", "old"), text) == [("Notes", text.strip())]


def test_blocks_of_several_lines_or_with_tabs_still_become_rows(
    editor: AttributesEditor, clipboard
) -> None:
    assert paste_on_a_value(editor, clipboard, ("", ""), "Score,100%\nTime,2:30h\n") == [
        ("Score", "100%"),
        ("Time", "2:30h"),
    ]
    assert paste_on_a_value(editor, clipboard, ("", ""), "Score\t2,5\n") == [("Score", "2,5")]


def test_a_line_from_a_text_editor_is_sent_as_a_key_and_a_value(qtbot, fresh_sandbox) -> None:
    window = build_window(qtbot, fresh_sandbox)
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes="Score,100%\n",
    )
    paste_attributes(qtbot, window, "Level,Senior\r\n")
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Level", "value": "Senior"},
    ]
    assert window.response.summary_text().startswith("Success")
