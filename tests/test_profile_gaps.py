"""Gaps around saved profiles, each through the store, the window and the command line.

- A profile without integration ID (an API key stood there in an earlier version's file,
  or an import brought it so) is duplicated like any other, and its copy asks for the
  integration ID wherever the original does.
- The integration ID is asked for where the person is: the command line names the
  command that enters it, the window names Manage profiles.
- ``profiles edit``, ``profiles set-key`` and the window's Save write only what they
  change: a key stored by another process meanwhile keeps its environment, and an edit
  made meanwhile is not undone.

The keys go to the real keyring (the Secret Service of the test session).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.cli.main import build_parser
from kombo_desktop.cli.main import main as cli_main
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    Profile,
    ProfileStore,
    connection_for_profile,
    profiles_command,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_INTEGRATION_ID,
    DEMO_PROD_API_KEY,
    Sandbox,
)
from tests.cli_support import (
    assert_sent_with_demo_credentials,
    cli,
    output,
    send_args,
)
from tests.keys_support import dialog_showing_key, key_shown, picker_telling
from tests.leakcheck import assert_no_file_contains
from tests.profiles_support import (
    TIMEOUT,
    click,
    earlier_entry,
    keyed,
    show_dialog,
    table_texts,
    type_into,
    wait_for_status,
    widget,
    write_earlier_file,
)

pytestmark = pytest.mark.secret_service

#: A key an earlier version let into the integration ID of "Acme GmbH".
PROD_KEY = "ks_prod_profileGapsTest_5Tq8Wv"
#: A name with a space: a command naming it must quote it for a shell.
NAME = "Acme GmbH"
#: Said at the window's integration ID field of a profile that has none.
MISSING_HERE = "is missing from this profile; enter it again"
IN_THE_WINDOW = "(in the window: Manage profiles)"
EDIT_COMMAND = "kombo-desktop profiles edit 'Acme GmbH' --integration-id ID"


def earlier_profile_with_its_key(base_url: str | None = None, name: str = NAME) -> None:
    """ "Acme GmbH" (id p1, a development key noted) as an earlier version wrote it: with an
    API key as its integration ID; its development key in the keyring. EU unless
    ``base_url``; another ``name`` if given."""
    region = None if base_url else "eu"
    write_earlier_file(
        earlier_entry(
            "p1", name, PROD_KEY, region=region, base_url=base_url, key_environment="Development"
        )
    )
    keyring.set_password(SERVICE_NAME, "p1", DEMO_API_KEY)


def missing_integration_id(profile: Profile, store: ProfileStore) -> str:
    """What using ``profile`` says of its integration ID (it must have none)."""
    with pytest.raises(InputError) as caught:
        connection_for_profile(profile, KeyStore(), store=store)
    said = caught.value.message_for("integration_id")
    assert said is not None
    return said


# ---- duplicating a profile without integration ID ----------------------------------------------


def test_a_profile_without_integration_id_is_duplicated_with_its_key(
    real_keyring: None, app_home: Path
) -> None:
    earlier_profile_with_its_key()
    store = ProfileStore()
    original = store.get("p1")
    assert original is not None
    assert original.integration_id == ""

    copy = store.duplicate("p1", KeyStore())

    assert (copy.name, copy.integration_id, copy.region) == (f"{NAME} (2)", "", original.region)
    assert copy.id != "p1"
    assert copy.key_environment == Environment.DEVELOPMENT
    assert keyring.get_password(SERVICE_NAME, copy.id) == DEMO_API_KEY
    assert keyring.get_password(SERVICE_NAME, "p1") == DEMO_API_KEY
    # Written for good, and asking for the integration ID as the original does.
    again = ProfileStore()
    assert again.get(copy.id) == copy
    assert again.get("p1") == original
    assert missing_integration_id(copy, again) == missing_integration_id(original, again)
    assert_no_file_contains(app_home, DEMO_API_KEY)
    assert_no_file_contains(app_home, PROD_KEY)


def test_the_window_duplicates_a_profile_without_integration_id(
    qtbot: Any, worker: ApiWorker, real_keyring: None, app_home: Path
) -> None:
    earlier_profile_with_its_key()
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile("p1")
    assert dialog.field_error("integration_id") == MISSING_HERE

    click(qtbot, dialog, "Duplicate profile")

    # Whatever the outcome, it is in the status once the write is over: no error there.
    qtbot.waitUntil(
        lambda: not dialog.busy and "Duplicating" not in dialog.status_text(), timeout=TIMEOUT
    )
    assert dialog.status_text() == f"Created “{NAME} (2)”, a copy of “{NAME}”."
    copy = ProfileStore().find_by_name(f"{NAME} (2)")
    assert copy is not None
    assert copy.integration_id == ""
    # The copy is in the list, with its key, and shown in the form.
    assert [row[0] for row in table_texts(dialog)] == [NAME, f"{NAME} (2)"]
    assert table_texts(dialog)[1][1] == "Development"
    assert widget(dialog, "Profile name", QLineEdit).text() == f"{NAME} (2)"
    key_shown(qtbot, dialog, DEMO_API_KEY)
    assert keyring.get_password(SERVICE_NAME, copy.id) == DEMO_API_KEY
    # It asks for its integration ID as the original does.
    assert dialog.field_error("integration_id") == MISSING_HERE
    assert_no_file_contains(app_home, DEMO_API_KEY)


# ---- where the integration ID is entered again ---------------------------------------------


def test_the_command_line_names_the_command_that_enters_the_integration_id(
    fresh_sandbox: Sandbox, real_keyring: None, app_home: Path
) -> None:
    earlier_profile_with_its_key(fresh_sandbox.base_url)

    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    # The command stands alone on the last line: copied, it takes no full stop along.
    assert listed.stderr == (
        f"Warning: An API key was found in the integration ID of profile “{NAME}” and removed "
        f"from the profiles file; enter the integration ID again with this command:\n"
        f"  {EDIT_COMMAND}\n"
    )
    sent = cli(app_home, *send_args(fresh_sandbox, NAME))
    assert sent.returncode == 2, output(sent)
    said = (
        f"--profile “{NAME}” (integration ID): is missing from this profile; enter it again "
        f"with this command:\n  {EDIT_COMMAND}\n"
    )
    assert said in sent.stderr
    assert "Manage profiles" not in output(listed) + output(sent)

    # The command said works as it is copied, once ID is replaced by the integration ID.
    command = shlex.split(EDIT_COMMAND.replace(" ID", f" {DEMO_INTEGRATION_ID}"))
    assert command[0] == "kombo-desktop"
    edited = cli(app_home, *command[1:])
    assert edited.returncode == 0, output(edited)
    sent = cli(app_home, *send_args(fresh_sandbox, NAME))
    assert sent.returncode == 0, output(sent)
    assert_sent_with_demo_credentials(fresh_sandbox)
    assert_no_file_contains(app_home, PROD_KEY)


@pytest.mark.parametrize("name", ["-Acme", "--help"])
def test_the_command_said_for_a_name_like_an_option_works_as_copied(
    fresh_sandbox: Sandbox, real_keyring: None, app_home: Path, name: str
) -> None:
    earlier_profile_with_its_key(fresh_sandbox.base_url, name=name)
    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    # The command is copied as shown: its line, whole, without trimming punctuation.
    (command,) = [
        line.strip() for line in listed.stderr.splitlines() if "kombo-desktop profiles" in line
    ]
    words = shlex.split(command.replace(" ID", f" {DEMO_INTEGRATION_ID}"))
    edited = cli(app_home, *words[1:])
    assert edited.returncode == 0, f"{command!r}: {output(edited)}"
    assert ProfileStore().require_by_name(name).integration_id == DEMO_INTEGRATION_ID


@pytest.mark.parametrize(
    ("action", "options"),
    [("edit", "--integration-id ID"), ("set-key", ""), ("remove", "--without-keyring")],
)
@pytest.mark.parametrize("name", ["Acme", "Acme GmbH", "O'Neil & Co", "-Acme", "--help"])
def test_every_profiles_command_said_names_its_profile_as_copied(
    action: str, options: str, name: str
) -> None:
    words = shlex.split(profiles_command(action, name, options))
    assert words[:3] == ["kombo-desktop", "profiles", action]
    assert build_parser().parse_args(words[1:]).name == name


def test_the_window_names_manage_profiles(
    qtbot: Any, worker: ApiWorker, real_keyring: None, app_home: Path
) -> None:
    earlier_profile_with_its_key()
    problem = f"The integration ID is missing from this profile; enter it again {IN_THE_WINDOW}."
    picker = picker_telling(qtbot, worker, problem)
    assert picker.connection_problem() == problem

    dialog = picker.open_manager()
    assert dialog is not None
    assert dialog.status_text() == (
        f"An API key was found in the integration ID of profile “{NAME}” and removed from the "
        f"profiles file; enter the integration ID again {IN_THE_WINDOW}."
    )
    assert "kombo-desktop" not in dialog.status_text() + problem


# ---- edits write only what they change ------------------------------------------------------


def set_production_key_in_another_process(app_home: Path) -> None:
    """``profiles set-key Acme`` with the demo production key, run to its end."""
    stored = cli(app_home, "profiles", "set-key", "Acme", stdin=DEMO_PROD_API_KEY + "\n")
    assert stored.returncode == 0, output(stored)
    assert stored.stdout == "Stored a Production key for “Acme”.\n"


def test_an_edit_keeps_a_key_stored_meanwhile_by_another_process(
    fresh_sandbox: Sandbox,
    real_keyring: None,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = keyed(fresh_sandbox, "Acme")
    # ``profiles set-key`` runs in another terminal once the edit has read the profile,
    # before it writes.
    read = ProfileStore.require_by_name
    interleaved: list[str] = []

    def read_then_set_key_elsewhere(store: ProfileStore, name: str) -> Profile:
        found = read(store, name)
        if not interleaved:
            interleaved.append(name)
            set_production_key_in_another_process(app_home)
        return found

    monkeypatch.setattr(ProfileStore, "require_by_name", read_then_set_key_elsewhere)

    code = cli_main(["profiles", "edit", "Acme", "--name", "Acme Europe"])

    said = capsys.readouterr()
    assert code == 0, said
    assert interleaved == ["Acme"]
    assert said.out == "Updated profile “Acme Europe”.\n"
    saved = ProfileStore().get(profile.id)
    assert saved is not None
    assert (saved.name, saved.key_environment) == ("Acme Europe", Environment.PRODUCTION)
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_PROD_API_KEY
    listed = cli(app_home, "profiles", "list", "--json")
    assert json.loads(listed.stdout)["profiles"][0]["environment"] == "Production"


class KeyTypedAfter:
    """Standard input from a pipe whose line comes once ``meanwhile`` has run, as a key
    typed after a while, in which another terminal changed the profile."""

    def __init__(self, line: str, meanwhile: Callable[[], None]) -> None:
        self.line = line
        self.meanwhile = meanwhile

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        self.meanwhile()
        return self.line


def test_set_key_keeps_an_edit_made_while_the_key_was_asked_for(
    fresh_sandbox: Sandbox,
    real_keyring: None,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = keyed(fresh_sandbox, "Acme")

    def edit_elsewhere() -> None:
        edited = cli(app_home, "profiles", "edit", "Acme", "--name", "Acme Europe")
        assert edited.returncode == 0, output(edited)

    monkeypatch.setattr("sys.stdin", KeyTypedAfter(DEMO_PROD_API_KEY + "\n", edit_elsewhere))

    code = cli_main(["profiles", "set-key", "Acme"])

    said = capsys.readouterr()
    assert code == 0, said
    saved = ProfileStore().get(profile.id)
    assert saved is not None
    assert (saved.name, saved.key_environment) == ("Acme Europe", Environment.PRODUCTION)
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_PROD_API_KEY
    assert DEMO_PROD_API_KEY not in said.out + said.err
    assert_no_file_contains(app_home, DEMO_PROD_API_KEY)


def test_the_windows_save_keeps_a_key_stored_meanwhile_by_another_process(
    qtbot: Any,
    worker: ApiWorker,
    fresh_sandbox: Sandbox,
    real_keyring: None,
    app_home: Path,
) -> None:
    profile = keyed(fresh_sandbox, "Acme")
    dialog, _ = dialog_showing_key(qtbot, worker, profile.id, DEMO_API_KEY)

    # The form was read; the key is replaced from a terminal before Save is pressed.
    set_production_key_in_another_process(app_home)
    type_into(dialog, "Profile name", "Acme Europe")
    click(qtbot, dialog, "Save profile")

    wait_for_status(qtbot, dialog, "Saved")
    saved = ProfileStore().get(profile.id)
    assert saved is not None
    assert (saved.name, saved.key_environment) == ("Acme Europe", Environment.PRODUCTION)
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_PROD_API_KEY
    assert table_texts(dialog)[0][:2] == ["Acme Europe", "Production"]
