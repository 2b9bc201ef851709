"""A base URL whose host name breaks the rules of host names (two dots in a row, a part
too long, in an international name a symbol or a hyphen at a part's end, a coded part
``xn--…`` that stands for such a name or for none) is refused at the field in plain words,
before anything is sent; what the HTTP library takes is still taken. Each refusal agrees
with what sending would do."""

from __future__ import annotations

import itertools
import string
import sys
import unicodedata
from collections.abc import Iterator

import pytest

from kombo_desktop.core.connection import base_url_sending_problem, validate_base_url
from tests.base_url_support import coded, field_problem, sending_refusal

#: Parts of host names at the longest a part may be, as sent.
LONGEST_PART = "a" * 63
#: An international name of 253 characters as sent (``xn--bcher-kva`` and four more parts).
LONGEST_INTERNATIONAL_NAME = "bücher." + ".".join([LONGEST_PART] * 3 + ["b" * 47])
NO_HOST_NAME_CAN_HOLD = "which no host name can hold"
NOT_VALID_CODED = "is not a valid coded international name"
#: The symbol-like characters the rules of international names allow in some places
#: (RFC 5892: a middle dot between two l's, a few Arabic, Hebrew, Tibetan and Japanese
#: marks): taken at the field, for sending to tell.
ALLOWED_SOMEWHERE = frozenset("\u00b7\u0375\u05f3\u05f4\u06fd\u06fe\u0f0b\u30fb")

