"""A profile whose key is gone from the keyring stops being listed as having one.

Lists read the profile file's note of the saved key's environment, so that they never
open the keyring. When a read of the key finds none (it was removed outside the app: a
keyring reset, a new login keyring), the note is corrected and saved, so that the
dialog's list and ``profiles list`` say what the picker and ``send`` found.
"""

from __future__ import annotations

import json
import threading

import keyring
import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import Profile, ProfileStore, build_profile, save_with_key
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profile_picker import NO_KEY
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, DEMO_PROD_API_KEY
from tests.cli_support import cli, output
from tests.keyring_support import (
    LockedKeyring,
    MemoryKeyring,
    keyring_backend,
    require_real_secret_service,
)
from tests.profiles_support import TIMEOUT, make_picker, show_dialog, table_texts, widget


def profile_whose_key_is_gone(keyring_: MemoryKeyring) -> Profile:
    """A profile saved with a production key that was then removed from the keyring."""
    profile = build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    saved = save_with_key(ProfileStore(), KeyStore(), profile, DEMO_PROD_API_KEY, is_new=True)
    assert saved.key_environment is Environment.PRODUCTION
    del keyring_.passwords[(SERVICE_NAME, profile.id)]
    return saved


def noted_environment(profile: Profile) -> Environment | None:
    """The key environment the profiles file notes for ``profile``, read afresh."""
    stored = ProfileStore().get(profile.id)
    assert stored is not None
    return stored.key_environment


# ---- the window --------------------------------------------------------------------------------


def test_the_dialog_lists_no_key_once_it_found_none(qtbot, worker, memory_keyring) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(
        lambda: key_edit.placeholderText().startswith("No API key saved"), timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: table_texts(dialog)[0][1] == "No key", timeout=TIMEOUT)
    assert noted_environment(profile) is None
    # The form stays on the profile, ready for its new key.
    assert dialog.selected_profile() == ProfileStore().get(profile.id)


def test_the_picker_notes_a_key_that_is_gone(qtbot, worker, memory_keyring) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.connection_problem() == NO_KEY, timeout=TIMEOUT)
    assert noted_environment(profile) is None
    # The list opened next says the same.
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    assert table_texts(dialog)[0][1] == "No key"


def test_a_keyring_that_cannot_be_read_changes_no_note(memory_keyring) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    with keyring_backend(LockedKeyring()):
        # Locked is not empty: the key may well be there.
        assert ProfileStore().forget_missing_key(profile.id, KeyStore()) is False
    assert noted_environment(profile) is Environment.PRODUCTION


def test_a_key_saved_meanwhile_is_not_noted_as_gone(memory_keyring) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_PROD_API_KEY
    assert ProfileStore().forget_missing_key(profile.id, KeyStore()) is False
    assert noted_environment(profile) is Environment.PRODUCTION


# ---- the command line --------------------------------------------------------------------------


@pytest.mark.secret_service
def test_profiles_list_stops_claiming_a_key_send_found_gone(app_home) -> None:
    require_real_secret_service()
    added = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--region", "eu", stdin=DEMO_PROD_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    listed = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert listed["profiles"][0]["key_saved"] is True
    keyring.delete_password(SERVICE_NAME, ProfileStore().profiles()[0].id)

    sent = cli(
        app_home, "send", "--profile", "Acme", "--candidate", "C1", "--label", "L",
        "--url", "https://example.com/r",
    )  # fmt: skip
    assert sent.returncode == 2, output(sent)
    assert "no API key is saved" in sent.stderr

    listed = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert listed["profiles"][0]["key_saved"] is False
    assert listed["profiles"][0]["environment"] is None
    table = cli(app_home, "profiles", "list").stdout
    assert table.splitlines()[1].endswith("no key saved"), table


class KeyringReadWhileAnotherProcessSaves(KeyStore):
    """A keyring whose read of a key takes long enough for another process (its own
    store, the same file) to save a profile meanwhile; the key is indeed gone."""

    def get(self, profile_id: str) -> str | None:
        ProfileStore().add_profile(
            build_profile(name="Beta", integration_id="workday:beta", region="eu")
        )
        return None


