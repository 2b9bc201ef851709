"""After a restart, the record of sent links guards the form without weighing on typing.

The real window against the real sandbox: a link is sent, the window closes (the draft
is written), a new window opens on the same draft, as after a restart.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from kombo_desktop.core.form_state import sent_fingerprint
from kombo_desktop.qt.main_window import CHECK_TARGET_DETAIL, MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_send_again,
    build_window,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    type_into,
    wait_for_send_again_question,
)

pytestmark = pytest.mark.usefixtures("real_questions")

URL = "https://example.com/results/record"


def sent_then_cleared(qtbot, window: MainWindow, sandbox: Sandbox) -> str:
    """Send the first candidate's link, then press Next candidate; its Target ID."""
    first = candidate_id(sandbox, 1)
    fill_form(qtbot, window, target_id=first, url=URL)
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    return first


def test_typing_after_a_restart_does_not_fingerprint_the_form_at_each_key(
    qtbot, window, fresh_sandbox, monkeypatch
):
    first = sent_then_cleared(qtbot, window, fresh_sandbox)
    # The next candidate's form, complete and not sent, is what the restart restores.
    second = candidate_id(fresh_sandbox, 2)
    type_into(qtbot, window, "Target ID", second)
    type_into(qtbot, window, "Result URL", URL)
    window.close()
    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(
        lambda: again.form.state().target_id == second and not again.form.is_checking(),
        timeout=WAIT_MS,
    )

    fingerprints: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> str:
        fingerprint = sent_fingerprint(*args, **kwargs)
        fingerprints.append(fingerprint)
        return fingerprint

    # Counted where the window makes them (it imported the function by name).
    monkeypatch.setattr("kombo_desktop.qt.main_window.sent_fingerprint", counted)
    # The first candidate's row typed over the second's, a key at a time: a whole-body
    # digest at each key is what made typing slow with a large remote-fields JSON.
    target_id = line_edit(again, "Target ID")
    target_id.setFocus()
    target_id.selectAll()
    qtbot.keyClicks(target_id, first)
    assert len(fingerprints) <= 1

    # Submit still knows that link was sent, and asks before it goes again.
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    answer_send_again(qtbot, again, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1


def test_after_next_candidate_and_a_restart_the_question_says_to_check_the_target(
    qtbot, window, fresh_sandbox
):
    first = sent_then_cleared(qtbot, window, fresh_sandbox)
    window.close()
    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: again.form.state().label != "", timeout=WAIT_MS)
    # The last candidate's row pasted again into the form cleared for the next one.
    type_into(qtbot, again, "Target ID", first)
    type_into(qtbot, again, "Result URL", URL)
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    detail = box.informativeText()
    answer_send_again(qtbot, again, box, "Don't send")
    assert detail == CHECK_TARGET_DETAIL
    assert len(posts(fresh_sandbox)) == 1
