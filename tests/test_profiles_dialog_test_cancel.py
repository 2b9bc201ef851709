"""Manage profiles: a connection test against a slow server can be cancelled ("Cancel
test", or Esc), through the worker's own cancel, and its late answer never shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.profiles_support import (
    TIMEOUT,
    answer_unsaved,
    fill_form,
    show_dialog,
    widget,
)
from tests.qt_helpers import focused, press_on_focus

#: Far longer than the test takes to cancel, far shorter than the window's time limit.
SLOW_SERVER_MS = 5_000


def dialog_testing_slowly(qtbot, worker: ApiWorker, sandbox: Sandbox) -> ProfilesDialog:
    """The dialog testing a form on the slow ``sandbox``, "Test connection" pressed with
    Space, as a keyboard user does."""
    sandbox.set_latency(SLOW_SERVER_MS)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=sandbox.base_url)
    test = widget(dialog, "Test connection", QPushButton)
    test.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(test, Qt.Key.Key_Space)
    assert result_text(dialog) == "Testing the connection…"
    assert worker.busy
    return dialog


def result_text(dialog: ProfilesDialog) -> str:
    return str(widget(dialog, "Connection test result", QLabel).text())


def assert_cancelled_for_good(qtbot, dialog: ProfilesDialog, worker: ApiWorker) -> None:
    """The test says it was cancelled, its request ended through the worker, and nothing
    it answers afterwards replaces the words."""
    assert result_text(dialog) == "Test cancelled."
    test = widget(dialog, "Test connection", QPushButton)
    assert test.isEnabled()
    assert not widget(dialog, "Cancel test", QPushButton).isVisible()
    # Ended by the job's cancel, long before the slow server would have answered; once
    # the worker is idle, whatever the job still answered has been delivered.
    qtbot.waitUntil(lambda: not worker.busy, timeout=TIMEOUT)
    assert result_text(dialog) == "Test cancelled."


def test_cancel_test_stops_a_slow_test_and_gives_the_focus_back(
    qtbot, worker, fresh_sandbox: Sandbox, memory_keyring
) -> None:
    dialog = dialog_testing_slowly(qtbot, worker, fresh_sandbox)
    cancel = widget(dialog, "Cancel test", QPushButton)
    # The test button is off while it tests: its focus is on the way to stop it.
    assert cancel.isVisible()
    assert focused() is cancel

    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as told:
        press_on_focus(qtbot, Qt.Key.Key_Space)
    assert told.args == [False, "Test cancelled."]
    assert_cancelled_for_good(qtbot, dialog, worker)
    assert focused() is widget(dialog, "Test connection", QPushButton)


def test_esc_cancels_a_running_test_and_closes_the_dialog_only_when_idle(
    qtbot, worker, fresh_sandbox: Sandbox, memory_keyring
) -> None:
    dialog = dialog_testing_slowly(qtbot, worker, fresh_sandbox)
    # The form was never saved: a close discards it, rather than wait for an answer.
    asked = answer_unsaved(dialog, UnsavedChoice.DISCARD)

    press_on_focus(qtbot, Qt.Key.Key_Escape)
    assert dialog.isVisible(), "Esc closed the dialog instead of cancelling the test"
    assert asked == []
    assert_cancelled_for_good(qtbot, dialog, worker)

    # With no test running, Esc closes the dialog, as before.
    press_on_focus(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
