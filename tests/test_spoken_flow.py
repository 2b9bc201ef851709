"""The panel's words after a send are spoken too: "Ready for the next candidate." and,
after a restart, that the restored form was sent already.

Both appear on the response panel, away from the focus: like an answer's words, they are
announced, or a screen-reader user never hears them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    line_edit,
    restarted,
    submit_and_wait,
)
from tests.qt_helpers import focused

URL = "https://example.com/results/spoken"
READY_TEXT = "Ready for the next candidate."
RESTORED_START = "Restored from your last session. This result link was already sent to this "


def said_by_panel(heard: list[tuple[Any, str]], window: MainWindow) -> list[str]:
    return [words for source, words in heard if source is window.response]


def test_ready_for_the_next_candidate_is_said_once_the_focus_is_in_the_id(
    qtbot,
    window: MainWindow,
    fresh_sandbox: Sandbox,
    heard_with_focus: list[tuple[Any, str, QWidget | None]],
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 4), url=URL)
    submit_and_wait(qtbot, window)
    said_before = len(heard_with_focus)

    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)

    target_id = line_edit(window, "Target ID")
    assert focused() is target_id
    said = [
        (words, focus)
        for source, words, focus in heard_with_focus[said_before:]
        if source is window.response
    ]
    assert said == [(READY_TEXT, target_id)]


def test_a_restored_form_sent_already_is_said(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, heard: list[tuple[Any, str]]
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 5), url=URL)
    submit_and_wait(qtbot, window)
    typed = window.form.state()
    again = restarted(qtbot, window, fresh_sandbox, saying=RESTORED_START)
    assert again.form.state() == typed
    said = said_by_panel(heard, again)
    assert said == [again.response.summary_text()]
