"""A key pasted twice into the attribute table is never shown in clear.

A settings block pasted into the table may hold the same API key in two rows' keys: the
second is a duplicate key, and naming it ("Duplicate key “ks_prod_…”") would put the key
on screen, in Submit's description, the preview, the status bar and the table's marks.
It is refused for the key it holds instead, and the table's mark names no key. So it is
for the key the window sends with, whatever its shape (a proxy's token): the window knows
it, and marks it as it marks a Kombo key.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.attribute_rows import AttributeRow, find_problems, find_row_problems
from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.errors import InputError
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    press_ctrl_enter,
    type_into,
)
from tests.many_rows_support import PASTED_KEY, form_with_rows, preview_caught_up, window_showing
from tests.qt_helpers import find_by_accessible_name, texts_shown

#: The same key pasted into two rows' keys.
KEY_TWICE: tuple[AttributeRow, ...] = ((PASTED_KEY, "1"), (PASTED_KEY, "2"))
#: The same key in two rows, in other capitals around it: "in other capitals" would name
#: both spellings.
KEY_TWICE_IN_OTHER_CAPITALS: tuple[AttributeRow, ...] = (
    (f"token {PASTED_KEY}", "1"),
    (f"TOKEN {PASTED_KEY}", "2"),
)
#: The key a window sends with, of no Kombo shape (no ``ks_prod_``/``ks_dev_``).
HELD_KEY = "proxytoken-SECRET-123"
#: That key typed as two rows' keys.
HELD_KEY_TWICE: tuple[AttributeRow, ...] = ((HELD_KEY, "1"), (HELD_KEY, "2"))
#: That key in two rows' keys, in other capitals around it.
HELD_KEY_TWICE_IN_OTHER_CAPITALS: tuple[AttributeRow, ...] = (
    (f"token {HELD_KEY}", "1"),
    (f"TOKEN {HELD_KEY}", "2"),
)


@pytest.mark.parametrize("rows", [KEY_TWICE, KEY_TWICE_IN_OTHER_CAPITALS])
def test_the_rows_check_marks_a_key_used_twice_without_naming_it(
    rows: tuple[AttributeRow, ...],
) -> None:
    for problems in (find_problems(rows), find_row_problems(rows)):
        assert problems == {1: "Duplicate key (an API key)"}


def test_a_duplicate_key_holding_an_api_key_is_refused_for_the_key() -> None:
    with pytest.raises(InputError) as caught:
        form_with_rows(KEY_TWICE).to_request()

    refused = caught.value
    assert refused.fields == ("attributes[0].key", "attributes[1].key")
    assert refused.message_for("attributes[1].key") == KEY_IN_TEXT_PROBLEM
    assert not any(PASTED_KEY in error.message for error in refused.errors)


def test_other_duplicate_keys_are_still_named() -> None:
    assert find_problems((("Score", "1"), ("score", "2"))) == {
        1: "Duplicate key “score” (“Score” in other capitals)"
    }


def _texts_on_screen(window: MainWindow) -> list[str]:
    """Every text the window shows or gives a screen reader beside what was typed (the
    connection bar's key field, the table's cells), and the form's problems."""
    key_field = find_by_accessible_name(window, "API key", QLineEdit)
    return [*texts_shown(window, but=key_field), *window.form.problems()]


@pytest.mark.parametrize("rows", [KEY_TWICE, KEY_TWICE_IN_OTHER_CAPITALS])
def test_the_window_never_shows_a_key_pasted_into_two_rows(
    qtbot, fresh_sandbox: Sandbox, rows: tuple[AttributeRow, ...]
) -> None:
    window = window_showing(qtbot, fresh_sandbox, rows)
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    press_ctrl_enter(qtbot, window)  # a send tried all the same says why in the status bar

    shown = [text for text in _texts_on_screen(window) if PASTED_KEY in text]
    assert shown == []
    # The rows are refused all the same, and the table marks the second as a duplicate.
    assert window.form.problems(), "the rows at fault are said"
    assert window.form.attributes.model.problems() == {1: "Duplicate key (an API key)"}


def _window_holding(
    qtbot, sandbox: Sandbox, rows: tuple[AttributeRow, ...], *, api_key: str
) -> MainWindow:
    """A window sending with ``api_key`` whose form holds ``rows`` and the sandbox's first
    candidate but for the ID's last character, typed then, its preview caught up."""
    window = build_window(qtbot, sandbox, api_key=api_key)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    target = candidate_id(sandbox)
    window.form.set_state(form_with_rows(rows, target_id=target[:-1]))
    type_into(qtbot, window, "Target ID", target[-1])
    preview_caught_up(qtbot, window)
    return window


def _hold_key(qtbot, window: MainWindow, sandbox: Sandbox, key: str) -> None:
    """Give the window's connection bar ``key``, and wait until the form holds it."""
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    bar.set_values(api_key=key, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url)
    qtbot.waitUntil(lambda: window.form.held_keys() == (key,), timeout=WAIT_MS)


@pytest.mark.parametrize("rows", [HELD_KEY_TWICE, HELD_KEY_TWICE_IN_OTHER_CAPITALS])
def test_the_window_never_shows_its_own_key_of_another_shape_used_as_two_rows_keys(
    qtbot, fresh_sandbox: Sandbox, rows: tuple[AttributeRow, ...]
) -> None:
    window = _window_holding(qtbot, fresh_sandbox, rows, api_key=HELD_KEY)
    assert not button(window, "Submit").isEnabled()
    press_ctrl_enter(qtbot, window)  # a send tried all the same says why in the status bar

    assert [text for text in _texts_on_screen(window) if HELD_KEY in text] == []
    assert window.form.problems(), "the rows at fault are said"
    assert window.form.attributes.model.problems() == {1: "Duplicate key (an API key)"}


def test_the_table_marks_again_when_the_window_takes_the_key_its_rows_hold(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = _window_holding(qtbot, fresh_sandbox, HELD_KEY_TWICE, api_key=DEMO_API_KEY)
    model = window.form.attributes.model
    # Not the window's key yet: a key like any other, named.
    assert model.problems() == {1: f"Duplicate key “{HELD_KEY}”"}

    _hold_key(qtbot, window, fresh_sandbox, HELD_KEY)
    press_ctrl_enter(qtbot, window)

    assert [text for text in _texts_on_screen(window) if HELD_KEY in text] == []
    assert model.problems() == {1: "Duplicate key (an API key)"}
