"""Ctrl+Enter, or a click on Submit, while a large "Remote fields JSON" is still being
checked.

A JSON over 64 K characters is checked off the GUI thread once typing pauses, and nothing
is sent with it before its verdict. A send asked for meanwhile is not refused: the form
says it will send once the JSON is checked, and sends then, once, with the JSON as typed,
when the form is valid and unchanged since the press. A problem the check finds is shown
at the JSON, and nothing goes out; an edit meanwhile, or Esc, drops the send. Submit stays
on meanwhile when nothing else stops the send, and says what pressing it will do.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from kombo_desktop.qt import remote_fields_editor
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.remote_fields_editor import (
    CHECK_FAILED_TEXT,
    CHECKED_AS_TYPED_UP_TO,
    CHECKING_JSON_TEXT,
)
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
)
from tests.qt_helpers import focused
from tests.remote_fields_support import large_json, paste, put_cursor

WAITING = "Sending once the JSON is checked…"
#: What Submit says of itself while the JSON is checked and nothing else stops the send.
SENDS_ONCE_CHECKED = "Submit sends the result link once they are checked"
#: About 300 KB: well over what is checked with each key. (Fields of an ATS the sandbox
#: does not know: it refuses them, after they arrived, which is what is looked at here.)
CUSTOM_FIELDS = 2500


@pytest.fixture
def window(
    ready_window: MainWindow, qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> MainWindow:
    """The demo window, its checks loaded, a form filled in for the sandbox's first
    candidate, and a large JSON pasted into the open advanced section (checked with the
    paste: the form is ready to send)."""
    window = ready_window
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    text = large_json(fields=CUSTOM_FIELDS)
    assert len(text) > CHECKED_AS_TYPED_UP_TO
    paste(_json_editor(window), clipboard, text)
    assert window.form.remote_fields.error() is None
    assert button(window, "Submit").isEnabled()
    return window


def _json_editor(window: MainWindow) -> QPlainTextEdit:
    return window.form.remote_fields.raw_json


def _type_into_json(window: MainWindow, text: str) -> None:
    """Type ``text`` before the last custom field, as a person adds a member: the JSON is
    then being checked (the check waits for typing to pause)."""
    editor = _json_editor(window)
    put_cursor(editor, editor.toPlainText().rindex('"custom_field_'))
    editor.setFocus()
    QTest.keyClicks(editor, text)
    assert window.form.remote_fields.error() == CHECKING_JSON_TEXT


def _waiting(window: MainWindow) -> bool:
    """Whether the form says it will send once the JSON is checked."""
    return window.form.hint.text().startswith(WAITING)


def _assert_the_send_waits(
    window: MainWindow, sandbox: Sandbox, heard: list[tuple[object, str]]
) -> None:
    """The send just asked for is remembered, not refused: nothing is out yet, and the
    form says, on Submit and aloud too, that it sends once the JSON is checked."""
    assert not window.busy
    assert posts(sandbox) == []
    assert _waiting(window)
    assert button(window, "Submit").toolTip().startswith(WAITING)
    assert any(words.startswith(WAITING) for _widget, words in heard)
    assert "Not sent" not in window.statusBar().currentMessage()


def _assert_sent_once_checked(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The check comes back and the send waiting for it goes out by itself, once, with
    the JSON as typed (``_type_into_json``'s note), not the one from before the keys."""
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass
    (sent,) = posts(sandbox)
    custom = json.loads(sent.body)["remote_fields"]["lever"]["custom"]
    assert custom["note"] == "ok"
    assert len(custom) == CUSTOM_FIELDS + 1
    assert not _waiting(window)


def _wait_until_checked(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: window.form.remote_fields.error() != CHECKING_JSON_TEXT, timeout=WAIT_MS
    )


def test_ctrl_enter_while_the_json_is_checked_sends_once_with_it_when_the_check_is_back(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, heard: list[tuple[object, str]]
) -> None:
    _type_into_json(window, '"note": "ok", ')
    submit = button(window, "Submit")
    assert submit.isEnabled()  # a click would wait as Ctrl+Enter does

    press_ctrl_enter(qtbot, window)
    # Remembered, not refused: the form says what it waits for, aloud too, and the focus
    # stays in the field the person pressed it in.
    _assert_the_send_waits(window, fresh_sandbox, heard)
    assert focused() is line_edit(window, "Result URL")

    _assert_sent_once_checked(qtbot, window, fresh_sandbox)


