"""A description held back until the focus moves: what is said meanwhile, what once the
focus arrives or leaves, and nothing called on a widget once it is destroyed."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from kombo_desktop.qt.spoken import HeldDescription, HeldUntil
from tests.qt_helpers import description_of, focused, wait_active


class _Window(QWidget):
    """A line to type in, a JSON editor and a problem line under it, shown and active."""

    def __init__(self) -> None:
        super().__init__()
        self.elsewhere = QLineEdit(self)
        self.editor = QPlainTextEdit(self)
        self.problem_line = QLabel(self)
        layout = QVBoxLayout(self)
        for widget in (self.elsewhere, self.editor, self.problem_line):
            layout.addWidget(widget)


def shown_window(qtbot) -> _Window:
    """A ``_Window`` on screen and active, the focus in its line."""
    window = _Window()
    qtbot.addWidget(window)
    window.show()
    wait_active(qtbot, window)
    move_focus_to(window.elsewhere)
    return window


def move_focus_to(widget: QWidget) -> None:
    """Give ``widget`` the keyboard focus, as a click or Tab would."""
    widget.setFocus()
    assert focused() is widget


def test_held_until_focus_in_is_said_once_the_widget_has_the_focus(qtbot) -> None:
    window = shown_window(qtbot)
    held = HeldDescription(window.editor, until=HeldUntil.FOCUS_IN)

    held.describe("Still needed: Target ID", meanwhile="The body is cut")
    assert description_of(window.editor) == "The body is cut"
    held.describe("Still needed: Label", meanwhile="The body is cut")
    assert description_of(window.editor) == "The body is cut"

    move_focus_to(window.editor)
    assert description_of(window.editor) == "Still needed: Label"
    # Kept up to date while the focus stays.
    held.describe("Still needed: URL", meanwhile="")
    assert description_of(window.editor) == "Still needed: URL"

    move_focus_to(window.elsewhere)
    assert description_of(window.editor) == ""


def test_held_until_focus_out_is_said_once_the_followed_widget_is_left(qtbot) -> None:
    window = shown_window(qtbot)
    held = HeldDescription(window.problem_line, until=HeldUntil.FOCUS_OUT, focus_of=window.editor)
    held.describe("Not valid JSON: line 1")
    assert description_of(window.problem_line) == "Not valid JSON: line 1"

    move_focus_to(window.editor)
    held.describe("Not valid JSON: line 2")
    held.describe("Not valid JSON: line 3")
    # What was said before stays while the editor has the focus.
    assert description_of(window.problem_line) == "Not valid JSON: line 1"

    move_focus_to(window.elsewhere)
    assert description_of(window.problem_line) == "Not valid JSON: line 3"
    # Said at once while the editor is left.
    held.describe("")
    assert description_of(window.problem_line) == ""


def test_a_destroyed_described_widget_is_not_called_as_the_focus_moves(qtbot) -> None:
    window = shown_window(qtbot)
    held = HeldDescription(window.problem_line, until=HeldUntil.FOCUS_OUT, focus_of=window.editor)
    held.describe("Not valid JSON: line 1")
    problem_line = window.problem_line
    shiboken6.delete(problem_line)
    assert not shiboken6.isValid(problem_line)
    assert not shiboken6.isValid(held)

    # A call on the deleted line would raise here, and fail the test.
    move_focus_to(window.editor)
    move_focus_to(window.elsewhere)


def test_a_destroyed_followed_widget_leaves_the_description_said(qtbot) -> None:
    window = shown_window(qtbot)
    held = HeldDescription(window.problem_line, until=HeldUntil.FOCUS_OUT, focus_of=window.editor)
    move_focus_to(window.editor)
    held.describe("Not valid JSON: line 1")
    shiboken6.delete(window.editor)

    # The editor is gone, and the focus with it: the line says what it holds.
    held.describe("Not valid JSON: line 2")
    assert description_of(window.problem_line) == "Not valid JSON: line 2"
    move_focus_to(window.elsewhere)
    assert description_of(window.problem_line) == "Not valid JSON: line 2"


def test_a_focused_widget_destroyed_is_not_called_as_the_focus_leaves_it(qtbot) -> None:
    window = shown_window(qtbot)
    editor = window.editor
    held = HeldDescription(editor, until=HeldUntil.FOCUS_IN)
    move_focus_to(editor)
    held.describe("Still needed: Target ID")
    assert description_of(editor) == "Still needed: Target ID"

    # Destroying the focused editor moves the focus away from it.
    shiboken6.delete(editor)
    assert not shiboken6.isValid(held)
    move_focus_to(window.elsewhere)
