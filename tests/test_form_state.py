"""The form's Qt-free state: validation with every field at once, drafts, next candidate."""

from __future__ import annotations

import pytest

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState, attribute_row_of, field_group
from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.requests import result_link_call


def filled(**changes) -> FormState:
    base = FormState(
        target_kind=TargetKind.CANDIDATE,
        target_id=" 8Xi6iZrwusZqJmDGXs49GBmJ ",
        label="Assessment Result",
        url=" https://example.com/results/1 ",
        prefix="Acme:",
        attributes=(("Score", "100%"), ("", ""), ("Time", "2:30h")),
    )
    from dataclasses import replace

    return replace(base, **changes)


def test_a_complete_form_gives_the_exact_body_kombo_expects():
    target, request = filled().to_request()
    assert target.kind is TargetKind.CANDIDATE
    assert target.id == "8Xi6iZrwusZqJmDGXs49GBmJ"
    assert request.to_body() == {
        "label": "Assessment Result",
        "url": "https://example.com/results/1",
        "details": {
            "custom_field_name_prefix": "Acme:",
            "attributes": [
                {"key": "Score", "value": "100%"},
                {"key": "Time", "value": "2:30h"},
            ],
        },
    }
    assert result_link_call(target, request).path == (
        "/ats/candidates/8Xi6iZrwusZqJmDGXs49GBmJ/result-links"
    )


def test_an_application_target_posts_to_the_application():
    target, request = filled(target_kind=TargetKind.APPLICATION).to_request()
    assert result_link_call(target, request).path.startswith("/ats/applications/")


def test_every_field_error_is_reported_at_once_in_screen_order():
    state = FormState(url="example.com", attributes=(("Score", "1"),))
    with pytest.raises(InputError) as caught:
        state.to_request()
    fields = caught.value.fields
    assert fields == ("target_id", "label", "url", "custom_field_name_prefix")
    assert caught.value.message_for("target_id") == "is required"
    assert "https://" in (caught.value.message_for("url") or "")


def test_errors_on_blank_inputs_say_the_field_is_missing():
    # Blank or only spaces: missing, whichever words the rule uses.
    state = FormState(label="  ", attributes=(("Score", "1"), ("Score", "2")))
    with pytest.raises(InputError) as caught:
        state.to_request()
    missing = {error.field: error.missing for error in caught.value.errors}
    assert missing == {
        "target_id": True,
        "label": True,
        "url": True,
        "custom_field_name_prefix": True,
        "attributes[1].key": False,
    }
    # The wording stays the core's.
    assert caught.value.message_for("label") == "is required"


def test_errors_on_filled_inputs_are_not_missing():
    state = FormState(target_id="a\tb", label="L", url="example.com", prefix="Acme:")
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert caught.value.fields == ("target_id", "url")
    assert not any(error.missing for error in caught.value.errors)


def test_attribute_errors_name_the_row_on_screen_not_the_row_sent():
    # Row 2 (index 2) duplicates row 0; a blank row sits between them and is not sent.
    state = filled(attributes=(("Score", "1"), ("", ""), ("Score", "2")))
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert caught.value.fields == ("attributes[2].key",)
    # In the words the table marks the row with while typing.
    assert caught.value.message_for("attributes[2].key") == "Duplicate key “Score”"


def test_remote_field_errors_come_with_the_other_fields_errors():
    state = filled(label="", remote_fields=RemoteFieldsInput(raw_json="{not json"))
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert caught.value.fields == ("label", "remote_fields")


def test_remote_fields_are_merged_into_the_body():
    state = filled(remote_fields=RemoteFieldsInput(icims_assessment_package_id="pkg-1"))
    _target, request = state.to_request()
    assert request.to_body()["remote_fields"] == {"icims": {"assessment_package_id": "pkg-1"}}


def test_empty_rows_are_ignored_and_no_attributes_means_no_details():
    _target, request = filled(prefix="", attributes=(("", ""), ("  ", " "))).to_request()
    assert "details" not in request.to_body()


def test_for_next_candidate_keeps_what_repeats_and_clears_the_rest():
    remote = RemoteFieldsInput(workable_on_behalf_of_user_remote_id="u1")
    state = filled(remote_fields=remote).for_next_candidate()
    assert state.target_id == ""
    assert state.url == ""
    assert state.label == "Assessment Result"
    assert state.prefix == "Acme:"
    assert state.attributes == (("Score", ""), ("Time", ""))
    assert state.remote_fields == remote
    assert state.target_kind is TargetKind.CANDIDATE


def test_round_trip_through_a_dict_keeps_everything():
    state = filled(
        target_kind=TargetKind.APPLICATION,
        remote_fields=RemoteFieldsInput(raw_json='{"x": {"y": 1}}', greenhouse_on_behalf_of="7"),
    )
    assert FormState.from_dict(state.to_dict()) == state


def test_from_dict_keeps_what_is_usable_in_a_damaged_draft():
    state = FormState.from_dict(
        {
            "target_kind": "planet",
            "target_id": 42,
            "label": "Kept",
            "attributes": [["a", "b"], "junk", ["only one"], [1, 2], ["c", "d"]],
            "remote_fields": "not an object",
        }
    )
    assert state.target_kind is TargetKind.CANDIDATE
    assert state.target_id == ""
    assert state.label == "Kept"
    assert state.attributes == (("a", "b"), ("c", "d"))
    assert state.remote_fields.is_empty()


def test_from_dict_refuses_what_is_not_an_object():
    with pytest.raises(ValueError, match="JSON object"):
        FormState.from_dict(["not", "a", "dict"])  # type: ignore[arg-type]


def test_is_empty():
    assert FormState().is_empty()
    assert FormState(attributes=(("", ""),)).is_empty()
    assert not FormState(label="x").is_empty()


def test_filled_fields_name_the_groups_that_hold_something():
    assert FormState().filled_fields() == frozenset()
    state = FormState(
        target_id=" ",
        label="Result",
        prefix="  ",
        attributes=(("", ""), (" ", "")),
        remote_fields=RemoteFieldsInput(greenhouse_on_behalf_of="7"),
    )
    assert state.filled_fields() == {"label", "remote_fields"}
    assert filled().filled_fields() == {
        "target_id",
        "label",
        "url",
        "custom_field_name_prefix",
        "attributes",
    }


@pytest.mark.parametrize(
    ("name", "group", "row"),
    [
        ("attributes[3].key", "attributes", 3),
        ("url", "url", None),
        ("remote_fields", "remote_fields", None),
    ],
)
def test_field_names(name, group, row):
    assert field_group(name) == group
    assert attribute_row_of(name) == row
