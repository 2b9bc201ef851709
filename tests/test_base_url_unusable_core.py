"""A base URL the HTTP library cannot make a request of is said at its field, or, when
only the library knows (the rules of international host names), as the connection's
problem when the request is built: never as a fault of the app, and never as a link that
may have been added."""

from __future__ import annotations

import pytest

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection, validate_base_url
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.messages import Remedy, ShownIn, describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.profiles_support import earlier_entry, write_earlier_file

#: Hosts written as IPv4 addresses that are none, and what the field says of each.
NOT_AN_ADDRESS = [
    ("https://256.1.1.1/v1", "256.1.1.1", "each of its four numbers goes up to 255"),
    ("http://127.0.0.300:8080/v1", "127.0.0.300", "each of its four numbers goes up to 255"),
    ("https://010.0.0.1/v1", "010.0.0.1", "write its numbers without a 0 in front"),
]
#: A lone surrogate: half of a character, left by a copy that cut it in two.
BROKEN_CHARACTER_URL = "http://127.0.0.1:1/v\udce9"
#: A host name of the right shape that only the rules of international names refuse,
#: for where a character stands: coded, it stands for "a·b", and they take a middle dot
#: only between two l's (the field leaves such rules to the library).
REFUSED_INTERNATIONAL_NAME = "https://xn--ab-0ea.example/v1"


def connection_to(base_url: str) -> InputError:
    """What ``Connection.create`` refuses for ``base_url`` with right credentials."""
    with pytest.raises(InputError) as refused:
        Connection.create(
            api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url
        )
    return refused.value


def send_to(base_url: str) -> InputError:
    """Send a result link over a connection to ``base_url`` as a profile saved before the
    field's checks would hold it; the error the send ends with."""
    connection = Connection(
        base_url=base_url, integration_id=DEMO_INTEGRATION_ID, api_key=DEMO_API_KEY
    )
    with SyncKomboClient(connection) as client, pytest.raises(InputError) as refused:
        client.add_result_link(
            Target(kind=TargetKind.CANDIDATE, id="c1"),
            ResultLinkRequest(label="Assessment Result", url="https://example.com/results/1"),
        )
    return refused.value


@pytest.mark.parametrize(("base_url", "host", "why"), NOT_AN_ADDRESS)
def test_a_host_that_is_no_ip_address_is_refused_at_the_field(base_url, host, why):
    refused = connection_to(base_url)
    assert refused.fields == ("base_url",)
    message = refused.message_for("base_url") or ""
    assert message.startswith(f"has {host} as its host, which is not an IP address")
    assert message.endswith(why)


def test_a_broken_character_is_refused_at_the_field_without_quoting_it():
    refused = connection_to(BROKEN_CHARACTER_URL)
    message = refused.message_for("base_url") or ""
    # Shown as its escape: the character itself cannot be shown.
    assert message.startswith("contains half of a character (\\udce9)")
    assert "\udce9" not in message


def test_a_real_ip_address_and_names_of_digits_still_pass():
    for base_url in ("http://127.0.0.1:8080/v1", "https://10.0.0.1/v1", "https://1.2.3.4.nip.io"):
        connection = Connection.create(
            api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url
        )
        assert connection.base_url == base_url.rstrip("/")


@pytest.mark.parametrize(
    ("base_url", "why"),
    [
        (NOT_AN_ADDRESS[0][0], "its host 256.1.1.1 is not an IP address: each of its four"),
        (
            REFUSED_INTERNATIONAL_NAME,
            "its host name xn--ab-0ea.example is not a valid internet name",
        ),
        (BROKEN_CHARACTER_URL, "it contains half of a character (\\udce9)"),
    ],
)
def test_a_send_the_library_cannot_build_is_the_base_urls_problem(base_url, why):
    refused = send_to(base_url)
    assert refused.fields == ("base_url",)
    assert (refused.message_for("base_url") or "").startswith(f"cannot be used: {why}")
    for shown_in in ShownIn:
        message = describe_error(refused, shown_in=shown_in)
        assert message.text.startswith("Nothing was sent. The base URL cannot be used: ")
        assert "went wrong" not in message.text
        assert not message.may_have_been_applied
        assert message.remedy is Remedy.FIX_PROFILE


def test_a_refused_international_name_passes_the_field_and_is_said_at_send():
    # Only the rules of international names know it: the field lets it through.
    Connection.create(
        api_key=DEMO_API_KEY,
        integration_id=DEMO_INTEGRATION_ID,
        base_url=REFUSED_INTERNATIONAL_NAME,
    )
    words = describe_error(send_to(REFUSED_INTERNATIONAL_NAME)).text
    assert "xn--ab-0ea.example is not a valid internet name" in words
    assert words.endswith("Correct the connection's base URL, then try again.")


def test_a_profile_saved_earlier_with_such_a_url_still_loads():
    # Saved by a version that let them through: kept, not left out as damaged.
    write_earlier_file(
        earlier_entry("p1", "Acme", region=None, base_url=NOT_AN_ADDRESS[0][0]),
        earlier_entry("p2", "Globex", region=None, base_url=BROKEN_CHARACTER_URL),
    )
    store = ProfileStore()
    store.load()
    assert store.load_result.message is None
    assert [profile.base_url for profile in store.profiles()] == [
        NOT_AN_ADDRESS[0][0],
        BROKEN_CHARACTER_URL,
    ]
    # What reads it as a profile's address still takes it; a connection made of it does not.
    assert validate_base_url(NOT_AN_ADDRESS[0][0]) == NOT_AN_ADDRESS[0][0]


@pytest.mark.parametrize(("base_url", "host", "why"), NOT_AN_ADDRESS)
def test_a_profile_is_not_saved_with_such_a_url(base_url, host, why):
    # Said at the field as the profile is typed (Manage profiles, ``profiles add``), not
    # first when a send makes a connection of it.
    store = ProfileStore()
    store.load()
    with pytest.raises(InputError) as refused:
        store.checked_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, base_url=base_url)
    (error,) = refused.value.errors
    assert error.field == "base_url"
    assert why in error.message
    assert store.profiles() == []
