"""The command line, as a review found it: a key typed as ``sandbox --host`` quoted back;
a key piped with its ``.env`` line's variable name or in quotes saved as the key; what
``profiles remove`` says of a key the profile never had; "a Unknown key"; a control
character that is not a line break called one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import add_with_key, cli, output, send_remote_fields
from tests.main_window_support import posts
from tests.profiles_support import add_profile

KEY = "ks_prod_SECRETabcdefghijkl"
URL = "https://example.com/results/1"
#: What the keyring fails with on a computer that has none.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


# ---- 1. sandbox --host -----------------------------------------------------------------------


@pytest.mark.parametrize("host", [KEY, f"x{KEY}"], ids=["the key", "the key after a letter"])
def test_a_key_typed_as_the_sandbox_host_is_refused_masked(app_home, host: str) -> None:
    result = cli(app_home, "sandbox", "--host", host, "--port", "0")
    assert result.returncode == 2, output(result)
    assert KEY not in output(result)
    assert "argument --host: “" in result.stderr
    assert "[redacted]" in result.stderr
    assert "is not an address: it holds an API key" in result.stderr


# ---- 2. a key piped with what stood around it ------------------------------------------------


@pytest.mark.parametrize(
    ("piped", "words"),
    [
        (f"KOMBO_API_KEY={DEMO_API_KEY}", "has KOMBO_API_KEY= before the key"),
        (f'kombo_api_key="{DEMO_API_KEY}"', "has KOMBO_API_KEY= before the key"),
        (f'"{DEMO_API_KEY}"', "is in quotes"),
        (f"'{DEMO_API_KEY}'", "is in quotes"),
        (f"export KOMBO_API_KEY={DEMO_API_KEY}", "has more than the key around it"),
    ],
    ids=["env line", "env line quoted", "double quotes", "single quotes", "export"],
)
def test_add_refuses_a_key_piped_with_what_stood_around_it(
    app_home, sandbox: Any, piped: str, words: str
) -> None:
    result = cli(
        app_home,
        "profiles",
        "add",
        "Acme",
        "--integration-id",
        DEMO_INTEGRATION_ID,
        "--base-url",
        sandbox.base_url,
        stdin=f"{piped}\n",
    )
    assert result.returncode == 2, output(result)
    assert result.stderr.startswith(f"API key: {words}"), output(result)
    assert result.stderr.endswith("Nothing was saved.\n")
    assert DEMO_API_KEY not in output(result)
    assert ProfileStore().find_by_name("Acme") is None


def test_the_hint_for_an_env_line_says_how_to_pipe_only_the_key(app_home, sandbox: Any) -> None:
    profile = add_profile(ProfileStore(), "Acme")
    result = cli(app_home, "profiles", "set-key", "Acme", stdin=f"KOMBO_API_KEY={DEMO_API_KEY}\n")
    assert result.returncode == 2, output(result)
    assert "`grep KOMBO_API_KEY .env | cut -d= -f2-`" in result.stderr
    assert result.stderr.endswith("The key was not changed.\n")
    assert DEMO_API_KEY not in output(result)
    assert ProfileStore().get(profile.id) == profile  # still noted as having no key


# ---- 3. remove, worded for the key the profile has ------------------------------------------


def test_remove_of_a_profile_without_a_key_says_only_the_profile_was_removed(app_home) -> None:
    add_profile(ProfileStore(), "Imported")
    result = cli(app_home, "profiles", "remove", "Imported")
    assert result.returncode == 0, output(result)
    assert result.stdout == "Removed profile “Imported”.\n"


def test_remove_of_a_profile_with_a_key_says_its_key_was_removed(app_home, sandbox: Any) -> None:
    add_with_key(app_home, sandbox, "Acme")
    result = cli(app_home, "profiles", "remove", "Acme")
    assert result.returncode == 0, output(result)
    assert result.stdout == "Removed profile “Acme” and its API key.\n"


def test_without_a_keyring_a_profile_noting_no_key_is_not_said_to_leave_one(app_home) -> None:
    # The note is all there is without a keyring: the words stay hedged, not "it stays".
    add_profile(ProfileStore(), "Imported")
    result = cli(app_home, "profiles", "remove", "Imported", "--without-keyring", **NO_KEYRING)
    assert result.returncode == 0, output(result)
    assert result.stdout == (
        "Removed profile “Imported”. No keyring could be reached: if an API key was saved "
        "for it earlier, it stays in the keyring it was saved in.\n"
    )


# ---- 4. "an Unknown key" ---------------------------------------------------------------------


def test_set_key_of_an_unknown_kind_says_a_key_of_unknown_environment(app_home) -> None:
    add_profile(ProfileStore(), "Acme")
    result = cli(app_home, "profiles", "set-key", "Acme", stdin="custom-key-0123456789\n")
    assert result.returncode == 0, output(result)
    # First "a Unknown key", then "an Unknown key": read as a key nobody knows.
    assert result.stdout == "Stored a key of unknown environment for “Acme”.\n"


def test_add_with_a_key_of_an_unknown_kind_says_a_key_of_unknown_environment(app_home) -> None:
    result = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", "acme-1", "--region", "eu",
        stdin="custom-key-0123456789\n",
    )  # fmt: skip
    assert result.returncode == 0, output(result)
    assert result.stdout.startswith("Saved profile “Acme” (EU, key of unknown environment).")


# ---- 5. a control character that is not a line break -----------------------------------------


@pytest.mark.parametrize("control", ["\x07", "\x1b"], ids=["BEL", "ESC"])
def test_a_control_character_in_a_header_value_is_named_as_one(
    fresh_sandbox: Any, app_home, control: str
) -> None:
    raw = json.dumps({"workable": {"on_behalf_of_user_remote_id": f"wk-1{control}X"}})
    result = send_remote_fields(app_home, fresh_sandbox, raw)
    assert result.returncode != 0, output(result)
    assert posts(fresh_sandbox) == []
    assert (
        "workable.on_behalf_of_user_remote_id: contains a control character "
        "(it may have been pasted with it)" in result.stderr
    ), output(result)
    assert "on one line" not in result.stderr


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Acme\x1bGmbH", "NAME: must not contain a control character"),
        ("Acme\x07", "NAME: must not contain a control character"),
        ("Acme\tGmbH", "NAME: must not contain line breaks or tabs"),
    ],
    ids=["ESC", "BEL", "tab"],
)
def test_a_control_character_in_a_profile_name_is_named_as_one(
    app_home, sandbox: Any, name: str, words: str
) -> None:
    result = cli(
        app_home,
        "profiles",
        "add",
        name,
        "--integration-id",
        DEMO_INTEGRATION_ID,
        "--base-url",
        sandbox.base_url,
        stdin=f"{DEMO_API_KEY}\n",
        PYTHONIOENCODING="utf-8",
    )
    assert result.returncode == 2, output(result)
    assert result.stderr.startswith(words), output(result)
    assert ProfileStore().profiles() == []
