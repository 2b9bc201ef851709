"""One scanner finds the keys in a text for both ``contains_api_key`` and
``without_api_keys``, step by step around each ``ks_``: what they answer is what one
search through the whole text answers, a key across the edge of two steps included, and
neither hands megabytes to one search."""

from __future__ import annotations

import json
import re

import pytest

from kombo_desktop.core import connection
from kombo_desktop.core.connection import KEY_REMOVED, contains_api_key, without_api_keys
from tests.json_support import texts_given_to_searches_and_json

KEY = "ks_prod_A1b2C3d4E5f6G7h8I9"
STEP = connection._SEARCH_STEP


def _at(offset: int, piece: str, *, filler: str = "w", tail: str = " and more") -> str:
    """A text with ``piece`` starting at ``offset``, ``filler`` before it."""
    return filler * offset + piece + tail


_SHORT_TEXTS = [
    "", "ks_", "ks_prod_", "ks_prod_abc", "ks_prod_abcd", "Acme (ks_prod_A1b2C3d4E5f6G7h8)",
    "key=ks_dev_abcd1234.", "webhooks_prod_eu", "tasks_dev_round", f"seeks_prod_{KEY[8:]}",
    "seeks_prod_abcd", "KS_PROD_abcd1234", "ks_test_abcd1234", "ks_prod_ab\u200bcd1234 end",
    f"{KEY} {KEY},{KEY}.", f"tasks_dev_x {KEY} webhooks_prod_eu ks_dev_zz", "ks_ks_prod_abcd",
    f"ks_{KEY}", "k s_prod_abcd", "é ks_dev_1234 “ks_prod_abcd”",
]  # fmt: skip

#: Where a piece starts, around the edges of the first steps: a key ending just before an
#: edge, across it, its "ks_" split by it ("k" the last character of a step), after it.
_EDGE_OFFSETS = [
    edge + shift
    for edge in (STEP, 2 * STEP)
    for shift in (-len(KEY) - 1, -len(KEY), -len(KEY) + 1, -5, -3, -2, -1, 0, 1)
]
_EDGE_PIECES = [KEY, "ks_", "ks_prod_x", f"tasks_dev_x {KEY}", f"seek{KEY}"]


def _reference_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(connection._KEY_IN_TEXT, text)]


def _assert_found_as_one_search_finds(text: str) -> None:
    found = re.search(connection._KEY_IN_TEXT, text) is not None
    assert contains_api_key(text) is found
    replaced = re.sub(connection._KEY_IN_TEXT, KEY_REMOVED, text)
    assert without_api_keys(text, KEY_REMOVED) == replaced
    assert [match.span() for match in connection._keys_in(text)] == _reference_spans(text)


@pytest.mark.parametrize("text", _SHORT_TEXTS)
def test_the_keys_found_are_those_one_search_through_the_whole_text_finds(text: str) -> None:
    _assert_found_as_one_search_finds(text)


@pytest.mark.parametrize("filler", ["w", " "], ids=["after-a-word", "after-a-space"])
@pytest.mark.parametrize("piece", _EDGE_PIECES)
def test_keys_around_the_edge_of_two_steps_are_found_as_one_search_finds(
    piece: str, filler: str
) -> None:
    for offset in _EDGE_OFFSETS:
        _assert_found_as_one_search_finds(_at(offset, piece, filler=filler))


def test_a_key_with_its_ks_across_a_step_edge_is_found_whole() -> None:
    for offset in (STEP - 2, STEP - 1):
        text = _at(offset, KEY, filler=" ")
        assert contains_api_key(text)
        assert without_api_keys(text, KEY_REMOVED) == " " * offset + KEY_REMOVED + " and more"


def test_megabytes_without_a_key_are_searched_in_short_steps() -> None:
    # Full of "ks_" that start no key: before, one search ran through all of it.
    text = json.dumps({f"field_{i}": {"value": "tasks_dev_x"} for i in range(100_000)})
    assert len(text) > 4 * STEP
    longest = max(texts_given_to_searches_and_json(lambda: contains_api_key(text)), default=0)
    assert not contains_api_key(text)
    assert longest < STEP
