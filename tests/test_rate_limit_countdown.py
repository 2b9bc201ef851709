"""While a send waits out a rate limit by itself, the wait shown counts down.

Kombo answered 429 with a ``Retry-After`` the client waits out before trying again. The
panel said "trying again in 6 seconds" and kept saying it until the retry went out, so
a few seconds on the person still read the whole wait.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    click_submit,
    fill_sample_form,
    posts,
)

#: Long enough to see it go down, short enough for the client to wait it out itself.
RETRY_AFTER_S = 6


def seconds_shown(window: MainWindow) -> int | None:
    """The wait the panel shows while sending ("trying again in 6 seconds"), if any."""
    for label in window.response.findChildren(QLabel):
        found = re.search(r"trying again in (\d+) seconds?", label.text())
        if label.isVisible() and found:
            return int(found.group(1))
    return None


def start_waiting(qtbot, window: MainWindow, sandbox: Sandbox) -> int:
    """Send into a rate limit the client waits out; the wait first shown."""
    sandbox.inject_fault(Fault.rate_limited(retry_after=str(RETRY_AFTER_S)), times=1)
    fill_sample_form(qtbot, window, sandbox)
    click_submit(qtbot, window)
    qtbot.waitUntil(lambda: seconds_shown(window) is not None, timeout=WAIT_MS)
    first = seconds_shown(window)
    assert first is not None
    return first


def test_the_wait_before_trying_again_counts_down(qtbot, window, fresh_sandbox, heard):
    first = start_waiting(qtbot, window, fresh_sandbox)
    assert first == RETRY_AFTER_S
    spoken_at_start = list(heard)
    # Time passes: the wait shown goes down with it.
    qtbot.waitUntil(
        lambda: (seconds_shown(window) or RETRY_AFTER_S) <= RETRY_AFTER_S - 2, timeout=WAIT_MS
    )
    assert window.busy
    # Only what is shown moves on: nothing more was said to a screen reader meanwhile.
    assert heard == spoken_at_start
    # The wait runs out and the retry goes through, as before.
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 2
    assert seconds_shown(window) is None


def test_escape_still_cancels_while_the_wait_counts_down(qtbot, window, fresh_sandbox):
    start_waiting(qtbot, window, fresh_sandbox)
    qtbot.waitUntil(
        lambda: (seconds_shown(window) or RETRY_AFTER_S) < RETRY_AFTER_S, timeout=WAIT_MS
    )
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(window.form.label, Qt.Key.Key_Escape)
    assert "Cancelled while waiting to try again" in window.response.summary_text()
    # Nothing tries again behind the answer, and nothing counts on under it.
    assert seconds_shown(window) is None
    assert len(posts(fresh_sandbox)) == 1
