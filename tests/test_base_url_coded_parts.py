"""A host name with a character the rules of international names allow nowhere (a capital
letter in what a coded part ``xn--…`` stands for, another form of a letter such as
full-width "ｅ" or the ligature "ﬁ", a character with no meaning yet) is refused at the
field in plain words, typed or coded, as sending refuses it; so is a name of plain letters
starting with a coded part that holds what such a name cannot, or is too long. Only the
rules about where a character stands (a joiner, the direction of writing) are left for
sending to tell."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

import idna
import pytest

from tests.base_url_support import coded, field_problem, sending_refusal

#: What only the HTTP library tells, when a request is built: where a character stands
#: (a joiner between the right letters, the direction of writing).
LEFT_FOR_SENDING = (idna.InvalidCodepointContext, idna.IDNABidiError)


#: Characters named for the rules they test: capital letters, full-width letters and
#: digits, ligatures, roman numerals, a soft hyphen, a character with no meaning yet.
NAMED_CHARACTERS = "ÀÜÞ\u0130ẞΣЖ\uff21\uff45\uff10\ufb01\ufb06\u2160\u216b\u00ad\u0378\u0380"


def characters_beyond_symbols() -> Iterator[str]:
    """Characters beyond ASCII of the kinds the rules of symbols leave (letters, accents,
    digits, invisible ones, those with no meaning yet): those named, and a spread of the
    rest (one in 61 up to U+2FFFF), for the sweep to stay short."""
    for code in [*map(ord, NAMED_CHARACTERS), *range(0x80, 0x30000, 61)]:
        if 0xD800 <= code <= 0xDFFF:
            continue
        character = chr(code)
        kind = unicodedata.category(character)
        if kind[0] not in "SP" and kind not in ("No", "Co", "Cc"):
            yield character


def assert_refused_as_sending_refuses(url: str, checked: str) -> bool:
    """Check that the field refuses ``url`` exactly when sending refuses it for a reason
    the field can know; True when it refuses."""
    refused = field_problem(url) is not None
    why = sending_refusal(url)
    if refused:
        assert why is not None, checked
    elif why is not None:
        assert isinstance(why, LEFT_FOR_SENDING), (checked, why)
    return refused


@pytest.mark.parametrize(
    "written",
    [lambda part: part, coded],
    ids=["typed", "in-a-coded-part"],
)
def test_a_character_no_name_may_hold_is_refused_as_sending_refuses_it(
    written: Callable[[str], str],
) -> None:
    refused = 0
    for character in characters_beyond_symbols():
        url = f"https://{written(f'bü{character}cher')}.example/v1"
        refused += assert_refused_as_sending_refuses(url, f"U+{ord(character):04X}")
    assert refused > 200


@pytest.mark.parametrize("start", ["xn--bcher-kva", "XN--BCHER-KVA", "bücher"])
def test_after_a_coded_or_typed_start_only_letters_digits_and_hyphens_are_taken(start: str):
    # The HTTP library reads such a name whole by the rules of international names, the
    # parts of plain letters too.
    tried = [chr(code) for code in range(0x21, 0x7F) if chr(code) not in "/?#@:[]."]
    refused = {
        character
        for character in tried
        if assert_refused_as_sending_refuses(f"https://{start}.a{character}b.example/v1", character)
    }
    assert refused == {character for character in tried if not character.isalnum()} - {"-"}


def host_of_length(start: str, length: int) -> str:
    """A host name of ``length`` characters: the part ``start``, then parts of "a"."""
    host = start
    while len(host) < length:
        room = length - len(host)  # for a dot and up to 63 letters
        take = min(room, 64) - (room == 65)  # never leaves room for a dot alone
        host += "." + "a" * (take - 1)
    return host


@pytest.mark.parametrize("start", ["xn--bcher-kva", "xn--Bcher-kva"])
def test_a_name_starting_with_a_coded_part_is_refused_when_too_long_as_sending_refuses_it(
    start: str,
) -> None:
    for length in range(250, 260):
        for dot_after in ("", "."):
            url = f"https://{host_of_length(start, length)}{dot_after}/v1"
            problem = field_problem(url)
            assert (problem is not None) == (sending_refusal(url) is not None), (length, dot_after)
            if problem is not None:
                assert problem == (
                    f"has a host name that is too long: {length} characters as sent, at most 253"
                )


def test_a_long_pasted_name_of_coded_parts_is_refused_by_its_length_alone() -> None:
    # Each part is short and well written: it is the name's length that sending refuses,
    # found without reading any of its 20,000 parts.
    host = "xn--bcher-kva." * 20_000 + "example"
    assert field_problem(f"https://{host}/v1") == (
        f"has a host name that is too long: {len(host)} characters as sent, at most 253"
    )
