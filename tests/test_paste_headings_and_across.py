"""Blocks copied from a results sheet: the sheet's column headings over the next
candidate's rows are left out, and a row of attribute names over one row of values (a
sheet with one row per candidate) is read across. Driven through the real window against
the sandbox: what is sent is what the table shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kombo_desktop.core.paste import parse_key_value_block
from kombo_desktop.qt.attributes_editor import HEADINGS_NOTICE, READ_ACROSS_NOTICE
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    at_next_candidate,
    candidate_id,
    fill_form,
    paste_attributes,
    posts,
    press_ctrl_enter,
    sent_attributes,
)


def _rows(window: MainWindow) -> list[tuple[str, str]]:
    return [(key, value) for key, value in window.form.attributes.model.rows()]


def _send(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)


@pytest.mark.parametrize(
    ("block", "notice"),
    [
        # Before: ("Metric", "Result") was added at the table's end, and sent for every
        # candidate as an attribute.
        ("Metric\tResult\r\nScore\t90%\r\nTime\t1:45h\r\n", HEADINGS_NOTICE),
        # A first row with a key of the table is the next candidate's, no headings.
        ("Time\t1:45h\nScore\t90%\n", ""),
        # The names over the next candidate's row of values. Before: Time = Score added.
        ("Time\tScore\n1:45h\t90%\n", READ_ACROSS_NOTICE),
    ],
    ids=["headings-left-out", "first-row-is-a-key", "read-across"],
)
def test_the_next_candidates_rows_from_a_sheet_fill_the_keys_waiting(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, block: str, notice: str
) -> None:
    window = ready_window
    at_next_candidate(qtbot, window, fresh_sandbox)
    assert _rows(window) == [("Score", ""), ("Time", "")]

    paste_attributes(qtbot, window, block)

    assert _rows(window) == [("Score", "90%"), ("Time", "1:45h")]
    assert window.form.attributes.notice_label.text() == notice
    _send(qtbot, window)
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "90%"},
        {"key": "Time", "value": "1:45h"},
    ]


@pytest.mark.parametrize(
    "first", ["Overall\t85%", "Report\thttps://example.com/r/1"], ids=["score", "address"]
)
def test_a_first_row_whose_value_is_a_value_is_no_headings(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, first: str
) -> None:
    # A heading is never "85%" or a web address: the next candidate's row more, added.
    window = ready_window
    at_next_candidate(qtbot, window, fresh_sandbox)
    paste_attributes(qtbot, window, f"{first}\nScore\t90%\nTime\t1:45h\n")
    key, value = first.split("\t")
    assert _rows(window) == [("Score", "90%"), ("Time", "1:45h"), (key, value)]
    assert window.form.attributes.notice_label.text() == ""


def test_ctrl_z_takes_back_a_paste_whose_headings_were_left_out(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    window = ready_window
    at_next_candidate(qtbot, window, fresh_sandbox)
    paste_attributes(qtbot, window, "Metric\tResult\nScore\t90%\nTime\t1:45h\n")
    table = window.form.attributes.view
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _rows(window) == [("Score", ""), ("Time", "")]


def test_a_row_of_names_over_a_row_of_values_is_read_across_and_sent_so(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    window = ready_window
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 0), prefix="Acme:")
    # As a sheet with one row per candidate and the attributes' names on top is copied.
    paste_attributes(qtbot, window, "Score\tTime\tLevel\r\n100%\t2:30h\tB2\r\n")

    # Before: Score = Time and 100% = 2:30h, Level left out, sent without a word.
    assert _rows(window) == [("Score", "100%"), ("Time", "2:30h"), ("Level", "B2")]
    assert window.form.attributes.notice_label.text() == READ_ACROSS_NOTICE
    _send(qtbot, window)
    assert sent_attributes(fresh_sandbox) == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2:30h"},
        {"key": "Level", "value": "B2"},
    ]


@pytest.mark.parametrize(
    ("block", "rows"),
    [
        # Keys and values down, a value of numbers in the first row too.
        ("Score\t100%\nTime\t2:30h", (("Score", "100%"), ("Time", "2:30h"))),
        # A second row starting with a number that is part of a key.
        ("Level\tExpert\n3D modelling\tGood", (("Level", "Expert"), ("3D modelling", "Good"))),
        # A key that reads as a number with a unit, beside a value of words.
        ("Language\tC1\n16PF\tCompleted", (("Language", "C1"), ("16PF", "Completed"))),
        # Known headings, then one row: read down without them.
        ("Key\tValue\n100\t5", (("100", "5"),)),
        # More rows than one of values: no single candidate's row to read across.
        (
            "Score\tTime\n100%\t2:30h\n90%\t1:45h",
            (("Score", "Time"), ("100%", "2:30h"), ("90%", "1:45h")),
        ),
    ],
    ids=[
        "numbers-down",
        "key-starting-with-a-digit",
        "key-like-a-number",
        "known-headings",
        "several-rows",
    ],
)  # fmt: skip
def test_blocks_of_keys_and_values_down_stay_read_down(
    block: str, rows: tuple[tuple[str, str], ...]
) -> None:
    pasted = parse_key_value_block(block)
    assert pasted.rows == rows
    assert not pasted.read_across


@pytest.mark.parametrize(
    "block",
    [
        "Score,Time\n100%,2:30h",
        "Score;Time\n€ 2,50;12 pts",
        "Report\tScore\nhttps://example.com/r/1\t95%",
        "Score\tTime\n4,5/5\t",
        # Words among the values of a candidate's row.
        "Score\tResult\tReport\n85%\tPassed\thttps://example.com/r/1",
        "Overall score\tRecommendation\n85%\tHire",
    ],
    ids=["csv", "semicolons", "web-address", "a-value-missing", "words-too", "two-columns"],
)
def test_names_over_one_row_starting_with_a_value_are_read_across(block: str) -> None:
    pasted = parse_key_value_block(block)
    assert pasted.read_across
    names = block.replace(";", ",").replace("\t", ",").split("\n")[0].split(",")
    assert [key for key, _value in pasted.rows] == names
