"""A key kept for this session only in place of one the keyring would not delete: the
old key never comes back once the session is over (the list says "No key"), neither in
the window nor on the command line; it is deleted as soon as the keyring lets it, and a
key saved in the keyring takes its place. The delete questions asked without a keyring
speak of the key the profile has.

The real Secret Service where it can be, and the test keyrings for its refusals.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import SecretService
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    ProfileStore,
    connection_for_profile,
    connection_for_profile_name,
    save_with_key,
    stored_key,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.cli_support import cli, output
from tests.keyring_support import (
    keyring_backend,
    unregistered,
)
from tests.keys_support import KEPT_KEY, old_key_left_then_restarted
from tests.main_window_support import posts
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    answer_next_box,
    answer_session_only,
    click,
    keyed,
    make_picker,
    show_dialog,
    type_into,
    wait_for_status,
    widget,
)

NEW_KEY = "ks_dev_savedOnceTheKeyringWorks00000"
#: What is said of a profile whose old key is left in the keyring, unused.
OLD_KEY_LEFT = "could not be deleted from the system keyring"


@unregistered
class RefusingSecretService(SecretService.Keyring):
    """The real Secret Service, which refuses to store or delete a key (as a keyring whose
    policy forbids changes): reads go through."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the keyring refused to store the secret")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError("the keyring refused to delete the secret")


@pytest.mark.usefixtures("real_keyring")
def test_the_command_line_never_sends_with_the_key_a_session_key_replaced(
    qtbot, worker, fresh_sandbox: Sandbox, app_home: Path
) -> None:
    """In the window the keyring refuses the new key and its delete of the old one; the
    person keeps the new key for this session only. The command line, run next, must not
    send with the old key: it deletes it (this keyring lets it) and has no key."""
    acme = keyed(fresh_sandbox, "Acme")
    with keyring_backend(RefusingSecretService()):  # type: ignore[no-untyped-call]
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(acme.id)
        key_edit = widget(dialog, "API key", QLineEdit)
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        answer_session_only(dialog, keep=True)
        type_into(dialog, "API key", KEPT_KEY)
        click(qtbot, dialog, "Save profile")
        status = wait_for_status(qtbot, dialog, "Saved")
    assert OLD_KEY_LEFT in status
    assert keyring.get_password(SERVICE_NAME, acme.id) == DEMO_API_KEY  # left there

    sent = cli(
        app_home, "send", "--profile", "Acme", "--candidate", "C1", "--label", "L",
        "--url", "https://example.com/r",
    )  # fmt: skip
    assert posts(fresh_sandbox) == [], "the key the session key replaced was used"
    assert sent.returncode == 2, output(sent)
    assert "no API key is saved" in sent.stderr
    assert keyring.get_password(SERVICE_NAME, acme.id) is None  # deleted by that read


def test_after_a_restart_an_old_key_the_keyring_keeps_is_never_used(
    qtbot, worker, app_home: Path
) -> None:
    with old_key_left_then_restarted() as (backend, restarted, profile):
        with pytest.raises(InputError) as raised:
            connection_for_profile(profile, KeyStore(), store=restarted)
        said = raised.value.message_for("api_key") or ""
        assert OLD_KEY_LEFT in said
        assert "kombo-desktop profiles set-key Acme" in said
        assert DEMO_API_KEY not in said
        # As the command line reads it, and without a store too.
        with pytest.raises(InputError, match=OLD_KEY_LEFT):
            connection_for_profile_name("Acme")
        with pytest.raises(InputError, match=OLD_KEY_LEFT):
            connection_for_profile(profile, KeyStore())

        # The window's picker: no connection, and why.
        picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
        picker.select_profile(profile.id)
        qtbot.waitUntil(lambda: OLD_KEY_LEFT in (picker.connection_problem() or ""))
        assert picker.current_connection() is None

        # Manage profiles: no key in the field, and why at it.
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(profile.id)
        qtbot.waitUntil(lambda: OLD_KEY_LEFT in dialog.field_error("api_key"), timeout=TIMEOUT)
        assert widget(dialog, "API key", QLineEdit).text() == ""
        assert not dialog.has_unsaved_changes()
        assert backend.passwords[(SERVICE_NAME, profile.id)] == DEMO_API_KEY

        # The keyring lets deletes through again: the next read deletes the old key.
        backend.refuse_deletes = False
        again = ProfileStore()
        assert stored_key(again, KeyStore(), profile) is None
        assert (SERVICE_NAME, profile.id) not in backend.passwords
        cleared = ProfileStore().get(profile.id)
        assert cleared is not None
        assert not cleared.replaced_key_left
        # Written as earlier versions write the file, which they read as before.
        assert "replaced_key_left" not in again.path.read_text(encoding="utf-8")


def test_a_key_saved_in_the_keyring_takes_the_place_of_the_old_one(app_home: Path) -> None:
    with old_key_left_then_restarted() as (backend, restarted, profile):
        with pytest.raises(InputError, match=OLD_KEY_LEFT):
            stored_key(restarted, KeyStore(), profile)

        # The keyring takes keys again (it still refuses deletes): set-key saves one.
        backend.refuse_writes = False
        saved = save_with_key(restarted, KeyStore(), profile, NEW_KEY, is_new=False, key_only=True)
        assert not saved.replaced_key_left
        after = ProfileStore()
        read_again = after.get(profile.id)
        assert read_again is not None
        assert not read_again.replaced_key_left
        assert stored_key(after, KeyStore(), read_again) == NEW_KEY
        assert connection_for_profile(read_again, KeyStore(), store=after).api_key == NEW_KEY


# ---- deleting with no keyring in reach --------------------------------------------------------


def test_deleting_a_profile_with_a_session_key_without_a_keyring_says_so(
    qtbot, worker, real_questions
) -> None:
    with keyring_backend(keyring.backends.fail.Keyring()):  # type: ignore[no-untyped-call]
        acme = add_profile(ProfileStore(), "Acme")
        key_store = KeyStore()
        key_store.set(acme.id, KEPT_KEY, session_only=True)
        dialog = show_dialog(qtbot, ProfileStore(), key_store, worker)
        dialog.select_profile(acme.id)
        with (
            answer_next_box(qtbot, "confirmDelete", "Delete profile"),
            answer_next_box(qtbot, "confirmDeleteWithoutKeyring", "Cancel") as asked,
        ):
            click(qtbot, dialog, "Delete profile")
        qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
        question = asked[0].splitlines()[0]
        assert question == ("Delete the profile “Acme” and the API key kept for this session only?")
        assert key_store.is_session_only(acme.id)  # nothing was deleted

        with (
            answer_next_box(qtbot, "confirmDelete", "Delete profile"),
            answer_next_box(qtbot, "confirmDeleteWithoutKeyring", "Delete profile"),
        ):
            click(qtbot, dialog, "Delete profile")
        status = wait_for_status(qtbot, dialog, "Deleted")
        assert status == "Deleted “Acme” and the API key kept for this session only."
        assert not key_store.is_session_only(acme.id)
