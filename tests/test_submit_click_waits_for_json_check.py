"""Submit pressed while a large "Remote fields JSON" is still being checked does what
Ctrl+Enter does then: the send waits for the check and goes out once it is back.

A JSON over 64 K characters is checked off the GUI thread once typing pauses. Submit stays
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

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.remote_fields_editor import CHECKED_AS_TYPED_UP_TO, CHECKING_JSON_TEXT
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
)
from tests.qt_helpers import focused
from tests.remote_fields_support import large_json, paste, put_cursor

WAITING = "Sending once the JSON is checked…"
#: What Submit says of itself while the JSON is checked and nothing else stops the send.
SENDS_ONCE_CHECKED = "Submit sends the result link once they are checked"
#: About 300 KB: checked in the background.
CUSTOM_FIELDS = 2500


@pytest.fixture
def window(
    window: MainWindow, qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> MainWindow:
    """The window, its checks loaded, a form filled in for the sandbox's first candidate
    and a large JSON pasted into the open advanced section: ready to send."""
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    text = large_json(fields=CUSTOM_FIELDS)
    assert len(text) > CHECKED_AS_TYPED_UP_TO
    paste(_json_editor(window), clipboard, text)
    assert window.form.remote_fields.error() is None
    return window


def _json_editor(window: MainWindow) -> QPlainTextEdit:
    return window.form.remote_fields.raw_json


def _type_into_json(window: MainWindow, text: str) -> None:
    """Type ``text`` before the last custom field: the JSON is then being checked."""
    editor = _json_editor(window)
    put_cursor(editor, editor.toPlainText().rindex('"custom_field_'))
    editor.setFocus()
    QTest.keyClicks(editor, text)
    assert window.form.remote_fields.error() == CHECKING_JSON_TEXT


def _waiting(window: MainWindow) -> bool:
    return window.form.hint.text().startswith(WAITING)


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
    assert not window.busy
    assert posts(fresh_sandbox) == []
    assert _waiting(window)
    assert submit.toolTip().startswith(WAITING)
    assert any(words.startswith(WAITING) for _widget, words in heard)
    assert "Not sent" not in window.statusBar().currentMessage()
    assert focused() is submit

    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass  # the check comes back, and the send goes out by itself
    (sent,) = posts(fresh_sandbox)
    custom = json.loads(sent.body)["remote_fields"]["lever"]["custom"]
    assert custom["note"] == "ok"
    assert len(custom) == CUSTOM_FIELDS + 1
    assert not _waiting(window)


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
