"""The "Advanced: ATS-specific fields" JSON and "Copy as curl": what each promises holds.

What the JSON's check lets through must become a request: JSON nested deeper than the
body can be built is refused at the field, saying where. A repeated key, a number JSON
cannot hold or a comma before a closing brace says its line and column; a byte-order
mark pasted before the JSON is no problem. The collapsed header counts the JSON only
when it adds something to the request. A copied curl command, run by a shell, sends
exactly what Submit sends, one request, whatever the size of the body or what the base
URL holds.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.models import RemoteFields, ResultLinkRequest
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.remote_fields_editor import HEADER_TEXT
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.curl_support import assert_same_request, copied_curl, sent_by
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    paste_remote_json,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name

#: The most levels a remote-fields JSON may have, the object itself being the first: what
#: reads and writes it goes one call deeper a level, and Python stops at about 1,000.
DEEPEST = 256


def _lists(levels: int) -> str:
    """A JSON object ``levels`` deep: lists in lists, the last one empty."""
    inner = levels - 1
    return '{"lever": ' + "[" * inner + "]" * inner + "}"


def _objects(levels: int) -> str:
    """A JSON object ``levels`` deep: objects in objects, the last value a string."""
    inner = levels - 2
    return '{"lever": ' + '{"a": ' * inner + '"x"' + "}" * inner + "}"


def _body_builds(raw: str) -> bool:
    """Whether the request body can be built from ``raw``'s remote fields."""
    request = ResultLinkRequest.from_form(
        label="Result", url="https://example.com/r/1", remote_fields=json.loads(raw)
    )
    try:
        request.to_body()
    except ValueError:
        return False
    return True


def _refused(raw: str) -> str:
    """The problem the JSON's check says for ``raw`` (it must say one)."""
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error is not None, raw[:80]
    return error


# ---- JSON deeper than a body can be ----------------------------------------------------


@pytest.mark.parametrize("shape", [_lists, _objects])
def test_the_check_accepts_json_as_deep_as_its_limit_and_a_body_is_built_from_it(shape) -> None:
    for levels in range(DEEPEST - 3, DEEPEST + 4):
        raw = shape(levels)
        accepted = RemoteFieldsInput(raw_json=raw).raw_json_error() is None
        assert accepted == (levels <= DEEPEST), levels
        if accepted:
            assert _body_builds(raw), levels
    # What was accepted becomes the body, as typed.
    remote_fields = RemoteFieldsInput(raw_json=shape(DEEPEST)).to_remote_fields()
    request = ResultLinkRequest.from_form(
        label="Result", url="https://example.com/r/1", remote_fields=remote_fields
    )
    assert request.to_body()["remote_fields"] == json.loads(shape(DEEPEST))


def test_json_nested_too_deeply_is_refused_at_the_first_value_too_deep() -> None:
    # The first value below 256 levels: the list at column 266 (the lists start at 11,
    # on level 2), the string at column 1541 (each '{"a": ' is 6 characters).
    problem = "Not valid JSON: nested too deeply, more than 256 levels"
    assert _refused(_lists(DEEPEST + 1)) == f"{problem} (line 1, column 266)"
    assert _refused(_objects(DEEPEST + 1)) == f"{problem} (line 1, column 1541)"
    # Deeper than Python's own reader goes: the same words, the same place.
    assert _refused(_lists(5000)) == f"{problem} (line 1, column 266)"
    on_line_3 = '{\n  "lever":\n    ' + "[" * 300 + "]" * 300 + "\n}"
    assert _refused(on_line_3) == f"{problem} (line 3, column {5 + DEEPEST - 1})"
    with pytest.raises(InputError) as caught:
        RemoteFieldsInput(raw_json=_lists(DEEPEST + 1)).to_remote_fields()
    assert caught.value.fields == ("remote_fields",)


# ---- Every problem with the JSON says where it is ------------------------------------


