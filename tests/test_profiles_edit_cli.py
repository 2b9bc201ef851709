"""``kombo-desktop profiles edit``: change a saved profile's settings, keeping its key.

A profile read from an earlier version's file may have lost its integration ID (an API
key stood there); on the command line it is entered again with ``edit``, without
removing the profile and typing its key once more.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest

from kombo_desktop.core.connection import Environment, Region
from kombo_desktop.core.profiles import (
    FILE_FORMAT,
    Profile,
    ProfileStore,
    build_profile,
    default_profiles_path,
)
from kombo_desktop.core.secrets import SERVICE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import (
    assert_sent_with_demo_credentials,
    cli,
    cli_env,
    output,
    send_args,
)
from tests.keyring_support import require_real_secret_service
from tests.leakcheck import assert_no_file_contains

PROD_KEY = "ks_prod_editCommandTest_7Qw3Zr"
NOTHING_TO_CHANGE = (
    "Nothing to change: give --name, --integration-id, --region or --base-url. "
    "No profile was read or changed.\n"
)
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def write_earlier_file(sandbox: Sandbox, integration_id: str) -> None:
    """Acme (id p1, a development key noted) as an earlier version wrote it to the file."""
    path = default_profiles_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "id": "p1",
        "name": "Acme",
        "region": None,
        "base_url": sandbox.base_url,
        "integration_id": integration_id,
        "key_environment": "Development",
    }
    document = {"format": FILE_FORMAT, "version": 1, "last_used_id": "p1", "profiles": [entry]}
    path.write_text(json.dumps(document), encoding="utf-8")


def save_profile(name: str, integration_id: str = DEMO_INTEGRATION_ID) -> Profile:
    """A profile in the EU region with no key saved, as an imported one is."""
    profile = build_profile(name=name, integration_id=integration_id, region="eu")
    return ProfileStore().add_profile(profile)


def profiles_file_bytes() -> bytes:
    return default_profiles_path().read_bytes()


@pytest.mark.secret_service
@pytest.mark.parametrize("left_in_file", ["", PROD_KEY], ids=["emptied", "key-shaped"])
def test_edit_gives_an_earlier_profile_its_integration_id_again_and_keeps_its_key(
    fresh_sandbox: Sandbox, app_home: Path, left_in_file: str
) -> None:
    require_real_secret_service()
    write_earlier_file(fresh_sandbox, left_in_file)
    keyring.set_password(SERVICE_NAME, "p1", DEMO_API_KEY)
    try:
        # Used as it is, it says what is missing.
        refused = cli(app_home, *send_args(fresh_sandbox, "Acme"))
        assert refused.returncode == 2, output(refused)
        assert "(integration ID): is missing from this profile" in refused.stderr
        # Only the name given: the profile still needs its integration ID to be saved.
        renamed = cli(app_home, "profiles", "edit", "Acme", "--name", "Acme GmbH")
        assert renamed.returncode == 2, output(renamed)
        assert renamed.stderr == "--integration-id: is required\n"

        edited = cli(
            app_home, "profiles", "edit", "acme", "--integration-id", DEMO_INTEGRATION_ID,
            **NO_KEYRING,  # an edit needs no keyring
        )  # fmt: skip
        assert edited.returncode == 0, output(edited)
        assert edited.stdout == "Updated profile “Acme”.\n"
        assert edited.stderr == ""
        profile = ProfileStore().require_by_name("Acme")
        assert profile == Profile(
            id="p1",
            name="Acme",
            integration_id=DEMO_INTEGRATION_ID,
            base_url=fresh_sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
        assert keyring.get_password(SERVICE_NAME, "p1") == DEMO_API_KEY

        sent = cli(app_home, *send_args(fresh_sandbox, "Acme"))
        assert sent.returncode == 0, output(sent)
        assert "Success" in sent.stdout
        assert_sent_with_demo_credentials(fresh_sandbox)

        for result in (refused, renamed, edited, sent):
            assert DEMO_API_KEY not in output(result)
            assert PROD_KEY not in output(result)
        assert_no_file_contains(app_home, DEMO_API_KEY)
        assert_no_file_contains(app_home, PROD_KEY)
    finally:
        keyring.delete_password(SERVICE_NAME, "p1")


@pytest.mark.secret_service
def test_each_option_changes_only_what_it_names(fresh_sandbox: Sandbox, app_home: Path) -> None:
    require_real_secret_service()
    added = cli(
        app_home,
        "profiles", "add", "Acme", "--integration-id", "workday:old1", "--region", "eu",
        stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    profile = ProfileStore().require_by_name("Acme")
    results = [added]

    def edit(name: str, *options: str, **env: str) -> Profile:
        edited = cli(app_home, "profiles", "edit", name, *options, **env)
        assert edited.returncode == 0, output(edited)
        results.append(edited)
        saved = ProfileStore().get(profile.id)
        assert saved is not None  # the same profile: its id, and so its key, are kept
        assert edited.stdout == f"Updated profile “{saved.name}”.\n"
        assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY
        return saved

    # The spaces of a name are tidied as `add` tidies them.
    expected = replace(profile, name="Acme GmbH")
    assert edit("Acme", "--name", "  Acme   GmbH ") == expected
    expected = replace(expected, region=Region.US)
    assert edit("acme gmbh", "--region", "us") == expected
    expected = replace(expected, region=None, base_url=fresh_sandbox.base_url)
    assert edit("Acme GmbH", "--base-url", fresh_sandbox.base_url, **NO_KEYRING) == expected
    expected = replace(expected, integration_id=DEMO_INTEGRATION_ID)
    assert edit("Acme GmbH", "--integration-id", DEMO_INTEGRATION_ID) == expected
    # A name differing only in case is the profile's own, not one taken.
    expected = replace(expected, name="ACME GmbH")
    assert edit("Acme GmbH", "--name", "ACME GmbH") == expected
    assert expected.key_environment == Environment.DEVELOPMENT
    assert [p.name for p in ProfileStore().profiles()] == ["ACME GmbH"]

    sent = cli(app_home, *send_args(fresh_sandbox, "ACME GmbH"))
    assert sent.returncode == 0, output(sent)
    assert_sent_with_demo_credentials(fresh_sandbox)

    # All of them at once.
    every = edit("ACME GmbH", "--name", "Beta", "--integration-id", "t:2", "--region", "eu")
    expected = replace(expected, name="Beta", integration_id="t:2", region=Region.EU, base_url=None)
    assert every == expected

    removed = cli(app_home, "profiles", "remove", "Beta")
    assert removed.returncode == 0, output(removed)
    for result in (*results, sent, removed):
        assert DEMO_API_KEY not in output(result)
    assert_no_file_contains(app_home, DEMO_API_KEY)


def test_an_edit_without_an_option_says_what_to_give(app_home: Path) -> None:
    save_profile("Acme")
    before = profiles_file_bytes()
    result = cli(app_home, "profiles", "edit", "Acme")
    assert result.returncode == 2, output(result)
    assert result.stdout == ""
    assert result.stderr == NOTHING_TO_CHANGE
    assert profiles_file_bytes() == before


def test_an_unknown_profile_is_said_as_for_the_other_commands(app_home: Path) -> None:
    save_profile("Acme")
    before = profiles_file_bytes()
    result = cli(app_home, "profiles", "edit", "Nobody", "--region", "us")
    assert result.returncode == 2, output(result)
    assert result.stderr == (
        "profile: no saved profile is called “Nobody” (see: kombo-desktop profiles list)\n"
    )
    assert profiles_file_bytes() == before


def add_arguments(option: str, value: str) -> list[str]:
    """The arguments of ``profiles add`` that give ``value`` where ``option`` gives it."""
    if option == "--name":
        return [value, "--integration-id", "t:1", "--region", "eu"]
    if option == "--integration-id":
        return ["Other", "--integration-id", value, "--region", "eu"]
    return ["Other", "--integration-id", "t:1", option, value]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--integration-id", PROD_KEY),
        ("--integration-id", f"KOMBO_API_KEY={PROD_KEY}"),
        ("--integration-id", ""),
        ("--name", PROD_KEY),
        ("--name", f"Acme ({PROD_KEY})"),
        ("--name", "Acme\tGmbH"),
        ("--name", "   "),
        ("--name", "x" * 101),
        ("--base-url", "http://kombo.example"),
        ("--base-url", ""),
    ],
    ids=lambda value: value if value.startswith("--") else None,
)
def test_a_value_add_refuses_is_refused_with_the_same_words(
    app_home: Path, option: str, value: str
) -> None:
    save_profile("Acme")
    before = profiles_file_bytes()
    edited = cli(app_home, "profiles", "edit", "Acme", option, value)
    assert edited.returncode == 2, output(edited)
    assert edited.stdout == ""
    # `add` says the same, at NAME where `edit` names --name; it asks for no key before.
    added = cli(app_home, "profiles", "add", *add_arguments(option, value))
    assert added.returncode == 2, output(added)
    assert edited.stderr == added.stderr.replace("NAME: ", "--name: ")
    assert edited.stderr.startswith(f"{option}: ")
    assert profiles_file_bytes() == before
    assert PROD_KEY not in output(edited)
    assert_no_file_contains(app_home, PROD_KEY)


def test_a_key_as_the_integration_id_is_named_at_its_option(app_home: Path) -> None:
    save_profile("Acme")
    edited = cli(app_home, "profiles", "edit", "Acme", "--integration-id", PROD_KEY)
    assert edited.returncode == 2, output(edited)
    assert edited.stderr == (
        "--integration-id: must not be an API key (keys start with ks_prod_ or ks_dev_)\n"
    )


def test_a_name_taken_by_another_profile_is_refused(app_home: Path) -> None:
    save_profile("Acme")
    save_profile("Beta GmbH", integration_id="t:2")
    before = profiles_file_bytes()
    edited = cli(app_home, "profiles", "edit", "Acme", "--name", "beta  gmbh")
    assert edited.returncode == 2, output(edited)
    assert edited.stderr == "--name: “Beta GmbH” is already the name of a profile\n"
    assert profiles_file_bytes() == before


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--region", "asia"], "argument --region: invalid choice: 'asia'"),
        (
            ["--region", "eu", "--base-url", "https://x.example"],
            "argument --base-url: not allowed with argument --region",
        ),
        # Options are never abbreviated, as in every command.
        (["--nam", "B"], "unrecognized arguments: --nam B"),
    ],
    ids=["unknown region", "region and URL", "abbreviated option"],
)
def test_argument_mistakes_change_nothing(app_home: Path, options: list[str], said: str) -> None:
    save_profile("Acme")
    before = profiles_file_bytes()
    edited = cli(app_home, "profiles", "edit", "Acme", *options)
    assert edited.returncode == 2, output(edited)
    assert edited.stderr.startswith("usage: kombo-desktop"), output(edited)
    assert said in edited.stderr
    assert profiles_file_bytes() == before


def run_where_no_file_can_grow(app_home: Path, *args: str) -> Any:
    """``kombo-desktop ARGS`` allowed to write no byte to any file, as on a full disk."""

    def no_file_may_grow() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))

    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=cli_env(app_home),
        preexec_fn=no_file_may_grow,  # in the child only, before it starts
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_profiles_file_that_cannot_be_written_is_said_in_plain_words(app_home: Path) -> None:
    save_profile("Acme")
    before = profiles_file_bytes()
    edited = run_where_no_file_can_grow(
        app_home, "profiles", "edit", "Acme", "--integration-id", "t:9"
    )
    assert edited.returncode == 1, output(edited)
    assert edited.stdout == ""
    assert edited.stderr == (
        "The profile “Acme” was not changed. Could not write the profiles file (File too large).\n"
    )
    assert profiles_file_bytes() == before
