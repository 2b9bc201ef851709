"""Next candidate from the keyboard, and what the window says when it is pressed.

Ctrl+Enter sends with the focus left in the field (on purpose): Ctrl+N, named in the
button's tooltip and read out with it, then takes the form to the next candidate from
there, and Enter on the focused button presses it, as it presses Submit. Pressed after a
send that may have added the link, the panel and the status bar agree: clearing the form
for the next candidate is no edit of that request."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    fill_sample_form,
    line_edit,
    press_ctrl_enter,
)
from tests.qt_helpers import find_by_accessible_name, focused, press_on_focus

CTRL = Qt.KeyboardModifier.ControlModifier
READY_TEXT = "Ready for the next candidate."


def fill_with_attribute(qtbot, window: MainWindow, sandbox: Sandbox) -> None:
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(sandbox, 0),
        url="https://example.com/results/keys",
        prefix="Acme:",
        attributes="Score\t88%\n",
    )


def assert_ready_for_the_next_candidate(window: MainWindow) -> None:
    """The ID, URL and values are cleared, what repeats is kept, the cursor is in the ID."""
    state = window.form.state()
    assert state.target_id == ""
    assert state.url == ""
    assert state.label == "Assessment Result"
    assert state.prefix == "Acme:"
    assert state.attributes == (("Score", ""),)
    assert focused() is line_edit(window, "Target ID")
    assert not button(window, "Next candidate").isEnabled()
    assert window.response.summary_text() == READY_TEXT


def test_ctrl_n_in_the_field_just_sent_from_takes_the_form_to_the_next_candidate(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    next_button = button(ready_window, "Next candidate")
    # Named where a person (and a screen reader) learns Submit's and Cancel's keys.
    assert next_button.toolTip().endswith("(Ctrl+N)")
    assert next_button.accessibleDescription().endswith("(Ctrl+N)")
    fill_with_attribute(qtbot, ready_window, fresh_sandbox)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
    assert ready_window.response.state() == "success"
    assert focused() is line_edit(ready_window, "Result URL")

    press_on_focus(qtbot, Qt.Key.Key_N, CTRL)

    assert_ready_for_the_next_candidate(ready_window)


def test_ctrl_n_before_a_send_and_while_sending_keeps_what_is_typed(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_with_attribute(qtbot, ready_window, fresh_sandbox)
    typed = ready_window.form.state()
    url = line_edit(ready_window, "Result URL")
    url.setFocus()
    press_on_focus(qtbot, Qt.Key.Key_N, CTRL)
    assert ready_window.form.state() == typed

    fresh_sandbox.set_latency(2000)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
        assert ready_window.busy
        press_on_focus(qtbot, Qt.Key.Key_N, CTRL)
        # What is on its way stays shown: the answer is about it.
        assert ready_window.form.state() == typed
    assert ready_window.response.state() == "success"
    assert ready_window.form.state() == typed


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["return", "keypad"])
def test_enter_on_next_candidate_presses_it_as_enter_on_submit_sends(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, key: Qt.Key
) -> None:
    fill_with_attribute(qtbot, ready_window, fresh_sandbox)
    submit = button(ready_window, "Submit")
    submit.setFocus()
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_on_focus(qtbot, key)
    assert ready_window.response.state() == "success"
    assert focused() is button(ready_window, "Next candidate")

    press_on_focus(qtbot, key)

    assert_ready_for_the_next_candidate(ready_window)


def test_next_candidate_after_a_send_that_may_have_added_the_link_says_nothing_changed(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    fill_sample_form(qtbot, ready_window, fresh_sandbox)
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, ready_window)
    assert "may already have been added" in ready_window.response.summary_text()
    next_button = button(ready_window, "Next candidate")
    assert next_button.isEnabled()

    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)

    assert ready_window.form.state().target_id == ""
    assert ready_window.response.summary_text() == READY_TEXT
    assert "changed after that request" not in ready_window.statusBar().currentMessage()
    assert not find_by_accessible_name(ready_window, "Retry", QPushButton).isVisible()