@pytest.mark.parametrize(
    ("raw", "problem", "where"),
    [
        ('{\n  "workable": {\n    "on_behalf_of_user_remote_id": "1",\n'
         '    "on_behalf_of_user_remote_id": "2"\n  }\n}',
         "“on_behalf_of_user_remote_id” appears twice in the same object", (4, 5)),
        # Written differently, the same key.
        ('{"lever": {"a": 1,\n "\\u0061": 2}}', "“a” appears twice in the same object", (2, 2)),
        # The parser judges an object when it ends: the inner one, ended first, is named.
        ('{"x": 1, "x": {"b": 1,\n  "b": 2}}', "“b” appears twice in the same object", (2, 3)),
        # A key in a string, or a string that looks like NaN, is no key and no NaN.
        ('{"x": ["NaN", {"k": "\\"k\\": 1"},\n  {"k": 1, "k": 2}]}',
         "“k” appears twice in the same object", (2, 12)),
        ('{"a": 1,\n "b": NaN}', "NaN is not allowed in JSON", (2, 7)),
        ('{"a": [1,\n  Infinity]}', "Infinity is not allowed in JSON", (2, 3)),
        ('{"a": [1,\n  -Infinity]}', "-Infinity is not allowed in JSON", (2, 3)),
        ('{"a": 1e400, "b": NaN}', "1e400 is too large a number for JSON", (1, 7)),
        ('{"a": {"n": 2,\n\n   "m": -1' + "0" * 400 + "}}",
         "a number of 401 digits is too large for JSON", (3, 9)),
        # A value refused before the object with a repeated key ends is named first.
        ('{"a": 1, "a": 2, "b": 1e999}', "1e999 is too large a number for JSON", (1, 23)),
    ],
)  # fmt: skip
def test_a_refused_value_or_key_is_said_where_it_is(
    raw: str, problem: str, where: tuple[int, int]
) -> None:
    line, column = where
    assert _refused(raw) == f"Not valid JSON: {problem} (line {line}, column {column})"


def test_a_comma_before_a_closing_brace_or_bracket_is_named_at_that_closing() -> None:
    for raw, (line, column), closing in (
        ('{\n  "icims": {"assessment_package_id": "1"},\n}', (3, 1), "brace }"),
        ('{"lever": {"tags": ["a", "b" ,  ]}}', (1, 33), "bracket ]"),
        ('{"lever": {"a": 1,\n\t}}', (2, 2), "brace }"),
    ):
        assert _refused(raw) == (
            f"Not valid JSON: a comma before the closing {closing} must go "
            f"(line {line}, column {column})"
        )
    # A closing that does not match what it closes is no comma too many: a name is missing.
    assert _refused('{"a": 1, ]') == (
        'Not valid JSON: a name in double quotes must come here, as in {"name": "value"} '
        "(line 1, column 10)"
    )


def test_json_pasted_with_a_byte_order_mark_is_read_without_it() -> None:
    raw = '{"icims": {"assessment_package_id": "1"}, "lever": {"a": [1, 2]}}'
    with_mark = RemoteFieldsInput(raw_json="\ufeff" + raw)
    assert with_mark.raw_json_error() is None
    assert with_mark.to_remote_fields() == json.loads(raw)
    # Its problems are said where a person sees them: the mark takes no column.
    assert (
        _refused('\ufeff{"a": NaN}')
        == "Not valid JSON: NaN is not allowed in JSON (line 1, column 7)"
    )


# ---- The collapsed header counts what will be sent -------------------------------------


@pytest.mark.parametrize("ats", sorted(RemoteFields.model_fields))
def test_json_that_sets_nothing_for_an_ats_the_app_knows_is_not_counted(ats: str) -> None:
    for raw in ("{}", f'{{"{ats}": null}}', f'{{"{ats}": {{}}}}', " {} \n"):
        fields = RemoteFieldsInput(raw_json=raw)
        assert fields.raw_json_error() is None, raw
        request = ResultLinkRequest.from_form(
            label="Result", url="https://example.com/r/1", remote_fields=fields.to_remote_fields()
        )
        assert "remote_fields" not in request.to_body(), raw
        assert fields.set_count() == 0, raw
        assert not fields.is_empty()  # it was typed: a draft keeps it


def test_json_that_adds_to_the_request_or_is_refused_is_counted() -> None:
    # Counted once for what is sent: the typed input, not the JSON that adds nothing.
    both = RemoteFieldsInput(workable_on_behalf_of_user_remote_id="7", raw_json='{"icims": null}')
    assert both.set_count() == 1
    # Another ATS's members go as typed, null included.
    assert RemoteFieldsInput(raw_json='{"lever": null}').set_count() == 1
    assert RemoteFieldsInput(raw_json='{"greenhouse": null, "lever": {}}').set_count() == 1
    assert RemoteFieldsInput(raw_json='{"icims": {"assessment_package_id": "1"}}').set_count() == 1
    # A problem is never hidden: JSON that does not parse, or that the check refused.
    assert RemoteFieldsInput(raw_json="{").set_count() == 1
    assert RemoteFieldsInput(raw_json='{"icims": {"x": null}}').set_count(json_refused=True) == 1


