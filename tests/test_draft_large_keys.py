"""Keys come out of a draft's texts exactly as before, however large the text.

A pasted remote-fields JSON may be megabytes, and its keys are taken out step by step
around each ``ks_`` rather than by one search through all of it. What comes out must be
the very text one search through all of it gives: keys glued to words, words that only
look like keys (``webhooks_prod_eu``), invisible characters inside a key, a full stop
after one, a key across the edge of two steps.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_desktop.core import connection
from kombo_desktop.core.connection import KEY_REMOVED, without_api_keys
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from tests.json_support import texts_given_to_searches_and_json

#: Pieces texts are made of: starts of keys, words ending like one, characters a key
#: holds and those that end it, invisible ones, quotes of other alphabets.
_PIECES = [
    "ks_", "ks_prod_", "ks_dev_", "ks_test_", "KS_PROD_", "prod_", "dev_", "webhooks_prod_eu",
    "tasks_dev_round", "seeks_prod_", "acme", "A1b2C3d4E5f6G7h8", "0123456789abcdef",
    "_", "-", ".", ":", "!", "?", "/", "=", "+", "~", "|", " ", "\n", "\t", '"', "'", "`",
    "\\", ",", ";", "(", ")", "[", "{", "<", "\u200b", "\ufeff", "\u2060", "\xad",
    "\U000e0020", "é", "“", "”", "ß", "k", "s",
]  # fmt: skip


def _whole_search(text: str, replacement: str) -> str:
    """What one search through all of ``text`` gives: the reference."""
    return re.sub(connection._KEY_IN_TEXT, replacement, text)


def _text_of(pieces: list[str]) -> str:
    return "".join(pieces)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(_text_of))
def test_keys_are_taken_out_as_one_search_through_the_whole_text_does(text: str) -> None:
    assert without_api_keys(text, KEY_REMOVED) == _whole_search(text, KEY_REMOVED)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40).map(_text_of),
    st.sampled_from(["", "[API key removed]", r"<\g<0>>", "a\\nb", "ks_prod_"]),
)
def test_any_replacement_is_put_in_as_one_search_puts_it(text: str, replacement: str) -> None:
    assert without_api_keys(text, replacement) == _whole_search(text, replacement)


def _random_texts(seed: int, count: int, size: int) -> Iterator[str]:
    chooser = random.Random(seed)
    for _ in range(count):
        yield "".join(chooser.choice(_PIECES) for _ in range(size))


def test_long_texts_full_of_near_keys_come_out_the_same() -> None:
    for text in _random_texts(seed=20, count=3, size=60_000):
        assert without_api_keys(text, KEY_REMOVED) == _whole_search(text, KEY_REMOVED)


def test_a_key_across_the_edge_of_two_steps_is_taken_out_whole() -> None:
    key = "ks_prod_A1b2C3d4E5f6G7h8I9"
    edges = [step * 1024 for step in (64, 128, 256, 512)]
    for before in (at for edge in edges for at in range(edge - len(key) - 2, edge + 2)):
        for glued in ("", "seek", "x."):
            text = "w" * (before - len(glued)) + glued + key + " and " + "y" * 10
            expected = _whole_search(text, KEY_REMOVED)
            assert without_api_keys(text, KEY_REMOVED) == expected
            assert key not in expected


def test_a_text_without_a_key_is_given_back_as_it_is() -> None:
    text = json.dumps({"webhooks_prod_eu": "tasks_dev_round", "note": "ks_"}) * 1000
    assert without_api_keys(text, KEY_REMOVED) is text


def test_a_large_draft_is_saved_and_checked_in_short_steps(tmp_path: Path) -> None:
    remote = json.dumps({"lever": {f"field_{i}": {"value": "tasks_dev_x"} for i in range(40_000)}})
    state = FormState(label="Coding test", remote_fields=RemoteFieldsInput(raw_json=remote))
    store = DraftStore(tmp_path / "draft.json")
    longest = 256 * 1024
    assert max(texts_given_to_searches_and_json(lambda: store.save(state))) < longest
    assert max(texts_given_to_searches_and_json(lambda: store.save(state))) < longest
    checked = texts_given_to_searches_and_json(lambda: store.holds(state))
    assert store.holds(state)
    assert max(checked, default=0) < longest
