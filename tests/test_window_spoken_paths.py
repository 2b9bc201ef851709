"""What a keyboard or screen-reader user meets in the main window after a few actions.

A pick from Find… is said aloud (the focus goes back to Find…, away from the ID); the
request line reads out where the request goes; the close question goes once the answer
is in; removing the last attribute with its button keeps the focus with the attributes;
a send stopped by the form is said ("Not sent: …"), at each press.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
)

from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_send_again,
    build_window,
    button,
    candidate_id,
    click_submit,
    fill_form,
    line_edit,
    open_search,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    wait_for_send_again_question,
)
from tests.qt_helpers import find_by_accessible_name, focused, top_level, wait_active


def _description(widget: Any) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def test_a_pick_from_find_is_said_aloud(
    qtbot, window, fresh_sandbox: Sandbox, heard_with_focus
) -> None:
    candidate = next(c for c in fresh_sandbox.candidates if len(c["applications"]) == 1)
    dialog = open_search(qtbot, window)
    email = find_by_accessible_name(dialog, "Search email", QLineEdit)
    email.setFocus()
    qtbot.keyClicks(email, candidate["email_addresses"][0]["email_address"])
    qtbot.keyClick(email, Qt.Key.Key_Return)
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    qtbot.waitUntil(lambda: focused() is results, timeout=WAIT_MS)
    # The count found is said once the focus is on the results (before, while it was
    # still in the field, the results' name cut it off).
    found = [focus for _o, words, focus in heard_with_focus if words.endswith(" found.")]
    assert found == [results]
    qtbot.keyClick(results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: top_level(type(dialog)) is None, timeout=WAIT_MS)
    # As a desktop hands the activation back to the window as its dialog closes (the
    # offscreen platform does not always).
    window.activateWindow()
    wait_active(qtbot, window)
    assert line_edit(window, "Target ID").text() == candidate["id"]
    find_button = find_by_accessible_name(window, "Find candidate", QPushButton)
    qtbot.waitUntil(
        lambda: any(words.startswith("Target ID set to") for _o, words, _f in heard_with_focus),
        timeout=WAIT_MS,
    )
    said = [
        (words, focus)
        for _o, words, focus in heard_with_focus
        if words.startswith("Target ID set to candidate ")
    ]
    assert len(said) == 1
    assert candidate["first_name"] in said[0][0]
    # Said once Find… has closed, the focus back on its button (before, while the closing
    # dialog still had it: the button's name then cut the words off).
    assert said[0][1] is find_button


def test_the_request_line_reads_out_where_the_request_goes(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    line = find_by_accessible_name(window, "Request line", QLabel)
    assert candidate_id(fresh_sandbox) in line.text()
    assert _description(line) == line.text()


def test_the_close_question_goes_once_the_answer_is_in(
    qtbot, fresh_sandbox: Sandbox, real_questions
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    window.ask_before_closing_while_sending = True
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    fresh_sandbox.set_latency(1500)
    click_submit(qtbot, window)
    window.close()
    qtbot.waitUntil(lambda: top_level(QMessageBox, "closeWhileSending") is not None)
    # "Still being sent" stops being true: the question goes, the answer shows.
    qtbot.waitUntil(lambda: window.response.state() == "success", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: top_level(QMessageBox, "closeWhileSending") is None)
    assert window.isVisible()
    window.ask_before_closing_while_sending = False


def test_removing_the_last_attribute_with_its_button_keeps_the_focus_there(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    fill_form(
        qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="A:", attributes="Score\t1\n"
    )
    editor = window.form.attributes
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    remove = find_by_accessible_name(window, "Remove attribute", QToolButton)
    remove.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert editor.model.rowCount() == 0
    assert focused() is editor.view
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.model.rows() == [("Score", "1")]
    assert QApplication.focusWidget() is editor.view
    assert button(window, "Submit").isEnabled()


def test_the_panel_describes_a_restored_form_that_was_sent(qtbot, fresh_sandbox: Sandbox) -> None:
    first = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, first, target_id=candidate_id(fresh_sandbox, 2))
    submit_and_wait(qtbot, first)
    typed = first.form.state()
    first.close()
    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: again.form.state() == typed, timeout=WAIT_MS)
    described = again.response.accessibleDescription()
    assert described.startswith("Restored from your last session. This result link was already")


def test_a_send_kombo_asked_to_wait_for_is_said_when_nothing_goes_out(
    qtbot, window, fresh_sandbox: Sandbox, heard
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 5))
    # Longer than the client waits by itself: reported, with Kombo's wait counted down.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="240"), times=1)
    submit_and_wait(qtbot, window)
    heard.clear()
    press_ctrl_enter(qtbot, window)
    said = [words for _o, words in heard]
    assert len(said) == 1
    assert said[0].startswith("Not sent: Kombo asked to wait until ")
    assert said[0] == window.statusBar().currentMessage()


def test_not_sending_again_is_said(
    qtbot, window, fresh_sandbox: Sandbox, heard, real_questions
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 6))
    submit_and_wait(qtbot, window)
    press_ctrl_enter(qtbot, window)
    box = wait_for_send_again_question(qtbot)
    heard.clear()
    answer_send_again(qtbot, window, box, "Don't send")
    assert "Not sent again." in [words for _o, words in heard]


def test_a_send_blocked_by_an_empty_field_is_said_once_after_the_focus_goes_there(
    qtbot, window, fresh_sandbox: Sandbox, heard
) -> None:
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id="")
    heard.clear()
    press_ctrl_enter(qtbot, window)
    target = line_edit(window, "Target ID")
    problem = window.form.problems()[0]
    # The focus goes to the field, which reads out what is wrong with it; only the
    # announcement says that the press sent nothing.
    assert focused() is target
    assert problem in _description(target)
    assert heard == [(window.statusBar(), f"Not sent: {problem}")]
    assert window.statusBar().currentMessage() == f"Not sent: {problem}"
    assert posts(fresh_sandbox) == []


def test_a_send_blocked_by_the_field_typed_in_is_said_at_each_press(
    qtbot, window, fresh_sandbox: Sandbox, heard
) -> None:
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), url="results page one")
    heard.clear()
    # Typed in the field at fault: the focus stays, so the field reads out nothing anew.
    press_ctrl_enter(qtbot, window)
    press_ctrl_enter(qtbot, window)
    assert focused() is line_edit(window, "Result URL")
    problem = window.form.problems()[0]
    assert problem.startswith("Result URL")
    assert [words for _speaker, words in heard] == [f"Not sent: {problem}"] * 2
    assert posts(fresh_sandbox) == []
