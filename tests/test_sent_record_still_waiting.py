"""Ctrl+Enter as the answer arrives: "still waiting for the answer" goes once it shows.

The answer is shown in two steps (its words, then its facts and raw answer a frame
later); the window counts as sending until the second. A press in between sends nothing
and says so, but those words must not stay in the status bar over the answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.worker import Job
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    click_submit,
    fill_form,
    line_edit,
    posts,
)


def test_still_waiting_words_do_not_outlive_the_answer(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
):
    first = candidate_id(fresh_sandbox, 0)
    fill_form(qtbot, window, target_id=first)
    fresh_sandbox.set_latency(300)
    target_id = line_edit(window, "Target ID")
    pressed: list[bool] = []

    def press_as_the_answer_arrives() -> None:
        # Connected after the window's own slot: runs right after it has shown the answer
        # and before the answer is shown whole.
        pressed.append(window.busy)
        target_id.setFocus()
        qtbot.keyClick(target_id, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def follow_the_send() -> None:
        # Said as the send's job is handed over: the worker's newest job is that one.
        jobs = window.worker.findChildren(Job, options=Qt.FindChildOption.FindDirectChildrenOnly)
        jobs[-1].succeeded.connect(press_as_the_answer_arrives)

    window.requestStarted.connect(follow_the_send)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    assert pressed == [True]
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == f"Result link added to candidate {first}."