def test_a_problem_the_check_finds_is_shown_at_the_json_and_nothing_is_sent(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    _type_into_json(window, '"note": , ')  # no value: not JSON
    press_ctrl_enter(qtbot, window)
    assert _waiting(window)

    qtbot.waitUntil(lambda: not _waiting(window), timeout=WAIT_MS)
    assert not window.busy
    assert posts(fresh_sandbox) == []
    editor = _json_editor(window)
    error = window.form.remote_fields.error()
    assert error is not None
    assert error != CHECKING_JSON_TEXT
    assert is_marked(editor)
    assert focused() is editor  # as after any send refused for a problem
    said = window.statusBar().currentMessage()
    assert said.startswith("Not sent: Remote fields")
    assert error in said  # what is wrong, no longer that it is being checked


@pytest.mark.parametrize("where", ["the label", "the JSON"])
def test_an_edit_while_waiting_drops_the_send(
    qtbot: QtBot,
    window: MainWindow,
    fresh_sandbox: Sandbox,
    heard: list[tuple[object, str]],
    where: str,
) -> None:
    _type_into_json(window, '"note": "ok", ')
    press_ctrl_enter(qtbot, window)
    assert _waiting(window)
    if where == "the label":
        label = line_edit(window, "Label")
        label.setFocus()
        QTest.keyClicks(label, " 2")
    else:
        _type_into_json(window, '"more": 1, ')
    assert not _waiting(window)
    assert any(words.startswith("Not sent: the form changed") for _widget, words in heard)

    _wait_until_checked(qtbot, window)
    assert not window.busy
    assert posts(fresh_sandbox) == []
    # Ctrl+Enter sends the form as it is now.
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
    (sent,) = posts(fresh_sandbox)
    body = json.loads(sent.body)
    if where == "the label":
        assert body["label"] == "Assessment Result 2"
    else:
        assert body["remote_fields"]["lever"]["custom"]["more"] == 1


def test_esc_while_waiting_drops_the_send(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, heard: list[tuple[object, str]]
) -> None:
    _type_into_json(window, '"note": "ok", ')
    press_ctrl_enter(qtbot, window)
    assert _waiting(window)
    url = line_edit(window, "Result URL")
    QTest.keyClick(url, Qt.Key.Key_Escape)
    assert not _waiting(window)
    assert url.text() == "https://example.com/results/1"  # Esc changed nothing typed
    assert heard[-1][1] == "Not sent."

    _wait_until_checked(qtbot, window)
    assert not window.busy
    assert posts(fresh_sandbox) == []
    assert button(window, "Submit").isEnabled()


def test_ctrl_enter_in_the_json_waits_with_the_cursor_where_it_was(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    # Pressed from inside the JSON itself: the cursor stays where it was typing.
    _type_into_json(window, '"note": "ok", ')
    editor = _json_editor(window)
    position = editor.textCursor().position()
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _waiting(window)
    assert focused() is editor
    assert editor.textCursor().position() == position
    assert editor.textCursor().selectionStart() == editor.textCursor().selectionEnd()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass
    (sent,) = posts(fresh_sandbox)
    assert json.loads(sent.body)["remote_fields"]["lever"]["custom"]["note"] == "ok"


def test_a_check_that_cannot_finish_refuses_the_send_waiting_for_it(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A check that fails in a way nobody expects (a bug, memory running out): the send
    # waiting for it must not wait on unseen; it is refused, with the editor's words.
    def check_failing(text: str) -> object:
        raise MemoryError

    monkeypatch.setattr(remote_fields_editor, "check_json", check_failing)
    _type_into_json(window, '"note": "ok", ')
    press_ctrl_enter(qtbot, window)
    assert _waiting(window)

    qtbot.waitUntil(lambda: not _waiting(window), timeout=WAIT_MS)
    assert window.form.remote_fields.error() == CHECK_FAILED_TEXT
    assert posts(fresh_sandbox) == []
    assert not window.busy
    assert window.statusBar().currentMessage().startswith("Not sent")


# ---- Submit clicked instead of Ctrl+Enter ----------------------------------------------------


def test_submit_clicked_while_the_json_is_checked_sends_once_the_check_is_back(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, heard: list[tuple[object, str]]
) -> None:
    _type_into_json(window, '"note": "ok", ')
    submit = button(window, "Submit")
    # On, and saying what a press does now, to the eye and to a screen reader.
    assert submit.isEnabled(), submit.toolTip()
    assert SENDS_ONCE_CHECKED in submit.toolTip()
    assert submit.accessibleDescription() == submit.toolTip()

    QTest.mouseClick(submit, Qt.MouseButton.LeftButton)
    # Remembered as Ctrl+Enter is: said, shown, and nothing out yet.
    _assert_the_send_waits(window, fresh_sandbox, heard)
    assert focused() is submit

    _assert_sent_once_checked(qtbot, window, fresh_sandbox)


def test_esc_after_submit_while_the_json_is_checked_drops_the_send(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, heard: list[tuple[object, str]]
) -> None:
    _type_into_json(window, '"note": "ok", ')
    submit = button(window, "Submit")
    QTest.mouseClick(submit, Qt.MouseButton.LeftButton)
    assert _waiting(window)
    QTest.keyClick(submit, Qt.Key.Key_Escape)
    assert not _waiting(window)
    assert heard[-1][1] == "Not sent."

    qtbot.waitUntil(
        lambda: window.form.remote_fields.error() != CHECKING_JSON_TEXT, timeout=WAIT_MS
    )
    assert not window.busy
    assert posts(fresh_sandbox) == []
    assert submit.isEnabled()
    assert submit.toolTip() == "Send the result link (Ctrl+Enter)"


def test_submit_stays_off_while_the_json_is_checked_when_something_else_stops_the_send(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    label = line_edit(window, "Label")
    label.clear()
    _type_into_json(window, '"note": "ok", ')
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert submit.toolTip().startswith("Cannot send yet:")
    assert SENDS_ONCE_CHECKED not in submit.toolTip()
    assert posts(fresh_sandbox) == []