def test_a_profile_saved_by_another_process_during_the_keyring_read_is_kept(
    memory_keyring,
) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    store = ProfileStore()
    # The file was written meanwhile: the answer is not known to hold, nothing is noted.
    assert store.forget_missing_key(profile.id, KeyringReadWhileAnotherProcessSaves()) is False
    assert [p.name for p in ProfileStore().profiles()] == ["Acme", "Beta"]
    assert noted_environment(profile) is Environment.PRODUCTION
    # The next read notes it, and keeps the other process's profile.
    assert store.forget_missing_key(profile.id, KeyStore()) is True
    assert [p.name for p in ProfileStore().profiles()] == ["Acme", "Beta"]
    assert noted_environment(profile) is None


def test_a_key_of_the_same_environment_another_process_saves_meanwhile_is_not_noted_as_gone(
    memory_keyring,
) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)

    class KeyringReadWhileAnotherProcessSavesTheKey(KeyStore):
        def get(self, profile_id: str) -> str | None:
            # Read before the other process (its own store) stored a production key
            # again: the file's note reads as it did before.
            save_with_key(ProfileStore(), KeyStore(), profile, DEMO_PROD_API_KEY, is_new=False)
            return None

    # Before: noted as gone (the note the same, the store's own writes none), while the
    # keyring held the key.
    store = ProfileStore()
    assert (
        store.forget_missing_key(profile.id, KeyringReadWhileAnotherProcessSavesTheKey()) is False
    )
    assert noted_environment(profile) is Environment.PRODUCTION
    assert KeyStore().get(profile.id) == DEMO_PROD_API_KEY


def test_a_key_another_process_saves_during_the_keyring_read_is_not_noted_as_gone(
    memory_keyring,
) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)

    class KeyringReadWhileANewKeyIsSaved(KeyStore):
        def get(self, profile_id: str) -> str | None:
            # Read before the other process stored its key; its note comes after.
            save_with_key(ProfileStore(), KeyStore(), profile, DEMO_API_KEY, is_new=False)
            return None

    assert ProfileStore().forget_missing_key(profile.id, KeyringReadWhileANewKeyIsSaved()) is False
    assert noted_environment(profile) is Environment.DEVELOPMENT


# ---- the lock, while the keyring is asked ------------------------------------------------------


class KeyringReadHeld(KeyStore):
    """A keyring read that waits until the test lets it answer (an unlock prompt nobody
    answers yet); ``asked`` is set once the read has begun. The key is indeed gone."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self.answer = threading.Event()

    def get(self, profile_id: str) -> str | None:
        self.asked.set()
        assert self.answer.wait(TIMEOUT / 1000)
        return None


def test_the_store_answers_while_a_missing_key_is_asked_for(memory_keyring) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    other = ProfileStore().add_profile(
        build_profile(name="Beta", integration_id="workday:beta", region="eu")
    )
    store = ProfileStore()
    held = KeyringReadHeld()
    noting = threading.Thread(target=store.forget_missing_key, args=(profile.id, held))
    noting.start()
    try:
        assert held.asked.wait(TIMEOUT / 1000)

        # Opening Manage profiles (the GUI thread) and choosing a profile (the writer,
        # which quitting waits for) while the keyring has not answered. Before: both
        # waited for the keyring, the store's lock held across its read.
        def open_manager_then_choose_another() -> None:
            store.message_told()
            store.set_last_used(other.id)

        others = threading.Thread(target=open_manager_then_choose_another)
        others.start()
        others.join(TIMEOUT / 1000)
        assert not others.is_alive()
        assert held.answer.is_set() is False
    finally:
        held.answer.set()
        noting.join()
    assert ProfileStore().last_used_id == other.id
    # Written meanwhile: the gone key is noted at the next read, not from this answer.
    assert noted_environment(profile) is Environment.PRODUCTION
    assert store.forget_missing_key(profile.id, KeyStore()) is True
    assert noted_environment(profile) is None


def test_a_key_this_process_saves_during_the_keyring_read_is_not_noted_as_gone(
    memory_keyring,
) -> None:
    profile = profile_whose_key_is_gone(memory_keyring)
    store = ProfileStore()

    class KeyringReadWhileTheKeyIsSavedAgain(KeyStore):
        def get(self, profile_id: str) -> str | None:
            # Read before this process (its writer) stored the key again, of the same
            # environment: the file's note does not change, the store's writes do.
            save_with_key(store, KeyStore(), profile, DEMO_PROD_API_KEY, is_new=False)
            return None

    assert store.forget_missing_key(profile.id, KeyringReadWhileTheKeyIsSavedAgain()) is False
    assert noted_environment(profile) is Environment.PRODUCTION
    assert KeyStore().get(profile.id) == DEMO_PROD_API_KEY
