"""A key typed in the custom field name prefix with thousands of attribute rows.

The rows' check (a key used twice, a key pasted into a value) depends on the rows alone:
a key typed in the prefix checks the prefix, not the thousands of rows again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

import pytest

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.core.errors import InputError
from tests.many_rows_support import form_with_rows, keys_in_values, python_calls


def _answered(count: int) -> tuple[AttributeRow, ...]:
    """``count`` rows, each with its own key and a value."""
    return tuple((f"Question {n + 1}", f"answer number {n + 1}") for n in range(count))


def _prefix_key_calls(rows: tuple[AttributeRow, ...]) -> int:
    """The work of the form's check after a key typed at the end of the prefix, once the
    form with ``rows`` was checked."""
    form = form_with_rows(rows)

    def check(prefix: str) -> None:
        # The rows holding keys are refused: the check is what is counted.
        with contextlib.suppress(InputError):
            replace(form, prefix=prefix).to_request()

    check(form.prefix)
    return python_calls(lambda: check(form.prefix + "x"))


@pytest.mark.parametrize("typed_rows", [_answered, keys_in_values], ids=["answered", "keys"])
def test_a_key_in_the_prefix_does_no_more_with_three_times_the_rows(
    typed_rows: Callable[[int], tuple[AttributeRow, ...]],
) -> None:
    with_fewer = _prefix_key_calls(typed_rows(1000))
    with_more = _prefix_key_calls(typed_rows(3000))

    # Before, each key in the prefix checked every row again: their keys compared, their
    # keys and values read for an API key.
    assert with_more <= with_fewer * 1.1, (with_fewer, with_more)


def test_the_prefix_is_still_checked_with_the_rows_kept() -> None:
    form = form_with_rows(_answered(3))
    form.to_request()
    with pytest.raises(InputError) as caught:
        replace(form, prefix=" ").to_request()
    assert caught.value.fields == ("custom_field_name_prefix",)
    _target, request = replace(form, prefix=" Acme2: ").to_request()
    assert request.to_body()["details"]["custom_field_name_prefix"] == "Acme2:"
