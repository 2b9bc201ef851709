"""Enter on a focused button of the window presses it, as Space does: outside a dialog a
push button takes only Space unless told otherwise, and a tool button only Space."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QToolButton

from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name, top_level

ENTER_KEYS = [Qt.Key.Key_Return, Qt.Key.Key_Enter]


@pytest.mark.parametrize("key", ENTER_KEYS)
def test_enter_on_add_attribute_adds_a_row(qtbot, ready_window: MainWindow, key: Qt.Key) -> None:
    add = find_by_accessible_name(ready_window, "Add attribute", QToolButton)
    rows = ready_window.form.attributes.model.rowCount()
    add.setFocus()
    qtbot.keyClick(add, key)
    assert ready_window.form.attributes.model.rowCount() == rows + 1


@pytest.mark.parametrize("key", ENTER_KEYS)
def test_enter_on_find_candidate_opens_the_search(
    qtbot, ready_window: MainWindow, key: Qt.Key
) -> None:
    find = button(ready_window, "Find candidate")
    qtbot.waitUntil(find.isEnabled, timeout=WAIT_MS)
    find.setFocus()
    qtbot.keyClick(find, key)
    qtbot.waitUntil(lambda: top_level(CandidateLookupDialog) is not None, timeout=WAIT_MS)
    dialog = top_level(CandidateLookupDialog)
    assert dialog is not None
    dialog.close()


def test_enter_opens_the_details_and_copies_the_response(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, ready_window)
    details = find_by_accessible_name(ready_window, "Details", QToolButton)
    details.setFocus()
    qtbot.keyClick(details, Qt.Key.Key_Return)
    assert details.isChecked()

    copy = button(ready_window, "Copy response")
    qtbot.waitUntil(copy.isEnabled, timeout=WAIT_MS)
    clipboard.clear()
    copy.setFocus()
    qtbot.keyClick(copy, Qt.Key.Key_Return)
    assert '"status"' in clipboard.text()


def test_ctrl_enter_on_a_button_still_sends_and_presses_nothing(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    add = find_by_accessible_name(ready_window, "Add attribute", QToolButton)
    rows = ready_window.form.attributes.model.rowCount()
    add.setFocus()
    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(add, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ready_window.form.attributes.model.rowCount() == rows
    assert len(fresh_sandbox.requests) >= 1
