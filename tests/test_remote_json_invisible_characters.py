"""Spaces and invisible characters pasted into the "Remote fields JSON": where they would
change what an ATS gets, the form refuses them and says where; elsewhere they are sent as
pasted, and the request preview shows each invisible one as its escape.

An ATS's name with a zero-width space or a no-break space is another ATS's to Kombo: the
fields meant for iCIMS would never reach it. An ID set in the JSON is held to what its own
input holds it to. The preview is JSON that reads as the body sent, every character seen.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import candidate_id, fill_form, posts, submit_and_wait
from tests.remote_fields_support import json_editor, paste_over

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
    # Seen where they are; the joiners of an emoji family shape it, and stay.
    assert '"n\\u200bote": "a\\u200bb\\ufeffc\\u200ed\u00a0e ' + family + '"' in shown
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
