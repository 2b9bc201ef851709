"""What a screen reader hears from the request preview while no request can be built: what
the form still needs, which the empty preview shows only as a placeholder."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    candidate_id,
    fill_form,
    line_edit,
    paste_remote_json,
)
from tests.qt_helpers import description_of, find_by_accessible_name, focused


def test_the_empty_preview_says_what_is_still_needed_and_not_once_complete(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    preview = find_by_accessible_name(ready_window, "Request preview", QPlainTextEdit)
    assert preview.toPlainText() == ""
    said = heard_on_moving_to(preview)
    assert "Still needed" in said
    assert "Target ID is required" in said
    assert said == preview.placeholderText()

    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    assert preview.toPlainText() != ""
    assert heard_on_moving_to(preview) == ""

    label: QLineEdit = line_edit(ready_window, "Label")
    label.setFocus()
    label.selectAll()
    qtbot.keyClick(label, Qt.Key.Key_Delete)
    assert preview.toPlainText() == ""
    said = heard_on_moving_to(preview)
    assert "Label is required" in said
    assert "Target ID" not in said


def test_typing_elsewhere_leaves_the_preview_quiet_until_a_person_moves_to_it(
    qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    preview = find_by_accessible_name(ready_window, "Request preview", QPlainTextEdit)
    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    paste_remote_json(qtbot, ready_window, "")

    said = [description_of(preview)]
    needed: list[str] = []
    for key in '{"greenhouse_stage": "Onsite"':
        qtbot.keyClicks(editor, key)
        said.append(description_of(preview))
        needed.append(preview.placeholderText())
    # What the form still needs changed as the JSON was typed, and none of it was said.
    assert len(set(needed)) > 1
    assert len(set(said)) == 1

    moved_to = heard_on_moving_to(preview)
    assert "Still needed" in moved_to
    assert moved_to == preview.placeholderText()


def heard_on_moving_to(preview: QPlainTextEdit) -> str:
    """The preview's description once the focus is moved to it, as a person reaching it
    hears it."""
    preview.setFocus()
    assert focused() is preview
    return description_of(preview)
