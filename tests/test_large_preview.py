"""The request preview with a large body: only its start is shown, the rest is copied.

A "Remote fields JSON" of another ATS's custom fields can be megabytes. The preview
follows every key typed, so it shows only the start of such a body, says how large the
whole body is, and leaves all of it to "Copy as curl". A form of the usual size shows
its whole body at once, as before.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.curl_support import copied_curl, curl_body
from tests.json_support import exported_custom_fields
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name

#: The most of the body the preview shows (64 KiB of its indented JSON).
SHOWN_LIMIT = 64 * 1024
LABEL = "Assessment Result"
URL = "https://example.com/results/1"


#: About 300 KB as sent (the sandbox takes up to 1 MiB), far more than the preview shows.
LARGE_REMOTE_FIELDS = exported_custom_fields(2000)


def _pretty(body: dict[str, Any]) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False)


def _sent_size(body: dict[str, Any]) -> int:
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _paste_remote_fields(qtbot, window: MainWindow, remote_fields: dict[str, Any]) -> None:
    """Paste ``remote_fields``, pretty-printed, into the empty "Remote fields JSON"."""
    window.form.remote_fields.set_expanded(True)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    QGuiApplication.clipboard().setText(json.dumps(remote_fields, indent=2))
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _note(window: MainWindow) -> QLabel:
    return find_by_accessible_name(window, "Request preview note", QLabel)


def _wait_until_shown(qtbot, window: MainWindow, label: str) -> None:
    """Wait until the preview shows the body with ``label`` (a large one is built aside)."""
    qtbot.waitUntil(
        lambda: (
            f'"label": "{label}"' in window.preview.body_text()
            and '"remote_fields"' in window.preview.body_text()
        ),
        timeout=WAIT_MS,
    )


def _assert_start_of(shown: str, whole: str) -> None:
    """``shown`` is the start of ``whole``, at most ``SHOWN_LIMIT`` long, cut at a line end."""
    assert len(shown) <= SHOWN_LIMIT, f"the preview holds {len(shown)} characters"
    assert len(shown) < len(whole)
    assert whole.startswith(shown)
    assert whole[len(shown)] == "\n"


def test_a_large_remote_fields_json_shows_the_start_of_the_body_and_its_size(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    target = candidate_id(fresh_sandbox)
    fill_form(qtbot, window, target_id=target)
    _paste_remote_fields(qtbot, window, LARGE_REMOTE_FIELDS)
    _wait_until_shown(qtbot, window, LABEL)

    body = {"label": LABEL, "url": URL, "remote_fields": LARGE_REMOTE_FIELDS}
    _assert_start_of(window.preview.body_text(), _pretty(body))
    note = _note(window)
    assert note.isVisible()
    size_kb = round(_sent_size(body) / 1000)
    assert 100 < size_kb < 1000  # said in KB
    assert note.text() == (
        f"The body is {size_kb} KB, too long to show here: this is its start. "
        "Copy as curl copies all of it."
    )
    # A screen reader hears it with the note, and on the preview itself.
    assert note.accessibleDescription() == note.text()
    preview = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    assert preview.accessibleDescription() == note.text()
    assert window.preview.request_line.text().startswith("POST ")
    assert f"/candidates/{target}/result-links" in window.preview.request_line.text()
    assert button(window, "Copy as curl").isEnabled()


def test_copy_as_curl_copies_the_whole_large_body_that_submit_sends(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    _paste_remote_fields(qtbot, window, LARGE_REMOTE_FIELDS)
    # Pressed at once, before the preview of the pasted body is built: all the same, the
    # command (written off the GUI thread) carries the whole body.
    curl = copied_curl(qtbot, window)
    assert '-H "Authorization: Bearer $KOMBO_API_KEY"' in curl
    assert DEMO_API_KEY not in curl
    _wait_until_shown(qtbot, window, LABEL)
    whole = {"label": LABEL, "url": URL, "remote_fields": LARGE_REMOTE_FIELDS}
    _assert_start_of(window.preview.body_text(), _pretty(whole))

    # The sandbox knows only the ATSs the form has inputs for and refuses other members,
    # after recording the request: what it received is what counts here.
    submit_and_wait(qtbot, window)
    received = posts(fresh_sandbox)[-1]
    assert json.loads(curl_body(curl)) == received.json() == whole
    assert len(curl_body(curl).encode("utf-8")) == len(received.body)


def test_the_preview_of_a_large_body_follows_the_latest_form(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    _paste_remote_fields(qtbot, window, LARGE_REMOTE_FIELDS)
    # Typed while the pasted body may still be being built: the last form is shown.
    type_into(qtbot, window, "Label", " v2")
    _wait_until_shown(qtbot, window, f"{LABEL} v2")
    body = {"label": f"{LABEL} v2", "url": URL, "remote_fields": LARGE_REMOTE_FIELDS}
    _assert_start_of(window.preview.body_text(), _pretty(body))
    assert _note(window).isVisible()

    # Broken JSON: the preview says why at once, and nothing older comes back over it.
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, ",")
    assert window.preview.body_text() == ""
    assert "Still needed" in window.preview.body.placeholderText()
    assert not _note(window).isVisible()
    assert not button(window, "Copy as curl").isEnabled()
    type_into(qtbot, window, "Label", " v3")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    _wait_until_shown(qtbot, window, f"{LABEL} v2 v3")
    assert _note(window).isVisible()
    assert button(window, "Copy as curl").isEnabled()


def test_a_form_of_the_usual_size_shows_its_whole_body_at_once(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    _paste_remote_fields(qtbot, window, exported_custom_fields(3))
    # No waiting: the preview changes with the key typed (or the paste).
    body = {"label": LABEL, "url": URL, "remote_fields": exported_custom_fields(3)}
    assert window.preview.body_text() == _pretty(body)
    assert not _note(window).isVisible()
    preview = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    assert preview.accessibleDescription() == ""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy as curl"), Qt.MouseButton.LeftButton)
    assert json.loads(curl_body(clipboard.text())) == body


def _preview_builders() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "kombo-preview"}


def test_the_preview_builds_nothing_more_once_the_window_is_closed(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    left_by_others = _preview_builders()
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    _paste_remote_fields(qtbot, window, LARGE_REMOTE_FIELDS)
    _wait_until_shown(qtbot, window, LABEL)
    assert _preview_builders() - left_by_others  # built in the background
    # Closed while typing: the build it waited to start is not started, and the thread
    # that built the last one does not outlive the window.
    type_into(qtbot, window, "Label", " v2")
    window.close()
    qtbot.waitUntil(lambda: _preview_builders() <= left_by_others, timeout=WAIT_MS)


def test_a_long_value_shows_the_start_of_its_line_and_the_whole_size(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, clipboard
) -> None:
    # One answer pasted as a value is one line of the body: Qt lays a long line out again
    # at every key typed, so only its start is shown, however short the body is.
    essay = "A long free-text answer, pasted whole. " * 600
    remote_fields = {"lever": {"custom": {"essay": essay}}}
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    _paste_remote_fields(qtbot, window, remote_fields)
    _wait_until_shown(qtbot, window, LABEL)

    body = {"label": LABEL, "url": URL, "remote_fields": remote_fields}
    whole = _pretty(body)
    assert len(whole) < SHOWN_LIMIT  # short enough, but for its one line
    assert window.preview.body_text() == whole
    view = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    shown = view.toPlainText()
    assert whole.startswith(shown)
    assert len(shown) < len(whole)
    assert max(len(line) for line in shown.split("\n")) <= 8 * 1024
    note = _note(window)
    assert note.isVisible()
    assert note.text() == (
        f"The body ({round(_sent_size(body) / 1000)} KB) has a line too long to show here "
        "whole: this is its start. Copy as curl copies all of it."
    )
    # All the view shows, copied with the keyboard, is the whole body, as before.
    clipboard.setText("")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert json.loads(clipboard.text()) == body
    # Copy as curl still carries the whole value.
    assert json.loads(curl_body(copied_curl(qtbot, window)))["remote_fields"] == remote_fields
