"""Submit paints "Sending…" before the network thread gets the request.

Once woken, the network thread takes turns with the GUI thread for Python's interpreter:
the request is handed over after the frame that shows it is on its way, so that the
frame is not late. What the person does in between (a close or an Esc typed right after
Ctrl+Enter) acts on the request as on one already on its way (a close asks first, see
``test_closing_while_sending_asks_first``), or says nothing was sent (Esc).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.main_window import AFTER_FRAME_MS, MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    click_submit,
    fill_sample_form,
    posts,
    press_ctrl_enter,
)
from tests.qt_helpers import find_by_accessible_name


class _PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_submit_shows_sending_before_the_network_thread_gets_the_request(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, monkeypatch: Any
) -> None:
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    fill_sample_form(qtbot, window, fresh_sandbox)
    progress = find_by_accessible_name(window, "Sending", QWidget)
    paints = _PaintCounter(progress)
    painted_when_handed_over: list[int] = []
    submit: Callable[..., Any] = window.worker.submit

    def noting_submit(*args: Any, **kwargs: Any) -> Any:
        painted_when_handed_over.append(paints.count)
        return submit(*args, **kwargs)

    monkeypatch.setattr(window.worker, "submit", noting_submit)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    assert len(painted_when_handed_over) == 1
    assert painted_when_handed_over[0] >= 1  # "Sending…" was on screen first
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 1


def test_an_escape_typed_right_after_ctrl_enter_sends_nothing_and_says_so(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
        qtbot.keyClick(window.form.label, Qt.Key.Key_Escape)
    assert window.response.summary_text() == "Cancelled. Nothing was sent."
    assert window.form.state() == before
    # Nothing goes out later either: the frame's hand-over, due before this timer, finds
    # nothing to send.
    past_the_hand_over: list[bool] = []
    QTimer.singleShot(AFTER_FRAME_MS + 1, lambda: past_the_hand_over.append(True))
    qtbot.waitUntil(lambda: bool(past_the_hand_over), timeout=WAIT_MS)
    assert not window.busy
    assert posts(fresh_sandbox) == []
