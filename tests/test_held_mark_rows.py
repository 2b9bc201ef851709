"""The rows' check never names the key the app sends with, whatever its shape.

A duplicate key is named in its mark (``Duplicate key “Score”``), shown on screen. A key
holding a Kombo key (``ks_prod_…``) is not named; the key the app holds may have another
shape (a proxy's token): given as held, it is not named either, and the marks kept for
the rows as they are follow the keys held too.
"""

from __future__ import annotations

import pytest

from kombo_desktop.core.attribute_rows import (
    AttributeRow,
    find_problems,
    find_row_problems,
    hiding_keys,
    row_problems_of,
)
from kombo_desktop.core.connection import HeldKeys
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState

#: A key of no Kombo shape, as a proxy's token may be.
HELD_KEY = "proxytoken-SECRET-123"
HELD = HeldKeys.of([HELD_KEY])
#: That key typed as two rows' keys.
HELD_KEY_TWICE: tuple[AttributeRow, ...] = ((HELD_KEY, "a"), (HELD_KEY, "b"))
NOT_NAMED = {1: "Duplicate key (an API key)"}
NAMED = {1: f"Duplicate key “{HELD_KEY}”"}


def test_a_held_key_used_twice_is_not_named() -> None:
    assert dict(row_problems_of(HELD_KEY_TWICE, HELD)) == NOT_NAMED
    assert find_problems(HELD_KEY_TWICE, hidden=hiding_keys(HELD)) == NOT_NAMED
    assert find_row_problems(HELD_KEY_TWICE, hidden=hiding_keys(HELD)) == NOT_NAMED


def test_the_key_is_hidden_in_the_first_rows_spelling_too() -> None:
    rows = ((f"token {HELD_KEY}", "1"), (f"TOKEN {HELD_KEY.upper()}", "2"))

    assert dict(row_problems_of(rows, HELD)) == NOT_NAMED


def test_a_key_shown_as_the_held_key_is_not_named() -> None:
    # A Kelvin sign is shown, and named, as a capital K.
    kelvin = HELD_KEY.replace("k", "\u212a")
    held = HeldKeys.of([HELD_KEY.replace("k", "K")])

    assert dict(row_problems_of(((kelvin, "1"), (kelvin, "2")), held)) == NOT_NAMED


def test_the_marks_kept_follow_the_keys_held() -> None:
    # The same rows, asked with and without the key held in turns: each answer is its own.
    assert dict(row_problems_of(HELD_KEY_TWICE, HELD)) == NOT_NAMED
    assert dict(row_problems_of(HELD_KEY_TWICE)) == NAMED
    assert dict(row_problems_of(HELD_KEY_TWICE, HELD)) == NOT_NAMED
    assert dict(row_problems_of(HELD_KEY_TWICE, HeldKeys.of(["gateway.7Tq2Wm9Zx4"]))) == NAMED


def test_other_duplicate_keys_are_still_named_with_a_key_held() -> None:
    rows = ((HELD_KEY, "1"), ("Score", "1"), ("score", "2"), ("", "3"), ("Time", ""))

    assert dict(row_problems_of(rows, HELD)) == {
        2: "Duplicate key “score” (“Score” in other capitals)",
        3: "Key is empty",
        4: "Value is empty",
    }


def test_the_forms_check_never_names_a_held_key_used_again_in_other_capitals() -> None:
    form = FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GB",
        label="Assessment",
        url="https://example.com/r/1",
        prefix="Acme:",
        attributes=((HELD_KEY, "a"), (HELD_KEY.upper(), "b")),
    )
    with pytest.raises(InputError) as refused:
        form.to_request(held_keys=[HELD_KEY])

    said = [f"{error.field}: {error.message}" for error in refused.value.errors]
    # Before: "Duplicate key “PROXYTOKEN-…” (“proxytoken-…” in other capitals)".
    assert "attributes[1].key: Duplicate key (an API key)" in said
    assert not [line for line in said if HELD_KEY.lower() in line.lower()], said
