"""The request model: valid inputs build Kombo's body, anything else names the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind

FORM_FIELDS = {"label", "url", "custom_field_name_prefix", "remote_fields"}


def is_form_field(name: str) -> bool:
    return name in FORM_FIELDS or (
        name.startswith("attributes[") and name.endswith(("].key", "].value"))
    )


def contains_none(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(contains_none(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_none(v) for v in value)
    return False


text = st.text(max_size=40)
urls = st.one_of(
    text,
    st.builds(
        lambda host, path: f"https://{host}/{path}",
        st.from_regex(r"[a-z]{1,10}\.com", fullmatch=True),
        text,
    ),
)
remote = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["icims", "oracle", "greenhouse", "workable", "other"]),
        st.one_of(
            st.none(),
            st.integers(),
            text,
            st.dictionaries(text, st.one_of(text, st.booleans(), st.none()), max_size=3),
        ),
        max_size=3,
    ),
)


def build_or_error(
    label: str, url: str, prefix: str, attributes: Any, remote_fields: Any
) -> ResultLinkRequest | InputError:
    """The request, or the one kind of error allowed; anything else propagates and fails."""
    try:
        return ResultLinkRequest.from_form(
            label=label,
            url=url,
            custom_field_name_prefix=prefix,
            attributes=attributes,
            remote_fields=remote_fields,
        )
    except InputError as error:
        return error


@settings(max_examples=400, deadline=None)
@given(
    label=text,
    url=urls,
    prefix=text,
    attributes=st.lists(st.tuples(text, text), max_size=5),
    remote_fields=remote,
)
def test_every_input_builds_a_body_or_names_the_field(
    label, url, prefix, attributes, remote_fields
):
    outcome = build_or_error(label, url, prefix, attributes, remote_fields)
    if isinstance(outcome, InputError):
        assert outcome.errors
        assert all(is_form_field(e.field) and e.message for e in outcome.errors), outcome.errors
        return
    body = outcome.to_body()
    json.dumps(body)  # serializable
    # Declared members are never sent as null; another ATS's members go exactly as given.
    remote_body = dict(body.get("remote_fields", {}))
    if remote_fields and "other" in remote_fields:
        assert remote_body.pop("other") == remote_fields["other"]
    assert not contains_none({**body, "remote_fields": remote_body})
    assert body["label"] == label.strip()
    assert body["label"]
    assert body["url"] == url.strip()
    assert body["url"].startswith(("http://", "https://"))
    filled = [(k, v) for k, v in attributes if k.strip() or v.strip()]
    if filled:
        assert body["details"]["custom_field_name_prefix"] == prefix.strip()
        assert [a["key"] for a in body["details"]["attributes"]] == [k.strip() for k, _ in filled]
    else:
        assert "details" not in body
    assert set(body) <= {"label", "url", "details", "remote_fields"}


def test_attributes_without_prefix_name_the_prefix():
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(label="L", url="https://x.io", attributes=[("Score", "1")])
    assert caught.value.fields == ("custom_field_name_prefix",)


@pytest.mark.parametrize(
    "typed",
    ["Acme\u0301:", "\u200bAcmé:", "Acmé:\u2060 ", "\ufeffAcme\u0301:\u200b"],
    ids=["decomposed", "invisible before", "invisible after", "both"],
)
def test_a_prefix_is_sent_as_a_key_is_in_one_form_without_invisible_ends(typed):
    # It starts each attribute's field name in the ATS: "Acmé: Score" pasted decomposed,
    # or with a zero-width space, would be a second field nobody can tell from the first.
    body = ResultLinkRequest.from_form(
        label="L",
        url="https://x.io",
        custom_field_name_prefix=typed,
        attributes=[("Score", "1")],
    ).to_body()
    assert body["details"]["custom_field_name_prefix"] == "Acmé:"


def test_a_prefix_of_invisible_characters_alone_is_none():
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(
            label="L",
            url="https://x.io",
            custom_field_name_prefix="\u200b\u2060",
            attributes=[("Score", "1")],
        )
    assert caught.value.fields == ("custom_field_name_prefix",)
    assert "required" in str(caught.value)


def test_prefix_without_attributes_sends_no_details():
    body = ResultLinkRequest.from_form(
        label="L", url="https://x.io", custom_field_name_prefix="Acme:", attributes=[]
    ).to_body()
    assert body == {"label": "L", "url": "https://x.io"}


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "required"),
        ("example.com/results", "https://"),
        ("ftp://example.com/x", "https://"),
        ("https://", "host"),
        ("https://exa mple.com", "spaces"),
        ("https://example.com:99999/", "valid URL"),
        # Copied from a chat or a web page: nobody sees these, Kombo would store them.
        ("https://example.com/results/42\u200b", "invisible character"),
        ("\ufeffhttps://example.com/results/42", "invisible character"),
    ],
)
def test_bad_urls_explain_themselves(url, fragment):
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(label="L", url=url)
    message = caught.value.message_for("url")
    assert message is not None
    assert fragment in message


@pytest.mark.parametrize("label", ["Assessment\nResult", "Assessment\tResult"])
def test_a_label_pasted_with_a_line_break_is_refused_at_the_label(label: str) -> None:
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(label=label, url="https://example.com/r/1")
    assert caught.value.fields == ("label",)
    assert caught.value.message_for("label") == (
        "must be on one line (a line break or tab was pasted with it)"
    )


def test_a_target_id_with_an_invisible_character_is_refused_at_the_id() -> None:
    with pytest.raises(InputError) as caught:
        Target.parse(TargetKind.CANDIDATE, "8Xi6iZrwusZqJmDGXs49GBmJ\u200b")
    assert caught.value.fields == ("target_id",)
    assert "invisible character" in (caught.value.message_for("target_id") or "")
    # Surrounding spaces are still forgiven: they are trimmed, as before.
    assert Target.parse(TargetKind.CANDIDATE, " abc ").id == "abc"


def test_blank_and_duplicate_keys_name_the_row():
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(
            label="L",
            url="https://x.io",
            custom_field_name_prefix="A:",
            attributes=[("Score", "1"), ("", "orphan value"), ("Score ", "2")],
        )
    assert set(caught.value.fields) == {"attributes[1].key", "attributes[2].key"}


def test_all_field_errors_come_together():
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(
            label=" ", url="nope", attributes=[("k", "v")], remote_fields={"oracle": {"x": 1}}
        )
    assert set(caught.value.fields) == {"label", "url", "custom_field_name_prefix", "remote_fields"}


def test_unknown_ats_remote_fields_pass_through_as_typed():
    # What a member of another ATS's fields means is that ATS's business: a null or an
    # empty object typed there is sent, not dropped without a word.
    typed = {"talent360": {"user_id": "u1"}, "bamboohr": {"status": None, "extra": {}}}
    body = ResultLinkRequest.from_form(
        label="L", url="https://x.io", remote_fields={**typed, "lever": None}
    ).to_body()
    assert body["remote_fields"] == {**typed, "lever": None}


@pytest.mark.parametrize(
    "typed",
    [
        {"icims": None},
        {"icims": {}},
        {"icims": {"assessment_package_id": None}},
        {"greenhouse": {"post_headers": {}}},
        {"greenhouse": {"post_headers": {"On-Behalf-Of": None}}},
        {"oracle": {"multi_post_to_all_current_applications": None}},
    ],
)
def test_a_modelled_ats_given_nothing_sends_no_remote_fields(typed):
    # A null or an empty object typed for iCIMS, Oracle, Greenhouse or Workable sets
    # nothing: no empty shell goes to the customer's ATS, and no empty remote_fields.
    body = ResultLinkRequest.from_form(label="L", url="https://x.io", remote_fields=typed).to_body()
    assert "remote_fields" not in body


def test_declared_remote_fields_left_unset_are_omitted_beside_what_is_set():
    body = ResultLinkRequest.from_form(
        label="L",
        url="https://x.io",
        remote_fields={
            "icims": {"assessment_package_id": "P1"},
            "greenhouse": {"post_headers": {}},
            "oracle": None,
            "bamboohr": {},
        },
    ).to_body()
    assert body["remote_fields"] == {"icims": {"assessment_package_id": "P1"}, "bamboohr": {}}


def test_oracle_category_is_checked():
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(
            label="L",
            url="https://x.io",
            remote_fields={"oracle": {"override_document_category": "CV"}},
        )
    message = caught.value.message_for("remote_fields")
    assert message is not None
    assert "override_document_category" in message


@pytest.mark.parametrize(
    ("pasted", "words"),
    [
        ("abc\tdef", "must be on one line (a line break or tab was pasted with it)"),
        ("abc\ndef", "must be on one line (a line break or tab was pasted with it)"),
        ("abc\x07", "contains a control character (it may have been pasted with it)"),
    ],
)
def test_a_target_id_pasted_with_a_control_character_is_told_as_a_remote_id_is(
    pasted: str, words: str
) -> None:
    # Before: "must not contain control characters or line breaks", where a remote field's
    # ID pasted so said which of the two it was.
    with pytest.raises(InputError) as caught:
        Target.parse(TargetKind.CANDIDATE, pasted)
    assert [(e.field, e.message) for e in caught.value.errors] == [("target_id", words)]
