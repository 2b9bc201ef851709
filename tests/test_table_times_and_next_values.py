"""Values pasted into the attributes table stay values (qt/attributes_editor.py,
core/paste.py): a column of times or addresses is never split at its colons into rows
keyed ``1`` or ``https``, and after "Next candidate" the keyboard reaches the first
value waiting to be filled in, not the key kept above it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from kombo_desktop.core.paste import parse_key_value_block
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    ready_window,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import (
    find_by_accessible_name,
    focused,
    paste_on_cell,
    press_on_focus,
    shown_attributes_editor,
)


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("1:45h\n2:30h\n", [("1:45h", ""), ("2:30h", "")]),  # durations
        ("10:30\r\n11:45\r\n", [("10:30", ""), ("11:45", "")]),  # times of day
        ("3:1\n4:1", [("3:1", ""), ("4:1", "")]),  # ratios
        # A time or a ratio after a word: the number before the colon decides, not the
        # word (read as a key, "Start 9" would have been sent with the value "00").
        ("Start 9:00\nEnd 17:30", [("Start 9:00", ""), ("End 17:30", "")]),
        ("Ratio 3:1\nDuration 1.5:2", [("Ratio 3:1", ""), ("Duration 1.5:2", "")]),
        ("\u0669:\u0660\u0660", [("\u0669:\u0660\u0660", "")]),  # Arabic-Indic digits
        (
            "https://example.com/r/1\nhttps://example.com/r/2?a=1\n",
            [("https://example.com/r/1", ""), ("https://example.com/r/2?a=1", "")],
        ),
        # A colon after a word still separates, with or without a space.
        ("Score:100%\nTime:1:45h\n", [("Score", "100%"), ("Time", "1:45h")]),
        ("Start: 10:30\nEnd: 11:45\n", [("Start", "10:30"), ("End", "11:45")]),
        (
            "Report: https://example.com/r/1\nScore = 7",
            [("Report", "https://example.com/r/1"), ("Score", "7")],
        ),
    ],
)
def test_a_colon_inside_a_time_or_an_address_separates_no_key(
    text: str, rows: list[tuple[str, str]]
) -> None:
    assert list(parse_key_value_block(text).rows) == rows


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("Q1:5", [("Q1", "5")]),
        ("Task1:80%\nTask2:65%", [("Task1", "80%"), ("Task2", "65%")]),
        ("Round2:3", [("Round2", "3")]),
        # One such line among good ones made the whole block keys without values.
        ("Score: 95\nQ1:5", [("Score", "95"), ("Q1", "5")]),
        ("Score:95\nRound2:3", [("Score", "95"), ("Round2", "3")]),
        # The colon right after a word still separates before an address.
        ("Link:https://example.com/r/1", [("Link", "https://example.com/r/1")]),
        ("Link: https://example.com/r/1", [("Link", "https://example.com/r/1")]),
        ("Time:2:30h", [("Time", "2:30h")]),
    ],
)
def test_a_key_ending_in_a_digit_is_still_a_key(text: str, rows: list[tuple[str, str]]) -> None:
    assert list(parse_key_value_block(text).rows) == rows


@pytest.mark.parametrize("column", [KEY_COLUMN, VALUE_COLUMN], ids=["on-key", "on-value"])
def test_kept_keys_ending_in_a_digit_are_filled_from_pasted_lines(
    qtbot: QtBot, clipboard: object, column: int
) -> None:
    # After "Next candidate" the keys Q1 and Q2 wait for values; the next candidate's
    # "Q1:5" lines were read as two values and added as keys of their own.
    editor = shown_attributes_editor(qtbot)
    editor.model.set_rows([("Q1", ""), ("Q2", "")])
    paste_on_cell(editor, QGuiApplication.clipboard(), 0, column, "Q1:5\nQ2:7\n")
    assert editor.model.rows() == [("Q1", "5"), ("Q2", "7")]


@pytest.mark.parametrize(
    ("column", "keys"),
    [
        ("1:45h\r\n2:30h\r\n", ["1:45h", "2:30h"]),
        (
            "https://example.com/r/1\nhttps://example.com/r/2\n",
            ["https://example.com/r/1", "https://example.com/r/2"],
        ),
    ],
)
def test_a_column_of_times_or_addresses_pasted_on_the_table_sends_nothing_made_up(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: object, column: str, keys: list[str]
) -> None:
    # Pasted where no Value cell is current, each line is one cell, kept whole as a key
    # waiting for its value: split at the colon, "1:45h" went out as a custom field
    # "1" holding "45h", and the addresses as two fields named "https".
    window = ready_window(qtbot, fresh_sandbox)
    fill_form(
        qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:", attributes=column
    )

    model = window.form.attributes.model
    assert model.rows() == [(key, "") for key in keys]
    assert set(model.problems().values()) == {"Value is empty"}
    press_ctrl_enter(qtbot, window)
    assert posts(fresh_sandbox) == []
    assert not button(window, "Submit").isEnabled()


def _sent_then_next_candidate(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(sandbox),
        prefix="Acme:",
        attributes="Score\t100%\nTime\t1:45h\n",
    )
    submit_and_wait(qtbot, window)
    QTest.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    assert window.form.attributes.model.rows() == [("Score", ""), ("Time", "")]
    type_into(qtbot, window, "Target ID", candidate_id(sandbox, 1))
    type_into(qtbot, window, "Result URL", "https://example.com/results/2")


def _type_where_the_focus_is(text: str) -> None:
    """Type ``text`` a key at a time wherever the focus is (the first key on the table
    opens a cell editor, which takes the rest)."""
    for character in text:
        widget = focused()
        assert widget is not None
        QTest.keyClicks(widget, character)


def _tab_into_the_table(qtbot: QtBot, window: MainWindow) -> QTableView:
    """Tab from the prefix until the attributes table has the focus, as from the keyboard."""
    table = find_by_accessible_name(window, "Attributes", QTableView)
    find_by_accessible_name(window, "Custom field name prefix").setFocus()
    for _ in range(10):
        if focused() is table:
            break
        press_on_focus(qtbot, Qt.Key.Key_Tab)
    assert focused() is table
    return table


def test_after_next_candidate_values_pasted_from_the_keyboard_fill_the_kept_keys(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: object
) -> None:
    window = ready_window(qtbot, fresh_sandbox)
    _sent_then_next_candidate(qtbot, window, fresh_sandbox)

    table = _tab_into_the_table(qtbot, window)
    assert table.currentIndex().row() == 0
    assert table.currentIndex().column() == VALUE_COLUMN
    # One cell at a time, copied with the line breaks around it that mail and web pages
    # add: each fills its key's value, and no key is written over.
    QGuiApplication.clipboard().setText("\n95%\n")
    press_on_focus(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    press_on_focus(qtbot, Qt.Key.Key_Down)
    QGuiApplication.clipboard().setText("\r\n1:45h\r\n")
    press_on_focus(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.form.attributes.model.rows() == [("Score", "95%"), ("Time", "1:45h")]

    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "95%"},
        {"key": "Time", "value": "1:45h"},
    ]


def test_after_next_candidate_a_value_typed_in_the_table_fills_the_first_kept_key(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = ready_window(qtbot, fresh_sandbox)
    _sent_then_next_candidate(qtbot, window, fresh_sandbox)

    _tab_into_the_table(qtbot, window)
    # Typing on the table starts editing its current cell: the value, not the key.
    _type_where_the_focus_is("88%")
    press_on_focus(qtbot, Qt.Key.Key_Tab)  # to Time's key
    press_on_focus(qtbot, Qt.Key.Key_Tab)  # to Time's value
    _type_where_the_focus_is("2h")
    assert window.form.attributes.model.rows() == [("Score", "88%"), ("Time", "2h")]


def test_after_next_candidate_a_block_with_one_more_row_fills_the_kept_keys_and_adds_it(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: object
) -> None:
    # The next candidate's rows, copied with a header and a comment the last one had
    # not: the kept keys take their values and the comment follows them, where the
    # block was added whole among the kept rows, every key twice.
    window = ready_window(qtbot, fresh_sandbox)
    _sent_then_next_candidate(qtbot, window, fresh_sandbox)
    table = find_by_accessible_name(window, "Attributes", QTableView)
    first_value = table.visualRect(table.model().index(0, VALUE_COLUMN)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first_value)
    assert focused() is table

    QGuiApplication.clipboard().setText(
        "Key\tValue\r\nScore\t91%\r\nTime\t2:05h\r\nComment\tStrong on SQL\r\n"
    )
    press_on_focus(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    model = window.form.attributes.model
    assert model.rows() == [("Score", "91%"), ("Time", "2:05h"), ("Comment", "Strong on SQL")]
    assert model.problems() == {}
    assert sorted({index.row() for index in table.selectionModel().selectedRows()}) == [0, 1, 2]

    # One paste, one step back.
    press_on_focus(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.rows() == [("Score", ""), ("Time", "")]
    press_on_focus(qtbot, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "91%"},
        {"key": "Time", "value": "2:05h"},
        {"key": "Comment", "value": "Strong on SQL"},
    ]
