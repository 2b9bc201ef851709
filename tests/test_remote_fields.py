"""The advanced ATS-specific fields without Qt (core/remote_fields.py)."""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.models import (
    ORACLE_DOCUMENT_CATEGORIES,
    ResultLinkRequest,
    Target,
    TargetKind,
)
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.requests import result_link_call
from tests.json_support import record_json_parses

#: Every typed input set, as a person may have them before pasting a JSON; the checkbox is
#: set to False, a value sent as any other is (not left out as unset).
_ALL_TYPED = RemoteFieldsInput(
    icims_assessment_package_id="pkg-9",
    oracle_override_document_category="MISC",
    oracle_multi_post_to_all_current_applications=False,
    greenhouse_on_behalf_of="4711",
    workable_on_behalf_of_user_remote_id="w-1",
)


def _body(fields: RemoteFieldsInput) -> dict[str, Any]:
    request = ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        remote_fields=fields.to_remote_fields(),
    )
    return request.to_body()


def test_nothing_set_gives_none_and_no_remote_fields_in_the_body() -> None:
    fields = RemoteFieldsInput(raw_json="  \n ")
    assert fields.is_empty()
    assert fields.to_remote_fields() is None
    assert "remote_fields" not in _body(fields)


def test_greenhouse_on_behalf_of_goes_into_post_headers() -> None:
    body = _body(RemoteFieldsInput(greenhouse_on_behalf_of=" 123 "))
    assert body["remote_fields"] == {"greenhouse": {"post_headers": {"On-Behalf-Of": "123"}}}


def test_every_typed_field_lands_in_its_place() -> None:
    assert _body(_ALL_TYPED)["remote_fields"] == {
        "icims": {"assessment_package_id": "pkg-9"},
        "oracle": {
            "override_document_category": "MISC",
            "multi_post_to_all_current_applications": False,
        },
        "greenhouse": {"post_headers": {"On-Behalf-Of": "4711"}},
        "workable": {"on_behalf_of_user_remote_id": "w-1"},
    }


def test_raw_json_merges_with_typed_fields_and_passes_other_atss_through() -> None:
    fields = RemoteFieldsInput(
        oracle_override_document_category="IRC_INTERNAL",
        raw_json='{"oracle": {"multi_post_to_all_current_applications": true},'
        ' "successfactors": {"x": 1}}',
    )
    assert _body(fields)["remote_fields"] == {
        "oracle": {
            "override_document_category": "IRC_INTERNAL",
            "multi_post_to_all_current_applications": True,
        },
        "successfactors": {"x": 1},
    }


def test_a_pass_through_member_typed_as_null_or_empty_is_sent_as_typed() -> None:
    # Kombo's "unset members are omitted" is about the members the app declares; what a
    # person typed for an ATS the app does not model is sent as typed, not pruned away.
    fields = RemoteFieldsInput(raw_json='{"bamboohr": {"assessment_status": null, "extra": {}}}')
    typed: dict[str, Any] = {"bamboohr": {"assessment_status": None, "extra": {}}}
    request = ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        remote_fields=fields.to_remote_fields(),
    )
    assert request.to_body()["remote_fields"] == typed
    # The preview and "Copy as curl" show the very body that Submit sends.
    call = result_link_call(Target.parse(TargetKind.CANDIDATE, "abc"), request)
    assert json.loads(call.body_text()) == call.body == request.to_body()
    curl = call.as_curl("https://api.kombo.dev/v1", "workday:HWUTwvyx2wLoSUHphiWVrp28")
    words = shlex.split(curl.replace(" \\\n  ", " "))
    assert json.loads(words[words.index("--data") + 1]) == call.body


def test_same_value_in_json_and_typed_field_is_not_a_conflict() -> None:
    fields = RemoteFieldsInput(
        workable_on_behalf_of_user_remote_id="w-1",
        raw_json='{"workable": {"on_behalf_of_user_remote_id": "w-1"}}',
    )
    assert fields.to_remote_fields() == {"workable": {"on_behalf_of_user_remote_id": "w-1"}}


