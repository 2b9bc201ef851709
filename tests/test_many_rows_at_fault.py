"""Thousands of attribute rows at fault, and a key typed elsewhere.

"Next candidate" keeps the keys of a pasted block and clears its values: every row then
says its value is missing. A key typed in the Target ID must not word, sort and list
thousands of problems again: the table's words are worked out once for its rows as they
are, and Submit's description and the preview name the first rows at fault and count the
others. Once a row is fixed, the next key typed anywhere says what is still wrong now.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    type_into,
)
from tests.many_rows_support import (
    LISTED_ROWS,
    form_with_rows,
    python_calls,
    retype_last_id_character,
    type_into_cell,
    values_left_blank,
    window_showing,
)

PREVIEW_WAITS = "The preview appears when the form is complete."


def _keys_used_twice(count: int) -> tuple[AttributeRow, ...]:
    """``count`` rows, all but the first holding the first's key."""
    return tuple(("Score", f"answer number {n + 1}") for n in range(count))


def _listed(rows: range, more: int = 0) -> str:
    """The bulleted lines naming ``rows`` (counted from 1) as missing a value, then the
    count of ``more`` not named."""
    lines = [f"• Attributes, row {row}: Value is empty" for row in rows]
    if more:
        lines.append(f"• …and {more:,} more rows")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "rows_at_fault", [values_left_blank, _keys_used_twice], ids=["values blank", "keys twice"]
)
def test_a_key_in_the_target_id_does_no_more_with_three_times_the_rows_at_fault(
    qtbot, fresh_sandbox: Sandbox, rows_at_fault: Callable[[int], tuple[AttributeRow, ...]]
) -> None:
    window = window_showing(qtbot, fresh_sandbox, rows_at_fault(1000))
    with_fewer = python_calls(lambda: retype_last_id_character(qtbot, window))
    window.form.set_state(
        form_with_rows(rows_at_fault(3000), target_id=candidate_id(fresh_sandbox))
    )
    with_more = python_calls(lambda: retype_last_id_character(qtbot, window))

    # Before, every key worded, sorted and listed every row at fault again, and the
    # core's check found, sorted and joined every row's problem again.
    assert with_more <= with_fewer * 1.1, (with_fewer, with_more)
    problems = window.form.problems()
    assert len(problems) in (2999, 3000)
    assert problems[-1].startswith("Attributes, row 3000: ")
    assert "more rows" in button(window, "Submit").toolTip()


def test_the_words_follow_a_row_fixed_then_a_key_typed_elsewhere(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_showing(qtbot, fresh_sandbox, values_left_blank(30))
    submit = button(window, "Submit")
    table = window.form.attributes
    assert submit.toolTip() == "Cannot send yet:\n" + _listed(range(1, LISTED_ROWS + 1), 20)
    still_needed = f"{PREVIEW_WAITS}\n\nStill needed:\n{_listed(range(1, LISTED_ROWS + 1), 20)}"
    assert window.preview.body.placeholderText() == still_needed
    assert table.problem_label.text().startswith("30 problems: value is empty (row 1);")

    type_into_cell(qtbot, window, 0, 1, "answered at last")
    retype_last_id_character(qtbot, window)

    # The first row is no longer named, the eleventh is, and one fewer is counted.
    listed = _listed(range(2, LISTED_ROWS + 2), 19)
    assert submit.toolTip() == f"Cannot send yet:\n{listed}"
    assert submit.accessibleDescription() == submit.toolTip()
    assert window.preview.body.placeholderText() == f"{PREVIEW_WAITS}\n\nStill needed:\n{listed}"
    assert table.problem_label.text().startswith("29 problems: value is empty (row 2);")
    assert window.form.problems()[0] == "Attributes, row 2: Value is empty"
    assert len(window.form.problems()) == 29
    assert window.form.error_text("attributes") == ""  # the table says it, right above
    assert not submit.isEnabled()


def test_a_few_rows_more_than_listed_are_all_named_and_other_fields_still_said(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_showing(qtbot, fresh_sandbox, values_left_blank(LISTED_ROWS + 1))
    submit = button(window, "Submit")
    # One row more is named, not counted: "…and 1 more rows" would be no shorter.
    assert submit.toolTip() == "Cannot send yet:\n" + _listed(range(1, LISTED_ROWS + 2))

    window.form.set_state(
        form_with_rows(values_left_blank(40), target_id=candidate_id(fresh_sandbox))
    )
    type_into(qtbot, window, "Result URL", " x")
    # The Result URL comes before the table and the rows after the first are counted; a
    # problem after the table (the remote fields, the connection) would still be named.
    tip = submit.toolTip()
    assert tip.startswith("Cannot send yet:\n• Result URL "), tip
    assert tip.endswith("\n" + _listed(range(1, LISTED_ROWS + 1), 30)), tip
    qtbot.waitUntil(lambda: not window.preview.is_building(), timeout=WAIT_MS)
    assert window.preview.body.placeholderText().endswith(tip.removeprefix("Cannot send yet:"))
