"""A key an earlier version saved in a form refused now (with its quotes, its ``.env`` line
or an option before it) is told of as a problem of the saved key, with where to save it
again: in the window's list, at Manage profiles' key field and on the command line. Such a
profile can still be copied, its key with it as it is, and a save that cannot write the
profiles file puts that key back as it was, saying why the save failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from filelock import FileLock

from kombo_desktop.core import profiles
from kombo_desktop.core.profiles import Profile, ProfilesFileBusy, ProfileStore, save_with_key
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.cli_support import (
    add_with_key,
    assert_sent_with_demo_credentials,
    cli,
    output,
    send_args,
)
from tests.keyring_support import MemoryKeyring
from tests.keys_support import COPIED_KEY, dialog_showing_key, key_shown, picker_telling
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    click,
    type_into,
    wait_for_status,
)

#: A key as an earlier version saved it, pasted with its quotes (one token, so it passed).
SAVED_IN_QUOTES = f'"{COPIED_KEY}"'

#: Keys as an earlier version saved them, and what is said of each (never the key).
SAVED_EARLIER = {
    "quotes": (SAVED_IN_QUOTES, "is in quotes"),
    "env line": (f"KOMBO_API_KEY={COPIED_KEY}", "has KOMBO_API_KEY= before the key"),
    "option": (
        f"--api-key={COPIED_KEY}",
        "has more than the key around it (a label, an option or a word)",
    ),
}


def saved_earlier(backend: MemoryKeyring, key: str, name: str = "Acme") -> Profile:
    """A saved profile whose key an earlier version put in ``backend`` as it was pasted."""
    profile = add_profile(ProfileStore(), name)
    backend.passwords[(SERVICE_NAME, profile.id)] = key
    return profile


def said_of_saved_key(reason: str, where: str) -> str:
    """What is said of a saved key that cannot be used for ``reason``, saved again ``where``."""
    return (
        f"The API key saved for this profile cannot be used: it {reason}. Save only the key "
        f"again {where}"
    )


# ---- told where the key is saved again --------------------------------------------------------


@pytest.mark.parametrize(("saved", "reason"), SAVED_EARLIER.values(), ids=SAVED_EARLIER.keys())
def test_choosing_a_profile_whose_saved_key_cannot_be_used_says_where_to_save_it_again(
    qtbot, worker, memory_keyring: MemoryKeyring, saved: str, reason: str
) -> None:
    profile = saved_earlier(memory_keyring, saved)
    picker = picker_telling(qtbot, worker, "saved", profile.id)
    # Not "give only the key": the key is in the keyring, out of sight, not in a field.
    assert picker.connection_problem() == said_of_saved_key(reason, "in Manage profiles.")
    assert picker.current_connection() is None


def test_manage_profiles_marks_the_saved_key_and_the_key_saved_again_is_used(
    qtbot, worker, memory_keyring: MemoryKeyring
) -> None:
    profile = saved_earlier(memory_keyring, SAVED_IN_QUOTES)
    picker = picker_telling(qtbot, worker, "saved", profile.id)

    dialog = picker.open_manager()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.selected_profile() is not None, timeout=TIMEOUT)
    key_edit = key_shown(qtbot, dialog, SAVED_IN_QUOTES)
    # Where the window sends the person, the key is marked, and the words say so again.
    assert dialog.field_error("api_key") == said_of_saved_key("is in quotes", "here.")
    assert is_marked(key_edit)
    assert COPIED_KEY not in dialog.field_error("api_key") + key_edit.toolTip()
    assert not dialog.has_unsaved_changes()

    type_into(dialog, "API key", DEMO_API_KEY)
    assert dialog.field_error("api_key") == ""
    assert not is_marked(key_edit)
    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved")
    assert memory_keyring.passwords[(SERVICE_NAME, profile.id)] == DEMO_API_KEY
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    connection = picker.current_connection()
    assert connection is not None
    assert connection.api_key == DEMO_API_KEY
    assert picker.connection_problem() is None


def test_a_key_saved_as_it_should_be_is_not_marked(
    qtbot, worker, memory_keyring: MemoryKeyring
) -> None:
    profile = saved_earlier(memory_keyring, DEMO_API_KEY)
    dialog, key_edit = dialog_showing_key(qtbot, worker, profile.id, DEMO_API_KEY)
    assert dialog.field_error("api_key") == ""
    assert not is_marked(key_edit)


# ---- copied with its profile, as it is -------------------------------------------------------


def test_a_profile_whose_saved_key_cannot_be_used_is_copied_with_that_key(
    qtbot, worker, memory_keyring: MemoryKeyring
) -> None:
    profile = saved_earlier(memory_keyring, SAVED_IN_QUOTES)
    dialog, _ = dialog_showing_key(qtbot, worker, profile.id, SAVED_IN_QUOTES)

    dialog.duplicate_profile()
    assert wait_for_status(qtbot, dialog, "Acme (2)") == "Created “Acme (2)”, a copy of “Acme”."
    copy = ProfileStore().require_by_name("Acme (2)")
    # Copied as it is: it is saved again later, in either profile, as the mark says.
    assert memory_keyring.passwords[(SERVICE_NAME, copy.id)] == SAVED_IN_QUOTES
    assert memory_keyring.passwords[(SERVICE_NAME, profile.id)] == SAVED_IN_QUOTES
    dialog.select_profile(copy.id)
    key_shown(qtbot, dialog, SAVED_IN_QUOTES)
    qtbot.waitUntil(lambda: "quotes" in dialog.field_error("api_key"), timeout=TIMEOUT)


# ---- a save that cannot write the profiles file -----------------------------------------------


def change_key(profile: Profile) -> object:
    """Save a new key for ``profile``, as Manage profiles and ``profiles set-key`` do."""
    return save_with_key(ProfileStore(), KeyStore(), profile, DEMO_API_KEY, is_new=False)


def remove(profile: Profile) -> object:
    """Delete ``profile`` and its key."""
    return ProfileStore().remove(profile.id, KeyStore())


@pytest.mark.parametrize("change", [change_key, remove], ids=["new key", "delete"])
def test_a_change_that_cannot_write_the_file_puts_the_saved_key_back_as_it_was(
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Profile], object],
) -> None:
    monkeypatch.setattr(profiles, "LOCK_TIMEOUT_S", 0.5)
    profile = saved_earlier(memory_keyring, SAVED_IN_QUOTES)
    path = profiles.default_profiles_path()
    # Another process in the middle of a save, for longer than a change waits.
    with FileLock(path.with_name(f"{path.name}.lock")), pytest.raises(ProfilesFileBusy):
        change(profile)
    # "Nothing was saved" stays true: the keyring holds what it held, as it was.
    assert memory_keyring.passwords[(SERVICE_NAME, profile.id)] == SAVED_IN_QUOTES
    assert ProfileStore().get(profile.id) is not None


# ---- the command line ---------------------------------------------------------------------------


def test_send_with_a_profile_whose_saved_key_is_in_quotes_says_to_save_it_again(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    # As an earlier version saved a key pasted with its quotes.
    keyring.set_password(SERVICE_NAME, profile.id, SAVED_IN_QUOTES)

    refused = cli(app_home, *send_args(fresh_sandbox, "Acme"))
    assert refused.returncode == 2, output(refused)
    assert refused.stderr.splitlines() == [
        "Nothing was sent. Correct what is named below, then run the command again.",
        "--profile “Acme” (API key): "
        + said_of_saved_key(
            "is in quotes", "in the window (Manage profiles) or with this command:"
        ),
        "  kombo-desktop profiles set-key Acme",
    ]
    assert COPIED_KEY not in output(refused)
    assert fresh_sandbox.requests == []

    # The command it names puts it right.
    set_key = cli(app_home, "profiles", "set-key", "Acme", stdin=DEMO_API_KEY + "\n")
    assert set_key.returncode == 0, output(set_key)
    sent = cli(app_home, *send_args(fresh_sandbox, "Acme"))
    assert sent.returncode == 0, output(sent)
    assert_sent_with_demo_credentials(fresh_sandbox)
