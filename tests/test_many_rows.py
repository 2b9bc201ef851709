"""Thousands of attribute rows (a spreadsheet block pasted) and a key typed elsewhere.

A key typed in the Target ID does no more work with three times the rows: what depends on
the rows alone is worked out once for them as they are. Once a row changes, the next key
typed anywhere checks, previews and sends the rows as they are now, never as they were.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    line_edit,
    ready_window,
    sent_attributes,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import open_cell_editor


def _rows(count: int) -> tuple[AttributeRow, ...]:
    return tuple((f"Question {n + 1}", f"answer number {n + 1}") for n in range(count))


def _form(target_id: str, rows: tuple[AttributeRow, ...]) -> FormState:
    return FormState(
        target_id=target_id,
        label="Assessment Result",
        url="https://example.com/results/1",
        prefix="Acme:",
        attributes=rows,
    )


def _python_calls(action: Callable[[], object]) -> int:
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


def _window_showing(qtbot, sandbox: Sandbox, rows: tuple[AttributeRow, ...]) -> MainWindow:
    """A window whose form holds ``rows`` and the sandbox's first candidate but for the
    ID's last character, typed then (so the form is the person's, and valid)."""
    window = ready_window(qtbot, sandbox)
    target = candidate_id(sandbox)
    window.form.set_state(_form(target[:-1], rows))
    type_into(qtbot, window, "Target ID", target[-1])
    _preview_caught_up(qtbot, window)
    return window


def _preview_caught_up(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.preview.is_building(), timeout=WAIT_MS)


def _retype_last_id_character(qtbot, window: MainWindow) -> None:
    """Backspace and the same character again at the end of the Target ID: two keys that
    leave it as it was."""
    target_id = line_edit(window, "Target ID")
    last = target_id.text()[-1]
    target_id.setFocus()
    target_id.end(False)
    qtbot.keyClick(target_id, Qt.Key.Key_Backspace)
    qtbot.keyClicks(target_id, last)


def _type_into_cell(qtbot, window: MainWindow, row: int, column: int, text: str) -> None:
    """Type ``text`` over the cell at ``row``, ``column`` of the attributes table."""
    cell: QLineEdit = open_cell_editor(qtbot, window.form.attributes, row, column)
    cell.selectAll()
    qtbot.keyClicks(cell, text)


def test_a_key_in_the_target_id_does_no_more_work_with_three_times_the_rows(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    # Both tables hold more than the preview builds at once, so it takes the same path.
    window = _window_showing(qtbot, fresh_sandbox, _rows(1000))
    with_fewer = _python_calls(lambda: _retype_last_id_character(qtbot, window))
    window.form.set_state(_form(candidate_id(fresh_sandbox), _rows(3000)))
    _preview_caught_up(qtbot, window)
    with_more = _python_calls(lambda: _retype_last_id_character(qtbot, window))

    # Before, every key read every row again: three times the rows, three times the work.
    assert with_more <= with_fewer * 1.1, (with_fewer, with_more)
    assert window.form.current_request() is not None


def test_a_value_changed_in_the_table_is_previewed_and_sent_after_a_key_elsewhere(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    rows = _rows(300)
    window = _window_showing(qtbot, fresh_sandbox, rows)
    assert "answer number 3" in window.preview.body_text()

    _type_into_cell(qtbot, window, 2, 1, "changed after the paste")
    _retype_last_id_character(qtbot, window)
    _preview_caught_up(qtbot, window)

    assert "changed after the paste" in window.preview.body_text()
    assert 'answer number 3"' not in window.preview.body_text()
    submit_and_wait(qtbot, window)
    sent = sent_attributes(fresh_sandbox)
    assert len(sent) == len(rows)
    assert sent[2] == {"key": "Question 3", "value": "changed after the paste"}
    assert sent[3] == {"key": "Question 4", "value": "answer number 4"}


def test_a_key_made_a_duplicate_is_marked_after_a_key_elsewhere_and_cleared_when_undone(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = _window_showing(qtbot, fresh_sandbox, _rows(300))
    submit = button(window, "Submit")
    assert submit.isEnabled()

    _type_into_cell(qtbot, window, 5, 0, "Question 1")
    _retype_last_id_character(qtbot, window)

    problem = "Attributes, row 6: Duplicate key “Question 1”"
    assert not submit.isEnabled()
    assert submit.toolTip() == f"Cannot send yet:\n• {problem}"
    assert window.form.problems() == [problem]
    assert window.form.current_request() is None
    assert problem in window.preview.body.placeholderText()

    # Back to the rows as they were: the checks kept for them must not be the last ones.
    _type_into_cell(qtbot, window, 5, 0, "Question 6")
    _retype_last_id_character(qtbot, window)
    assert submit.isEnabled(), submit.toolTip()
    assert window.form.problems() == []


def test_the_core_checks_the_rows_given_not_those_checked_last() -> None:
    rows = _rows(50)
    duplicated = (*rows[:5], ("question 1", "again"), *rows[6:])
    for _ in range(2):  # each twice in turn: the same rows checked again, then others
        target, request = _form("8Xi6iZrwusZqJmDGXs49GB", rows).to_request()
        assert request.details is not None
        assert request.details.attributes[5].value == "answer number 6"
        with pytest.raises(InputError) as refused:
            _form("8Xi6iZrwusZqJmDGXs49GB", duplicated).to_request()
        assert [error.field for error in refused.value.errors] == ["attributes[5].key"]
        # Equal rows in another tuple are the same rows.
        _target, again = _form("8Xi6iZrwusZqJmDGXs49GB", tuple(list(rows))).to_request()
        assert again == request
        assert target.id == "8Xi6iZrwusZqJmDGXs49GB"
