"""Retry from the keyboard, asked "Send again?" first: the focus ends among the actions.

Retry hides as "Sending…" shows. With the question just answered the window is not yet
active again, and Qt moves the focus off a hidden widget only in the active window: it
stayed on the hidden Retry, and the window, active again, gave it to the answer's text.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_send_again,
    button,
    fail_once_with_retry,
    wait_for_send_again_question,
)
from tests.qt_helpers import focused


@pytest.mark.parametrize(
    ("again_fails", "focus_after"), [(False, "Next candidate"), (True, "Submit")]
)
def test_retry_answered_send_again_leaves_the_focus_on_the_next_step(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, again_fails: bool, focus_after: str
):
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    if again_fails:
        fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    # The answer comes once the window is active again, as on a desktop.
    fresh_sandbox.set_latency(1500)
    retry.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(retry, Qt.Key.Key_Space)
    box = wait_for_send_again_question(qtbot)
    # The question is the active window, as on a desktop, while it is answered.
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=WAIT_MS)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    assert focused() is button(window, focus_after)
