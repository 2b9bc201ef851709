"""A send that cannot even start names the candidate or application it was for, as every
other answer does: the form may hold the next candidate by the time it is read."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    candidate_id,
    click_submit,
    fill_form,
    posts,
)


def said_of(target_id: str) -> str:
    """What the panel's answer must name."""
    return f"while sending to candidate {target_id}"


@pytest.mark.usefixtures("no_early_warm_up", "broken_network_code")
def test_without_network_code_the_answer_names_the_candidate(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    target = candidate_id(fresh_sandbox)
    fill_form(qtbot, window, target_id=target)
    click_submit(qtbot, window)

    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert said_of(target) in window.response.accessibleDescription()
    assert "could not load its network code" in window.statusBar().currentMessage()
    assert posts(fresh_sandbox) == []


# The worker leaves the coroutine of a job it could not hand over unstarted: said by Python
# when it is freed, which is the worker's business, not what is looked at here.
@pytest.mark.filterwarnings("ignore:coroutine 'ApiWorker._run' was never awaited")
def test_a_send_the_network_thread_cannot_take_names_the_candidate(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    target = candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=target)
    # Its thread stopped, as when the app quits: the request cannot be handed to it.
    window.worker.shutdown()
    click_submit(qtbot, window)

    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert said_of(target) in window.response.accessibleDescription()
    assert "Event loop is closed" in window.response.details_text()
    message = window.response.message()
    assert message is not None
    assert not message.may_have_been_applied
    assert posts(fresh_sandbox) == []
