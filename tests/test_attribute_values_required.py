"""An attribute with a key needs a value.

"Next candidate" keeps the attribute keys and clears their values, so that the same
assessment goes to the next person. A kept key left without a value must not be sent: it
would write an empty ``Score`` into the next candidate's record. It is a problem at the
value, to be filled in: the hint names "Attributes" among what to fill in, the table marks
the row with its icon on the value, and Ctrl+Enter takes the focus to that cell. The
command line refuses ``--attr Score=`` the same way. A row left entirely blank is still
ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    type_into,
)
from tests.qt_helpers import (
    filled_form_state,
    find_by_accessible_name,
    focused,
    shown_attributes_editor,
    shown_form,
)

VALUE_IS_EMPTY = "Value is empty"


def _focused() -> QWidget:
    widget = focused()
    assert widget is not None
    return widget


def _state(*attributes: tuple[str, str], prefix: str = "Acme:") -> FormState:
    return filled_form_state(attributes=attributes, prefix=prefix)


# ---- the rule, where the window and the command line take it from ---------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\u200b", "\u00a0\u2060"])
def test_a_key_with_a_blank_value_is_refused_at_the_value_as_missing(blank: str) -> None:
    with pytest.raises(InputError) as caught:
        _state(("Score", "88%"), ("", ""), ("Time", blank)).to_request()
    (error,) = caught.value.errors
    # The row as shown (the blank row before it counts), at its value, to be filled in.
    assert error.field == "attributes[2].value"
    assert error.message == VALUE_IS_EMPTY
    assert error.missing


def test_rows_left_entirely_blank_are_still_ignored() -> None:
    _target, request = _state(("Score", "88%"), ("", ""), ("  ", "\u200b")).to_request()
    assert request.to_body()["details"]["attributes"] == [{"key": "Score", "value": "88%"}]


def test_a_duplicate_key_without_a_value_is_named_once_for_its_key() -> None:
    # The key is what is to be corrected first: the row is not also "to fill in".
    with pytest.raises(InputError) as caught:
        _state(("Score", "1"), ("score", "")).to_request()
    assert [(e.field, e.missing) for e in caught.value.errors] == [("attributes[1].key", False)]


# ---- the table --------------------------------------------------------------------------------


def test_the_table_marks_a_key_without_a_value_at_the_value(qtbot: QtBot) -> None:
    editor = shown_attributes_editor(qtbot)
    model = editor.model
    model.set_rows([("Score", "88%"), ("Time", ""), ("", ""), ("", "5")])
    assert model.problems() == {1: VALUE_IS_EMPTY, 3: "Key is empty"}
    key, value = model.index(1, KEY_COLUMN), model.index(1, VALUE_COLUMN)
    # Tinted like the other rows at fault, the icon on the cell that is missing.
    assert isinstance(model.data(key, Qt.ItemDataRole.BackgroundRole), QColor)
    assert model.data(value, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(key, Qt.ItemDataRole.DecorationRole) is None
    tooltip = model.data(value, Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Value is empty: this row has a key but no value.")
    assert model.data(value, Qt.ItemDataRole.AccessibleDescriptionRole) == tooltip
    # The other rows' marks are as they were: the blank row has none.
    assert model.data(model.index(3, KEY_COLUMN), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(2, KEY_COLUMN), Qt.ItemDataRole.BackgroundRole) is None
    assert editor.problem_label.isVisible()
    assert "value is empty (row 2)" in editor.problem_label.text()

    # Typing the value takes the mark away.
    model.setData(value, "2:30h")
    assert model.problems() == {3: "Key is empty"}
    assert model.data(value, Qt.ItemDataRole.DecorationRole) is None


def test_the_hint_says_to_fill_in_attributes_unless_a_key_is_wrong_too(qtbot: QtBot) -> None:
    form = shown_form(qtbot)
    form.set_state(_state(("Score", "")))
    assert form.hint.text() == "Fill in Attributes to send."
    assert "Attributes, row 1: Value is empty" in form.submit_button.toolTip()
    assert not form.submit_button.isEnabled()
    # A wrong key as well: filling in is not all there is to do, and the hint says what is
    # wrong, as it does for a wrong key alone.
    form.set_state(_state(("Score", ""), ("Time", "1"), ("time", "2")))
    assert not form.hint.text().startswith("Fill in")
    assert form.hint.text() == "Attributes, row 1: Value is empty"
    assert "Attributes, row 3: Duplicate key" in form.submit_button.toolTip()


# ---- the window, after Next candidate --------------------------------------------------------


def test_after_next_candidate_ctrl_enter_goes_to_the_value_to_fill_in_and_sends_it_once_typed(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(fresh_sandbox, 0),
        prefix="Acme:",
        attributes="Score\t88%\nTime\t2:30h\n",
    )
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
    assert window.response.state() == "success"
    QTest.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    assert window.form.state().attributes == (("Score", ""), ("Time", ""))
    # Before anything is typed the hint names the kept keys' values too.
    assert window.form.hint.text() == "Fill in Target ID, Result URL and Attributes to send."

    # What the hint names first, the ID and the URL, then Ctrl+Enter.
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 1))
    type_into(qtbot, window, "Result URL", "https://example.com/results/2")
    submit = button(window, "Submit")
    assert window.form.hint.text() == "Fill in Attributes to send."
    assert not submit.isEnabled()
    press_ctrl_enter(qtbot, window)
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1  # the first candidate's only
    assert "Not sent: Attributes, row 1: Value is empty" in window.statusBar().currentMessage()
    table = find_by_accessible_name(window, "Attributes", QTableView)
    assert focused() is table
    current = table.currentIndex()
    assert (current.row(), current.column()) == (0, VALUE_COLUMN)

    # Typed where the focus went: the first value, then the second one (Tab, as a person).
    QTest.keyClick(table, Qt.Key.Key_9)  # a key on the table starts editing its current cell
    QTest.keyClicks(_focused(), "1%")
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(_focused(), "1:10h")
    assert window.form.state().attributes == (("Score", "91%"), ("Time", "1:10h"))
    assert window.form.hint.text() == "Ready to send (Ctrl+Enter)."
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
    sent = posts(fresh_sandbox)[-1].json()
    assert sent["details"]["attributes"] == [
        {"key": "Score", "value": "91%"},
        {"key": "Time", "value": "1:10h"},
    ]


# ---- the command line ------------------------------------------------------------------------


def _send(app_home: Path, sandbox: Sandbox, *attributes: str, as_json: bool = False) -> Any:
    return cli(
        app_home,
        "send",
        "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--prefix", "Acme:",
        *(word for attribute in attributes for word in ("--attr", attribute)),
        *(["--json"] if as_json else []),
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


def test_the_command_line_refuses_a_key_without_a_value_at_its_attr(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    plain = _send(app_home, fresh_sandbox, "Score=88%", "Time=")
    assert plain.returncode == 2, plain.stdout + plain.stderr
    assert "--attr #2: Value is empty" in plain.stderr.splitlines()

    as_json = _send(app_home, fresh_sandbox, "Score=88%", "Time= ", as_json=True)
    assert as_json.returncode == 2, as_json.stdout + as_json.stderr
    errors = json.loads(as_json.stdout)["errors"]
    assert errors == [
        {"field": "attributes[1].value", "option": "--attr #2", "message": VALUE_IS_EMPTY}
    ]
    assert fresh_sandbox.requests == []

    # An --attr with neither side is still no attribute (as a blank row in the table).
    sent = _send(app_home, fresh_sandbox, "Score=88%", "=")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert posts(fresh_sandbox)[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "88%"}
    ]
