"""Thousands of attribute rows (a spreadsheet block pasted) and a key typed elsewhere.

A key typed in the Target ID does no more work with three times the rows: what depends on
the rows alone is worked out once for them as they are. Once a row changes, the next key
typed anywhere checks, previews and sends the rows as they are now, never as they were.
"""

from __future__ import annotations

import pytest

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.core.errors import InputError
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    button,
    candidate_id,
    sent_attributes,
    submit_and_wait,
)
from tests.many_rows_support import (
    TARGET_ID,
    form_with_rows,
    preview_caught_up,
    python_calls,
    retype_last_id_character,
    type_into_cell,
    window_showing,
)


def _rows(count: int) -> tuple[AttributeRow, ...]:
    return tuple((f"Question {n + 1}", f"answer number {n + 1}") for n in range(count))


def test_a_key_in_the_target_id_does_no_more_work_with_three_times_the_rows(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    # Both tables hold more than the preview builds at once, so it takes the same path.
    window = window_showing(qtbot, fresh_sandbox, _rows(1000))
    with_fewer = python_calls(lambda: retype_last_id_character(qtbot, window))
    window.form.set_state(form_with_rows(_rows(3000), target_id=candidate_id(fresh_sandbox)))
    preview_caught_up(qtbot, window)
    with_more = python_calls(lambda: retype_last_id_character(qtbot, window))

    # Before, every key read every row again: three times the rows, three times the work.
    assert with_more <= with_fewer * 1.1, (with_fewer, with_more)
    assert window.form.current_request() is not None


def test_a_value_changed_in_the_table_is_previewed_and_sent_after_a_key_elsewhere(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    rows = _rows(300)
    window = window_showing(qtbot, fresh_sandbox, rows)
    assert "answer number 3" in window.preview.body_text()

    type_into_cell(qtbot, window, 2, 1, "changed after the paste")
    retype_last_id_character(qtbot, window)
    preview_caught_up(qtbot, window)

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
    window = window_showing(qtbot, fresh_sandbox, _rows(300))
    submit = button(window, "Submit")
    assert submit.isEnabled()

    type_into_cell(qtbot, window, 5, 0, "Question 1")
    retype_last_id_character(qtbot, window)

    problem = "Attributes, row 6: Duplicate key “Question 1”"
    assert not submit.isEnabled()
    assert submit.toolTip() == f"Cannot send yet:\n• {problem}"
    assert window.form.problems() == [problem]
    assert window.form.current_request() is None
    assert problem in window.preview.body.placeholderText()

    # Back to the rows as they were: the checks kept for them must not be the last ones.
    type_into_cell(qtbot, window, 5, 0, "Question 6")
    retype_last_id_character(qtbot, window)
    assert submit.isEnabled(), submit.toolTip()
    assert window.form.problems() == []


def test_the_core_checks_the_rows_given_not_those_checked_last() -> None:
    rows = _rows(50)
    duplicated = (*rows[:5], ("question 1", "again"), *rows[6:])
    for _ in range(2):  # each twice in turn: the same rows checked again, then others
        target, request = form_with_rows(rows).to_request()
        assert request.details is not None
        assert request.details.attributes[5].value == "answer number 6"
        with pytest.raises(InputError) as refused:
            form_with_rows(duplicated).to_request()
        assert [error.field for error in refused.value.errors] == ["attributes[5].key"]
        # Equal rows in another tuple are the same rows.
        _target, again = form_with_rows(tuple(list(rows))).to_request()
        assert again == request
        assert target.id == TARGET_ID
