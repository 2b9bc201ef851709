"""What the profiles dialog says when the keyring, a file or the profile store fails.

Every such text comes from ``core.messages.describe_failure``: what it means for the
person first, then the reason in plain words, never a key and never Python's noise.
"""

from __future__ import annotations

import errno
import os
import threading
from typing import Any

import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QTableView

from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.keyring_support import (
    GatedKeyring,
    LockedKeyring,
    MemoryKeyring,
    keyring_backend,
    unregistered,
)
from tests.profiles_support import (
    TIMEOUT,
    HeldDisk,
    add_profile,
    answer_unsaved,
    click,
    click_row,
    show_dialog,
    show_dialog_on_a_keyed_profile,
    type_into,
    wait_for_status,
)
from tests.qt_helpers import find_by_accessible_name


@unregistered
class RefusingKeyring(MemoryKeyring):
    """Refuses to delete, quoting the key in its error as a careless backend might."""

    def delete_password(self, service: str, username: str) -> None:
        key = self.passwords[(service, username)]
        raise RuntimeError(f"refused to delete {key}")


def test_an_export_that_cannot_be_written_names_the_file_and_the_reason(
    qtbot, worker, memory_keyring, tmp_path
):
    add_profile(ProfileStore())
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    folder = tmp_path / "chosen-folder"
    folder.mkdir()
    dialog.export_to(folder)  # a folder where a file was expected
    status = wait_for_status(qtbot, dialog, "Nothing was exported")
    assert status == f"Nothing was exported. Could not write {folder} (Is a directory)."
    assert find_by_accessible_name(dialog, "Export profiles", QAbstractButton).isEnabled()


def test_an_import_that_cannot_be_read_says_so_and_imports_nothing(
    qtbot, worker, memory_keyring, tmp_path
):
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    missing = tmp_path / "missing.json"
    dialog.import_from(missing)
    status = wait_for_status(qtbot, dialog, "Nothing was imported")
    assert status == (
        f"Nothing was imported. Could not read {missing} (No such file or directory)."
    )

    picture = tmp_path / "picture.json"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    dialog.import_from(picture)
    status = wait_for_status(qtbot, dialog, "not a text file")
    assert status == f"Nothing was imported. Could not read {picture}: it is not a text file."
    assert ProfileStore().profiles() == []


