"""``kombo-desktop profiles`` and ``send --profile`` as a person or a script runs them."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import SecretService

from kombo_desktop.cli.main import build_parser
from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import (
    add_with_key,
    assert_sent_with_demo_credentials,
    cli,
    cli_env,
    output,
    send_args,
)
from tests.keyring_support import require_real_secret_service
from tests.leakcheck import assert_no_file_contains
from tests.profile_files import add_unreadable_entry

#: Backends keyring falls back to without a keyring service; both count as "no keyring".
INSECURE_BACKENDS = ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]

NOT_FOUND = "no saved profile is called “Nobody” (see: kombo-desktop profiles list)"
DAMAGED = "1 profile was damaged and left out"


def save_profile(name: str, sandbox: Sandbox) -> None:
    """A profile for the sandbox with no key saved, as an imported one is."""
    profile = build_profile(
        name=name, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )
    ProfileStore().add_profile(profile)


@pytest.mark.secret_service
def test_add_list_send_remove_with_the_real_keyring(fresh_sandbox, app_home):
    require_real_secret_service()
    added = cli(
        app_home,
        "profiles", "add", "Sandbox Co", "--integration-id", DEMO_INTEGRATION_ID,
        "--base-url", fresh_sandbox.base_url,
        stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    assert "Saved profile “Sandbox Co”" in added.stdout
    assert "API keys are kept in the desktop's keyring (Secret Service)." in added.stdout
    assert "SecretService Keyring" not in added.stdout
    profile = ProfileStore().find_by_name("Sandbox Co")
    assert profile is not None
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY

    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    assert "Sandbox Co" in listed.stdout
    assert fresh_sandbox.base_url in listed.stdout
    assert DEMO_INTEGRATION_ID in listed.stdout
    assert "Development" in listed.stdout
    as_json = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert as_json["profiles"] == [
        {
            "name": "Sandbox Co",
            "region": None,
            "base_url": fresh_sandbox.base_url,
            "integration_id": DEMO_INTEGRATION_ID,
            "environment": "Development",
            "key_saved": True,
            "key_problem": None,
            "settings_holding_key": [],
            "last_used": False,
        }
    ]

    sent = cli(app_home, *send_args(fresh_sandbox, "sandbox co"))
    assert sent.returncode == 0, output(sent)
    assert "Success" in sent.stdout
    assert_sent_with_demo_credentials(fresh_sandbox)

    removed = cli(app_home, "profiles", "remove", "Sandbox Co")
    assert removed.returncode == 0, output(removed)
    assert keyring.get_password(SERVICE_NAME, profile.id) is None
    assert "Sandbox Co" not in cli(app_home, "profiles", "list").stdout

    for result in (added, listed, sent, removed):
        assert DEMO_API_KEY not in output(result)
    assert_no_file_contains(app_home, DEMO_API_KEY)


@pytest.mark.secret_service
def test_bad_input_is_refused_with_exit_code_2(fresh_sandbox, app_home):
    require_real_secret_service()
    base = ["profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID]
    ok = cli(app_home, *base, "--region", "eu", stdin=DEMO_API_KEY + "\n")
    assert ok.returncode == 0, output(ok)

    duplicate = cli(app_home, *base[:2], "ACME", *base[3:], "--region", "us", stdin="ks_dev_x1\n")
    assert duplicate.returncode == 2
    assert "already the name of a profile" in duplicate.stderr

    no_key = cli(app_home, "profiles", "add", "Beta", "--integration-id", "t:1", "--region", "eu")
    assert no_key.returncode == 2
    assert "API key" in no_key.stderr

    plain_http = cli(
        app_home,
        "profiles", "add", "Gamma", "--integration-id", "t:1", "--base-url", "http://kombo.example",
        stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert plain_http.returncode == 2
    assert "https" in plain_http.stderr

    unknown = cli(app_home, "profiles", "remove", "Nobody")
    assert unknown.returncode == 2
    assert f"profile: {NOT_FOUND}" in unknown.stderr.splitlines()

    unknown_send = cli(app_home, *send_args(fresh_sandbox, "Nobody"))
    assert unknown_send.returncode == 2
    # The same words; `send` names its option.
    assert f"--profile: {NOT_FOUND}" in unknown_send.stderr.splitlines()
    assert fresh_sandbox.requests == []
    assert [p.name for p in ProfileStore().profiles()] == ["Acme"]


@pytest.mark.parametrize("backend", INSECURE_BACKENDS)
def test_without_a_secure_keyring_nothing_is_saved(fresh_sandbox, app_home, backend):
    added = cli(
        app_home,
        "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID, "--region", "eu",
        stdin=DEMO_API_KEY + "\n", PYTHON_KEYRING_BACKEND=backend,
    )  # fmt: skip
    assert added.returncode == 4
    assert "never stores API keys in plain text" in added.stderr
    assert "Nothing was saved" in added.stderr
    assert ProfileStore().profiles() == []
    assert_no_file_contains(app_home, DEMO_API_KEY)


@pytest.mark.parametrize("backend", INSECURE_BACKENDS)
def test_send_with_a_profile_whose_key_cannot_be_read_sends_nothing(
    fresh_sandbox, app_home, backend
):
    save_profile("Acme", fresh_sandbox)
    args = send_args(fresh_sandbox, "Acme", "--json")
    sent = cli(app_home, *args, PYTHON_KEYRING_BACKEND=backend)
    assert sent.returncode == 2, output(sent)
    answer = json.loads(sent.stdout)
    assert answer["status"] == "error"
    assert "keyring" in answer["summary"]
    assert fresh_sandbox.requests == []


@pytest.mark.secret_service
def test_send_with_a_profile_without_a_key_says_so(fresh_sandbox, app_home):
    require_real_secret_service()
    save_profile("Imported", fresh_sandbox)
    sent = cli(app_home, *send_args(fresh_sandbox, "Imported"))
    assert sent.returncode == 2, output(sent)
    # The fix is in the profile, not in the KOMBO_API_KEY variable: the line says which.
    said = sent.stderr[sent.stderr.index("--profile “Imported” (API key)") :]
    assert said == (
        "--profile “Imported” (API key): no API key is saved on this computer for this "
        "profile; add one in the window (Manage profiles) or with this command:\n"
        "  kombo-desktop profiles set-key Imported\n"
    )
    assert fresh_sandbox.requests == []


@pytest.mark.secret_service
def test_set_key_gives_an_imported_profile_its_key(fresh_sandbox, app_home):
    require_real_secret_service()
    save_profile("Imported", fresh_sandbox)
    stored = cli(app_home, "profiles", "set-key", "Imported", stdin=f"{DEMO_API_KEY}\n")
    assert stored.returncode == 0, output(stored)
    assert "Development key" in stored.stdout
    listed = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert listed["profiles"][0]["environment"] == "Development"
    sent = cli(app_home, *send_args(fresh_sandbox, "Imported"))
    assert sent.returncode == 0, output(sent)
    assert fresh_sandbox.requests[-1].headers["authorization"] == f"Bearer {DEMO_API_KEY}"
    assert_no_file_contains(app_home, DEMO_API_KEY)
    unknown = cli(app_home, "profiles", "set-key", "Nobody", stdin=f"{DEMO_API_KEY}\n")
    assert unknown.returncode == 2


@pytest.mark.parametrize(
    "command",
    [
        ["profiles", "remove", "Nobody"],
        ["profiles", "set-key", "Nobody"],
        [
            "send",
            "--profile",
            "Nobody",
            "--candidate",
            "c1",
            "--label",
            "L",
            "--url",
            "https://x.dev",
        ],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_an_unknown_name_after_a_damaged_file_is_explained_once(fresh_sandbox, app_home, command):
    save_profile("Readable", fresh_sandbox)
    add_unreadable_entry(app_home / "config" / "profiles.json")
    result = cli(app_home, *command, stdin=f"{DEMO_API_KEY}\n")
    assert result.returncode == 2, output(result)
    # Every command gives the same words (`send` names its option, --profile), and the
    # damaged entry is the likely reason.
    (line,) = [line for line in result.stderr.splitlines() if NOT_FOUND in line]
    assert line.removeprefix("--").startswith(f"profile: {NOT_FOUND}. ")
    assert result.stderr.count(DAMAGED) == 1, output(result)
    assert fresh_sandbox.requests == []


@pytest.mark.secret_service
def test_a_damaged_file_is_still_reported_when_the_profile_is_found(fresh_sandbox, app_home):
    require_real_secret_service()
    save_profile("Readable", fresh_sandbox)
    add_unreadable_entry(app_home / "config" / "profiles.json")
    removed = cli(app_home, "profiles", "remove", "Readable")
    assert removed.returncode == 0, output(removed)
    assert removed.stderr.count(DAMAGED) == 1, output(removed)
    assert removed.stderr.startswith("Warning: ")
    assert ProfileStore().profiles() == []


def test_a_key_typed_where_a_profile_name_belongs_is_never_printed(app_home):
    # A key pasted as the name: the "no saved profile is called …" line quotes it, masked.
    result = cli(app_home, "profiles", "remove", DEMO_API_KEY)
    assert result.returncode == 2
    assert DEMO_API_KEY not in result.stdout + result.stderr
    assert result.stderr.startswith("profile: no saved profile is called")
    assert_no_file_contains(app_home, DEMO_API_KEY)  # the log file included


@pytest.mark.secret_service
@pytest.mark.parametrize("backend", INSECURE_BACKENDS)
def test_remove_without_a_reachable_keyring_keeps_the_profile_and_its_key(
    fresh_sandbox, app_home, backend
):
    require_real_secret_service()
    profile = add_with_key(app_home, fresh_sandbox, "Acme")

    # The keyring out of reach (no D-Bus session, say) still holds the key.
    refused = cli(app_home, "profiles", "remove", "Acme", PYTHON_KEYRING_BACKEND=backend)
    assert refused.returncode == 4, output(refused)
    assert refused.stdout == ""
    assert "No secure system keyring can be reached" in refused.stderr
    assert (
        "The profile “Acme” was kept, so that no key is left in the keyring without it."
        in refused.stderr
    )
    assert DEMO_API_KEY not in output(refused)

    listed = cli(app_home, "profiles", "list")
    assert "Acme" in listed.stdout, output(listed)
    assert ProfileStore().get(profile.id) == profile
    # Once the keyring can be reached again, the key is there for the profile.
    real_keyring: Any = SecretService.Keyring()  # type: ignore[no-untyped-call]
    assert real_keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY
    sent = cli(app_home, *send_args(fresh_sandbox, "Acme"))
    assert sent.returncode == 0, output(sent)
    assert fresh_sandbox.requests[-1].headers["authorization"] == f"Bearer {DEMO_API_KEY}"

    removed = cli(app_home, "profiles", "remove", "Acme")
    assert removed.returncode == 0, output(removed)
    assert real_keyring.get_password(SERVICE_NAME, profile.id) is None
    assert ProfileStore().profiles() == []


@pytest.mark.secret_service
def test_without_any_keyring_a_profile_can_still_be_removed_when_asked_for(fresh_sandbox, app_home):
    # A computer with no keyring at all would otherwise keep the profile for ever.
    require_real_secret_service()
    profile = add_with_key(app_home, fresh_sandbox, "Acme GmbH")
    unreachable = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    refused = cli(app_home, "profiles", "remove", "Acme GmbH", **unreachable)
    assert refused.returncode == 4, output(refused)
    # The way out is named, quoted so that it can be pasted into a shell as it is.
    assert refused.stderr.endswith(
        "It can be removed all the same with this command:\n"
        "  kombo-desktop profiles remove 'Acme GmbH' --without-keyring\n"
    )

    removed = cli(app_home, "profiles", "remove", "Acme GmbH", "--without-keyring", **unreachable)
    assert removed.returncode == 0, output(removed)
    assert removed.stdout.startswith("Removed profile “Acme GmbH”. No keyring could be reached")
    assert ProfileStore().profiles() == []
    # As it said: the key saved earlier is still in the keyring it could not reach.
    real_keyring: Any = SecretService.Keyring()  # type: ignore[no-untyped-call]
    assert real_keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY
    real_keyring.delete_password(SERVICE_NAME, profile.id)


def _command_as_copied(said: str) -> list[str]:
    """The words of the command that ``said`` suggests, copied as a person selects it:
    from ``kombo-desktop`` to the end of its line, split as a shell splits it."""
    start = said.index("kombo-desktop profiles")
    return shlex.split(said[start:].split("\n", 1)[0])


def _as_run(words: list[str]) -> Any:
    """The arguments ``kombo-desktop`` reads from ``words``; a failure if it refuses them."""
    try:
        return build_parser().parse_args(words[1:])
    except SystemExit:
        pytest.fail(f"the command as copied is refused: {words}")


@pytest.mark.secret_service
@pytest.mark.parametrize("name", ["-Acme", "Acme"])
def test_every_command_suggested_names_the_profile_when_copied_to_the_end_of_its_line(
    fresh_sandbox, app_home, name
):
    # A sentence's full stop copied along would make "-Acme." of "-Acme" (or "ID." of ID).
    require_real_secret_service()
    export = {
        "format": "kombo-desktop-profiles-export",
        "version": 1,
        "profiles": [
            {"name": name, "region": None, "base_url": fresh_sandbox.base_url, "integration_id": ""}
        ],
    }
    ProfileStore().import_json(json.dumps(export))

    refused = cli(app_home, "profiles", "set-key", "--", name, stdin=DEMO_API_KEY + "\n")
    assert refused.returncode == 2, output(refused)
    edit = _command_as_copied(refused.stderr)
    edit_args = _as_run(edit)
    assert (edit_args.profiles_action, edit_args.name) == ("edit", name), edit
    assert edit_args.integration_id == "ID", edit
    # Run as copied, the placeholder replaced: the profile gets its integration ID.
    edited = cli(app_home, *[DEMO_INTEGRATION_ID if w == "ID" else w for w in edit[1:]])
    assert edited.returncode == 0, output(edited)
    assert ProfileStore().require_by_name(name).integration_id == DEMO_INTEGRATION_ID

    # "--profile=-Acme": a value after a space that starts with a dash reads as an option.
    target = fresh_sandbox.candidates[0]["id"]
    sent = cli(
        app_home, "send", f"--profile={name}", "--candidate", target,
        "--label", "Assessment Result", "--url", "https://example.com/results/1",
    )  # fmt: skip
    assert sent.returncode == 2, output(sent)
    set_key = _command_as_copied(sent.stderr)
    set_key_args = _as_run(set_key)
    assert (set_key_args.profiles_action, set_key_args.name) == ("set-key", name), set_key
    assert fresh_sandbox.requests == []

    unreachable = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    kept = cli(app_home, "profiles", "remove", "--", name, **unreachable)
    assert kept.returncode == 4, output(kept)
    remove = _command_as_copied(kept.stderr)
    remove_args = _as_run(remove)
    assert (remove_args.profiles_action, remove_args.name) == ("remove", name), remove
    assert remove_args.without_keyring
    removed = cli(app_home, *remove[1:], **unreachable)
    assert removed.returncode == 0, output(removed)
    assert ProfileStore().profiles() == []


@pytest.mark.secret_service
def test_names_differing_only_in_the_spaces_between_words_are_one_profile(app_home):
    require_real_secret_service()
    base = ["--integration-id", DEMO_INTEGRATION_ID, "--region", "eu"]
    first = cli(app_home, "profiles", "add", "Acme GmbH", *base, stdin=DEMO_API_KEY + "\n")
    assert first.returncode == 0, output(first)

    look_alike = cli(app_home, "profiles", "add", "Acme  GmbH", *base, stdin="ks_dev_other1\n")
    assert look_alike.returncode == 2, output(look_alike)
    assert "“Acme GmbH” is already the name of a profile" in look_alike.stderr

    spaced = cli(app_home, "profiles", "add", "Beta   Corp", *base, stdin=DEMO_API_KEY + "\n")
    assert spaced.returncode == 0, output(spaced)
    assert "Saved profile “Beta Corp”" in spaced.stdout
    names = [
        row["name"]
        for row in json.loads(cli(app_home, "profiles", "list", "--json").stdout)["profiles"]
    ]
    assert names == ["Acme GmbH", "Beta Corp"]

    removed = cli(app_home, "profiles", "remove", "acme   gmbh")
    assert removed.returncode == 0, output(removed)
    assert "Removed profile “Acme GmbH”" in removed.stdout
    assert [p.name for p in ProfileStore().profiles()] == ["Beta Corp"]


@pytest.mark.secret_service
def test_a_profiles_file_that_cannot_be_written_is_said_in_plain_words(app_home):
    require_real_secret_service()
    app_home.mkdir(parents=True)
    (app_home / "config").write_text("a file where a folder should be", encoding="utf-8")
    added = cli(
        app_home,
        "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID, "--region", "eu",
        stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 1, output(added)
    # The system's reason, without Python's "[Errno 20]" or a temporary file's path.
    assert added.stderr == (
        "Nothing was saved. Could not write the profiles file (File exists).\n"
    ), output(added)
    assert DEMO_API_KEY not in output(added)


def run_without_stdin(app_home: Path, *args: str) -> Any:
    """``kombo-desktop ARGS`` with standard input closed, as cron, a service or ``<&-``
    start it: Python has no ``sys.stdin`` then."""
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=cli_env(app_home),
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(0),  # in the child only, before it starts
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.secret_service
def test_a_closed_stdin_is_no_key_entered(fresh_sandbox, app_home):
    require_real_secret_service()
    added = run_without_stdin(
        app_home, "profiles", "add", "New", "--integration-id", DEMO_INTEGRATION_ID,
        "--base-url", fresh_sandbox.base_url,
    )  # fmt: skip
    assert added.returncode == 2, output(added)
    assert added.stderr == "No API key was entered. Nothing was saved.\n"
    assert ProfileStore().profiles() == []

    add_with_key(app_home, fresh_sandbox, "Acme")
    changed = run_without_stdin(app_home, "profiles", "set-key", "Acme")
    assert changed.returncode == 2, output(changed)
    assert changed.stderr == "No API key was entered. The key was not changed.\n"
    profile = ProfileStore().require_by_name("Acme")
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY
