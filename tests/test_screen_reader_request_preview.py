"""What a screen reader hears from the request preview while no request can be built: what
the form still needs, which the empty preview shows only as a placeholder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import candidate_id, fill_form, line_edit, ready_window
from tests.qt_helpers import find_by_accessible_name


@pytest.fixture
def window(qtbot, fresh_sandbox: Sandbox) -> MainWindow:
    return ready_window(qtbot, fresh_sandbox)


def heard(preview: QPlainTextEdit) -> str:
    """The preview's description, as assistive technology reads it."""
    interface = QAccessible.queryAccessibleInterface(preview)
    return interface.text(QAccessible.Text.Description)


def test_the_empty_preview_says_what_is_still_needed_and_not_once_complete(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    preview = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    assert preview.toPlainText() == ""
    said = heard(preview)
    assert "Still needed" in said
    assert "Target ID is required" in said
    assert said == preview.placeholderText()

    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    assert preview.toPlainText() != ""
    assert heard(preview) == ""

    label: QLineEdit = line_edit(window, "Label")
    label.setFocus()
    label.selectAll()
    qtbot.keyClick(label, Qt.Key.Key_Delete)
    assert preview.toPlainText() == ""
    said = heard(preview)
    assert "Label is required" in said
    assert "Target ID" not in said