@pytest.mark.parametrize(
    ("typed", "raw", "key"),
    [
        ({"icims_assessment_package_id": "a"}, '{"icims": {"assessment_package_id": "b"}}',
         "icims.assessment_package_id"),
        ({"greenhouse_on_behalf_of": "1"}, '{"greenhouse": {"post_headers": {"On-Behalf-Of": 2}}}',
         "greenhouse.post_headers.On-Behalf-Of"),
        ({"oracle_multi_post_to_all_current_applications": True},
         '{"oracle": {"multi_post_to_all_current_applications": false}}',
         "oracle.multi_post_to_all_current_applications"),
    ],
)  # fmt: skip
def test_conflicting_json_and_typed_field_is_refused_naming_the_key(
    typed: dict[str, Any], raw: str, key: str
) -> None:
    fields = RemoteFieldsInput(raw_json=raw, **typed)
    with pytest.raises(InputError) as caught:
        fields.to_remote_fields()
    message = caught.value.message_for("remote_fields")
    assert message is not None
    assert f"“{key}”" in message
    assert fields.raw_json_error() == message


def test_an_ats_set_to_no_object_beside_its_typed_field_is_refused_as_no_object() -> None:
    # Not a conflict of two values: the JSON's "workable" is no object to hold one.
    fields = RemoteFieldsInput(
        workable_on_behalf_of_user_remote_id="x", raw_json='{"workable": "x"}'
    )
    message = fields.raw_json_error()
    assert message is not None
    assert message.startswith("workable: must be a JSON object")


def test_invalid_json_reports_line_and_column() -> None:
    fields = RemoteFieldsInput(raw_json='{\n  "icims": {"assessment_package_id": "1",}\n}')
    error = fields.raw_json_error()
    assert error is not None
    assert "line 2, column 42" in error
    with pytest.raises(InputError) as caught:
        fields.to_remote_fields()
    assert caught.value.fields == ("remote_fields",)


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_refused(raw: str) -> None:
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error is not None
    assert error.startswith("Must be a JSON object")


def test_duplicate_json_keys_and_nan_are_refused() -> None:
    duplicate = RemoteFieldsInput(raw_json='{"icims": {}, "icims": {"a": 1}}').raw_json_error()
    assert duplicate is not None
    assert "“icims” appears twice" in duplicate
    nan = RemoteFieldsInput(raw_json='{"x": NaN}').raw_json_error()
    assert nan is not None
    assert "NaN" in nan


def test_a_number_too_large_for_json_is_refused_not_sent_as_null() -> None:
    # 1e400 reads as infinity: sent, it would become null or vanish from the body.
    raw = '{"icims": {"assessment_package_id": "1"}, "x": {"n": 1e400}}'
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error == "Not valid JSON: 1e400 is too large a number for JSON (line 1, column 54)"
    assert RemoteFieldsInput(raw_json='{"x": {"n": 1.5e300}}').raw_json_error() is None


@pytest.mark.parametrize("digits", [400, 5000])
def test_an_integer_too_large_for_json_is_refused_as_1e400_is(digits: int) -> None:
    # 5000 digits are past what Python's own reader takes: a problem, not a crash.
    raw = '{"x": {"n": 1' + "0" * (digits - 1) + "}}"
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error == (
        f"Not valid JSON: a number of {digits} digits is too large for JSON (line 1, column 13)"
    )
    assert RemoteFieldsInput(raw_json='{"x": {"n": 12345678901234567890}}').raw_json_error() is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        # Half an emoji, as a script cutting a text leaves it.
        ('{"lever": {"note": "great \\ud83d"}}',
         "“lever.note” contains half of a character (\\ud83d)"),
        ('{"lever": {"options": ["a", "\\uDE00 b"]}}',
         "“lever.options[1]” contains half of a character (\\ude00)"),
        ('{"lever": {"no\\udc00te": "x"}}',
         "the key “lever.no\\udc00te” contains half of a character (\\udc00)"),
        # A key is quoted whole: each of its halves escaped, its whole characters as typed.
        ('{"lever": {"caf\\u00e9\\ud83d\\u00e9\\udc00": "x"}}',
         "the key “lever.café\\ud83dé\\udc00” contains half of a character (\\ud83d)"),
        # Not written as an escape: a byte that is not UTF-8 on a command line reads so.
        ('{"lever": {"note": "caf\udce9"}}',
         "“lever.note” contains half of a character (\\udce9)"),
    ],
)  # fmt: skip
def test_half_a_character_is_refused_naming_where_it_is(raw: str, problem: str) -> None:
    # Python's JSON reads it, but no UTF-8 body can carry it: sending would fail.
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error == (
        f"Not valid JSON: {problem}, as text cut in the middle of an emoji does; "
        "remove it or write the whole character"
    )


