"""The details (attributes and prefix) are checked by one function, wherever they are sent
from: the request built from the form's fields and the form's own check, which keeps
the table's verdict while the table stays as it is, find the same problems, at the same
fields, and send the same details. That function is made of two checks that never read
each other, the prefix's and the rows', which the form keeps apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kombo_desktop.core.attribute_rows import find_row_problems, is_blank_row, is_value_problem
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState, attribute_row_of
from kombo_desktop.core.models import (
    ResultLinkDetails,
    ResultLinkRequest,
    checked_attributes,
    checked_details,
    details_from_form,
    prefix_problems,
)

#: Keys, values and prefixes with what pastes bring: blanks, invisible characters, half
#: a character, a key used twice in other capitals.
typed = st.one_of(
    st.sampled_from(["", " ", "Score", "score", "\u200b", "Time\u200b", "A\udc80", "Acme:"]),
    st.text(max_size=8),
)
rows = st.lists(st.tuples(typed, typed), min_size=1, max_size=5)

_LABEL = "Assessment Result"
_URL = "https://example.com/r/1"


def _details_problems(error: InputError) -> set[tuple[str, str]]:
    """The problems ``error`` finds in the details: at the attributes and the prefix."""
    return {
        (problem.field, problem.message)
        for problem in error.errors
        if problem.field.startswith(("attributes", "custom_field_name_prefix"))
    }


def _on_screen(problems: set[tuple[str, str]], shown: list[int]) -> set[tuple[str, str]]:
    """``problems`` at the rows sent renumbered as the table's rows (``shown[i]`` is the
    table row of the row sent ``i``)."""
    renumbered = set()
    for field, message in problems:
        row = attribute_row_of(field)
        if row is not None:
            field = field.replace(f"attributes[{row}]", f"attributes[{shown[row]}]", 1)
        renumbered.add((field, message))
    return renumbered


@settings(max_examples=300, deadline=None)
@given(prefix=typed, attributes=rows)
def test_the_form_finds_in_its_details_what_the_request_finds(
    prefix: str, attributes: list[tuple[str, str]]
) -> None:
    # The form's check keeps the table's verdict and the prefix's apart; the request
    # built from the same fields checks them together: one verdict, one body.
    form = FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GB",
        label=_LABEL,
        url=_URL,
        prefix=prefix,
        attributes=tuple(attributes),
    )
    # The form sends its rows but the blank ones, as the request is given them here.
    shown = [row for row, typed_row in enumerate(attributes) if not is_blank_row(typed_row)]
    sent = form.filled_attributes()
    try:
        _target, from_the_form = form.to_request()
    except InputError as refused:
        form_problems: set[tuple[str, str]] | None = _details_problems(refused)
    else:
        form_problems = None
    try:
        request = ResultLinkRequest.from_form(
            label=_LABEL, url=_URL, custom_field_name_prefix=prefix, attributes=sent
        )
    except InputError as refused:
        request_problems: set[tuple[str, str]] | None = _on_screen(
            _details_problems(refused), shown
        )
    else:
        request_problems = None

    # The form adds what the request leaves to Kombo: a key's value left blank, as the
    # table marks it (a row whose key is at fault is marked for its key alone).
    left_blank = {
        (f"attributes[{row}].value", problem)
        for row, problem in find_row_problems(attributes).items()
        if is_value_problem(problem)
    }
    if request_problems is None:
        assert form_problems is None or form_problems == left_blank
        if form_problems is None:
            assert from_the_form.to_body() == request.to_body()
    else:
        assert form_problems is not None
        assert form_problems == request_problems | left_blank


def test_no_rows_send_no_details_whatever_the_prefix() -> None:
    assert details_from_form("Acme:", []) is None
    assert details_from_form("", []) is None


def test_the_form_refuses_its_details_at_the_rows_as_shown() -> None:
    # The blank row is not sent: the check numbers the rows sent, the form the rows shown.
    form = FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GB",
        label="Assessment Result",
        url="https://example.com/r/1",
        prefix="",
        attributes=(("Score", "1"), ("", ""), ("score", "2")),
    )
    with pytest.raises(InputError) as caught:
        form.to_request()
    assert caught.value.fields == ("custom_field_name_prefix", "attributes[2].key")
    assert caught.value.message_for("attributes[2].key") == (
        "Duplicate key “score” (“Score” in other capitals)"
    )


@settings(max_examples=300, deadline=None)
@given(prefix=typed, attributes=rows)
def test_the_details_check_is_the_prefixs_and_the_rows_own_checks(
    prefix: str, attributes: list[tuple[str, str]]
) -> None:
    at_the_prefix = prefix_problems(prefix)
    at_the_rows = checked_attributes(attributes)
    try:
        details = details_from_form(prefix, attributes)
    except InputError as refused:
        found = list(refused.errors)
    else:
        found = []

    # Each part's problems are its own, said once, the rows' in the order they are found.
    assert all(error.field == "custom_field_name_prefix" for error in at_the_prefix)
    assert not any(error.field == "custom_field_name_prefix" for error in at_the_rows.errors)
    assert set(found) == {*at_the_prefix, *at_the_rows.errors}
    assert len(found) == len(at_the_prefix) + len(at_the_rows.errors)
    assert [error for error in found if error not in at_the_prefix] == list(at_the_rows.errors)
    if found:
        assert (at_the_rows.attributes is None) == bool(at_the_rows.errors)
        return

    # Accepted: the details built of the parts as checked are those the model builds.
    assert at_the_rows.attributes is not None
    built = checked_details(prefix, at_the_rows.attributes)
    assert details == built
    as_validated = ResultLinkDetails.model_validate(
        {
            "custom_field_name_prefix": prefix.strip(),
            "attributes": [{"key": key, "value": value} for key, value in attributes],
        }
    )
    assert built.model_dump_json() == as_validated.model_dump_json()


def test_the_rows_are_refused_whatever_the_prefix() -> None:
    attributes = [("Score", "1"), ("score", "2"), ("", "3")]
    expected = {
        ("attributes[1].key", "Duplicate key “score” (“Score” in other capitals)"),
        ("attributes[2].key", "Key is empty"),
    }
    assert {(error.field, error.message) for error in checked_attributes(attributes).errors} == (
        expected
    )
    for prefix in ("", "Acme:", "A\udc80"):
        with pytest.raises(InputError) as caught:
            details_from_form(prefix, attributes)
        rows_part = {
            (error.field, error.message)
            for error in caught.value.errors
            if error.field != "custom_field_name_prefix"
        }
        assert rows_part == expected


def test_the_prefix_is_refused_for_what_it_holds() -> None:
    assert prefix_problems("Acme:") == []
    [blank] = prefix_problems("  ")
    assert blank.message.startswith("is required when attributes are given")
    [half] = prefix_problems("Acme\udc80")
    assert half.field == "custom_field_name_prefix"
    with pytest.raises(InputError) as caught:
        details_from_form("Acme\udc80", [("Score", "1")])
    assert caught.value.errors == (half,)


def test_the_details_every_request_of_the_same_rows_shares_cannot_be_changed() -> None:
    # The form checks its rows once and every request built from them shares the details:
    # what one caller did to its request's attributes would go out with the next one.
    form = FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GB",
        label=_LABEL,
        url=_URL,
        prefix="Acme:",
        attributes=(("Score", "100%"), ("Time", "2:30h")),
    )
    _target, first = form.to_request()
    _target, second = form.to_request()
    assert first.details is not None
    assert second.details is first.details
    attributes = first.details.attributes
    with pytest.raises((AttributeError, TypeError)):
        attributes.append(attributes[0])  # type: ignore[attr-defined]
    with pytest.raises((AttributeError, TypeError)):
        attributes[0] = attributes[1]  # type: ignore[index]
    assert second.to_body()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2:30h"},
    ]


def test_details_without_attributes_are_refused_once() -> None:
    with pytest.raises(ValidationError) as caught:
        ResultLinkDetails.model_validate({"custom_field_name_prefix": "Acme:", "attributes": []})
    assert [error["loc"] for error in caught.value.errors()] == [("attributes",)]
    # Rows refused one by one are not refused again as too few.
    with pytest.raises(ValidationError) as caught:
        ResultLinkDetails.model_validate(
            {"custom_field_name_prefix": "Acme:", "attributes": [{"key": " ", "value": "1"}]}
        )
    assert [error["loc"] for error in caught.value.errors()] == [("attributes", 0, "key")]
