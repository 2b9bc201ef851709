"""The text under the attribute table names the first rows at fault and counts the others.

A block of settings pasted into the table puts an API key into thousands of values: the
form's check refuses each row. Under the table, and in what a screen reader says of it,
the first rows are named and the others counted ("…and 20 more rows"), as in Submit's
description: for rows the table does not mark at all, and for the rows it marks, where
the check finds more than the table says. A key typed in the Target ID words those rows
no more with three times as many.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import button, candidate_id, press_ctrl_enter
from tests.many_rows_support import (
    LISTED_ROWS,
    PASTED_KEY,
    bulleted,
    form_with_rows,
    keys_in_values,
    python_calls,
    retype_last_id_character,
    value_holds_key_line,
    window_showing,
)


def _keys_twice_with_keys_in_values(count: int) -> tuple[AttributeRow, ...]:
    """``count`` rows of one key, each value holding an API key: the table marks every row
    after the first (the key used again), and the check refuses each value."""
    return tuple(("Score", f"token {PASTED_KEY} {n + 1}") for n in range(count))


def _sent_with_keys_counted_under_the_table(
    qtbot, sandbox: Sandbox, rows: tuple[AttributeRow, ...]
) -> MainWindow:
    """A window with ``rows`` (30, each value holding a key), Ctrl+Enter pressed, once
    the text under the table (and its description) names the first 10 rows' keys and
    counts the other 20."""
    window = window_showing(qtbot, sandbox, rows)
    press_ctrl_enter(qtbot, window)
    counted = "\n".join(
        [*(value_holds_key_line(row) for row in range(1, LISTED_ROWS + 1)), "…and 20 more rows"]
    )
    assert window.form.error_text("attributes") == counted
    assert window.form.attributes.accessibleDescription() == counted
    return window


def test_under_the_table_rows_only_the_check_refuses_are_counted_past_ten(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    # Before, all thirty lines were under the table, and read out with it.
    window = _sent_with_keys_counted_under_the_table(qtbot, fresh_sandbox, keys_in_values(30))
    assert len(window.form.problems()) == 30


def test_under_the_table_what_the_check_says_beyond_its_marks_is_counted_past_ten(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    # Before, the table's marks hid every key in the values: nothing was said under it.
    window = _sent_with_keys_counted_under_the_table(
        qtbot, fresh_sandbox, _keys_twice_with_keys_in_values(30)
    )
    # Submit names both: the first row its key, each row after it its mark, then its key.
    named = [value_holds_key_line(1)]
    for row in range(2, LISTED_ROWS + 1):
        named += [f"Attributes, row {row}: Duplicate key “Score”", value_holds_key_line(row)]
    listed = bulleted([*named, "…and 20 more rows"])
    assert button(window, "Submit").toolTip() == f"Cannot send yet:\n{listed}"


@pytest.mark.parametrize(
    ("rows_of", "problems_of_3000_rows", "said_last"),
    [
        # Each row its key.
        (keys_in_values, 3000, [value_holds_key_line(3000)]),
        # The first row its key; each row after it its mark and its key (before: the mark
        # alone).
        (
            _keys_twice_with_keys_in_values,
            1 + 2 * 2999,
            ["Attributes, row 3000: Duplicate key “Score”", value_holds_key_line(3000)],
        ),
    ],
    ids=["rows_only_the_check_refuses", "rows_marked_and_refused"],
)
def test_a_key_in_the_target_id_words_rows_no_more_with_three_times_as_many(
    qtbot,
    fresh_sandbox: Sandbox,
    rows_of: Callable[[int], tuple[AttributeRow, ...]],
    problems_of_3000_rows: int,
    said_last: list[str],
) -> None:
    window = window_showing(qtbot, fresh_sandbox, rows_of(1000))
    with_fewer = python_calls(lambda: retype_last_id_character(qtbot, window))
    window.form.set_state(form_with_rows(rows_of(3000), target_id=candidate_id(fresh_sandbox)))
    with_more = python_calls(lambda: retype_last_id_character(qtbot, window))

    # Before, every key worded each of the rows' problems again.
    assert with_more <= with_fewer * 1.1, (with_fewer, with_more)
    problems = window.form.problems()
    assert len(problems) == problems_of_3000_rows
    assert problems[-len(said_last) :] == said_last
    assert button(window, "Submit").toolTip().endswith("\n• …and 2,990 more rows")
