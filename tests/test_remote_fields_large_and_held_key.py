"""A large "Remote fields JSON" typed into, and the key in use written inside a JSON.

Another ATS's fields pasted in can be megabytes. A paste is checked at once, as it is
laid out; but keys typed into such a JSON do not wait for it to be read again: it is
checked once typing pauses, off the GUI thread, and until then the editor says it is
being checked and nothing is sent with it (never a body built from an older text). A
JSON of the usual size is still checked with each key.

The key the app sends with is looked for in what the JSON's strings read, whatever
escapes wrote its characters, and the draft keeps the JSON as typed with only the key
taken out, also from a JSON that does not parse or is still being checked.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from kombo_desktop.core.connection import HELD_KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt import remote_fields_editor
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.result_link_form import ResultLinkForm
from kombo_desktop.sandbox import Sandbox
from tests.json_support import record_json_parses
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
)
from tests.qt_helpers import find_by_accessible_name, shown_form
from tests.remote_fields_support import (
    form_with_advanced_open,
    large_json,
    paste,
    put_cursor,
    text_in,
)

#: What the editor says while a large JSON is being checked.
CHECKING = "Checking the JSON…"
#: What Submit says of it meanwhile.
STILL_CHECKED = "Remote fields are still being checked"
#: A key of no documented shape, with two ``/`` (a proxy's base64 token, say).
ODD_KEY = "pxy-9fK3qZr2/Lm8Xw4Tb6/Yc+Hd1="
REMOVED = "[API key removed]"
URL = "https://example.com/results/1"


def _wait_until_checked(qtbot: QtBot, form: ResultLinkForm) -> None:
    """Wait until the editor no longer says the JSON is being checked."""
    qtbot.waitUntil(lambda: form.remote_fields.error() != CHECKING, timeout=WAIT_MS)


@pytest.fixture
def form(qtbot: QtBot) -> ResultLinkForm:
    """A shown form, its validation ready, all five typed inputs of the advanced section
    set (the most the search for the input at fault tries) and the section open."""
    return form_with_advanced_open(
        qtbot,
        RemoteFieldsInput(
            icims_assessment_package_id="pkg-1",
            oracle_override_document_category="MISC",
            oracle_multi_post_to_all_current_applications=True,
            greenhouse_on_behalf_of="4080",
            workable_on_behalf_of_user_remote_id="wk-1",
        ),
    )


# ---- typing into a large JSON --------------------------------------------------------------


def test_keys_typed_into_a_large_json_read_it_once_typing_pauses_and_never_before(
    qtbot: QtBot,
    form: ResultLinkForm,
    clipboard: QClipboard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = form.remote_fields
    json_editor = editor.raw_json
    text = large_json()
    assert len(text) > 1_000_000
    paste(json_editor, clipboard, text)
    # The paste is checked with it: valid, nothing to say.
    assert editor.error() is None
    assert form.submit_button.isEnabled()
    put_cursor(json_editor, text.rindex('"custom_field_'))

    parsed = record_json_parses(monkeypatch)
    for key in '"x"':
        QTest.keyClicks(json_editor, key)
        # No key waits for a megabyte to be read: the editor says it is being checked,
        # and Submit would wait for the check rather than send what is not checked.
        assert parsed == []
        assert editor.error() == CHECKING
        assert find_by_accessible_name(editor, "Remote fields error", QLabel).text() == CHECKING
        assert not is_marked(json_editor)
        assert form.submit_button.isEnabled()
        assert STILL_CHECKED in form.submit_button.toolTip()
    _wait_until_checked(qtbot, form)

    # Read once, as it is now: the text shown, not one typed before it.
    shown = json_editor.toPlainText()
    assert parsed == [shown]
    error = editor.error()
    assert error is not None
    assert f"line {shown[: shown.rindex('custom_field_')].count(chr(10)) + 1}," in error
    assert is_marked(json_editor)
    assert not form.submit_button.isEnabled()
    assert "Remote fields" in form.submit_button.toolTip()
    assert STILL_CHECKED not in form.submit_button.toolTip()
    # A key in a typed input leaves the JSON as it was: it is not read again.
    parsed.clear()
    workable = find_by_accessible_name(editor, "Workable on-behalf-of user ID", QLineEdit)
    QTest.keyClicks(workable, "2")
    assert editor.error() == error
    assert parsed == []


def test_a_large_json_typed_into_shows_its_problem_once_checked_and_undo_takes_it_back(
    qtbot: QtBot, form: ResultLinkForm, clipboard: QClipboard
) -> None:
    editor = form.remote_fields
    json_editor = editor.raw_json
    text = large_json()
    paste(json_editor, clipboard, text)
    put_cursor(json_editor, text.rindex('"custom_field_'))
    QTest.keyClicks(json_editor, '"note": ')
    _wait_until_checked(qtbot, form)

    shown = json_editor.toPlainText()
    assert shown == text.replace('"custom_field_10999"', '"note": "custom_field_10999"')
    assert form.state().remote_fields.raw_json == shown
    error = editor.error()
    assert error is not None
    # Found where it is: near the end of the text, not in what was checked before.
    assert f"line {shown[: shown.rindex('custom_field_')].count(chr(10)) + 1}," in error
    assert is_marked(json_editor)

    # Undo takes the typing back: what the form holds and its verdict follow.
    for _ in range(8):
        if json_editor.toPlainText() == text:
            break
        QTest.keyClick(json_editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert json_editor.toPlainText() == text
    assert form.state().remote_fields.raw_json == text
    _wait_until_checked(qtbot, form)
    assert editor.error() is None
    assert not is_marked(json_editor)
    assert form.submit_button.isEnabled()


def test_a_json_of_the_usual_size_is_still_checked_with_each_key(
    form: ResultLinkForm,
) -> None:
    editor = form.remote_fields
    json_editor = editor.raw_json
    json_editor.setFocus()
    QTest.keyClicks(json_editor, '{"lever": {"note": "ok"}')
    error = editor.error()
    assert error is not None
    assert "line 1" in error  # not "being checked": checked with the key
    QTest.keyClicks(json_editor, "}")
    assert editor.error() is None
    assert form.submit_button.isEnabled()


def test_a_large_json_checked_stays_checked_while_another_form_checks_its_own(
    qtbot: QtBot, form: ResultLinkForm, clipboard: QClipboard
) -> None:
    # Each form's JSON is checked on its own: one checked in another form meanwhile (the
    # core keeps one outcome) never leaves this one "being checked" for good.
    paste(form.remote_fields.raw_json, clipboard, large_json())
    assert form.submit_button.isEnabled()
    other = shown_form(qtbot)
    other.remote_fields.set_expanded(True)
    other.remote_fields.raw_json.setFocus()
    QTest.keyClicks(other.remote_fields.raw_json, '{"lever": {}}')
    assert other.remote_fields.error() is None
    label = find_by_accessible_name(form, "Label", QLineEdit)
    label.setFocus()
    QTest.keyClicks(label, " 2")
    assert STILL_CHECKED not in form.submit_button.toolTip()
    assert form.submit_button.isEnabled()
    assert form.remote_fields.error() is None


def test_the_form_holds_the_json_as_shown_after_every_kind_of_edit(
    form: ResultLinkForm, clipboard: QClipboard
) -> None:
    # The text is copied out of the editor once and then follows each change: whatever
    # the edit, what the form holds is what the editor shows.
    editor = form.remote_fields
    json_editor = editor.raw_json
    text = large_json(fields=800)

    def assert_follows() -> None:
        assert editor.value().raw_json == text_in(json_editor)

    paste(json_editor, clipboard, text)
    assert_follows()
    put_cursor(json_editor, text.index('"label"'))
    edits: list[tuple[str, Any]] = [
        ("type", '"a": 1, '),
        ("key", Qt.Key.Key_Backspace),
        ("key", Qt.Key.Key_Return),
        ("paste", '"b":\r\n"two\u00a0words\u2028next", '),  # a line break, a no-break space
        ("paste", '"c": "\U0001f600", '),  # a character beyond the BMP: two places in Qt
        ("undo", None),
        ("undo", None),
        ("redo", None),
        ("key", Qt.Key.Key_Delete),
        ("paste", "é\t"),
    ]
    for kind, what in edits:
        if kind == "type":
            QTest.keyClicks(json_editor, what)
        elif kind == "key":
            QTest.keyClick(json_editor, what)
        elif kind == "paste":
            clipboard.setText(what)
            QTest.keyClick(json_editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        else:
            letter = Qt.Key.Key_Z if kind == "undo" else Qt.Key.Key_Y
            QTest.keyClick(json_editor, letter, Qt.KeyboardModifier.ControlModifier)
        assert_follows()
    # A selection typed over, then everything replaced.
    cursor = json_editor.textCursor()
    cursor.setPosition(10)
    cursor.setPosition(400, QTextCursor.MoveMode.KeepAnchor)
    json_editor.setTextCursor(cursor)
    QTest.keyClicks(json_editor, "z")
    assert_follows()
    QTest.keyClick(json_editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(json_editor, "{}")
    assert_follows()
    assert editor.value().raw_json == "{}"


def test_keys_typed_into_a_large_json_do_not_copy_it_out_of_the_editor(
    form: ResultLinkForm, clipboard: QClipboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Copying megabytes out of the editor takes milliseconds: it is done once, not per key.
    json_editor = form.remote_fields.raw_json
    text = large_json()
    paste(json_editor, clipboard, text)
    form.state()  # what the form holds is read once after the paste
    # Every text read out of the document goes through one function: what it is given
    # tells a whole copy (megabytes) from a change read on its own (a few characters).
    read: list[int] = []
    document_text = remote_fields_editor._document_text

    def counted(raw: str) -> str:
        read.append(len(raw))
        return document_text(raw)

    monkeypatch.setattr(remote_fields_editor, "_document_text", counted)
    put_cursor(json_editor, text.rindex('"custom_field_'))
    QTest.keyClicks(json_editor, '"note": "ok", ')
    assert form.state().remote_fields.raw_json == text_in(json_editor)
    assert read
    assert max(read) < 100


def test_submit_right_after_typing_into_a_large_json_sends_once_it_is_checked(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    form = window.form
    form.remote_fields.set_expanded(True)
    json_editor = form.remote_fields.raw_json
    text = large_json(fields=2500)  # about 300 KB, well within what the sandbox takes
    paste(json_editor, clipboard, text)
    assert form.remote_fields.error() is None
    put_cursor(json_editor, text.rindex('"custom_field_'))
    QTest.keyClicks(json_editor, '"note": "ok", ')

    # Pressed at once: what was typed is not checked yet, so nothing goes out then (never
    # the body of the text from before the keys); the send waits for the check, and goes
    # out once it is back (see test_submit_waits_for_json_check).
    press_ctrl_enter(qtbot, window)
    assert not window.busy
    assert posts(fresh_sandbox) == []
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass
    (sent,) = posts(fresh_sandbox)
    custom = json.loads(sent.body)["remote_fields"]["lever"]["custom"]
    assert custom["note"] == "ok"
    assert len(custom) == 2501


# ---- the key in use, written inside the JSON -------------------------------------------------


def _escaped(text: str) -> str:
    """``text`` with every character written as a ``\\uXXXX`` escape."""
    return "".join(f"\\u{ord(character):04x}" for character in text)


def _json_holding(written_key: str) -> str:
    """A remote-fields JSON whose note holds the key as ``written_key`` writes it (JSON
    text inside the quotes), with other values written in escapes of their own."""
    return (
        '{"lever": {"city": "Z\\u00fcrich", "path": "a\\/b", '
        f'"note": "token {written_key} here"}}}}'
    )


#: The key as tools write it in a JSON string: each is the key once read.
WRITTEN_KEYS = {
    "as typed": ODD_KEY,
    "every character escaped": _escaped(ODD_KEY),
    "slashes escaped": ODD_KEY.replace("/", "\\/"),
    "the two slashes escaped two ways": "{}\\/{}\\u002f{}".format(*ODD_KEY.split("/")),
    "an invisible character escaped inside": f"{ODD_KEY[:6]}\\u200b{_escaped(ODD_KEY[6:9])}"
    + ODD_KEY[9:].replace("/", "\\/"),
}


def _state(raw_json: str, **remote: Any) -> FormState:
    return FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GBmJ",
        label="Assessment Result",
        url=URL,
        remote_fields=RemoteFieldsInput(raw_json=raw_json, **remote),
    )


@pytest.mark.parametrize("written", WRITTEN_KEYS.values(), ids=WRITTEN_KEYS.keys())
def test_the_key_in_use_in_a_json_string_is_refused_whatever_escapes_write_it(
    written: str,
) -> None:
    state = _state(_json_holding(written))
    assert ODD_KEY in json.loads(state.remote_fields.raw_json)["lever"]["note"].replace(
        "\u200b", ""
    )
    with pytest.raises(InputError) as caught:
        state.to_request(held_keys=(ODD_KEY,))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("remote_fields", HELD_KEY_IN_TEXT_PROBLEM)
    ]
    assert ODD_KEY not in str(caught.value)
    assert state.holds_held_key((ODD_KEY,))


@pytest.mark.parametrize("written", WRITTEN_KEYS.values(), ids=WRITTEN_KEYS.keys())
def test_the_draft_keeps_the_json_as_typed_with_only_the_key_taken_out(written: str) -> None:
    typed = _json_holding(written)
    kept = _state(typed).without_held_keys((ODD_KEY,)).remote_fields.raw_json
    # Exactly the text typed, the key's own characters (in whatever escapes) replaced:
    # the other values keep their escapes.
    assert kept == typed.replace(written, REMOVED)
    assert json.loads(kept)["lever"] == {
        "city": "Zürich",
        "path": "a/b",
        "note": f"token {REMOVED} here",
    }


def test_the_key_as_a_member_name_is_refused_and_taken_out() -> None:
    typed = '{"lever": {"' + _escaped(ODD_KEY) + '": 1}}'
    state = _state(typed)
    with pytest.raises(InputError) as caught:
        state.to_request(held_keys=(ODD_KEY,))
    assert caught.value.message_for("remote_fields") == HELD_KEY_IN_TEXT_PROBLEM
    kept = state.without_held_keys((ODD_KEY,)).remote_fields.raw_json
    assert json.loads(kept) == {"lever": {REMOVED: 1}}


@pytest.mark.parametrize(
    "typed",
    [
        # A comma before the closing brace, and a brace missing: refused as JSON, so its
        # strings are not parsed; the key is still found and taken out where it stands.
        '{"lever": {"note": "' + WRITTEN_KEYS["the two slashes escaped two ways"] + '",}}',
        '{"lever": {"note": "' + _escaped(ODD_KEY) + '", "other": "Z\\u00fcrich"}',
    ],
    ids=["trailing comma", "brace missing"],
)
def test_a_key_in_json_that_does_not_parse_is_found_and_kept_out_of_the_draft(
    typed: str,
) -> None:
    state = _state(typed)
    assert state.remote_fields.raw_json_error() is not None
    assert state.holds_held_key((ODD_KEY,))
    kept = state.without_held_keys((ODD_KEY,)).remote_fields.raw_json
    assert "\\" not in kept.replace("\\u00fc", "")  # no escape of the key is left behind
    assert kept == typed.replace(typed.split('"note": "')[1].split('"')[0], REMOVED)


def test_a_key_in_a_json_still_being_checked_is_found_and_taken_out_without_reading_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = WRITTEN_KEYS["the two slashes escaped two ways"]
    typed = large_json(fields=1000, last_member=f'"note": "{written}"')
    state = _state(typed, json_checked_in_background=True)
    parsed = record_json_parses(monkeypatch)
    assert state.holds_held_key((ODD_KEY,))
    kept = state.without_held_keys((ODD_KEY,))
    assert kept.remote_fields.raw_json == typed.replace(written, REMOVED)
    assert parsed == []  # the background thread reads it, not the form's key search
    # Nothing is sent with it meanwhile, and the draft keeps what was typed only.
    with pytest.raises(InputError) as caught:
        state.to_request(held_keys=(ODD_KEY,))
    assert caught.value.message_for("remote_fields") == "are still being checked…"
    assert set(kept.to_dict()["remote_fields"]) == {
        "icims_assessment_package_id",
        "oracle_override_document_category",
        "oracle_multi_post_to_all_current_applications",
        "greenhouse_on_behalf_of",
        "workable_on_behalf_of_user_remote_id",
        "raw_json",
    }


def test_the_window_keeps_the_key_written_in_a_large_json_out_of_the_draft_while_it_is_checked(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    window = build_window(qtbot, fresh_sandbox, api_key=ODD_KEY)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    form = window.form
    form.remote_fields.set_expanded(True)
    json_editor = form.remote_fields.raw_json
    written = WRITTEN_KEYS["the two slashes escaped two ways"]
    text = large_json(last_member='"note": "ok"')
    paste(json_editor, clipboard, text)
    assert form.remote_fields.error() is None
    # The key typed in as a tool wrote it, into the megabyte: still being checked.
    put_cursor(json_editor, text.rindex('"ok"') + 1)
    QTest.keyClicks(json_editor, written + " ")
    assert form.remote_fields.error() == CHECKING
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        window.drafts.save_now()
    draft = DraftStore(window.drafts.store.path).load()
    assert draft is not None
    assert draft.remote_fields.raw_json == json_editor.toPlainText().replace(written, REMOVED)

    _wait_until_checked(qtbot, form)
    sentence = f"Remote fields {HELD_KEY_IN_TEXT_PROBLEM}"
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert sentence in submit.toolTip()
    press_ctrl_enter(qtbot, window)
    assert posts(fresh_sandbox) == []
    window.close()
    text_on_disk = window.drafts.store.path.read_text(encoding="utf-8")
    assert written not in text_on_disk
    assert ODD_KEY not in text_on_disk