def test_an_emoji_written_as_its_two_escaped_halves_is_sent_whole() -> None:
    fields = RemoteFieldsInput(
        raw_json='{"lever": {"note": "great \\ud83d\\ude00", "p": "\\\\ud83d"}}'
    )
    assert fields.raw_json_error() is None
    assert _body(fields)["remote_fields"]["lever"] == {"note": "great 😀", "p": "\\ud83d"}


def test_member_kombo_does_not_know_is_refused_before_sending() -> None:
    error = RemoteFieldsInput(raw_json='{"icims": {"package": "1"}}').raw_json_error()
    assert error == "icims.package: is not a field Kombo knows for this ATS"
    wrong_category = RemoteFieldsInput(
        raw_json='{"oracle": {"override_document_category": "CV"}}'
    ).raw_json_error()
    assert wrong_category is not None
    assert wrong_category.startswith("oracle.override_document_category:")


@pytest.mark.parametrize("typed", ['"yes"', '"no"', '"on"', "1", "0", "1.0"])
def test_a_yes_or_no_field_takes_only_true_or_false(typed: str) -> None:
    # Sent as a boolean the person never typed, "no" would become false and "yes" true.
    raw = f'{{"oracle": {{"multi_post_to_all_current_applications": {typed}}}}}'
    error = RemoteFieldsInput(raw_json=raw).raw_json_error()
    assert error is not None
    assert error == (
        "oracle.multi_post_to_all_current_applications: must be true or false (without quotes)"
    )
    with pytest.raises(InputError):
        _body(RemoteFieldsInput(raw_json=raw))


def test_true_and_false_are_sent_as_typed() -> None:
    for typed, sent in (("true", True), ("false", False)):
        raw = f'{{"oracle": {{"multi_post_to_all_current_applications": {typed}}}}}'
        body = _body(RemoteFieldsInput(raw_json=raw))
        assert body["remote_fields"] == {"oracle": {"multi_post_to_all_current_applications": sent}}


def test_valid_json_has_no_error() -> None:
    assert (
        RemoteFieldsInput(raw_json='{"icims": {"assessment_package_id": "1"}}').raw_json_error()
        is None
    )


def test_set_count_and_is_empty() -> None:
    fields = RemoteFieldsInput(
        greenhouse_on_behalf_of="1", oracle_multi_post_to_all_current_applications=False
    )
    assert fields.set_count() == 2
    assert not fields.is_empty()
    assert RemoteFieldsInput(icims_assessment_package_id="  ").is_empty()


def test_draft_round_trip_through_json() -> None:
    fields = replace(_ALL_TYPED, raw_json='{"lever": {"a": 1}}')
    stored = json.loads(json.dumps(fields.to_dict()))
    assert RemoteFieldsInput.from_dict(stored) == fields


def test_from_dict_tolerates_missing_and_garbage_members() -> None:
    restored = RemoteFieldsInput.from_dict(
        {
            "icims_assessment_package_id": 12,
            "oracle_override_document_category": "NOT_A_CATEGORY",
            "oracle_multi_post_to_all_current_applications": "yes",
            "raw_json": ["x"],
            "unknown": True,
        }
    )
    assert restored == RemoteFieldsInput()
    assert RemoteFieldsInput.from_dict({}) == RemoteFieldsInput()
    assert RemoteFieldsInput.from_dict("garbage") == RemoteFieldsInput()  # type: ignore[arg-type]


