"""Copying the curl command from the keyboard: Enter on the focused button copies, as Space does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import button, candidate_id, fill_form
from tests.qt_helpers import focused


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_or_space_on_copy_as_curl_copies_the_command(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox, clipboard: QClipboard, key: Qt.Key
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    copy_curl = button(ready_window, "Copy as curl")
    qtbot.waitUntil(copy_curl.isEnabled)
    copy_curl.setFocus()
    clipboard.clear()

    qtbot.keyClick(copy_curl, key)

    assert clipboard.text().startswith("curl ")
    assert "$KOMBO_API_KEY" in clipboard.text()
    # The focus stays where the key was pressed, so the next key goes on from there.
    assert focused() is copy_curl
