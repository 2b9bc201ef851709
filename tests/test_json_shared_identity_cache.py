"""What was worked out for the objects of a remote-fields JSON is kept by the objects
themselves (``LastSeenByIdentity``): worked out again only for new ones, and let go of once
they are no longer given."""

from __future__ import annotations

import json
import weakref

from kombo_desktop.core.identity_cache import LastSeenByIdentity


class _Members(list[object]):
    """A JSON array that can be watched for being freed (a plain list cannot)."""


class _Encoder:
    """Encodes JSON as ``sent_fingerprint`` does, and remembers what it was given."""

    def __init__(self) -> None:
        self.given: list[object] = []

    def __call__(self, value: object) -> str:
        self.given.append(value)
        return json.dumps(value, sort_keys=True, separators=(",", ":"))


def test_an_object_given_again_is_not_worked_out_again() -> None:
    known: LastSeenByIdentity[str] = LastSeenByIdentity()
    encode = _Encoder()
    lever = {"custom": [1, 2]}
    first = known.values_of({"lever": lever}, encode)
    second = known.values_of({"lever": lever}, encode)
    assert first == second == {"lever": '{"custom":[1,2]}'}
    assert encode.given == [lever]


def test_a_new_object_is_worked_out_even_when_equal_to_the_last() -> None:
    known: LastSeenByIdentity[str] = LastSeenByIdentity()
    encode = _Encoder()
    lever, greenhouse = {"custom": [1]}, {"x": None}
    known.values_of({"lever": lever, "greenhouse": greenhouse}, encode)
    changed = {"custom": [1]}
    result = known.values_of({"lever": changed, "greenhouse": greenhouse}, encode)
    assert result == {"lever": '{"custom":[1]}', "greenhouse": '{"x":null}'}
    assert [id(value) for value in encode.given] == [id(lever), id(greenhouse), id(changed)]


def test_an_object_given_under_two_names_is_worked_out_once() -> None:
    known: LastSeenByIdentity[str] = LastSeenByIdentity()
    encode = _Encoder()
    shared = ["a"]
    assert known.values_of({"one": shared, "two": shared}, encode) == {
        "one": '["a"]',
        "two": '["a"]',
    }
    assert encode.given == [shared]


def test_an_object_no_longer_given_is_let_go() -> None:
    known: LastSeenByIdentity[str] = LastSeenByIdentity()
    members = _Members(["a" * 1000])
    watched = weakref.ref(members)
    known.values_of({"lever": members}, _Encoder())
    del members
    assert watched() is not None  # kept for the next call
    known.values_of({"greenhouse": {}}, _Encoder())
    assert watched() is None  # freed at once, not left to the garbage collector
    assert known.holds_any()


def test_forget_lets_go_of_everything() -> None:
    known: LastSeenByIdentity[int] = LastSeenByIdentity()
    members = _Members([1, 2, 3])
    watched = weakref.ref(members)
    assert known.values_of({"lever": members}, lambda value: len(str(value))) == {"lever": 9}
    del members
    known.forget()
    assert not known.holds_any()
    assert watched() is None
