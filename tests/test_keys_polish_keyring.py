"""Manage profiles on the real Secret Service, locked while the dialog is open (an unlock
prompt dismissed): a profile deleted elsewhere while its key could not be read is a new
profile, with nothing left of that read; a key read again that fails no longer stands for
the profile's key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from keyring.backends import SecretService
from PySide6.QtWidgets import QLineEdit, QPushButton

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profile_fields import KEY_PLACEHOLDER
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.cli_support import cli, output
from tests.keyring_support import keyring_backend
from tests.main_window_support import WAIT_MS
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    answer_next_box,
    click,
    keyed,
    open_manager,
    picker_of,
    type_into,
    wait_for_notices_so_far,
    wait_for_status,
    widget,
    window_on,
)
from tests.secret_service_support import LockableCollection

OTHER_DEV_KEY = "ks_dev_replacedElsewhere000000000000"


@pytest.fixture
def lockable(
    real_keyring: None, lockable_collection: LockableCollection
) -> Iterator[LockableCollection]:
    """The real Secret Service as this process's keyring, on a collection of its own that
    the test locks (as an unlock prompt dismissed) and unlocks again; never the default."""
    backend: Any = SecretService.Keyring()  # type: ignore[no-untyped-call]
    backend.preferred_collection = lockable_collection.path
    with keyring_backend(backend):
        yield lockable_collection


def key_unread(dialog: ProfilesDialog) -> bool:
    """True once the dialog says the key of the profile in its form could not be read."""
    return "locked" in dialog.field_error("api_key")


def test_edits_kept_as_a_new_profile_leave_the_failed_key_read_behind(
    lockable: LockableCollection, qtbot, fresh_sandbox: Sandbox, app_home
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    lockable.lock()
    picker = picker_of(window)
    picker.open_manager()
    qtbot.waitUntil(lambda: picker.dialog is not None, timeout=WAIT_MS)
    dialog = picker.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: key_unread(dialog), timeout=TIMEOUT)
    try_again = widget(dialog, "Read the API key again", QPushButton)
    assert try_again.isVisible()
    type_into(dialog, "Profile name", "Acme Europe")

    removed = cli(app_home, "profiles", "remove", "Acme")
    assert removed.returncode == 0, output(removed)
    wait_for_notices_so_far(qtbot, picker)
    assert "“Acme” was deleted in another window" in dialog.status_text()
    # A new profile has no key to read again, nor one that could not be read.
    assert not try_again.isVisible()
    assert dialog.field_error("api_key") == ""
    key_edit = widget(dialog, "API key", QLineEdit)
    assert key_edit.placeholderText() == KEY_PLACEHOLDER
    assert dialog.has_unsaved_changes()

    lockable.unlock()
    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved “Acme Europe”")
    saved = ProfileStore().find_by_name("Acme Europe")
    assert saved is not None
    assert saved.id != acme.id
    assert KeyStore().get(saved.id) is None


def test_a_failed_read_again_no_longer_shows_the_key_read_before(
    lockable: LockableCollection, qtbot, fresh_sandbox: Sandbox
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    dialog = open_manager(qtbot, window)
    key_edit = widget(dialog, "API key", QLineEdit)
    assert key_edit.text() == DEMO_API_KEY

    # Elsewhere the key is replaced by one of its kind (the profile's entry stays as it
    # was) and another profile is added; the keyring is locked before the dialog reads
    # the key again, as it does after each change of the file.
    KeyStore().set(acme.id, OTHER_DEV_KEY)
    add_profile(ProfileStore(), "Beta")
    lockable.lock()
    wait_for_notices_so_far(qtbot, picker_of(window))
    qtbot.waitUntil(lambda: key_unread(dialog), timeout=TIMEOUT)

    # Not the key replaced, shown as the profile's: none is known now, as after a first
    # read that failed, and that is no edit.
    assert key_edit.text() == ""
    assert key_edit.placeholderText() == "The API key could not be read"
    assert widget(dialog, "Read the API key again", QPushButton).isVisible()
    assert not dialog.has_unsaved_changes()
    # The delete is worded by what the profile notes of its key, as for any profile whose
    # key is not known.
    with answer_next_box(qtbot, "confirmDelete", "Cancel") as asked:
        click(qtbot, dialog, "Delete profile")
    assert asked == [
        "Delete the profile “Acme” and its API key?\n"
        "The key is removed from the system keyring. This cannot be undone."
    ]

    lockable.unlock()
    click(qtbot, dialog, "Read the API key again")
    qtbot.waitUntil(lambda: key_edit.text() == OTHER_DEV_KEY, timeout=TIMEOUT)
    assert dialog.field_error("api_key") == ""
    assert not dialog.has_unsaved_changes()
