"""The Advanced section from the keyboard: its header opens and closes on Enter as on Space,
and closing it never sends the focus away from where the section was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QToolButton

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    fill_form,
    posts,
)
from tests.qt_helpers import find_by_accessible_name, focused


def advanced(window: MainWindow) -> QToolButton:
    return find_by_accessible_name(window, "Advanced", QToolButton)


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_on_the_header_opens_and_closes_the_section(
    qtbot, ready_window: MainWindow, key: Qt.Key
) -> None:
    header = advanced(ready_window)
    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)
    header.setFocus()

    qtbot.keyClick(header, key)
    assert header.isChecked()
    assert editor.isVisible()
    assert focused() is header

    qtbot.keyClick(header, key)
    assert not header.isChecked()
    assert not editor.isVisible()


def test_ctrl_enter_on_the_header_sends_and_leaves_the_section_as_it_is(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    header = advanced(ready_window)
    header.setFocus()

    with qtbot.waitSignal(ready_window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(header, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert len(posts(fresh_sandbox)) == 1
    assert not header.isChecked()


def test_closing_the_section_from_inside_it_leaves_the_focus_on_its_header(
    qtbot, ready_window: MainWindow
) -> None:
    header = advanced(ready_window)
    header.setFocus()
    qtbot.keyClick(header, Qt.Key.Key_Space)
    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    qtbot.keyClicks(editor, '{"x": 1}')

    # The header takes no focus from a click: the focus is still in the editor.
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)

    assert not editor.isVisible()
    assert focused() is header
