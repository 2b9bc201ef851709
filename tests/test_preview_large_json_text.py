"""The JSON text of a large request body, written without holding up other threads for
long and without leaving the body to the garbage collector (``core.text``): the very text
``json.dumps`` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_desktop.core.text import indented_json_start, json_pieces
from tests.garbage_support import garbage_found
from tests.json_support import exported_custom_fields

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
#: Objects and arrays of any width and depth, wide ones among them.
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=40) | st.dictionaries(st.text(max_size=6), inner, max_size=40)
    ),
    max_leaves=300,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_pieces_joined_are_what_json_dumps_writes(value: Any) -> None:
    assert "".join(json_pieces(value)) == json.dumps(value, ensure_ascii=False)


def test_keys_of_every_kind_are_written_as_json_dumps_writes_them() -> None:
    value = {"a": [], 1: {}, None: (1, 2), 2.5: "é", False: [{"x": 1}] * 20}
    assert "".join(json_pieces(value)) == json.dumps(value, ensure_ascii=False)


def test_a_large_json_is_written_in_small_pieces() -> None:
    value = exported_custom_fields(20_000)  # about 2.5 MB
    pieces = list(json_pieces(value))
    assert "".join(pieces) == json.dumps(value, ensure_ascii=False)
    # Each is one call of the encoder: none holds more than a small part of it.
    assert max(map(len, pieces)) <= 64 * 1024
    assert len(pieces) > 50


@settings(max_examples=200, deadline=None)
@given(_JSON, st.integers(min_value=1, max_value=400))
def test_the_start_is_that_of_the_indented_text(value: Any, limit: int) -> None:
    whole = json.dumps(value, indent=2, ensure_ascii=False)
    start, cut = indented_json_start(value, limit)
    assert cut == (len(whole) > limit)
    if not cut:
        assert start == whole
        return
    assert whole.startswith(start)
    assert len(start) <= limit
    # Ended at a line end, unless there is none within the limit.
    assert whole[len(start)] == "\n" or "\n" not in whole[:limit]


def test_the_start_leaves_nothing_of_the_value_to_the_garbage_collector() -> None:
    value = exported_custom_fields(2000)
    with garbage_found() as garbage:
        start, cut = indented_json_start(value, 4096)
        del value
    assert cut
    assert start.startswith('{\n  "lever": {')
    assert not [item for item in garbage.objects if isinstance(item, dict) and "options" in item]
