"""What the window says of an API key in an attribute row names the cell that holds it.

A key pasted into a value and another into a key were both said as "Attributes, row 1
must not contain an API key": the recruiter could not tell which cell to correct. Each
is now said in the words of the table's own marks ("Attributes, row 3: Value is empty"):
"Attributes, row 1: Value cell must not contain an API key (…)", "Attributes, row 2: Key cell
must not …", and never with the key itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from kombo_desktop.core.connection import HELD_KEY_IN_TEXT_PROBLEM
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    fill_form,
    press_ctrl_enter,
)
from tests.many_rows_support import (
    bulleted,
    current_cell,
    key_holds_key_line,
    preview_caught_up,
    value_holds_key_line,
)
from tests.qt_helpers import find_by_accessible_name, texts_shown

#: A Kombo key pasted into a value, and another into a key (a settings file's lines).
KEY_IN_VALUE = "ks_dev_pastedIntoAValue0000000000"
KEY_IN_NAME = "ks_prod_pastedIntoAKey11111111111"
#: The key the connection bar holds, of no documented shape: a proxy's token, say.
HELD_KEY = "pxy-7Hq2Lm9/Zx4Wb8Kc1+Vn6="


def test_a_key_in_a_value_and_one_in_a_key_name_their_cells(
    qtbot: QtBot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    window = ready_window
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes=f"Score\t{KEY_IN_VALUE}\n{KEY_IN_NAME}\t88%\n",
    )
    preview_caught_up(qtbot, window)
    said = [value_holds_key_line(1), key_holds_key_line(2)]
    # Before, both lines were "Attributes, row N must not contain an API key (…)".
    assert window.form.problems() == said
    assert button(window, "Submit").toolTip() == f"Cannot send yet:\n{bulleted(said)}"
    assert window.preview.body.placeholderText().endswith(f"Still needed:\n{bulleted(said)}")

    press_ctrl_enter(qtbot, window)
    # The table marks neither row: both lines go under it, and the focus to the first
    # cell they name.
    assert window.form.error_text("attributes") == "\n".join(said)
    assert window.form.attributes.accessibleDescription() == "\n".join(said)
    assert current_cell(window) == (0, VALUE_COLUMN)
    shown = texts_shown(window)
    assert [text for text in shown if KEY_IN_VALUE in text or KEY_IN_NAME in text] == []
    assert fresh_sandbox.requests == []


def test_the_key_in_use_pasted_into_a_key_names_the_key_cell(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox, api_key=HELD_KEY)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox),
        prefix="Acme:",
        attributes=f"Score\t88%\nToken {HELD_KEY}\t1\n",
    )
    preview_caught_up(qtbot, window)
    line = f"Attributes, row 2: Key cell {HELD_KEY_IN_TEXT_PROBLEM}"
    assert window.form.problems() == [line]

    press_ctrl_enter(qtbot, window)
    assert window.form.error_text("attributes") == line
    assert current_cell(window) == (1, KEY_COLUMN)
    key_field = find_by_accessible_name(window, "API key", QLineEdit)  # where it was typed
    assert [text for text in texts_shown(window, but=key_field) if HELD_KEY in text] == []
    assert fresh_sandbox.requests == []
