"""After a restart, "Next candidate" on a form restored as sent keeps what was typed since.

The real window against the real sandbox: a link is sent, the window closes (the draft is
written), a new window opens on the same draft, as after a restart. The form restored is
the one that went out, so what is typed into it afterwards is the next candidate's.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_send_again,
    build_window,
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    restarted,
    submit_and_wait,
    type_over,
    wait_for_send_again_question,
)

URL = "https://example.com/results/after-restart"
RESTORED_START = "Restored from your last session. This result link was already sent to this "
READY_TEXT = "Ready for the next candidate."


def press_next_candidate(qtbot, window: MainWindow) -> None:
    next_button = button(window, "Next candidate")
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)


def test_next_candidate_keeps_the_id_typed_into_a_form_restored_as_sent(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first, url=URL, prefix="Acme:", attributes="Score\t88%\n")
    submit_and_wait(qtbot, window)
    again = restarted(qtbot, window, fresh_sandbox, saying=RESTORED_START)

    # The next candidate's ID, typed into the form restored as it was sent.
    type_over(qtbot, again, "Target ID", second)
    press_next_candidate(qtbot, again)

    state = again.form.state()
    assert state.target_id == second
    assert (state.url, state.attributes) == ("", (("Score", ""),))
    assert (state.label, state.prefix) == ("Assessment Result", "Acme:")
    assert again.response.summary_text() == (
        f"{READY_TEXT} Kept what you typed after sending: the Target ID."
    )
    assert len(posts(fresh_sandbox)) == 1


@pytest.mark.usefixtures("real_questions")
def test_next_candidate_on_a_form_restored_unsent_still_clears_it_all(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    first, second = candidate_id(fresh_sandbox, 2), candidate_id(fresh_sandbox, 3)
    fill_form(qtbot, window, target_id=first, url=URL)
    submit_and_wait(qtbot, window)
    # Another candidate typed and never sent: the draft restores this unsent form.
    type_over(qtbot, window, "Target ID", second)
    unsent = window.form.state()
    window.close()
    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: again.form.state() == unsent, timeout=WAIT_MS)
    assert not button(again, "Next candidate").isEnabled()

    # The first candidate's link typed again: the question offers Next candidate.
    type_over(qtbot, again, "Target ID", first)
    press_ctrl_enter(qtbot, again, "Label")
    answer_send_again(qtbot, again, wait_for_send_again_question(qtbot), "Don't send")
    press_next_candidate(qtbot, again)

    state = again.form.state()
    assert (state.target_id, state.url) == ("", "")
    assert again.response.summary_text() == READY_TEXT
    assert len(posts(fresh_sandbox)) == 1
