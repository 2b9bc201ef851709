"""The details (attributes and prefix) are checked by one function, wherever they are sent
from: the request built from the form's fields and the form's own check, which keeps
the table's verdict while the table stays as it is, find the same problems, at the same
fields, and send the same details."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.models import ResultLinkRequest, details_from_form

#: Keys, values and prefixes with what pastes bring: blanks, invisible characters, half
#: a character, a key used twice in other capitals.
typed = st.one_of(
    st.sampled_from(["", " ", "Score", "score", "\u200b", "Time\u200b", "A\udc80", "Acme:"]),
    st.text(max_size=8),
)
rows = st.lists(st.tuples(typed, typed), min_size=1, max_size=5)

_Built = TypeVar("_Built")


def _details_problems(error: InputError) -> set[tuple[str, str]]:
    return {
        (problem.field, problem.message)
        for problem in error.errors
        if problem.field.startswith(("attributes", "custom_field_name_prefix"))
    }


def _outcome(build: Callable[[], _Built]) -> _Built | InputError:
    """What ``build`` gives, or the ``InputError`` it raises."""
    try:
        return build()
    except InputError as refused:
        return refused


@settings(max_examples=300, deadline=None)
@given(prefix=typed, attributes=rows)
def test_the_request_finds_in_its_details_what_the_details_check_finds(
    prefix: str, attributes: list[tuple[str, str]]
) -> None:
    details = _outcome(lambda: details_from_form(prefix, attributes))
    request = _outcome(
        lambda: ResultLinkRequest.from_form(
            label="Assessment Result",
            url="https://example.com/r/1",
            custom_field_name_prefix=prefix,
            attributes=attributes,
        )
    )
    if isinstance(details, InputError):
        assert isinstance(request, InputError)
        assert _details_problems(request) == _details_problems(details)
        assert _details_problems(details) == {(e.field, e.message) for e in details.errors}
    else:
        assert isinstance(request, ResultLinkRequest)
        assert request.details == details


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
