"""Where requests go: regions, custom URLs, environments."""

from __future__ import annotations

import pytest

from kombo_desktop.core.connection import (
    Connection,
    Environment,
    Region,
    base_url_sending_problem,
    validate_base_url,
)
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.profiles_support import earlier_entry, write_earlier_file


def test_regions():
    assert Connection.create(api_key="k", integration_id="i").base_url == "https://api.kombo.dev/v1"
    us = Connection.create(api_key="k", integration_id="i", region=Region.US)
    assert us.base_url == "https://api.us.kombo.dev/v1"


@pytest.mark.parametrize(
    "url",
    [
        "https://kombo.example.com/v1/",
        "http://127.0.0.1:8765/v1",
        "http://localhost/v1",
        "http://[::1]:9/v1",
    ],
)
def test_accepted_base_urls(url):
    assert validate_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.kombo.dev/v1",
        "http://10.0.0.5/v1",
        "ftp://x/v1",
        "https://",
        "https://u:p@x/v1",
        "https://x/v1?a=1",
        "https://kombo.example.com/\u00a0v1",  # a non-breaking space pasted with it
    ],
)
def test_refused_base_urls(url):
    with pytest.raises(InputError) as caught:
        validate_base_url(url)
    assert caught.value.fields == ("base_url",)


def test_all_connection_fields_checked_together():
    with pytest.raises(InputError) as caught:
        Connection.create(api_key=" ", integration_id="", base_url="http://example.com")
    assert set(caught.value.fields) == {"api_key", "integration_id", "base_url"}


@pytest.mark.parametrize(
    ("field", "pasted"),
    [
        ("api_key", "ks_dev_abc\u200bdef"),  # zero-width space from a web page
        ("api_key", "\ufeffks_dev_abcdef"),  # byte-order mark from a file
        ("integration_id", "greenhouse:caf\u00e9"),
    ],
)
def test_keys_and_integration_ids_refuse_invisible_and_non_ascii_characters(field, pasted):
    # Such a value used to be saved and then broke every request inside the HTTP library.
    values = {"api_key": "ks_dev_abcdef", "integration_id": "greenhouse:abc", field: pasted}
    with pytest.raises(InputError) as caught:
        Connection.create(**values)
    assert caught.value.fields == (field,)
    assert "invisible or accented character" in str(caught.value)
    assert pasted not in str(caught.value)


def test_key_not_in_repr():
    connection = Connection.create(api_key="ks_prod_secret123", integration_id="i")
    assert "ks_prod_secret123" not in repr(connection)


@pytest.mark.parametrize(
    ("key", "environment"),
    [
        ("ks_prod_x", Environment.PRODUCTION),
        ("ks_dev_x", Environment.DEVELOPMENT),
        ("other", Environment.UNKNOWN),
    ],
)
def test_environment_from_prefix(key, environment):
    assert Environment.of_key(key) is environment


@pytest.mark.parametrize(
    ("text", "region"), [("eu", Region.EU), (" US ", Region.US), ("Eu", Region.EU)]
)
def test_a_region_is_read_in_any_case(text, region):
    assert Region.parse(text) is region


@pytest.mark.parametrize("text", ["asia", "", "e u"])
def test_an_unknown_region_is_refused_at_the_region_field(text):
    with pytest.raises(InputError) as caught:
        Region.parse(text)
    assert [(e.field, e.message) for e in caught.value.errors] == [("region", "must be EU or US")]


def test_an_empty_custom_url_is_an_error_not_the_default_region():
    with pytest.raises(InputError) as caught:
        Connection.create(api_key="k", integration_id="i", base_url="")
    assert caught.value.message_for("base_url") == "is required"


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"api_key": "  ", "integration_id": "", "base_url": ""}, True),
        ({"api_key": "a key", "integration_id": "i d", "base_url": "ftp://x"}, False),
    ],
    ids=["blank", "bad"],
)
def test_blank_fields_are_reported_as_missing_and_bad_ones_are_not(fields, missing):
    with pytest.raises(InputError) as caught:
        Connection.create(**fields)
    assert {(e.field, e.missing) for e in caught.value.errors} == {
        (name, missing) for name in fields
    }


def test_a_blank_base_url_asks_for_one_and_a_hostless_one_shows_a_kombo_example():
    with pytest.raises(InputError) as blank:
        validate_base_url("   ")
    assert blank.value.errors[0].message == "is required"
    with pytest.raises(InputError) as hostless:
        validate_base_url("https://")
    assert hostless.value.errors[0].message == "must name a host, as in https://api.kombo.dev/v1"


@pytest.mark.parametrize("mark", ["?", "#"])
def test_a_base_url_ending_in_an_empty_query_or_fragment_is_refused_before_sending(mark):
    # Every call's path would go into it, every call to the bare base path. A profile an
    # earlier version saved so still loads (validate_base_url takes it), and says so at
    # its field, and no connection is made of it.
    url = f"https://proxy.example.com/v1{mark}"
    assert validate_base_url(url) == url
    said = f"ends with “{mark}”, which would take in the path of every call: remove it"
    assert base_url_sending_problem(url) == said
    with pytest.raises(InputError) as caught:
        Connection.create(api_key=DEMO_API_KEY, integration_id="acme:1", base_url=url)
    assert caught.value.message_for("base_url") == said


def test_a_profile_saved_with_an_empty_query_mark_still_loads(app_home):
    # Before the mark was refused when sending, not when reading: an earlier version's
    # profile was dropped as damaged, its name and integration ID lost.
    entry = earlier_entry("p1", "Acme", region=None, base_url="https://proxy.example.com/v1?")
    write_earlier_file(entry)
    result = ProfileStore().load()
    assert [(p.name, p.base_url) for p in result.profiles] == [
        ("Acme", "https://proxy.example.com/v1?")
    ]
    assert result.message is None
