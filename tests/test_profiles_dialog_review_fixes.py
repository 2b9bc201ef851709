"""Manage profiles: edits kept when another process deletes their profile, a key replaced
elsewhere followed, no key quoted in a question or put on the clipboard, a delete worded
for the key the profile holds, a replaced key never left to come back, a failed key read
read again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPushButton

from kombo_desktop.core.profiles import ProfileStore, ReplacedKeyLeft, stored_key
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.cli_support import cli, output
from tests.keyring_support import (
    MemoryKeyring,
    UnlockableKeyring,
    WriteRefusingKeyring,
    keyring_backend,
)
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    answer_next_box,
    answer_session_only,
    answer_unsaved,
    click,
    click_row,
    keyed,
    keyed_profile,
    open_manager,
    picker_of,
    show_dialog,
    type_into,
    wait_for_notices_so_far,
    wait_for_status,
    widget,
    window_on,
)

OTHER_DEV_KEY = "ks_dev_replacedOnTheCommandLine00000"
PROD_KEY = "ks_prod_pastedAsTheName0123456789abcd"
NEW_DEV_KEY = "ks_dev_keptForThisSessionOnly0000000"


def context_menu_entries(edit: QLineEdit) -> dict[str, bool]:
    """Open ``edit``'s context menu as the menu key does, and close it again; whether each
    of its entries (by Qt's names, as ``edit-copy``) could be chosen."""
    entries: dict[str, bool] = {}

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, read_and_close)
            return
        entries.update({action.objectName(): action.isEnabled() for action in menu.actions()})
        menu.close()

    QTimer.singleShot(0, read_and_close)
    at = QPoint(edit.width() // 2, edit.height() // 2)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, at, edit.mapToGlobal(at))
    QApplication.sendEvent(edit, event)  # returns once the menu is closed
    return entries


@pytest.mark.usefixtures("real_keyring")
def test_edits_to_a_profile_deleted_on_the_command_line_are_saved_as_a_new_profile(
    qtbot, fresh_sandbox: Sandbox, app_home: Path
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    dialog = open_manager(qtbot, window)
    type_into(dialog, "Profile name", "Acme Europe")
    type_into(dialog, "Integration ID", "personio:TYPEDBYHAND0001")

    removed = cli(app_home, "profiles", "remove", "Acme")
    assert removed.returncode == 0, output(removed)
    wait_for_notices_so_far(qtbot, picker_of(window))
    assert dialog.has_unsaved_changes()  # the edits are still in the form
    assert "“Acme” was deleted in another window or on the command line" in (dialog.status_text())

    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved “Acme Europe”")
    saved = ProfileStore().find_by_name("Acme Europe")
    assert saved is not None
    assert saved.id != acme.id
    assert saved.integration_id == "personio:TYPEDBYHAND0001"
    assert KeyStore().get(saved.id) == DEMO_API_KEY  # the key the form showed
    assert not dialog.has_unsaved_changes()


@pytest.mark.usefixtures("real_keyring")
def test_the_form_follows_a_key_replaced_on_the_command_line(
    qtbot, fresh_sandbox: Sandbox, app_home: Path
) -> None:
    """A key of the same environment leaves the profile's entry as it was: the form must
    read the key again all the same, as the window's picker does."""
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    dialog = open_manager(qtbot, window)
    key_edit = widget(dialog, "API key", QLineEdit)

    stored = cli(app_home, "profiles", "set-key", "Acme", stdin=OTHER_DEV_KEY + "\n")
    assert stored.returncode == 0, output(stored)
    wait_for_notices_so_far(qtbot, picker_of(window))
    qtbot.waitUntil(lambda: key_edit.text() == OTHER_DEV_KEY, timeout=TIMEOUT)
    assert not dialog.has_unsaved_changes()
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_the_unsaved_question_never_quotes_a_key_typed_as_the_name(
    qtbot, worker, memory_keyring
) -> None:
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    type_into(dialog, "Profile name", f"Acme {PROD_KEY}")
    asked = answer_unsaved(dialog, UnsavedChoice.CANCEL)
    click(qtbot, dialog, "Add profile")
    assert asked == ["Save the new profile?"]


def test_a_revealed_key_never_reaches_the_clipboard(
    qtbot, worker, memory_keyring, clipboard
) -> None:
    acme = keyed_profile(ProfileStore(), "Acme", DEMO_API_KEY)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(acme.id)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    click(qtbot, dialog, "Show API key")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Normal
    clipboard.setText("before")

    key_edit.setFocus()
    for key in (Qt.Key.Key_C, Qt.Key.Key_Insert, Qt.Key.Key_X):
        key_edit.selectAll()
        qtbot.keyClick(key_edit, key, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "before"
    assert key_edit.echoMode() == QLineEdit.EchoMode.Normal  # still shown

    key_edit.setText(DEMO_API_KEY)
    key_edit.selectAll()
    entries = context_menu_entries(key_edit)
    assert entries["edit-copy"] is False
    assert entries["edit-cut"] is False
    assert entries["edit-paste"] is True  # a key is still pasted in
    assert not key_edit.dragEnabled()


def test_deleting_a_profile_without_a_key_does_not_speak_of_its_key(
    qtbot, worker, memory_keyring, real_questions
) -> None:
    acme = add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(acme.id)
    with answer_next_box(qtbot, "confirmDelete", "Delete profile") as asked:
        click(qtbot, dialog, "Delete profile")
    status = wait_for_status(qtbot, dialog, "Deleted")
    assert ProfileStore().get(acme.id) is None
    assert asked == ["Delete the profile “Acme”?\nThis cannot be undone."]
    assert status == "Deleted “Acme”."


def test_deleting_a_profile_with_a_session_only_key_says_so(
    qtbot, worker, memory_keyring, real_questions
) -> None:
    acme = add_profile(ProfileStore(), "Acme")
    key_store = KeyStore()
    key_store.set(acme.id, DEMO_API_KEY, session_only=True)
    dialog = show_dialog(qtbot, ProfileStore(), key_store, worker)
    dialog.select_profile(acme.id)
    with answer_next_box(qtbot, "confirmDelete", "Delete profile") as asked:
        click(qtbot, dialog, "Delete profile")
    status = wait_for_status(qtbot, dialog, "Deleted")
    assert "system keyring" not in asked[0]
    assert "kept for this session only" in asked[0]
    assert status == "Deleted “Acme” and the API key kept for this session only."


@pytest.mark.parametrize("refuse_deletes", [False, True], ids=["deleted", "refused"])
def test_a_key_kept_for_this_session_only_never_lets_the_one_it_replaced_back(
    qtbot, worker, refuse_deletes: bool
) -> None:
    """The keyring refuses the new key and the person keeps it for this session only:
    the profile is noted as keeping no key there, so the old key must go (else the next
    start would use it without a word), or the person is told that it could not, and the
    profile notes it as left, never to be used."""
    with keyring_backend(WriteRefusingKeyring(refuse_deletes=refuse_deletes)) as backend:
        assert isinstance(backend, MemoryKeyring)
        acme = add_profile(ProfileStore(), "Acme")
        backend.passwords[(SERVICE_NAME, acme.id)] = DEMO_API_KEY
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(acme.id)
        key_edit = widget(dialog, "API key", QLineEdit)
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        asked = answer_session_only(dialog, keep=True)
        type_into(dialog, "API key", NEW_DEV_KEY)
        click(qtbot, dialog, "Save profile")
        status = wait_for_status(qtbot, dialog, "Saved")
        assert asked, "the keyring's refusal was not told"
        assert "kept for this session only" in status

        restarted = ProfileStore()  # as read at the next start, with no key in memory
        profile = restarted.get(acme.id)
        assert profile is not None
        assert profile.key_environment is None
        assert profile.replaced_key_left is refuse_deletes
        if refuse_deletes:
            # The old key is left, and never used (``test_profiles_replaced_key``).
            with pytest.raises(ReplacedKeyLeft):
                stored_key(restarted, KeyStore(), profile)
            assert "could not be deleted from the system keyring" in status
        else:
            assert stored_key(restarted, KeyStore(), profile) is None
            assert "could not be deleted" not in status


def test_a_key_that_could_not_be_read_is_read_again_from_its_row_or_try_again(
    qtbot, worker
) -> None:
    with keyring_backend(UnlockableKeyring()) as backend:
        assert isinstance(backend, UnlockableKeyring)
        acme = add_profile(ProfileStore(), "Acme")
        beta = add_profile(ProfileStore(), "Beta")
        for profile in (acme, beta):
            backend.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        key_edit = widget(dialog, "API key", QLineEdit)

        dialog.select_profile(acme.id)
        qtbot.waitUntil(lambda: "locked" in dialog.field_error("api_key"), timeout=TIMEOUT)
        backend.locked = False  # the person unlocks the keyring
        click_row(qtbot, dialog, "Acme")
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        assert dialog.field_error("api_key") == ""
        try_again = widget(dialog, "Read the API key again", QPushButton)
        assert not try_again.isVisible()
        assert not dialog.has_unsaved_changes()

        backend.locked = True
        dialog.select_profile(beta.id)
        qtbot.waitUntil(try_again.isVisible, timeout=TIMEOUT)
        backend.locked = False
        click(qtbot, dialog, "Read the API key again")
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        assert dialog.field_error("api_key") == ""
        assert not try_again.isVisible()
