"""When showing the rest of an answer fails, the window still ends the request.

An answer shows its outcome first and its facts, details and raw answer a frame later; the
window stays busy until the panel says the whole answer shows (``when_answer_shown``). Were
that rest to fail, the window must not stay busy for good: Submit works again, nothing says
it is still sending, and the request is said finished (``requestFinished``) once.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar

from kombo_desktop.core.messages import UserMessage
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    click_submit,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import facts_label, window_at


class RestNotShown(RuntimeError):
    """The failure made to happen while the rest of an answer is shown: nothing in a test
    can make Qt fail there for real."""


def _fail_showing_the_rest_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> list[RestNotShown]:
    """Make showing the facts and details of the next answer in ``window`` fail, once (in
    the panel's rest step); the failures raised so far."""
    panel = window.response
    show_for_real = panel._show_facts_and_details
    raised: list[RestNotShown] = []

    def fail_the_first_time(message: UserMessage) -> None:
        if raised:
            show_for_real(message)
            return
        raised.append(RestNotShown("showing the facts failed"))
        raise raised[-1]

    monkeypatch.setattr(panel, "_show_facts_and_details", fail_the_first_time)
    return raised


def test_a_failure_showing_the_rest_of_an_answer_leaves_the_window_ready_to_send(
    qtbot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_at(qtbot, fresh_sandbox, None)
    raised = _fail_showing_the_rest_once(window, monkeypatch)
    finished: list[bool] = []
    window.requestFinished.connect(lambda: finished.append(window.busy))

    # The failure reaches the program's exception hook, as in the app: taken here.
    with qtbot.capture_exceptions() as caught:
        click_submit(qtbot, window)
        qtbot.waitUntil(lambda: bool(caught), timeout=WAIT_MS)
    assert len(raised) == 1
    assert [error for _kind, error, _trace in caught] == raised

    # Said finished once, no longer busy by then; the outcome stays shown.
    assert finished == [False]
    assert not window.busy
    assert window.response.summary_text().startswith("Success")
    assert button(window, "Submit").isEnabled()
    assert not button(window, "Cancel").isEnabled()
    assert not find_by_accessible_name(window, "Sending", QProgressBar).isVisible()
    assert "Sending" not in window.statusBar().currentMessage()

    # The next candidate's result link goes out, and its answer is shown whole.
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 1))
    type_into(qtbot, window, "Result URL", "https://example.com/results/2")
    submit_and_wait(qtbot, window)
    assert [post.json()["url"] for post in posts(fresh_sandbox)] == [
        "https://example.com/results/1",
        "https://example.com/results/2",
    ]
    assert finished == [False, False]
    assert "HTTP status: 200" in facts_label(window).accessibleDescription()
    assert window.response.raw_text()