# ---- In the window ---------------------------------------------------------------------


def _remote_json_editor(window: MainWindow) -> QPlainTextEdit:
    return find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)


def _click_advanced(qtbot, window: MainWindow) -> None:
    qtbot.mouseClick(window.form.remote_fields.toggle, Qt.MouseButton.LeftButton)


def test_json_too_deep_is_refused_at_the_field_and_nothing_is_sent(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    paste_remote_json(qtbot, window, '{"lever": {"x": 1}}')
    qtbot.waitUntil(lambda: '"x": 1' in window.preview.body_text(), timeout=WAIT_MS)

    paste_remote_json(qtbot, window, _lists(300))
    editor = window.form.remote_fields
    assert editor.error() == (
        "Not valid JSON: nested too deeply, more than 256 levels (line 1, column 266)"
    )
    error_label = find_by_accessible_name(window, "Remote fields error", QLabel)
    assert error_label.isVisible()
    assert error_label.text() == editor.error()
    # The preview keeps no body from before: the form has none to send.
    assert window.preview.body_text() == ""
    qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    assert window.focusWidget() is _remote_json_editor(window)
    assert posts(fresh_sandbox) == []


def test_the_closed_section_counts_json_only_when_it_adds_to_the_request(
    qtbot, window: MainWindow
) -> None:
    editor = window.form.remote_fields
    for raw, count in (("{}", 0), ('{"icims": null}', 0), ('{"lever": null}', 1), ("{", 1)):
        paste_remote_json(qtbot, window, raw)
        _click_advanced(qtbot, window)
        if editor.is_expanded():  # a problem opened the section: closed again
            _click_advanced(qtbot, window)
        assert not editor.is_expanded()
        words = f"{count} set" if count else "nothing set"
        assert editor.header_text() == (f"{HEADER_TEXT} ({count} set)" if count else HEADER_TEXT)
        assert editor.toggle.accessibleDescription() == words, raw


# ---- Copy as curl, run by a shell --------------------------------------------------------


def test_a_copied_curl_command_sends_exactly_what_submit_sends(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    # A body of the usual size, and one far longer than one argument of a command may be.
    for value_size in (100, 300_000):
        # Quotes, $, backticks, backslashes, a line break written as \n, the word that
        # ends a long body in the command, characters beyond ASCII: all sent as typed.
        value = "It's $HOME `id` \\ \\n KOMBO_BODY EOF ü ✓ \u2028 " + "x" * value_size
        paste_remote_json(
            qtbot, window, json.dumps({"workable": {"on_behalf_of_user_remote_id": value}})
        )
        command = copied_curl(qtbot, window)
        assert DEMO_API_KEY not in command
        sent = sent_by("bash", command, fresh_sandbox)
        assert len(sent) == 1, value_size
        submit_and_wait(qtbot, window)
        by_submit = posts(fresh_sandbox)[-1]
        assert by_submit is not sent[0]
        assert json.loads(by_submit.body)["remote_fields"]["workable"] == {
            "on_behalf_of_user_remote_id": value
        }
        assert_same_request(sent[0], by_submit)


def test_a_copied_curl_command_sends_one_request_whatever_the_base_url_holds(
    fresh_sandbox: Sandbox,
) -> None:
    from kombo_desktop.core.connection import validate_base_url
    from kombo_desktop.core.models import Target, TargetKind
    from kombo_desktop.core.requests import result_link_call
    from kombo_desktop.sandbox import DEMO_INTEGRATION_ID

    request = ResultLinkRequest.from_form(label="Result", url="https://example.com/r/1")
    target = Target(kind=TargetKind.CANDIDATE, id=candidate_id(fresh_sandbox))
    # curl reads {a,b} in a URL as "a, then b", and [1-3] as "1, 2, then 3".
    for pattern in ("{v1,v1}", "[1-3]"):
        base_url = validate_base_url(f"{fresh_sandbox.base_url}/{pattern}")
        command = result_link_call(target, request).as_curl(base_url, DEMO_INTEGRATION_ID)
        sent = sent_by("bash", command, fresh_sandbox)
        assert [r.path for r in sent] == [f"/v1/{pattern}/ats/candidates/{target.id}/result-links"]
