"""What the response panel and the request preview give back is what came back and what
goes out, and what they say is said in whole sentences.

A text view reads back and copies its text as plain text: a no-break space becomes a
space, and a line or paragraph separator a line break, which inside a JSON string leaves
JSON that no longer reads. Numbers read as floats come back other than they came.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kombo_desktop.core.text import pretty_json
from kombo_desktop.qt import copy_confirmation
from kombo_desktop.sandbox import Fault
from tests.main_window_support import (
    WAIT_MS,
    button,
    paste_remote_json,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import answered_with, raw_view, success_with_warnings, window_at

#: Words an ATS or Kombo may well send: French typography puts a no-break space before a
#: colon; a line separator comes with text pasted from a word processor.
WARNINGS = ["Champ « Score » ignoré\u00a0: valeur trop longue", "First line\u2028second line"]
#: A label typed with no-break spaces, as French typography writes it.
LABEL = "Note\u00a0: 100\u00a0%"
#: An answer whose numbers a float cannot hold: too large, and too many digits.
ANSWER_WITH_NUMBERS = (
    '{"status": "success", "data": {"score": 0.1000000000000000055511151231257827,'
    ' "limit": 1e400, "count": 12345678901234567890}, "warnings": []}'
)


def _no_constant(name: str) -> float:
    raise AssertionError(f"{name} is no JSON")


def _exact(text: str) -> object:
    """``text`` read as JSON with every number as written; fails on what is no JSON."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)


# ---- the answer --------------------------------------------------------------------------


def test_copy_response_copies_json_that_reads_as_the_answer(qtbot, fresh_sandbox, clipboard):
    window = window_at(qtbot, fresh_sandbox, None)
    answer = success_with_warnings(WARNINGS)
    answered_with(qtbot, window, fresh_sandbox, answer)
    assert window.response.state() == "success"
    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    # Pretty-printed, but the same JSON: it reads, and every character is as Kombo sent it.
    assert json.loads(clipboard.text()) == json.loads(answer.body)


def test_the_raw_answer_shown_reads_as_the_answer(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answer = success_with_warnings(WARNINGS)
    answered_with(qtbot, window, fresh_sandbox, answer)
    assert json.loads(window.response.raw_text()) == json.loads(answer.body)
    # The separator inside a string is shown as its escape, not as a line break in it.
    shown = raw_view(window).toPlainText()
    assert "First line\\u2028second line" in shown


def test_the_copied_answer_is_json_with_the_numbers_that_came_back(qtbot, fresh_sandbox, clipboard):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(ANSWER_WITH_NUMBERS))
    assert window.response.state() == "success"
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert _exact(clipboard.text()) == _exact(ANSWER_WITH_NUMBERS)
    assert '"score": 0.1000000000000000055511151231257827' in window.response.raw_text()


def test_pretty_json_keeps_numbers_as_written_and_lays_out_as_json_dumps():
    assert _exact(pretty_json(ANSWER_WITH_NUMBERS)) == _exact(ANSWER_WITH_NUMBERS)
    assert '"limit": 1e400' in pretty_json(ANSWER_WITH_NUMBERS)
    ordinary = {"a": [1, 2.5, {}, [], {"b": None, "c": True, "d": False}], "é": "x\u00a0y"}
    assert pretty_json(json.dumps(ordinary)) == json.dumps(ordinary, indent=2, ensure_ascii=False)
    assert pretty_json("not JSON {") == "not JSON {"


def test_copied_does_not_stay_on_the_button_for_a_new_answer(
    qtbot, fresh_sandbox, clipboard, monkeypatch: pytest.MonkeyPatch
):
    # The "Copied" moment made long enough that the next answer surely comes within it.
    monkeypatch.setattr(copy_confirmation, "CONFIRM_MS", 60_000)
    window = window_at(qtbot, fresh_sandbox, None)
    refusal = Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, "Bad label.")
    answered_with(qtbot, window, fresh_sandbox, refusal)
    copy = button(window, "Copy response")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert copy.text() == "Copied"
    type_into(qtbot, window, "Label", " 2")
    submit_and_wait(qtbot, window)
    assert window.response.state() == "success"
    # The new answer has not been copied: the button says what it does.
    assert copy.text() == "Copy response"


# ---- what is said of it ------------------------------------------------------------------


def test_kombos_words_are_a_sentence_of_their_own_before_the_code(qtbot, fresh_sandbox, heard):
    window = window_at(qtbot, fresh_sandbox, None)
    refusal = Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, "Invalid label", title="Invalid")
    answered_with(qtbot, window, fresh_sandbox, refusal)
    description = window.response.accessibleDescription()
    assert "Kombo said: Invalid label. Code: PLATFORM.INPUT_INVALID." in description
    said = [text for widget, text in heard if widget is window.response]
    assert said
    assert said[-1] == description


def test_kombos_words_without_a_code_end_before_the_status(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.kombo_error(None, 500, "Upstream hiccup"))
    assert "Kombo said: Upstream hiccup. " in window.response.accessibleDescription()
    assert window.response.accessibleDescription().endswith(" HTTP status: 500.")


def test_the_note_that_it_may_have_been_added_is_in_the_description(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.kombo_error(None, 500, "Upstream hiccup"))
    note = window.findChild(QLabel, "appliedNote")
    assert note is not None
    assert note.isVisible()
    assert note.text()
    assert note.text() in window.response.accessibleDescription()


# ---- the request -------------------------------------------------------------------------


def test_the_preview_reads_as_the_body_sent(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    type_into(qtbot, window, "Label", "\u00a0" + LABEL)
    shown = window.preview.body_text()
    submit_and_wait(qtbot, window)
    sent = json.loads(posts(fresh_sandbox)[-1].body)
    assert LABEL in sent["label"]
    assert json.loads(shown) == sent


def test_the_preview_copied_with_the_keyboard_reads_as_the_body_sent(
    qtbot, fresh_sandbox, clipboard
):
    window = window_at(qtbot, fresh_sandbox, None)
    type_into(qtbot, window, "Label", "\u00a0" + LABEL)
    paste_remote_json(
        qtbot, window, json.dumps({"workable": {"on_behalf_of_user_remote_id": "a\u2028b"}})
    )
    qtbot.waitUntil(lambda: "workable" in window.preview.body_text(), timeout=WAIT_MS)
    preview = find_by_accessible_name(window, "Request preview", QPlainTextEdit)
    # Shown as its escape: a line break there would split a line of the JSON.
    assert '"a\\u2028b"' in preview.toPlainText()
    preview.setFocus(Qt.FocusReason.TabFocusReason)
    clipboard.setText("")
    qtbot.keyClick(preview, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = clipboard.text()
    assert copied
    submit_and_wait(qtbot, window)
    sent = json.loads(posts(fresh_sandbox)[-1].body)
    assert LABEL in sent["label"]
    assert json.loads(copied) == sent
