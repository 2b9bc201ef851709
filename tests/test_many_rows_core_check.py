"""The core's check of a form whose table holds thousands of rows at fault.

"Next candidate" keeps the keys of a pasted block and clears its values: every row then
misses its value. The form is checked again at every key typed in any field, so the
table's problems are found, numbered and put in screen order once per change of what
they depend on (the rows, the prefix, the keys held), and the few problems of the other
fields are set before and after them. These tests hold the check to both halves of that:
no more work with more rows, and never the problems of rows as they were before an edit.
"""

from __future__ import annotations

import pytest

from kombo_desktop.core.attribute_rows import VALUE_IS_EMPTY, AttributeRow
from kombo_desktop.core.connection import HELD_KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from tests.many_rows_support import TARGET_ID, form_with_rows, python_calls, values_left_blank

#: A key the app sends with, in no Kombo shape: found only because it is held.
HELD_KEY = "proxy-token-0123456789"


def _refused(state: FormState, held_keys: tuple[str, ...] = ()) -> InputError:
    """The error ``state``'s check raises."""
    with pytest.raises(InputError) as refused:
        state.to_request(held_keys=held_keys)
    return refused.value


def _calls_for_a_key_typed(rows: tuple[AttributeRow, ...]) -> int:
    """The Python calls of the check after the Target ID's last character is typed, the
    form checked with ``rows`` as they are before it."""
    _refused(form_with_rows(rows, target_id=TARGET_ID[:-1]))
    return python_calls(lambda: _refused(form_with_rows(rows)))


def _values_missing(rows: range) -> list[FieldError]:
    """The problems of the values left blank in ``rows`` (counted from 0)."""
    return [FieldError(f"attributes[{row}].value", VALUE_IS_EMPTY, missing=True) for row in rows]


def test_a_key_typed_beside_three_times_the_rows_at_fault_costs_the_check_no_more() -> None:
    calls = [_calls_for_a_key_typed(values_left_blank(count)) for count in (1000, 3000)]
    with_fewer, with_more = calls

    # Before, each key built, sorted and joined into one message every row's problem.
    assert with_more <= with_fewer * 1.1, calls
    refused = _refused(form_with_rows(values_left_blank(3000)))
    assert list(refused.errors) == _values_missing(range(3000))
    assert str(refused) == "; ".join(
        f"attributes[{row}].value: {VALUE_IS_EMPTY}" for row in range(3000)
    )


def test_the_problems_follow_each_edit_of_the_rows_between_keys_typed_elsewhere() -> None:
    rows = values_left_blank(30)
    # A problem before the table (the Result URL) and one after it (the remote fields).
    elsewhere = {"url": "example.com", "remote_fields": RemoteFieldsInput(raw_json="{")}
    refused = _refused(form_with_rows(rows, **elsewhere))
    assert refused.fields == (
        "url",
        *(f"attributes[{row}].value" for row in range(30)),
        "remote_fields",
    )

    answered = (("Question 1", "answered"), *rows[1:])
    for target_id in (TARGET_ID, TARGET_ID[:-1]):  # the row answered, then a key elsewhere
        refused = _refused(form_with_rows(answered, target_id=target_id, **elsewhere))
        assert list(refused.errors[1:-1]) == _values_missing(range(1, 30))
        assert refused.fields[0] == "url"
        assert refused.fields[-1] == "remote_fields"
        assert refused.message_for("attributes[0].value") is None

    # The first row's value cleared again and the sixth's answered: each said as it is now.
    sixth_answered = (*rows[:5], ("Question 6", "answered"), *rows[6:])
    refused = _refused(form_with_rows(sixth_answered))
    assert list(refused.errors) == _values_missing(range(5)) + _values_missing(range(6, 30))
    assert "attributes[5].value" not in str(refused)


def test_the_table_problems_follow_the_prefix_and_the_keys_held() -> None:
    answered = (("Question 1", "answered"), ("Question 2", f"sent with {HELD_KEY}"))
    refused = _refused(form_with_rows(answered), held_keys=(HELD_KEY,))
    assert list(refused.errors) == [FieldError("attributes[1].value", HELD_KEY_IN_TEXT_PROBLEM)]

    # Another key held now: the same rows hold none of it, and may be sent.
    _target, request = form_with_rows(answered).to_request(held_keys=("another-token-9876543210",))
    assert request.details is not None

    refused = _refused(form_with_rows(answered, prefix=" "), held_keys=(HELD_KEY,))
    assert refused.fields == ("custom_field_name_prefix", "attributes[1].value")
    assert refused.errors[0].missing
