"""The remote fields as sent: what the sandbox receives from the typed inputs and the JSON,
and what the person sees when the form refuses them.

A header value or an ATS's ID with a line break, a tab or an invisible character pasted
with it; the JSON's characters as pasted (line separators, no-break spaces); a key pasted
into a typed input; a JSON wrapped in ``remote_fields`` or naming an ATS or a member in
other capitals or words; comments in the JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.cli_support import output, send_remote_fields
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
)
from tests.qt_helpers import focused
from tests.remote_fields_support import json_editor, large_json, paste_over, typed_input

GREENHOUSE = "Greenhouse On-Behalf-Of user ID"
ICIMS = "iCIMS assessment package ID"
WORKABLE = "Workable on-behalf-of user ID"
URL = "https://example.com/results/1"


# ---- helpers -------------------------------------------------------------------------------


def _filled(qtbot, window, sandbox) -> None:
    """The window's form filled in for the sandbox's first candidate, its checks ready and
    the advanced section open."""
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    window.form.remote_fields.set_expanded(True)


def _sent_remote_fields(qtbot, window, sandbox) -> dict[str, Any]:
    """Ctrl+Enter, and the ``remote_fields`` the sandbox received with the one link."""
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
    sent = posts(sandbox)
    assert len(sent) == 1
    remote_fields: dict[str, Any] = sent[0].json()["remote_fields"]
    return remote_fields


def _refused(qtbot, window, sandbox) -> str:
    """Ctrl+Enter, refused: the problem the form says first; the sandbox received nothing."""
    with qtbot.waitSignal(window.form.submitBlocked, timeout=WAIT_MS) as blocked:
        press_ctrl_enter(qtbot, window)
    assert posts(sandbox) == []
    return str(blocked.args[0])


def _shown_under_the_json(window) -> str:
    label = window.form.remote_fields.error_label
    assert label.isVisible()
    return str(label.text())


# ---- 1. control characters in an ID or a header value ----------------------------------------


@pytest.mark.parametrize("name", [GREENHOUSE, ICIMS, WORKABLE])
@pytest.mark.parametrize("pasted", ["40\t80", "4080\r\nX-Other: 1"])
def test_a_typed_id_pasted_with_a_tab_or_line_break_is_refused_at_its_input(
    qtbot, window, fresh_sandbox, name: str, pasted: str
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    edit = typed_input(window, name)
    paste_over(edit, pasted)
    assert edit.text() == pasted  # the input keeps what was pasted, to be corrected
    _refused(qtbot, window, fresh_sandbox)
    assert (
        _shown_under_the_json(window)
        == f"{name} must be on one line (a line break or tab was pasted with it)"
    )
    assert focused() is edit
    assert is_marked(edit)


def test_a_line_break_in_the_greenhouse_header_in_the_json_is_refused_naming_it(
    qtbot, window, fresh_sandbox
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    editor = json_editor(window)
    paste_over(editor, '{"greenhouse": {"post_headers": {"On-Behalf-Of": "4080\\r\\nX-Other: 1"}}}')
    _refused(qtbot, window, fresh_sandbox)
    assert _shown_under_the_json(window) == (
        "greenhouse.post_headers.On-Behalf-Of: "
        "must be on one line (a line break or tab was pasted with it)"
    )
    assert focused() is editor
    assert is_marked(editor)


def test_the_command_line_refuses_a_line_break_in_a_header_value(fresh_sandbox, app_home) -> None:
    raw = json.dumps({"workable": {"on_behalf_of_user_remote_id": "wk-1\tX"}})
    result = send_remote_fields(app_home, fresh_sandbox, raw)
    assert result.returncode != 0, output(result)
    assert posts(fresh_sandbox) == []
    assert "--remote-fields" in result.stderr
    assert "workable.on_behalf_of_user_remote_id: must be on one line" in result.stderr


@pytest.mark.parametrize(
    "raw",
    [
        '{"lever": {"a": 1}, "teamtailor": {}, "smartrecruiters": {"b": "c"}}',
        '{"workday": {"x": 1}, "taleo": {"y": 2}}',
    ],
    ids=["others", "near in length"],
)
def test_other_atss_names_are_sent_as_typed(raw: str) -> None:
    # Names of no ATS the app knows, and no typing mistake away from one: passed through.
    assert RemoteFieldsInput(raw_json=raw).to_remote_fields() is not None


@pytest.mark.parametrize("raw", ["", "  "], ids=["empty", "spaces"])
def test_the_command_line_refuses_remote_fields_given_empty(
    fresh_sandbox, app_home, raw: str
) -> None:
    # A script's unset variable (--remote-fields "$RF"). Before: sent without them, exit 0.
    result = send_remote_fields(app_home, fresh_sandbox, raw)
    assert result.returncode == 2, output(result)
    assert posts(fresh_sandbox) == []
    assert "--remote-fields: is empty: give a JSON object, or leave the option out" in (
        result.stderr
    )


# ---- 2. the JSON's characters as pasted ------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["pkg\u20281", "pkg\u00a01", "pkg\u20291"],
    ids=["line separator", "no-break space", "paragraph separator"],
)
def test_the_json_strings_are_sent_with_the_characters_pasted(
    qtbot, window, fresh_sandbox, written: str
) -> None:
    text = '{"icims": {"assessment_package_id": "' + written + '"}}'
    # The command line sends them as written: the window sends the same.
    assert RemoteFieldsInput(raw_json=text).raw_json_error() is None
    _filled(qtbot, window, fresh_sandbox)
    paste_over(json_editor(window), text)
    assert window.form.remote_fields.error() is None
    sent = _sent_remote_fields(qtbot, window, fresh_sandbox)
    assert sent == {"icims": {"assessment_package_id": written}}


def test_a_large_json_checked_in_the_background_is_sent_with_the_characters_pasted(
    qtbot, window, fresh_sandbox
) -> None:
    text = large_json(fields=3000, last_member='"note": "a\u00a0b\u2028c"')
    _filled(qtbot, window, fresh_sandbox)
    paste_over(json_editor(window), text)
    # Sent once its check is back (the sandbox refuses an ATS it does not know, after
    # receiving it).
    sent = _sent_remote_fields(qtbot, window, fresh_sandbox)
    assert sent["note"] == "a\u00a0b\u2028c"
    assert sent == json.loads(text)


# ---- 3. an API key in a typed input ----------------------------------------------------------


def test_a_key_in_a_typed_input_is_said_and_marked_at_that_input(
    qtbot, window, fresh_sandbox
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    icims = typed_input(window, ICIMS)
    paste_over(icims, DEMO_API_KEY)
    assert KEY_IN_TEXT_PROBLEM in _refused(qtbot, window, fresh_sandbox)
    assert focused() is icims
    assert is_marked(icims)
    assert KEY_IN_TEXT_PROBLEM in icims.accessibleDescription()
    assert not is_marked(json_editor(window))
    # Taken out, the form is sent.
    paste_over(icims, "pkg-1")
    assert not is_marked(icims)
    assert _sent_remote_fields(qtbot, window, fresh_sandbox) == {
        "icims": {"assessment_package_id": "pkg-1"}
    }


def test_the_core_reports_a_key_in_a_typed_input_at_that_input() -> None:
    state = FormState(
        target_id="c1",
        label="L",
        url=URL,
        remote_fields=RemoteFieldsInput(workable_on_behalf_of_user_remote_id=DEMO_API_KEY),
    )
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert caught.value.fields == ("remote_fields.workable_on_behalf_of_user_remote_id",)


# ---- 4. an invisible character pasted with a typed ID ----------------------------------------


@pytest.mark.parametrize("name", [GREENHOUSE, ICIMS, WORKABLE])
def test_a_typed_id_pasted_with_an_invisible_character_is_refused_at_its_input(
    qtbot, window, fresh_sandbox, name: str
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    edit = typed_input(window, name)
    paste_over(edit, "wk-77\u200b")
    _refused(qtbot, window, fresh_sandbox)
    # As the Target ID says it.
    assert _shown_under_the_json(window) == (
        f"{name} contains an invisible character (it may have been pasted with it)"
    )
    assert focused() is edit
    assert is_marked(edit)


# ---- 5. the JSON's outer object --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '{"remote_fields": {"workable": {"on_behalf_of_user_remote_id": "wk-1"}}}',
            'the JSON is remote_fields already: remove the outer {"remote_fields": …} '
            "and keep what is inside it",
        ),
        (
            '{"Workable": {"on_behalf_of_user_remote_id": "wk-1"}}',
            "“Workable” must be written “workable”, in small letters",
        ),
        # Before: accepted as typed, "Ready to send", and refused by Kombo after Submit.
        (
            '{"greenhous": {"post_headers": {"On-Behalf-Of": "4080"}}}',
            "“greenhous” is no ATS Kombo knows: did you mean “greenhouse”?",
        ),
        (
            '{"details": {"custom_field_name_prefix": "Acme:", "attributes": []}}',
            "“details” belongs to the result link itself, not to its remote fields: leave "
            "it out of this JSON and fill it in where the form asks for it",
        ),
    ],
    ids=["wrapped in remote_fields", "ATS in capitals", "ATS misspelt", "a member of the link"],
)
def test_the_json_outer_object_is_said_to_be_remote_fields_as_kombo_names_them(
    qtbot, window, fresh_sandbox, text: str, said: str
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    editor = json_editor(window)
    paste_over(editor, text)
    _refused(qtbot, window, fresh_sandbox)
    assert _shown_under_the_json(window) == said
    assert focused() is editor


# ---- 6. the API's names, and what must be an object ------------------------------------------


@pytest.mark.parametrize("typed_too", [False, True], ids=["JSON alone", "with the typed ID"])
def test_a_python_style_header_name_is_refused_naming_the_api_name(
    qtbot, window, fresh_sandbox, typed_too: bool
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    if typed_too:
        paste_over(typed_input(window, GREENHOUSE), "111")
    editor = json_editor(window)
    paste_over(editor, '{"greenhouse": {"post_headers": {"on_behalf_of": "222"}}}')
    _refused(qtbot, window, fresh_sandbox)
    assert _shown_under_the_json(window) == (
        "greenhouse.post_headers.on_behalf_of: "
        "must be written “On-Behalf-Of”, the API's name for it"
    )
    assert focused() is editor


def test_post_headers_that_are_no_object_beside_the_typed_id_must_be_an_object(
    qtbot, window, fresh_sandbox
) -> None:
    _filled(qtbot, window, fresh_sandbox)
    paste_over(typed_input(window, GREENHOUSE), "4080")
    editor = json_editor(window)
    paste_over(editor, '{"greenhouse": {"post_headers": "4080"}}')
    _refused(qtbot, window, fresh_sandbox)
    assert _shown_under_the_json(window) == "greenhouse.post_headers: must be a JSON object ({…})"
    assert focused() is editor
    assert not is_marked(typed_input(window, GREENHOUSE))


# ---- 7. comments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '{"icims": {"assessment_package_id": "1"} // from the iCIMS admin\n}',
            "Not valid JSON: JSON has no comments: remove the comment // … (line 1, column 42)",
        ),
        (
            '/* iCIMS */ {"icims": {"assessment_package_id": "1"}}',
            "Not valid JSON: JSON has no comments: remove the comment /* … */ (line 1, column 1)",
        ),
    ],
    ids=["line comment", "block comment"],
)
def test_a_comment_in_the_json_is_named_as_one(
    qtbot, window, fresh_sandbox, text: str, said: str
) -> None:
    assert RemoteFieldsInput(raw_json=text).raw_json_error() == said
    _filled(qtbot, window, fresh_sandbox)
    paste_over(json_editor(window), text)
    assert _shown_under_the_json(window) == said
    _refused(qtbot, window, fresh_sandbox)


def test_a_comment_marker_inside_a_string_is_sent_as_written(qtbot, window, fresh_sandbox) -> None:
    text = '{"icims": {"assessment_package_id": "https://ats.example/*/pkg//1"}}'
    _filled(qtbot, window, fresh_sandbox)
    paste_over(json_editor(window), text)
    sent = _sent_remote_fields(qtbot, window, fresh_sandbox)
    assert sent == {"icims": {"assessment_package_id": "https://ats.example/*/pkg//1"}}
