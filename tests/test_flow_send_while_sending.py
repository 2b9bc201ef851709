"""Ctrl+Enter while a result link is on its way sends nothing, and says so.

A recruiter types the next candidate while a slow answer is awaited, then presses
Ctrl+Enter: one request goes at a time. The press was answered by nothing, and the answer
that came ("Result link added…") read as if the new candidate had been sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    submit_until_sent,
)


def test_ctrl_enter_during_a_send_says_nothing_went_and_keeps_the_form(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, heard
):
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first)
    fresh_sandbox.set_latency(1500)
    submit_until_sent(qtbot, window)
    target_id = line_edit(window, "Target ID")
    target_id.setFocus()
    target_id.selectAll()
    qtbot.keyClicks(target_id, second)

    qtbot.keyClick(target_id, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    words = (
        f"Not sent: still waiting for the answer about candidate {first}. Send again once it shows."
    )
    assert window.statusBar().currentMessage() == words
    assert (window.statusBar(), words) in heard

    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass
    # Said while the wait lasts, not after the answer.
    assert window.statusBar().currentMessage() != words
    assert [request.path for request in posts(fresh_sandbox)] == [
        f"/v1/ats/candidates/{first}/result-links"
    ]
    assert target_id.text() == second


def test_ctrl_enter_before_the_answer_is_shown_whole_sends_nothing(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, monkeypatch
):
    # The answer is in and the form is no longer busy, but the panel shows its rest a
    # frame later (longer for a large answer): the window's own guard stops the press.
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first)
    show_rest = window.response.when_answer_shown
    pressed_while: list[tuple[bool, bool]] = []

    def press_ctrl_enter_first(callback) -> None:
        show_rest(callback)
        pressed_while.append((window.busy, button(window, "Submit").isEnabled()))
        target_id = line_edit(window, "Target ID")
        target_id.setText(second)
        qtbot.keyClick(target_id, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    monkeypatch.setattr(window.response, "when_answer_shown", press_ctrl_enter_first)
    submit_until_sent(qtbot, window)
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    # The press came in that gap (Submit on again, the window still showing the answer),
    # and sent nothing.
    assert pressed_while == [(True, True)]
    assert [request.path for request in posts(fresh_sandbox)] == [
        f"/v1/ats/candidates/{first}/result-links"
    ]
    assert line_edit(window, "Target ID").text() == second
