"""A base URL with unmatched brackets, a port that is none or a character no host name can
hold is refused at the field in plain words, before anything is sent; the hosts that
work (an international name, an IPv6 address) still pass."""

from __future__ import annotations

import string
from pathlib import Path

import httpx
import pytest

from kombo_desktop.core.connection import (
    Connection,
    base_url_sending_problem,
    validate_base_url,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.text import validate_http_url

#: What Python's URL parser says, which a person should never be shown.
PYTHONS_WORDS = ("Invalid IPv6 URL", "does not appear to be", "could not be cast", "out of range")
IPV6_AS_WRITTEN = "an IPv6 address is written in brackets, as in https://[::1]:8443/v1"


def base_url_problem(url: str) -> str:
    """What the connection bar and ``--base-url`` say of ``url`` (both make a connection of
    it), as the rest of a sentence about the field."""
    with pytest.raises(InputError) as refused:
        Connection.create(api_key="ks_dev_abc", integration_id="workday:abc", base_url=url)
    (error,) = refused.value.errors
    assert error.field == "base_url"
    return error.message


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://[::1/v1", f"has an opening [ with no closing ]: {IPV6_AS_WRITTEN}"),
        ("https://::1]:8443/v1", f"has a closing ] with no opening [: {IPV6_AS_WRITTEN}"),
        ("https://[fe80::zz]/v1", f"has brackets that hold no IPv6 address: {IPV6_AS_WRITTEN}"),
        (
            "https://[10.0.0.7]/v1",
            "has an IPv4 address in brackets: write it without them, as 10.0.0.7",
        ),
        (
            "http://[127.0.0.1]:8765/v1",
            "has an IPv4 address in brackets: write it without them, as 127.0.0.1:8765",
        ),
        # A full-width slash, as an input method types it.
        (
            "https://api.kombo.dev\uff0fv1",
            "has “\uff0f” in its host, which reads as “/” and cannot be in one",
        ),
        (
            "https://api.kombo.dev:443x/v1",
            "is not a valid URL: its port is not a number (a port is written as in "
            "https://api.kombo.dev:8443/v1)",
        ),
        (
            "https://api.kombo.dev:99999/v1",
            "is not a valid URL: its port 99999 is not between 0 and 65535",
        ),
        # Numbers to Python's int(), not to the URL parser: said as no number, not as
        # out of range.
        *(
            (
                f"https://api.kombo.dev:{port}/v1",
                "is not a valid URL: its port is not a number (a port is written as in "
                "https://api.kombo.dev:8443/v1)",
            )
            for port in ("+80", "\u0668\u0660", "1_000")
        ),
    ],
)
def test_brackets_and_ports_python_cannot_read_are_said_in_plain_words(url: str, words: str):
    said = base_url_problem(url)
    assert said == words
    assert not any(python in said for python in PYTHONS_WORDS)


def test_a_result_link_with_an_open_bracket_is_shown_an_ipv6_address_in_its_own_shape():
    with pytest.raises(ValueError, match=r"^has an opening \[ with no closing \]") as refused:
        validate_http_url("https://[2001:db8::1/results/5")
    assert str(refused.value).endswith("as in https://[::1]:8443/results/123")


@pytest.mark.parametrize(
    ("url", "character"),
    [
        ("https://exa%mple.com/v1", "%"),
        # An escape is not read in a host: the name looked up would hold the "%" itself.
        ("https://exa%2Dmple.com/v1", "%"),
        ("https://api.kombo.dev|/v1", "|"),
        ("https://api\\kombo.dev/v1", "\\"),
        ("https://api^kombo.dev:8443/v1", "^"),
        ("https://api<kombo.dev/v1", "<"),
    ],
)
def test_a_character_no_host_name_can_hold_is_named_at_the_field(url: str, character: str):
    host = url.split("//")[1].split("/")[0].split(":")[0]
    words = f"has “{character}” in its host name {host}, which no host name can hold"
    assert base_url_sending_problem(validate_base_url(url)) == words
    assert base_url_problem(url) == words


def test_an_international_host_name_may_hold_only_what_idna_allows_of_ascii():
    assert base_url_problem("https://bü_cher.example/v1") == (
        "has “_” in its host name bü_cher.example, which a host name with letters beyond a–z "
        "cannot hold"
    )


def test_a_host_name_starting_with_a_coded_part_may_hold_only_what_idna_allows_of_ascii():
    # The HTTP library reads such a name by the rules of international names throughout.
    assert base_url_problem("https://XN--BCHER-KVA.acme!.example/v1") == (
        "has “!” in its host name XN--BCHER-KVA.acme!.example, which a host name starting with "
        "xn-- cannot hold"
    )
    assert _library_refuses("https://XN--BCHER-KVA.acme!.example/v1")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.kombo.dev/v1",
        "https://bücher.example/v1",
        "https://BÜCHER.example:8443/v1",
        "https://xn--bcher-kva.example/v1",
        # Underscores are in real internal host names, and the HTTP library sends them.
        "https://kombo_proxy.internal/v1",
        "http://[::1]:8765/v1",
        "https://[2001:db8::1]:8443/v1",
        "http://localhost:8765/v1",
    ],
)
def test_host_names_that_work_are_still_taken(url: str):
    assert base_url_sending_problem(validate_base_url(url)) is None
    connection = Connection.create(api_key="ks_dev_abc", integration_id="workday:abc", base_url=url)
    assert connection.base_url == url


def _library_refuses(url: str) -> bool:
    try:
        httpx.Request("GET", url)
    except (httpx.InvalidURL, UnicodeError):  # the rules of names' own error, for xn--…
        return True
    return False


def test_in_an_international_host_name_the_field_refuses_what_the_http_library_refuses():
    # Every printable ASCII character that can stand in a host once the URL is read.
    for character in sorted(set(string.printable) - set(string.whitespace) - set("/?#@:[]")):
        url = f"https://bü{character}cher.example/v1"
        try:
            problem = base_url_sending_problem(validate_base_url(url))
        except InputError:
            problem = "refused"
        assert (problem is not None) == _library_refuses(url), character


def test_a_profile_with_such_a_base_url_is_refused_at_its_field(app_home: Path):
    for url, words in (
        ("https://[::1/v1", "has an opening [ with no closing ]"),
        ("https://exa%mple.com/v1", "has “%” in its host name"),
    ):
        with pytest.raises(InputError) as refused:
            ProfileStore().checked_profile(name="Acme", integration_id="workday:abc", base_url=url)
        problems = [error for error in refused.value.errors if isinstance(error, FieldError)]
        assert [error.field for error in problems] == ["base_url"]
        assert problems[0].message.startswith(words)