#: Base URLs refused at the field, and what it says of each.
REFUSED = [
    ("https://a..b/v1", "has two dots in a row in its host name a..b"),
    ("https://api..kombo.dev/v1", "has two dots in a row in its host name api..kombo.dev"),
    ("https://api.kombo.dev../v1", "has two dots in a row in its host name api.kombo.dev.."),
    ("https://.api.kombo.dev/v1", "has a dot at the start of its host name .api.kombo.dev"),
    ("https://bü..cher.example/v1", "has two dots in a row in its host name bü..cher.example"),
    (
        f"https://{LONGEST_PART}a.example/v1",
        f"has a part of its host name that is too long: {'a' * 39}… (64 characters as sent, "
        "at most 63)",
    ),
    (
        "https://api.kombo.dev:8443/v1".replace("api", "a" * 70),
        f"has a part of its host name that is too long: {'a' * 39}… (70 characters as sent, "
        "at most 63)",
    ),
    (
        f"https://{'ü' * 60}.example/v1",
        f"has a part of its host name that is too long: {'ü' * 39}… (66 characters as sent, "
        "at most 63)",
    ),
    (
        "https://-bücher.example/v1",
        "has a part of its host name that starts with a hyphen: -bücher",
    ),
    (
        "https://bücher-.example/v1",
        "has a part of its host name that ends with a hyphen: bücher-",
    ),
    (
        "https://bücher.-acme.example/v1",
        "has a part of its host name that starts with a hyphen: -acme",
    ),
    (
        "https://ab--cü.example/v1",
        "has a part of its host name that has hyphens as its third and fourth characters: ab--cü",
    ),
    ("https://😀.example/v1", f"has “😀” in its host name 😀.example, {NO_HOST_NAME_CAN_HOLD}"),
    (
        "https://acme♥.example/v1",
        f"has “♥” in its host name acme♥.example, {NO_HOST_NAME_CAN_HOLD}",
    ),
    (
        "https://büro².example/v1",
        f"has “²” in its host name büro².example, {NO_HOST_NAME_CAN_HOLD}",
    ),
    (
        # An accent typed apart from its letter: it looks the same as "ü".
        "https://bu\u0308cher.example/v1",
        "has a letter and its accent written as two characters in its host name "
        "bu\u0308cher.example: type that letter again",
    ),
    (
        "https://\u0308acme.example/v1",
        "has a part of its host name that starts with an accent on no letter: \u0308acme",
    ),
    (
        f"https://{LONGEST_INTERNATIONAL_NAME}b/v1",
        "has a host name that is too long: 254 characters as sent, at most 253",
    ),
    (
        # Longer than a part may be before it is even written in coded form.
        f"https://{'ü' * 64}.example/v1",
        f"has a part of its host name that is too long: {'ü' * 39}… (more than 63 characters "
        "as sent)",
    ),
    (
        f"https://bücher.{'.'.join([LONGEST_PART] * 4)}/v1",
        "has a host name that is too long: more than 253 characters as sent",
    ),
    # Coded parts (xn--…), read for what they stand for, as the typed ones are.
    (
        "https://xn--ls8h.la/v1",
        f"has a part of its host name, xn--ls8h, that stands for “💩”, {NO_HOST_NAME_CAN_HOLD}",
    ),
    (
        "https://XN--LS8H.la:8443/v1",
        f"has a part of its host name, XN--LS8H, that stands for “💩”, {NO_HOST_NAME_CAN_HOLD}",
    ),
    (
        # Once a name is international, every coded part in it is read.
        "https://bücher.xn--ls8h.la/v1",
        f"has a part of its host name, xn--ls8h, that stands for “💩”, {NO_HOST_NAME_CAN_HOLD}",
    ),
    (
        "https://xn--acme-8u3b.example/v1",
        "has a part of its host name, xn--acme-8u3b, that stands for “acme♥”, and no host "
        "name can hold “♥”",
    ),
    (
        "https://xn--ab--c-ova.example/v1",
        "has a part of its host name, xn--ab--c-ova, that stands for “ab--cü”, which has "
        "hyphens as its third and fourth characters",
    ),
    (
        "https://xn--bucher-xyd.example/v1",
        "has a part of its host name, xn--bucher-xyd, that stands for “bu\u0308cher”, which "
        "has a letter and its accent written as two characters",
    ),
    (
        "https://xn--acme-uwc.example/v1",
        "has a part of its host name, xn--acme-uwc, that stands for “\u0308acme”, which "
        "starts with an accent on no letter",
    ),
    ("https://xn--zz.example/v1", f"has a part of its host name, xn--zz, that {NOT_VALID_CODED}"),
    ("https://xn--zz/v1", f"has a part of its host name, xn--zz, that {NOT_VALID_CODED}"),
    (
        # What it decodes to is a control character, which no message shows either.
        "https://xn--a.example/v1",
        f"has a part of its host name, xn--a, that {NOT_VALID_CODED}",
    ),
    (
        # Another spelling of xn--abc: each name has one coded form.
        "https://xn---abc.example/v1",
        f"has a part of its host name, xn---abc, that {NOT_VALID_CODED}",
    ),
    (
        # The coded form of "abc", a name of plain letters, which is never written coded.
        "https://xn--abc-.example/v1",
        f"has a part of its host name, xn--abc-, that {NOT_VALID_CODED}",
    ),
    ("https://xn--.example/v1", f"has a part of its host name, xn--, that {NOT_VALID_CODED}"),
    (
        # A name that starts with a coded part is read as an international one throughout.
        "https://xn--bcher-kva.-acme.example/v1",
        "has a part of its host name that starts with a hyphen: -acme",
    ),
    (
        "https://xn--bü.example/v1",
        "has a part of its host name that has hyphens as its third and fourth characters: xn--bü",
    ),
    # What the rules allow in no name: a capital letter, another form of a letter, a
    # character with no meaning yet; coded (the code's own capitals are read as small).
    (
        "https://xn--bcher-2pa.example/v1",
        "has a part of its host name, xn--bcher-2pa, that stands for “bÜcher”, and a host name "
        "holds “ü”, not “Ü”",
    ),
    (
        "https://XN--BCHR-0RA89610B.example/v1",
        "has a part of its host name, XN--BCHR-0RA89610B, that stands for “büch\uff45r”, and a "
        "host name holds “e”, not “\uff45”",
    ),
    (
        "https://xn--bcher-ud82a.example/v1",
        "has a part of its host name, xn--bcher-ud82a, that stands for “b\ufb01cher”, and a host "
        "name holds “fi”, not “\ufb01”",
    ),
    (
        "https://xn--bcher-kva665b.example/v1",
        "has a part of its host name, xn--bcher-kva665b, that stands for “bü\u0378cher”, and no "
        "host name can hold the character U+0378",
    ),
    # ... and typed.
    (
        "https://büch\uff45r.example/v1",
        "has “\uff45” in its host name büch\uff45r.example: type “e” instead",
    ),
    (
        "https://BÜ\u216bCHER.example/v1",
        "has “\u216b” in its host name BÜ\u216bCHER.example: type “xii” instead",
    ),
    # What cannot be seen is named by its code, and stands as "�" in the name shown.
    (
        "https://bü\u0378cher.example/v1",
        "has the character U+0378 in its host name bü\ufffdcher.example, which no host name "
        "can hold",
    ),
    # A name of plain letters starting with a coded part is read by the same rules throughout.
    (
        "https://xn--bcher-kva.kombo_proxy.internal/v1",
        "has “_” in its host name xn--bcher-kva.kombo_proxy.internal, which a host name "
        "starting with xn-- cannot hold",
    ),
    (
        f"https://xn--bcher-kva.{'.'.join([LONGEST_PART] * 3)}.{'b' * 49}/v1",
        "has a host name that is too long: 255 characters as sent, at most 253",
    ),
    (
        f"https://xn--bcher-kva.{'.'.join([LONGEST_PART] * 3)}.{'b' * 48}./v1",
        "has a host name that is too long: 254 characters as sent, at most 253",
    ),
]

