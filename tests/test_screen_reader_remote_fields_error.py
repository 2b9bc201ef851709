"""What a screen reader hears from the Advanced section's problem line: what is wrong with
the remote-fields JSON, not only the line's name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kombo_desktop.qt.main_window import MainWindow
from tests.main_window_support import WAIT_MS, paste_remote_json
from tests.qt_helpers import (
    description_of,
    find_by_accessible_name,
    focused,
    name_of,
    press_on_focus,
)


def test_the_problem_line_says_what_is_wrong_and_goes_quiet_once_fixed(
    qtbot, ready_window: MainWindow
) -> None:
    problem_line = find_by_accessible_name(ready_window, "Remote fields error", QLabel)
    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)

    paste_remote_json(qtbot, ready_window, '{"greenhouse_stage": ')
    qtbot.waitUntil(problem_line.isVisible, timeout=WAIT_MS)
    leave_the_editor(qtbot, editor)

    name, description = name_of(problem_line), description_of(problem_line)
    assert name == "Remote fields error"
    assert problem_line.text().startswith("Not valid JSON")
    assert description == problem_line.text()
    # The same words as the editor itself is marked with: one problem, one sentence.
    assert description == editor.accessibleDescription()

    paste_remote_json(qtbot, ready_window, '{"greenhouse_stage": "Onsite"}')
    qtbot.waitUntil(lambda: not problem_line.isVisible(), timeout=WAIT_MS)
    leave_the_editor(qtbot, editor)
    assert (name_of(problem_line), description_of(problem_line)) == ("Remote fields error", "")


def test_typing_the_json_leaves_the_problem_line_quiet_until_the_editor_is_left(
    qtbot, ready_window: MainWindow
) -> None:
    problem_line = find_by_accessible_name(ready_window, "Remote fields error", QLabel)
    editor = find_by_accessible_name(ready_window, "Remote fields JSON", QPlainTextEdit)
    paste_remote_json(qtbot, ready_window, "")

    said = [description_of(problem_line)]
    problems: list[str] = []
    for key in '{"greenhouse_stage": "Onsite"':
        qtbot.keyClicks(editor, key)
        said.append(description_of(problem_line))
        problems.append(problem_line.text())
    # The problem changed as the JSON was typed, and the editor said each one itself:
    # the line said none of them again.
    assert len(set(problems)) > 1
    assert set(said) == {""}

    leave_the_editor(qtbot, editor)
    # Said once, where a person reaches it: the problem the JSON has now.
    assert problem_line.text().startswith("Not valid JSON")
    assert description_of(problem_line) == problem_line.text()


def leave_the_editor(qtbot, editor: QPlainTextEdit) -> None:
    """Press Tab in the JSON editor, which moves the focus on (it types no tab)."""
    assert focused() is editor
    press_on_focus(qtbot, Qt.Key.Key_Tab)
    assert focused() is not editor
