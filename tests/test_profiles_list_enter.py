"""Enter on Manage profiles' list goes into the form of the profile chosen, to edit it; it
never presses Save, the dialog's default. Enter in the form's fields still saves.

Real dialog (pytest-qt) in the active window, the real profiles file.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QTableView

from kombo_desktop.core.profiles import ProfileStore, default_profiles_path
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    current_row_name,
    show_dialog,
    type_into,
    wait_for_status,
    widget,
)
from tests.qt_helpers import wait_active

#: Enter as the main keyboard has it, and as the numeric keypad has it.
ENTER_KEYS = pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier),
    ],
    ids=["Enter", "keypad Enter"],
)


def shown_on(qtbot, worker, name: str) -> ProfilesDialog:
    """The dialog, active, on the saved profile called ``name``."""
    profile = next(p for p in ProfileStore().profiles() if p.name == name)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    dialog.activateWindow()
    wait_active(qtbot, dialog, timeout=TIMEOUT)
    return dialog


def focus_the_list(qtbot, dialog: ProfilesDialog) -> QTableView:
    table: QTableView = widget(dialog, "Profiles", QTableView)
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(table.hasFocus, timeout=TIMEOUT)
    return table


def file_state() -> tuple[int, int]:
    """Which profiles file is there, and when it was last written (written files are
    replaced whole: the same pair means it was not written)."""
    state = os.stat(default_profiles_path())
    return state.st_ino, state.st_mtime_ns


@ENTER_KEYS
def test_enter_on_the_list_goes_to_the_name_of_the_profile_chosen(
    qtbot, worker, memory_keyring, key: Qt.Key, modifier: Qt.KeyboardModifier
):
    add_profile(ProfileStore(), "Acme")
    add_profile(ProfileStore(), "Globex")
    dialog = shown_on(qtbot, worker, "Acme")
    table = focus_the_list(qtbot, dialog)
    before = file_state()

    QTest.keyClick(table, Qt.Key.Key_Down)  # choose Globex
    assert current_row_name(dialog) == "Globex"
    QTest.keyClick(table, key, modifier)

    name_edit = widget(dialog, "Profile name", QLineEdit)
    assert name_edit.hasFocus(), "Enter on the list did not go to the profile's name"
    assert name_edit.text() == "Globex"
    assert dialog.selected_profile().name == "Globex"  # type: ignore[union-attr]
    # Save was not pressed: nothing is said about saving, and the file was not written.
    assert not dialog.busy
    assert "save" not in dialog.status_text().lower()
    assert file_state() == before


@ENTER_KEYS
def test_enter_on_the_list_saves_no_edit_and_enter_in_the_name_then_does(
    qtbot, worker, memory_keyring, key: Qt.Key, modifier: Qt.KeyboardModifier
):
    add_profile(ProfileStore(), "Acme")
    dialog = shown_on(qtbot, worker, "Acme")
    type_into(dialog, "Profile name", "Acme GmbH")  # an edit not saved yet
    table = focus_the_list(qtbot, dialog)

    QTest.keyClick(table, key, modifier)

    # The edit stays in the form, unsaved, and the person is back at it.
    name_edit = widget(dialog, "Profile name", QLineEdit)
    assert not dialog.busy, "Enter on the list started a save"
    assert name_edit.hasFocus()
    assert name_edit.text() == "Acme GmbH"
    assert dialog.has_unsaved_changes()
    assert [p.name for p in ProfileStore().profiles()] == ["Acme"]

    # Enter in the form's fields saves, as it did.
    QTest.keyClick(name_edit, key, modifier)
    wait_for_status(qtbot, dialog, "Saved “Acme GmbH”")
    assert [p.name for p in ProfileStore().profiles()] == ["Acme GmbH"]
    assert not dialog.has_unsaved_changes()