def save_where_no_file_can_be_written(qtbot, worker, tmp_path) -> ProfilesDialog:
    """A new profile, typed in and saved, whose profiles file cannot be written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    store = ProfileStore(blocker / "config" / "profiles.json")
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    type_into(dialog, "Profile name", "Acme")
    type_into(dialog, "Integration ID", DEMO_INTEGRATION_ID)
    type_into(dialog, "API key", DEMO_API_KEY)
    click(qtbot, dialog, "Save profile")
    return dialog


def test_a_profiles_file_that_cannot_be_written_saves_nothing(
    qtbot, worker, memory_keyring, tmp_path
):
    dialog = save_where_no_file_can_be_written(qtbot, worker, tmp_path)
    status = wait_for_status(qtbot, dialog, "Nothing was saved")
    assert status == "Nothing was saved. Could not write the profiles file (Not a directory)."
    assert memory_keyring.passwords == {}  # the key went back out of the keyring
    assert find_by_accessible_name(dialog, "Profile name", QLineEdit).text() == "Acme"


def test_a_save_that_fails_while_the_dialog_waits_to_close_keeps_it_open(
    qtbot, worker, memory_keyring, tmp_path
):
    dialog = save_where_no_file_can_be_written(qtbot, worker, tmp_path)
    assert dialog.busy
    dialog.close()  # waits for the save
    status = wait_for_status(qtbot, dialog, "Nothing was saved")
    # Closed now, the failure would go unseen and the edits would be lost.
    assert "Could not write the profiles file" in status
    assert dialog.isVisible()
    assert find_by_accessible_name(dialog, "Profile name", QLineEdit).text() == "Acme"
    assert dialog.has_unsaved_changes()


def test_a_delete_the_keyring_refuses_keeps_the_profile_and_never_shows_the_key(
    qtbot, worker, monkeypatch: pytest.MonkeyPatch
):
    with keyring_backend(RefusingKeyring()) as backend:
        assert isinstance(backend, RefusingKeyring)
        profile = add_profile(ProfileStore())
        backend.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        monkeypatch.setattr(dialog, "confirm_delete", lambda _profile: True)
        click(qtbot, dialog, "Delete profile")
        status = wait_for_status(qtbot, dialog, "was not deleted")
    assert status.startswith("“Acme” was not deleted. The system keyring refused access")
    assert DEMO_API_KEY not in status
    assert ProfileStore().get(profile.id) is not None


def test_without_any_keyring_a_profile_is_deleted_only_when_the_person_says_so(
    qtbot, worker, monkeypatch: pytest.MonkeyPatch
):
    # No keyring can be reached: the key cannot be deleted. The person decides whether
    # the profile goes all the same (on a computer without a keyring, the only way).
    answers = [False, True]
    asked: list[str] = []

    def confirm_without_keyring(profile: Profile, error: Exception) -> bool:
        asked.append(profile.name)
        return answers.pop(0)

    with keyring_backend(FailKeyring()):  # type: ignore[no-untyped-call]
        profile = add_profile(ProfileStore())
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(profile.id)
        monkeypatch.setattr(dialog, "confirm_delete", lambda _profile: True)
        monkeypatch.setattr(dialog, "confirm_delete_without_keyring", confirm_without_keyring)

        click(qtbot, dialog, "Delete profile")
        status = wait_for_status(qtbot, dialog, "was not deleted")
        assert status.startswith("“Acme” was not deleted. No secure system keyring can be reached")
        assert "fail Keyring" not in status  # keyring's name for "none": no words for people
        assert ProfileStore().get(profile.id) is not None

        click(qtbot, dialog, "Delete profile")
        status = wait_for_status(qtbot, dialog, "Deleted")
    assert asked == ["Acme", "Acme"]
    assert status == (
        "Deleted “Acme”. No keyring could be reached: an API key saved for it earlier stays "
        "in that keyring."
    )
    assert ProfileStore().get(profile.id) is None


def test_without_a_keyring_the_dialog_says_so_in_words_and_names_it_only_in_the_tooltip(
    qtbot, worker
):
    with keyring_backend(FailKeyring()):  # type: ignore[no-untyped-call]
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        keyring_label = find_by_accessible_name(dialog, "Keyring", QLabel)
        qtbot.waitUntil(lambda: keyring_label.text() != "", timeout=TIMEOUT)
    assert keyring_label.text() == (
        "No secure keyring is available on this computer, so API keys cannot be saved."
    )
    assert "fail Keyring" in keyring_label.toolTip()


def test_a_failure_that_quotes_a_key_is_told_without_it(
    qtbot, worker, memory_keyring, monkeypatch: pytest.MonkeyPatch
):
    profile = add_profile(ProfileStore())
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY

    def failing_duplicate(self: ProfileStore, profile_id: str, key_store: Any) -> Profile:
        raise RuntimeError(f"could not copy the key {DEMO_API_KEY}")

    monkeypatch.setattr(ProfileStore, "duplicate", failing_duplicate)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    click(qtbot, dialog, "Duplicate profile")
    status = wait_for_status(qtbot, dialog, "could not be duplicated")
    assert status == (
        "“Acme” could not be duplicated. Something unexpected went wrong inside Kombo Desktop."
    )


def test_a_locked_keyring_is_explained_at_the_key_field(qtbot, worker, memory_keyring):
    profile = add_profile(ProfileStore())
    with keyring_backend(LockedKeyring()):
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(profile.id)
        qtbot.waitUntil(lambda: dialog.field_error("api_key") != "", timeout=TIMEOUT)
    assert "keyring is locked" in dialog.field_error("api_key")
    key_edit = find_by_accessible_name(dialog, "API key", QLineEdit)
    assert key_edit.placeholderText() == "The API key could not be read"


def test_a_key_the_keyring_will_not_delete_is_explained_at_the_key_field(
    qtbot, worker, memory_keyring
):
    dialog, profile = show_dialog_on_a_keyed_profile(qtbot, worker, memory_keyring)
    key_edit = find_by_accessible_name(dialog, "API key", QLineEdit)
    key_edit.clear()  # saving an empty key deletes the stored one
    with keyring_backend(LockedKeyring()):
        click(qtbot, dialog, "Save profile")
        wait_for_status(qtbot, dialog, "Nothing was saved")
    assert dialog.status_text() == "Nothing was saved."
    assert "keyring is locked" in dialog.field_error("api_key")
    assert memory_keyring.passwords == {(SERVICE_NAME, profile.id): DEMO_API_KEY}


def test_a_save_that_fails_after_the_key_arrived_keeps_the_edits_unsaved(qtbot, worker):
    # The keyring answers late (an unlock prompt) and the key arrives while the save
    # runs; the disk is full. The rename is still unsaved: closing must ask about it.
    key_arrived = threading.Event()

    class FullDisk(ProfileStore):
        def update(self, profile: Profile) -> Profile:
            key_arrived.wait(TIMEOUT / 1000)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    backend = GatedKeyring()
    with keyring_backend(backend):
        profile = add_profile(ProfileStore())
        backend.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
        dialog = show_dialog(qtbot, FullDisk(), KeyStore(), worker)
        dialog.select_profile(profile.id)  # its key read now waits at the gate
        type_into(dialog, "Profile name", "Acme GmbH")
        click(qtbot, dialog, "Save profile")
        backend.gate.set()
        key_edit = find_by_accessible_name(dialog, "API key", QLineEdit)
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        key_arrived.set()
        status = wait_for_status(qtbot, dialog, "Nothing was saved")

    assert "No space left on device" in status or os.strerror(errno.ENOSPC) in status
    assert dialog.has_unsaved_changes()
    asked = answer_unsaved(dialog, UnsavedChoice.CANCEL)
    dialog.close()
    assert asked == ["Save changes to “Acme”?"]
    assert dialog.isVisible()
    assert ProfileStore().get(profile.id).name == "Acme"  # type: ignore[union-attr]


def test_a_key_stored_with_a_trailing_line_break_is_no_unsaved_edit(qtbot, worker, memory_keyring):
    # Written by another tool (``echo key | secret-tool store …``): the form trims it.
    profile = add_profile(ProfileStore())
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY + "\n"
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    key_edit = find_by_accessible_name(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text().strip() == DEMO_API_KEY, timeout=TIMEOUT)
    assert not dialog.has_unsaved_changes()


def test_closing_twice_while_a_save_runs_closes_once(qtbot, worker, memory_keyring):
    # Esc, "Save", then Esc again while the save is written: one close, not two.
    dialog, profile = show_dialog_on_a_keyed_profile(qtbot, worker, memory_keyring)
    type_into(dialog, "Profile name", "Acme GmbH")
    answer_unsaved(dialog, UnsavedChoice.SAVE)
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    dialog.reject()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    # A second close would come as the writer goes idle: wait for that, then count.
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert len(finished) == 1
    assert ProfileStore().get(profile.id).name == "Acme GmbH"  # type: ignore[union-attr]


def test_while_a_save_is_written_the_list_and_the_form_stay_as_they_are(
    qtbot, worker, memory_keyring
):
    # The answer concerns the profile being edited and what was typed: choosing another
    # row or typing on meanwhile would put the answer on the wrong form.
    store = HeldDisk()

    alpha = add_profile(ProfileStore(), "Alpha")
    add_profile(ProfileStore(), "Beta")
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    dialog.select_profile(alpha.id)
    type_into(dialog, "Profile name", "Alpha GmbH")
    click(qtbot, dialog, "Save profile")
    assert dialog.busy

    click_row(qtbot, dialog, "Beta")
    name = find_by_accessible_name(dialog, "Profile name", QLineEdit)
    name.setFocus()
    QTest.keyClicks(name, " typed meanwhile")
    assert dialog.selected_profile() == alpha
    assert name.text() == "Alpha GmbH"

    store.written.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert dialog.status_text().startswith("Saved “Alpha GmbH”")
    assert not dialog.has_unsaved_changes()
    assert [p.name for p in ProfileStore().profiles()] == ["Alpha GmbH", "Beta"]
    # And then both take input again.
    click_row(qtbot, dialog, "Beta")
    qtbot.waitUntil(lambda: name.text() == "Beta", timeout=TIMEOUT)


def test_the_list_has_the_focus_again_once_a_change_is_written(qtbot, worker, memory_keyring):
    # Held still while a save runs, the list hands its focus on; a keyboard user gets
    # it back where they were.
    store = HeldDisk()

    alpha = add_profile(ProfileStore(), "Alpha")
    add_profile(ProfileStore(), "Beta")
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    dialog.select_profile(alpha.id)
    answer_unsaved(dialog, UnsavedChoice.SAVE)
    type_into(dialog, "Profile name", "Alpha GmbH")
    table = find_by_accessible_name(dialog, "Profiles", QTableView)
    table.setFocus()
    assert dialog.focusWidget() is table
    # To Beta: "Save changes to “Alpha”?" is answered Save.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.busy, timeout=TIMEOUT)
    store.written.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert dialog.focusWidget() is table
