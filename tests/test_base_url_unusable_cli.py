"""``kombo-desktop send`` with a base URL no request can be made of says so at --base-url
(exit 2, nothing sent), not as a fault of the app; ``--api-key KEY send`` says the option
is none, not that the masked key is no command; a value starting with a dash says how to
give it."""

from __future__ import annotations

import json

import pytest

from kombo_desktop.sandbox import DEMO_API_KEY
from tests.cli_support import cli, one_line, output, send_options

#: What a fault of the app's own says: never for an address someone mistyped.
FAULT_WORDS = "went wrong"
#: Coded, it stands for "a·b": only the rules of international names refuse it (a middle
#: dot stands only between two l's).
REFUSED_INTERNATIONAL_NAME = "https://xn--ab-0ea.example/v1"


def send_to(app_home, sandbox, base_url: str, *extra: str):
    """``send`` with the sandbox's other options, to ``base_url``."""
    options = send_options(sandbox)
    options[options.index("--base-url") + 1] = base_url
    return cli(app_home, "send", *options, *extra, KOMBO_API_KEY=DEMO_API_KEY)


@pytest.mark.parametrize(
    ("base_url", "words"),
    [
        (
            "https://256.1.1.1/v1",
            "--base-url: has 256.1.1.1 as its host, which is not an IP address: each of its "
            "four numbers goes up to 255",
        ),
        (
            # A byte that is no UTF-8 (a Latin-1 "é" typed in another terminal): Python
            # reads it as half a character, which no request can carry.
            "http://127.0.0.1:1/v\udce9",
            "--base-url: contains half of a character (\\udce9)",
        ),
        (
            "https://[::1/v1",
            "--base-url: has an opening [ with no closing ]: an IPv6 address is written in "
            "brackets, as in https://[::1]:8443/v1",
        ),
        (
            # Not refused by the HTTP library: the name lookup would fail on it, as for a
            # server that is not there.
            "https://exa%mple.com/v1",
            "--base-url: has “%” in its host name exa%mple.com, which no host name can hold",
        ),
    ],
)
def test_an_address_that_is_none_is_refused_at_its_option(app_home, fresh_sandbox, base_url, words):
    result = send_to(app_home, fresh_sandbox, base_url)
    assert result.returncode == 2, output(result)
    said = one_line(result.stderr)
    assert said.startswith("Nothing was sent."), said
    assert words in said
    assert FAULT_WORDS not in said
    assert fresh_sandbox.requests == []


def test_a_host_name_only_the_library_refuses_is_said_as_the_base_urls_problem(
    app_home, fresh_sandbox
):
    result = send_to(app_home, fresh_sandbox, REFUSED_INTERNATIONAL_NAME)
    assert result.returncode == 2, output(result)
    said = one_line(result.stderr)
    assert said == (
        "Nothing was sent. The base URL cannot be used: its host name xn--ab-0ea.example "
        "is not a valid internet name. Correct --base-url (or the profile's base URL), then "
        "run the command again."
    )
    assert "Traceback" not in result.stderr
    assert DEMO_API_KEY not in output(result)


def test_a_host_name_only_the_library_refuses_in_json(app_home, fresh_sandbox):
    result = send_to(app_home, fresh_sandbox, REFUSED_INTERNATIONAL_NAME, "--json")
    assert result.returncode == 2, output(result)
    answer = json.loads(result.stdout)
    assert answer["status"] == "error"
    assert answer["may_have_been_applied"] is False
    assert answer["summary"].startswith("Nothing was sent. The base URL cannot be used: ")
    # The command's input is at fault, not the row: as for any input refused.
    assert answer["target"] is None
    (problem,) = answer["errors"]
    assert problem["field"] == "base_url"
    assert problem["message"].startswith("cannot be used: its host name xn--ab-0ea.example")
    assert DEMO_API_KEY not in output(result)


@pytest.mark.parametrize("key", ["ks_prod_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456", "Zx81sQ0pLmN3vB7cR2"])
def test_a_key_option_before_the_command_is_said_to_be_no_option(app_home, fresh_sandbox, key):
    result = cli(app_home, "--api-key", key, "send", *send_options(fresh_sandbox))
    assert result.returncode == 2, output(result)
    said = one_line(result.stderr)
    assert key not in output(result)
    assert "invalid choice" not in said
    assert "error: --api-key is not an option " in said
    assert said.endswith(
        "set the KOMBO_API_KEY environment variable to it, or use a saved profile with "
        "--profile NAME."
    )
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("json_output", [False, True])
def test_a_value_starting_with_a_dash_says_how_to_give_it(app_home, fresh_sandbox, json_output):
    options = send_options(fresh_sandbox)
    options[options.index("--label") + 1] = "-x"
    result = cli(
        app_home, "send", *options, *(["--json"] if json_output else []), KOMBO_API_KEY="x"
    )
    assert result.returncode == 2, output(result)
    said = json.loads(result.stdout)["summary"] if json_output else one_line(result.stderr)
    assert "expected one argument (for a value that starts with a dash, write --label=-x)" in (
        said.replace("Argument --label", "argument --label")
    )
    assert fresh_sandbox.requests == []
