"""The JSON of a request body and of a draft, written in pieces by ``core.text`` (the very
text ``json.dumps`` writes), measured as sent, and quoted whole in a copied curl command."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_desktop.core.errors import RequestPurpose
from kombo_desktop.core.requests import PreparedCall
from kombo_desktop.core.text import (
    indented_json_pieces,
    indented_json_start,
    json_pieces,
    json_size,
)
from tests.garbage_support import garbage_found

BASE_URL = "https://api.kombo.dev/v1"
INTEGRATION_ID = "personio:8d1hpdCGQDpxRVMy6V9Umt"
#: Characters JSON or a shell could write otherwise than as they are.
AWKWARD = "It's \"quoted\" \\ ü 株 👩‍💻 \u2028 \u2029 \n\t\x01 '$HOME' `id`"


#: Values of every kind ``json.dumps`` writes, the awkward ones among them.
VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -17,
    10**30,
    1.5,
    -0.0,
    1e300,
    float("nan"),
    float("inf"),
    -float("inf"),
    "",
    AWKWARD,
    "x" * 40_000 + "'\"" * 10_000,
    "é" * 100_000 + "\u2028",
    {},
    [],
    (),
    {"": ""},
    {"a": {}, "b": [], "c": [{}], "d": [[[]]]},
    {1: "int key", None: [1], 2.5: {"x": (1, 2)}, False: "bool key"},
    {"outer": {1: {"inner": [1, 2]}}},
    [1, (2, (3, [])), {"t": ()}],
    {AWKWARD: [AWKWARD, {AWKWARD: None}]},
    {"wide": {f"field_{n}": {"value": f"réponse {n}", "n": n * 1.5} for n in range(500)}},
    {"long": ["y" * 70_000, {"deeper": "z'" * 50_000}]},
]

#: Objects and arrays of any width and depth, with numbers JSON has no word for.
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=20)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=20)
    ),
    max_leaves=200,
)


def _where_they_differ(got: str, expected: str) -> str | None:
    """Where ``got`` first differs from ``expected``, a few characters of each; ``None``
    when they are the same. (Told of texts of megabytes, pytest's own comparison would
    take minutes.)"""
    if got == expected:
        return None
    pairs = enumerate(zip(got, expected, strict=False))
    shorter = min(len(got), len(expected))
    at = next((index for index, (mine, theirs) in pairs if mine != theirs), shorter)
    around = slice(max(0, at - 20), at + 20)
    return f"at {at}: {got[around]!r} instead of {expected[around]!r}"


def _call(body: dict[str, Any]) -> PreparedCall:
    return PreparedCall(
        "POST", "/ats/candidates/c1/result-links", body=body, purpose=RequestPurpose.ADD_RESULT_LINK
    )


@pytest.mark.parametrize("value", VALUES)
def test_the_indented_pieces_joined_are_what_json_dumps_writes(value: Any) -> None:
    joined = "".join(indented_json_pieces(value))
    assert _where_they_differ(joined, json.dumps(value, indent=2, ensure_ascii=False)) is None


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_indented_pieces_of_any_value_are_what_json_dumps_writes(value: Any) -> None:
    joined = "".join(indented_json_pieces(value))
    assert _where_they_differ(joined, json.dumps(value, indent=2, ensure_ascii=False)) is None


@pytest.mark.parametrize("value", VALUES)
def test_the_compact_pieces_joined_are_what_json_dumps_writes(value: Any) -> None:
    joined = "".join(json_pieces(value))
    assert _where_they_differ(joined, json.dumps(value, ensure_ascii=False)) is None


@pytest.mark.parametrize("encode", [indented_json_pieces, json_pieces])
def test_a_long_string_is_written_in_many_pieces(encode: Any) -> None:
    text = "a 'quoted' \"word\" é\n" * 50_000  # 1 MB
    pieces = list(encode({"note": text}))
    assert len(pieces) > 10
    # None of them holds much of it: each is one short step of the encoder.
    assert max(map(len, pieces)) <= 64 * 1024


def test_the_start_of_a_body_with_a_2_mb_string_is_that_of_its_indented_text() -> None:
    body = {
        "label": "Assessment Result",
        "url": "https://example.com/r/1",
        "remote_fields": {"lever": {"first": 1, "note": "y'\"é" * 500_000, "last": 2}},
    }
    whole = json.dumps(body, indent=2, ensure_ascii=False)
    limit = 4096
    start, cut = indented_json_start(body, limit)
    assert cut
    assert len(start) <= limit
    assert whole.startswith(start)
    # Ended at the last line end within the limit: the long string's line is left out.
    assert whole[len(start)] == "\n"
    assert start == whole[: whole.rfind("\n", 0, limit)]
    assert start.endswith('"first": 1,')


def test_the_start_of_a_string_without_line_ends_is_cut_at_the_limit() -> None:
    start, cut = indented_json_start("x" * 2_000_000, 100)
    assert cut
    assert start == '"' + "x" * 99


def test_an_encoder_stopped_part_way_leaves_nothing_to_the_garbage_collector() -> None:
    value = {"fields": [{"options": [n, "z" * 40_000]} for n in range(50)]}
    with garbage_found() as garbage:
        pieces = indented_json_pieces(value)
        for _ in range(20):  # into the middle of a long string, members deep
            next(pieces)
        del pieces, value
    held = [item for item in garbage.objects if isinstance(item, dict) and "options" in item]
    assert not held


@pytest.mark.parametrize("paced", [False, True])
@pytest.mark.parametrize("value", VALUES)
def test_the_size_is_that_of_the_json_sent(value: Any, *, paced: bool) -> None:
    expected = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    assert json_size(value, paced=paced) == expected


@pytest.mark.parametrize(
    "body",
    [
        {"label": AWKWARD, "url": "https://example.com/r/1"},
        {"label": "Result", "remote_fields": {"lever": {"note": AWKWARD * 2000}}},
        {"label": "Result", "remote_fields": {"lever": {"note": "'" * 70_000 + "é"}}},
        {"wide": {f"f{n}": {"v": f"it's {n} ✓"} for n in range(3000)}},
    ],
    ids=["short", "long", "quotes-across-pieces", "wide"],
)
def test_copy_as_curl_quotes_the_body_as_the_shell_word_of_its_json(body: dict[str, Any]) -> None:
    call = _call(body)
    text = json.dumps(body, ensure_ascii=False)
    command = call.as_curl(BASE_URL, INTEGRATION_ID)
    without_body = _call({}).as_curl(BASE_URL, INTEGRATION_ID).removesuffix(" \\\n  --data '{}'")
    if len(text.encode("utf-8")) <= 16 * 1024:
        expected = f"{without_body} \\\n  --data {shlex.quote(text)}"
    else:
        expected = f"printf '%s' {shlex.quote(text)} |\n{without_body} \\\n  --data-binary @-"
    assert _where_they_differ(command, expected) is None
    paced = call.as_curl(BASE_URL, INTEGRATION_ID, paced=True)
    assert _where_they_differ(paced, command) is None
    assert call.body_size() == len(text.encode("utf-8"))
