"""Spaces and invisible characters pasted into the "Remote fields JSON": where they would
change what an ATS gets, the form refuses them and says where; elsewhere they are sent as
pasted, and the request preview shows each invisible one as its escape.

An ATS's name with a zero-width space or a no-break space is another ATS's to Kombo: the
fields meant for iCIMS would never reach it. An ID set in the JSON is held to what its own
input holds it to. The preview is JSON that reads as the body sent, every character seen;
the direction marks of right-to-left text are shown as written, and an answer that is not
JSON (a page, plain words) shows its characters as they came, with no escapes in them.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit

import kombo_desktop.core.remote_fields as remote_fields_module
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import WAIT_MS, candidate_id, fill_form, posts, submit_and_wait
from tests.remote_fields_support import json_editor, paste_over
from tests.response_panel_support import answered_with, raw_view, window_at

PASTED_INTO_NAME = (
    "has a space or an invisible character in its name (it may have been pasted with it): "
    "type the name again"
)
INVISIBLE = "contains an invisible character (it may have been pasted with it)"
SPECIAL_SPACE = (
    "a special space or an invisible character is here (it may have been pasted with it): delete it"
)
EDGE_SPACE = "has a space at its start or end (it may have been pasted with it)"


def _problem(raw: str) -> str | None:
    return RemoteFieldsInput(raw_json=raw).raw_json_error()


@pytest.mark.parametrize(
    ("written", "ats"),
    [
        ("icims\u200b", "icims"),
        ("icims\u00a0", "icims"),
        ("\ufeffworkable", "workable"),
        (" greenhouse", "greenhouse"),
        ("ora\u00adcle", "oracle"),
    ],
    ids=["zero-width space", "no-break space", "byte-order mark", "space", "soft hyphen"],
)
def test_an_ats_name_pasted_with_a_space_or_invisible_character_is_refused(
    written: str, ats: str
) -> None:
    raw = json.dumps({written: {}}, ensure_ascii=False)
    assert _problem(raw) == f"“{ats}” {PASTED_INTO_NAME}"


def test_a_member_name_pasted_with_an_invisible_character_says_so() -> None:
    raw = '{"icims": {"assessment_package_id\u200b": "1234"}}'
    assert _problem(raw) == f"icims.assessment_package_id: {PASTED_INTO_NAME}"


@pytest.mark.parametrize(
    ("member", "path"),
    [
        ('{"icims": {"assessment_package_id": %s}}', "icims.assessment_package_id"),
        (
            '{"greenhouse": {"post_headers": {"On-Behalf-Of": %s}}}',
            "greenhouse.post_headers.On-Behalf-Of",
        ),
        (
            '{"workable": {"on_behalf_of_user_remote_id": %s}}',
            "workable.on_behalf_of_user_remote_id",
        ),
    ],
    ids=["icims", "greenhouse", "workable"],
)
def test_an_id_in_the_json_is_held_to_what_its_own_input_takes(member: str, path: str) -> None:
    assert _problem(member % '"12\u200b34"') == f"{path}: {INVISIBLE}"
    assert _problem(member % '"\ufeff1234"') == f"{path}: {INVISIBLE}"
    assert _problem(member % '"1234\u00a0"') == f"{path}: {EDGE_SPACE}"
    assert _problem(member % '" 1234"') == f"{path}: {EDGE_SPACE}"
    # Inside an ID, a no-break space is the ATS's business: sent as pasted.
    assert _problem(member % '"12\u00a034"') is None


def test_other_atss_names_and_values_are_sent_as_pasted() -> None:
    raw = '{"lever\u200b": {"note": " a\u200bb "}}'
    assert RemoteFieldsInput(raw_json=raw).to_remote_fields() == {
        "lever\u200b": {"note": " a\u200bb "}
    }


def test_the_preview_shows_each_invisible_character_as_its_escape(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    note = f"a\u200bb\ufeffc\u200ed\u00a0e {family}"
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    paste_over(json_editor(window), json.dumps({"lever": {"n\u200bote": note}}, ensure_ascii=False))
    qtbot.waitUntil(lambda: "lever" in window.preview.body_text())
    view = window.preview.body
    # As the view holds it: its plain text would write the no-break space as a space.
    shown = view.document().toRawText().replace("\u2029", "\n")
    # Seen where they are; the joiners of an emoji family shape it, and the direction
    # mark of right-to-left text sets its order: they stay.
    assert '"n\\u200bote": "a\\u200bb\\ufeffc\u200ed\u00a0e ' + family + '"' in shown
    # Read as JSON, what is shown is the body sent.
    assert json.loads(shown) == json.loads(window.preview.body_text())
    # All of it copied is the body as sent, every character as it is.
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.createMimeDataFromSelection().text() == window.preview.body_text()
    submit_and_wait(qtbot, window)
    assert json.loads(posts(fresh_sandbox)[-1].body)["remote_fields"] == {
        "lever": {"n\u200bote": note}
    }


@pytest.mark.parametrize(
    ("raw", "problem", "column"),
    [
        ("{“icims”: {}}", 'curly quotes such as “ must be straight double quotes (")', 2),
        (
            '{"lever": {"note": ‘fast’}}',
            'curly quotes such as ‘ must be straight double quotes (")',
            20,
        ),
        ('{\u00a0"lever": {}}', SPECIAL_SPACE, 2),
        ('\u200b{"lever": {}}', SPECIAL_SPACE, 1),
        ('{"lever": {"note": "a\tb"}}', "a tab inside text must be written \\t", 22),
        ('{"lever": {"note": "a\nb"}}', "a line break inside text must be written \\n", 22),
    ],
    ids=["curly double", "curly single", "no-break space", "zero-width space", "tab", "line"],
)
def test_a_character_pasted_where_json_takes_none_is_named_in_plain_words(
    raw: str, problem: str, column: int
) -> None:
    assert _problem(raw) == f"Not valid JSON: {problem} (line 1, column {column})"


def test_many_plain_member_names_are_not_read_a_character_at_a_time(monkeypatch) -> None:
    # The check runs on the GUI thread at each key, over every top-level name: read one
    # character at a time, 50,000 names took 750 ms a check. An ASCII name
    # without spaces holds nothing invisible, and one far longer than any ATS's name
    # cannot read as one.
    names = {f"custom_ats_{number:05d}": {"n": number} for number in range(2000)}
    names["notes_" + "\u00e9" * 200] = {}
    raw = json.dumps(names, ensure_ascii=False)
    scanned: list[str] = []
    as_seen = remote_fields_module._as_seen

    def counted(name: str) -> str:
        scanned.append(name)
        return as_seen(name)

    monkeypatch.setattr(remote_fields_module, "_as_seen", counted)
    assert _problem(raw) is None
    assert not scanned, f"{len(scanned)} names read a character at a time"
    # A name that may hide a known ATS's is still read, and refused.
    assert _problem(json.dumps({**names, "icims\u200b": {}})) == f"“icims” {PASTED_INTO_NAME}"
    assert scanned == ["icims\u200b"]


#: Words in Hebrew and German as a person writes them: a right-to-left mark after the
#: Hebrew name, an isolate around another, a soft hyphen in a long German word.
RTL_AND_SOFT_HYPHEN = (
    "Fehler: Bewerbungs\u00adgespr\u00e4ch \u05e9\u05e8\u05d4\u200f "
    "\u2067\u05d3\u05e0\u05d4\u2069 nicht gefunden"
)


def _shown(view: QPlainTextEdit) -> str:
    """All that ``view`` shows, each character as it holds it (its plain text would write
    a no-break space as a space)."""
    return view.document().toRawText().replace("\u2029", "\n")


def _part_copied(view: QPlainTextEdit, start: int, end: int) -> str:
    """What copying the characters from ``start`` to ``end`` shown in ``view`` gives."""
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return view.createMimeDataFromSelection().text()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (RTL_AND_SOFT_HYPHEN, "text/plain; charset=utf-8"),
        (f"<html><body><p>{RTL_AND_SOFT_HYPHEN}</p></body></html>", "text/html; charset=utf-8"),
    ],
    ids=["plain text", "page"],
)
def test_an_answer_that_is_not_json_shows_and_copies_its_characters_as_they_came(
    qtbot, fresh_sandbox: Sandbox, body: str, content_type: str
) -> None:
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(body, 502, content_type))

    view = raw_view(window)
    qtbot.waitUntil(lambda: window.response.raw_text() == body, timeout=WAIT_MS)
    # Escapes in words are read as part of them: "Bewerbungs\u00adgespräch".
    assert _shown(view) == body
    start = body.index("Bewerbungs")
    assert _part_copied(view, start, len(body) - 4) == body[start:-4]


@pytest.mark.parametrize("lines", [0, 2000], ids=["short", "indented in the background"])
def test_a_json_answer_shows_invisible_characters_as_escapes_and_direction_marks_as_written(
    qtbot, fresh_sandbox: Sandbox, lines: int
) -> None:
    answer = {
        "ok": False,
        "note": "a\u200bb",
        "owner": "\u05e9\u05e8\u05d4\u200f",
        "log": [f"step {n}" for n in range(lines)],
    }
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(json.dumps(answer), 502))

    view = raw_view(window)
    qtbot.waitUntil(lambda: '"ok"' in _shown(view), timeout=WAIT_MS)
    shown = _shown(view)
    assert '"note": "a\\u200bb"' in shown
    assert '"owner": "\u05e9\u05e8\u05d4\u200f"' in shown
    assert json.loads(shown) == answer


def test_the_preview_shows_right_to_left_names_as_they_are_written(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    # The direction marks and isolates of a Hebrew or Arabic name keep it in order: as
    # escapes the name read "\u2067דנה\u2069".
    names = "\u05e9\u05e8\u05d4\u200f \u2067\u05d3\u05e0\u05d4\u2069 \u0644\u064a\u0644\u0649\u061c"
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    paste_over(json_editor(window), json.dumps({"lever": {"owner": names}}, ensure_ascii=False))
    qtbot.waitUntil(lambda: "lever" in window.preview.body_text())
    shown = _shown(window.preview.body)
    assert f'"owner": "{names}"' in shown
    assert json.loads(shown) == json.loads(window.preview.body_text())
    # An override left open would turn the rest of its line around: shown as its escape.
    paste_over(
        json_editor(window),
        json.dumps({"lever": {"owner": "\u202eabc", "note": "x"}}, ensure_ascii=False),
    )
    qtbot.waitUntil(lambda: "note" in window.preview.body_text())
    shown = _shown(window.preview.body)
    assert '"owner": "\\u202eabc"' in shown
    assert json.loads(shown) == json.loads(window.preview.body_text())