#: Base URLs the field takes, as sending does.
TAKEN = [
    "https://bücher.example/v1",
    "https://BÜCHER.example:8443/v1",
    "https://bücher.example./v1",
    # Ideographic full stops part a name, as its rules read them.
    "https://bücher\u3002example/v1",
    # A middle dot between two l's is how Catalan writes them.
    "https://col·legi.example/v1",
    "https://xn--bcher-kva.example/v1",
    "https://XN--BCHER-KVA.example/v1",
    "https://xn--bcher-kva.example./v1",
    "https://api.xn--bcher-kva.xn--bcher-kva.example/v1",
    # The HTTP library reads a code in small letters.
    "https://xn--Bcher-kva.example/v1",
    "https://xn--bcher-KVA.example/v1",
    # Read whole, with the dot after it if any: up to 254 characters it takes.
    f"https://xn--bcher-kva.{'.'.join([LONGEST_PART] * 3)}.{'b' * 47}./v1",
    f"https://xn--bcher-kva.{'.'.join([LONGEST_PART] * 3)}.{'b' * 48}/v1",
    # The HTTP library reads a name of plain letters for what it stands for only when it
    # starts with a coded part: these it sends as written, for the name lookup to find.
    "https://api.xn--ls8h.la/v1",
    "https://api.xn--zz.example/v1",
    "https://api.xn--bcher-kva.kombo_proxy.internal/v1",
    f"https://{LONGEST_PART}.example/v1",
    f"https://{LONGEST_INTERNATIONAL_NAME}/v1",
    "https://api.kombo.dev./v1",
    # A name of plain letters is looked up as written: nothing refuses these before then.
    "https://-acme.example/v1",
    "https://acme-.example/v1",
    "https://ab--c.example/v1",
    "https://kombo_proxy.internal/v1",
    "http://localhost:8765/v1",
    "http://[::1]:8765/v1",
]


def sending_refuses(url: str) -> bool:
    """True when a request to ``url`` could not be sent (``sending_refusal``)."""
    return sending_refusal(url) is not None


@pytest.mark.parametrize(("url", "words"), REFUSED)
def test_a_host_name_that_breaks_the_rules_is_said_in_plain_words(url: str, words: str) -> None:
    assert base_url_sending_problem(validate_base_url(url)) == words
    assert field_problem(url) == words


#: 5,000 Chinese characters: a part far too long to write in coded form at every key.
LONG_PASTED_PART = "".join(chr(0x4E00 + offset) for offset in range(5000))


