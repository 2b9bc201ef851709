"""The window never waits without end: an answer that never ends, a long rate-limit wait
and a huge error page all end in plain words, with the form kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from kombo_desktop.core.client import ANSWER_LIMIT_BYTES
from kombo_desktop.qt import worker as worker_module
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.worker import WINDOW_TOTAL_TIMEOUT_S
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name, top_level

#: The window's total limit in the tests that wait it out.
SHORT_TOTAL_S = 2.0


@pytest.fixture
def window_with_a_short_total(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> MainWindow:
    """The window with the worker it makes itself, as the app does, its total shortened."""
    monkeypatch.setattr(worker_module, "WINDOW_TOTAL_TIMEOUT_S", SHORT_TOTAL_S)
    # Asked for only now: the worker takes the total as it is made.
    window: MainWindow = request.getfixturevalue("window")
    return window


def fill(qtbot, window: MainWindow, sandbox: Sandbox) -> str:
    target = candidate_id(sandbox, 2)
    fill_form(
        qtbot,
        window,
        target_id=target,
        url="https://example.com/results/deadline",
        prefix="Acme:",
        attributes="Score\t91%\n",
    )
    return target


def assert_ready_with_the_form_kept(window: MainWindow, before: object) -> None:
    assert window.form.state() == before
    assert not window.busy
    assert button(window, "Submit").isEnabled()
    assert not find_by_accessible_name(window, "Sending").isVisible()


def test_an_answer_trickling_in_ends_in_the_timeout_words_and_a_careful_retry(
    qtbot, window_with_a_short_total, fresh_sandbox
):
    window = window_with_a_short_total
    # Each piece of the answer comes well within the per-read limit; the whole of it
    # would take several times the total. Only Cancel used to end the wait.
    fresh_sandbox.inject_fault(Fault.trickle_body(SHORT_TOTAL_S), times=1)
    target = fill(qtbot, window, fresh_sandbox)
    before = window.form.state()
    links_before = len(fresh_sandbox.result_links(target))
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "Kombo did not answer in time." in summary
    assert "may already have been added" in summary
    assert f"No complete answer within {SHORT_TOTAL_S:g} s" in window.response.details_text()
    assert_ready_with_the_form_kept(window, before)
    # Rightly so: the server added the link before it trickled its answer.
    assert len(fresh_sandbox.result_links(target)) == links_before + 1

    # Retry warns of a duplicate first, then sends the very same request again.
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert retry.text() == "Retry…"
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = top_level(QMessageBox, "retryConfirmation")
    assert box is not None
    assert "duplicate" in box.text()
    send_again = next(b for b in box.buttons() if b.accessibleName() == "Send again")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(send_again, Qt.MouseButton.LeftButton)
    assert window.response.summary_text().startswith("Success")
    sent = posts(fresh_sandbox)
    assert len(sent) == 2
    assert sent[1].json() == sent[0].json()
    assert len(fresh_sandbox.result_links(target)) == links_before + 2  # the risk it named
    assert_ready_with_the_form_kept(window, before)


def test_a_rate_limit_wait_longer_than_the_total_is_said_at_once(qtbot, window, fresh_sandbox):
    # Waiting it out would pass the window's total and end in "did not answer in time",
    # with the link in doubt; the rate limit itself says that nothing was added.
    advised = WINDOW_TOTAL_TIMEOUT_S + 30
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=f"{advised:.0f}"), times=1)
    fill(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "Kombo is receiving too many requests" in summary
    assert f"Try again in {advised:.0f} seconds (Kombo asked to wait that long)." in summary
    assert "may already have been added" not in summary
    assert_ready_with_the_form_kept(window, before)
    assert len(posts(fresh_sandbox)) == 1


def test_a_huge_error_page_is_cut_and_the_words_stay_plain(qtbot, window, fresh_sandbox):
    head, tail = "<html><body><h1>500 Internal Server Error</h1><pre>", "</pre></body></html>"
    page = head + "x" * (3 * ANSWER_LIMIT_BYTES - len(head) - len(tail)) + tail
    fresh_sandbox.inject_fault(Fault.raw(page, 500, "text/html"), times=1)
    fill(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)

    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "Kombo's server, or one on the way to it, had a problem and could not answer." in summary
    assert "may already have been added" in summary
    assert f"the answer was cut after its first 1 MiB of {3 * ANSWER_LIMIT_BYTES} bytes" in (
        window.response.details_text()
    )
    assert window.response.raw_text().startswith(head)
    assert find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    assert_ready_with_the_form_kept(window, before)