@given(
    st.builds(
        RemoteFieldsInput,
        icims_assessment_package_id=st.text(max_size=8),
        oracle_override_document_category=st.sampled_from(("", *ORACLE_DOCUMENT_CATEGORIES)),
        oracle_multi_post_to_all_current_applications=st.none() | st.booleans(),
        greenhouse_on_behalf_of=st.text(max_size=8),
        workable_on_behalf_of_user_remote_id=st.text(max_size=8),
        raw_json=st.text(max_size=30),
    )
)
def test_whatever_was_typed_either_validates_or_names_remote_fields(
    fields: RemoteFieldsInput,
) -> None:
    error = fields.raw_json_error()
    if error is not None:
        with pytest.raises(InputError) as caught:
            fields.to_remote_fields()
        assert caught.value.fields == ("remote_fields",)
        assert caught.value.message_for("remote_fields") == error
        return
    remote = fields.to_remote_fields()
    ResultLinkRequest.from_form(label="L", url="https://example.com", remote_fields=remote)


@pytest.mark.parametrize(
    ("raw", "at_fault"),
    [
        ('{"workable": {"on_behalf_of_user_remote_id": "b"}}',
         "workable_on_behalf_of_user_remote_id"),
        ('{"greenhouse": {"post_headers": {"On-Behalf-Of": "9"}}}', "greenhouse_on_behalf_of"),
        # The JSON's own problems: no typed input changes them.
        ('{"workable": {"on_behalf_of_user_remote_id": "b"', None),
        ('{"lever": 1, "lever": 2}', None),
        ('{"icims": {"unknown": 1}}', None),
        # No problem at all.
        ('{"lever": {"x": 1}}', None),
    ],
)  # fmt: skip
def test_the_typed_input_at_fault_is_the_one_the_problem_is_about(
    raw: str, at_fault: str | None
) -> None:
    fields = replace(_ALL_TYPED, raw_json=raw)
    assert fields.typed_input_at_fault() == at_fault


def test_each_json_text_is_parsed_once_however_often_it_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # While typing, the editor checks, looks for the input at fault with each typed input
    # left out in turn, and the form checks again: megabytes pasted in must not be read
    # that many times over on every key.
    parses = record_json_parses(monkeypatch)
    broken = '{"lever": {"parsed_once": [1, 2, 3]}, "workable": {'
    fields = replace(_ALL_TYPED, raw_json=broken)
    assert fields.raw_json_error() is not None
    with pytest.raises(InputError):
        fields.to_remote_fields()
    assert parses == [broken]
    assert fields.typed_input_at_fault() is None
    assert parses == [broken]

    fixed = broken + '"on_behalf_of_user_remote_id": "b"}}'
    conflicting = replace(_ALL_TYPED, raw_json=fixed)
    assert conflicting.typed_input_at_fault() == "workable_on_behalf_of_user_remote_id"
    assert conflicting.raw_json_error() is not None
    assert parses == [broken, fixed]


def test_a_typed_value_merged_into_the_json_stays_out_of_the_json_itself() -> None:
    # The JSON's object is kept for the next check of the same text: what one check
    # merges into it must not show up in the next.
    raw = '{"greenhouse": {"post_headers": {}}, "lever": {"x": 1}}'
    typed = RemoteFieldsInput(greenhouse_on_behalf_of="4080", raw_json=raw).to_remote_fields()
    assert typed == {
        "greenhouse": {"post_headers": {"On-Behalf-Of": "4080"}},
        "lever": {"x": 1},
    }
    assert RemoteFieldsInput(raw_json=raw).to_remote_fields() == {
        "greenhouse": {"post_headers": {}},
        "lever": {"x": 1},
    }