@pytest.mark.parametrize(
    ("host", "words"),
    [
        (
            f"{LONG_PASTED_PART}.example",
            f"has a part of its host name that is too long: {LONG_PASTED_PART[:39]}… (more "
            "than 63 characters as sent)",
        ),
        (
            f"xn--{'a' * 4996}.example",
            f"has a part of its host name that is too long: xn--{'a' * 35}… (5000 characters "
            "as sent, at most 63)",
        ),
    ],
)
def test_a_long_pasted_host_name_is_refused_by_its_length_alone(host: str, words: str) -> None:
    # Writing a part in coded form, or reading a coded one, takes time growing with the
    # square of its length: the field, checked at every key, refuses these by counting.
    assert field_problem(f"https://{host}/v1") == words


@pytest.mark.parametrize("url", TAKEN)
def test_a_host_name_that_can_be_sent_to_is_taken(url: str) -> None:
    assert field_problem(url) is None


def test_each_refusal_and_each_host_taken_agrees_with_sending() -> None:
    for url, _words in REFUSED:
        assert sending_refuses(url), url
    for url in TAKEN:
        assert not sending_refuses(url), url


def symbol_like_characters() -> Iterator[str]:
    """Every character beyond ASCII of the kinds the rule looks at (symbols, punctuation,
    numbers that are no digits), with a few for private use."""
    for code in range(0x80, sys.maxunicode + 1):
        character = chr(code)
        kind = unicodedata.category(character)
        if kind[0] in "SP" or kind == "No" or code in (0xE000, 0xF8FF, 0x10FFFD):
            yield character


def test_in_an_international_name_a_symbol_is_refused_as_sending_refuses_it() -> None:
    checked = 0
    for character in symbol_like_characters():
        url = f"https://bü{character}cher.example/v1"
        if character in ALLOWED_SOMEWHERE:
            assert field_problem(url) is None
            continue
        refused = field_problem(url) is not None
        assert refused == sending_refuses(url), f"U+{ord(character):04X}"
        checked += 1
    assert checked > 5000


def test_a_coded_part_is_refused_as_sending_refuses_what_it_stands_for() -> None:
    # The coded form of each character the sweep above looks at, in a name that starts
    # with it, as the HTTP library reads it: refused at the field exactly when sending
    # refuses it, and said with what it stands for.
    checked = 0
    for character in symbol_like_characters():
        if character in ALLOWED_SOMEWHERE:
            continue
        coded_part = coded(f"bü{character}cher")
        url = f"https://{coded_part}.example/v1"
        problem = field_problem(url)
        which = f"U+{ord(character):04X}"
        assert (problem is not None) == sending_refuses(url), which
        assert problem is not None
        assert f"{coded_part}, that stands for “bü{character}cher”" in problem, which
        checked += 1
    assert checked > 5000


def test_every_coded_part_the_field_refuses_sending_refuses() -> None:
    # Codes of letters, digits and hyphens: all of one and two characters, every fifth of
    # three. Most stand for nothing or for what no name can hold. The field refuses none
    # that sending takes; what it lets through and sending refuses (a joiner out of place,
    # letters written in both directions) is said when a request is built.
    letters = string.ascii_lowercase + string.digits + "-"
    codes = itertools.chain(
        map("".join, itertools.product(letters, repeat=1)),
        map("".join, itertools.product(letters, repeat=2)),
        itertools.islice(map("".join, itertools.product(letters, repeat=3)), 0, None, 5),
    )
    refused = 0
    for code in codes:
        url = f"https://xn--{code}.example/v1"
        if field_problem(url) is not None:
            assert sending_refuses(url), url
            refused += 1
    assert refused > 5000


def test_a_long_host_pasted_in_is_named_shortened() -> None:
    # Said at each key typed, under the field: not the whole of what was pasted.
    host = "bü" + "€" * 50_000 + ".example"
    problem = field_problem(f"https://{host}/v1")
    assert problem is not None
    assert problem.startswith("has “€” in its host name bü€€")
    assert len(problem) < 200
