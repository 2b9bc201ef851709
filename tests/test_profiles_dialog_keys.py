"""Manage profiles from the keyboard only, and with a screen reader: where Tab goes, what
Enter presses, and what assistive technology is told (qt/profiles_dialog.py,
qt/connection_check.py, qt/profile_fields.py)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.profile_files import add_unreadable_entry
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    answer_unsaved,
    choose,
    keyed_profile,
    show_dialog,
    type_into,
    wait_for_status,
    widget,
)
from tests.qt_helpers import focused

#: The dialog's tab chain, as it is laid out: the list and its buttons on the left, the
#: form and its buttons on the right, then Close.
TAB_CHAIN = [
    "Profiles",
    "Add profile",
    "Duplicate profile",
    "Delete profile",
    "Import profiles",
    "Export profiles",
    "Profile name",
    "Region",
    "Base URL",
    "Integration ID",
    "API key",
    "Show API key",
    "Test connection",
    "Save profile",
    "Close",
]


def active(qtbot, dialog: ProfilesDialog) -> ProfilesDialog:
    """``dialog``, as the active window: key presses go where a person's would."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=TIMEOUT)
    return dialog


def dialog_on(qtbot, worker: ApiWorker, profile: Profile) -> ProfilesDialog:
    dialog = active(qtbot, show_dialog(qtbot, ProfileStore(), KeyStore(), worker))
    dialog.select_profile(profile.id)
    return dialog


def keyed_dialog(qtbot, worker: ApiWorker, sandbox: Sandbox) -> ProfilesDialog:
    """The dialog on a profile "Sandbox" with the demo key, read into the form."""
    profile = keyed_profile(ProfileStore(), "Sandbox", DEMO_API_KEY, base_url=sandbox.base_url)
    dialog = dialog_on(qtbot, worker, profile)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    return dialog


def name_of(widget_: QWidget) -> str:
    return widget_.accessibleName() or (
        widget_.text() if isinstance(widget_, QAbstractButton) else ""
    )


def press_key(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget:
    """Press ``key`` where the focus is; the widget that has the focus then."""
    here = focused()
    assert here is not None
    qtbot.keyClick(here, key, modifier)
    there = focused()
    assert there is not None
    return there


def press_enter(qtbot, button: QAbstractButton) -> None:
    """Tab to ``button`` and press Enter on it."""
    assert button.isEnabled(), f"{button.accessibleName()} is disabled"
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Return)


def press_space(qtbot, button: QAbstractButton) -> None:
    """Tab to ``button`` and press Space on it."""
    assert button.isEnabled(), f"{button.accessibleName()} is disabled"
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Space)


# ---- Tab leaves the list, and follows the layout -----------------------------------------------


def test_tab_goes_from_the_list_to_its_buttons_and_shows_the_same_profile(
    qtbot, worker, memory_keyring
):
    acme = add_profile(ProfileStore(), "Acme")
    add_profile(ProfileStore(), "Globex")
    dialog = dialog_on(qtbot, worker, acme)
    asked = answer_unsaved(dialog, UnsavedChoice.CANCEL)
    type_into(dialog, "Profile name", "Acme GmbH")  # not saved yet
    table = widget(dialog, "Profiles", QTableView)
    table.setFocus(Qt.FocusReason.TabFocusReason)

    assert name_of(press_key(qtbot, Qt.Key.Key_Tab)) == "Add profile"
    assert dialog.selected_profile() == acme
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme GmbH"
    assert asked == []  # nothing to ask: the profile shown is the same

    # Back in the list, the arrow keys still go from profile to profile.
    assert press_key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier) is table
    answer_unsaved(dialog, UnsavedChoice.DISCARD)
    press_key(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.selected_profile().name == "Globex", timeout=TIMEOUT)  # type: ignore[union-attr]


def test_the_tab_chain_follows_the_layout_both_ways(qtbot, worker, memory_keyring):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    choose(dialog, "Region", "Custom URL")  # the base URL takes input
    table = widget(dialog, "Profiles", QTableView)
    table.setFocus(Qt.FocusReason.TabFocusReason)

    forward = [name_of(table)]
    forward += [name_of(press_key(qtbot, Qt.Key.Key_Tab)) for _ in TAB_CHAIN]
    assert forward == [*TAB_CHAIN, "Profiles"]

    backward = [name_of(table)]
    backward += [
        name_of(press_key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier))
        for _ in TAB_CHAIN
    ]
    assert backward == ["Profiles", *reversed(TAB_CHAIN)]
    assert dialog.selected_profile().name == "Acme"  # type: ignore[union-attr]


# ---- Enter presses the button that has the focus -----------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Add profile",
        "Duplicate profile",
        "Delete profile",
        "Import profiles",
        "Export profiles",
        "Show API key",
        "Test connection",
    ],
)
def test_enter_on_a_button_presses_that_button_and_saves_nothing(
    qtbot, worker, memory_keyring, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, name
):
    dialog = keyed_dialog(qtbot, worker, fresh_sandbox)
    saved_name = dialog.selected_profile().name  # type: ignore[union-attr]
    type_into(dialog, "Profile name", "Sandbox renamed")  # an edit not saved yet
    pressed: list[str] = []
    # Every button that leaves the form asks first: the question is its press.
    questions = answer_unsaved(dialog, UnsavedChoice.CANCEL)
    monkeypatch.setattr(
        dialog, "confirm_delete", lambda profile: pressed.append(f"delete {profile.name}")
    )

    def choose_file(*_args: object) -> tuple[str, str]:
        pressed.append("choose a file")
        return "", ""

    def choose_file_to_import(*_args: object) -> tuple[str, str]:
        pressed.append("choose a file to import")
        return "profiles-export.json", ""  # chosen: then the edits are asked about

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose_file_to_import)
    dialog.connectionTested.connect(lambda _ok, text: pressed.append(text))

    press_enter(qtbot, widget(dialog, name, QAbstractButton))
    key_edit = widget(dialog, "API key", QLineEdit)
    outcomes: dict[str, Callable[[], bool]] = {
        "Add profile": lambda: questions == ["Save changes to “Sandbox”?"],
        "Duplicate profile": lambda: questions == ["Save changes to “Sandbox”?"],
        "Delete profile": lambda: pressed == ["delete Sandbox"],
        "Import profiles": lambda: (
            pressed == ["choose a file to import"] and questions == ["Save changes to “Sandbox”?"]
        ),
        "Export profiles": lambda: pressed == ["choose a file"],
        "Show API key": lambda: key_edit.echoMode() == QLineEdit.EchoMode.Normal,
        "Test connection": lambda: pressed == [dialog.test_result.text()],
    }
    outcome = outcomes[name]
    qtbot.waitUntil(lambda: outcome() or "Saved" in dialog.status_text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert outcome(), f"Enter on “{name}” did not press it: {dialog.status_text()}"

    assert ProfileStore().get(dialog.selected_profile().id).name == saved_name  # type: ignore[union-attr]
    assert "Saved" not in dialog.status_text()
    assert dialog.has_unsaved_changes()
    assert widget(dialog, "Profile name", QLineEdit).text() == "Sandbox renamed"


def test_enter_on_save_saves(qtbot, worker, memory_keyring):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    type_into(dialog, "Profile name", "Acme GmbH")
    press_enter(qtbot, widget(dialog, "Save profile", QPushButton))
    wait_for_status(qtbot, dialog, "Saved “Acme GmbH”")
    assert [p.name for p in ProfileStore().profiles()] == ["Acme GmbH"]


def test_enter_in_a_field_saves_again_once_the_focus_left_a_button(qtbot, worker, memory_keyring):
    # A focused button takes Enter for itself; once the focus is back in a field, Enter
    # saves, as Save is the dialog's default.
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    type_into(dialog, "Profile name", "Acme GmbH")
    widget(dialog, "Show API key", QAbstractButton).setFocus(Qt.FocusReason.TabFocusReason)
    key_edit = press_key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert key_edit is widget(dialog, "API key", QLineEdit)
    qtbot.keyClick(key_edit, Qt.Key.Key_Return)
    wait_for_status(qtbot, dialog, "Saved “Acme GmbH”")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password  # "Show" was not pressed


# ---- outcomes are said, once; what is under way is not -----------------------------------------

needs_announcements = pytest.mark.skipif(
    not hasattr(QtGui, "QAccessibleAnnouncementEvent"),
    reason="Qt before 6.8 has no announcements: spoken.announce raises a description instead",
)


def words(heard: list[tuple[QObject | None, str]]) -> list[str]:
    return [text for _object, text in heard]


@needs_announcements
def test_a_connection_test_s_result_is_said_once(
    qtbot, worker, memory_keyring, fresh_sandbox: Sandbox, heard
):
    fresh_sandbox.set_latency(200)
    dialog = keyed_dialog(qtbot, worker, fresh_sandbox)
    test = widget(dialog, "Test connection", QPushButton)
    press_space(qtbot, test)
    assert dialog.test_result.text() == "Testing the connection…"
    qtbot.waitUntil(test.isEnabled, timeout=TIMEOUT)

    assert focused() is test
    result = dialog.test_result.text()
    assert result.startswith("Connection works")
    assert heard == [(dialog.test_result, result)]  # "Testing the connection…" is not said


@needs_announcements
def test_a_refused_connection_test_is_said(
    qtbot, worker, memory_keyring, fresh_sandbox: Sandbox, heard
):
    dialog = keyed_dialog(qtbot, worker, fresh_sandbox)
    fault = Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403)
    fresh_sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    test = widget(dialog, "Test connection", QPushButton)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as tested:
        press_space(qtbot, test)
    assert tested.args[0] is False
    assert words(heard) == [dialog.test_result.text()]


@needs_announcements
def test_a_save_from_the_keyboard_is_said_once(qtbot, worker, memory_keyring, heard):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    type_into(dialog, "Profile name", "Acme GmbH")
    save = widget(dialog, "Save profile", QPushButton)
    press_space(qtbot, save)
    assert dialog.status_text() == "Saving “Acme GmbH”…"
    status = wait_for_status(qtbot, dialog, "Saved “Acme GmbH”")

    assert focused() is save
    assert heard == [(dialog.status, status)]  # "Saving …" is not said


@needs_announcements
def test_a_save_refused_for_a_field_is_said_once(qtbot, worker, memory_keyring, heard):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    type_into(dialog, "Profile name", "")
    press_space(qtbot, widget(dialog, "Save profile", QPushButton))

    assert dialog.status_text() == "Nothing was saved. Correct the marked fields and save again."
    assert words(heard) == [dialog.status_text()]
    assert focused() is widget(dialog, "Profile name", QLineEdit)  # which reads its problem


@needs_announcements
def test_a_failed_write_is_said(
    qtbot, worker, memory_keyring, heard, monkeypatch: pytest.MonkeyPatch
):
    def full_disk(_store: ProfileStore, _profile: Profile) -> Profile:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    monkeypatch.setattr(ProfileStore, "update", full_disk)
    type_into(dialog, "Profile name", "Acme GmbH")
    press_space(qtbot, widget(dialog, "Save profile", QPushButton))
    status = wait_for_status(qtbot, dialog, "Nothing was saved")
    assert words(heard) == [status]


@needs_announcements
def test_a_delete_from_the_keyboard_is_said(
    qtbot, worker, memory_keyring, heard, monkeypatch: pytest.MonkeyPatch
):
    alpha = add_profile(ProfileStore(), "Alpha")
    add_profile(ProfileStore(), "Beta")
    dialog = dialog_on(qtbot, worker, alpha)
    monkeypatch.setattr(dialog, "confirm_delete", lambda _profile: True)
    press_space(qtbot, widget(dialog, "Delete profile", QPushButton))
    status = wait_for_status(qtbot, dialog, "Deleted “Alpha”")
    assert words(heard) == [status]


@needs_announcements
def test_an_export_and_an_import_from_the_keyboard_are_said(
    qtbot, worker, memory_keyring, heard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    file = tmp_path / "profiles.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(file), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(file), ""))
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))

    press_space(qtbot, widget(dialog, "Export profiles", QPushButton))
    exported = wait_for_status(qtbot, dialog, "Exported 1 profile")
    press_space(qtbot, widget(dialog, "Import profiles", QPushButton))
    qtbot.waitUntil(lambda: "Importing" not in dialog.status_text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)

    assert words(heard) == [exported, dialog.status_text()]


@needs_announcements
def test_a_profiles_file_read_only_in_part_is_said_once_the_dialog_shows(
    qtbot, worker, memory_keyring, heard
):
    add_profile(ProfileStore(), "Acme")
    add_unreadable_entry(ProfileStore().path)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    problem = dialog.status_text()
    assert problem
    assert heard == [(dialog.status, problem)]


def test_an_import_whose_file_choice_is_cancelled_asks_nothing_and_keeps_the_edits(
    qtbot, worker, memory_keyring, monkeypatch: pytest.MonkeyPatch
):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    type_into(dialog, "Profile name", "Acme GmbH")
    questions = answer_unsaved(dialog, UnsavedChoice.DISCARD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: ("", ""))
    press_space(qtbot, widget(dialog, "Import profiles", QPushButton))
    # Before: asked first, and Discard discarded nothing once the choice was cancelled.
    assert questions == []
    assert dialog.has_unsaved_changes()
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme GmbH"


def test_edits_discarded_for_an_import_that_adds_nothing_are_gone(
    qtbot, worker, memory_keyring, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    dialog = dialog_on(qtbot, worker, add_profile(ProfileStore(), "Acme"))
    empty = tmp_path / "profiles-export.json"
    empty.write_text(
        '{"format": "kombo-desktop-profiles-export", "version": 1, "profiles": []}', "utf-8"
    )
    type_into(dialog, "Profile name", "Acme GmbH")
    questions = answer_unsaved(dialog, UnsavedChoice.DISCARD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(empty), ""))
    press_space(qtbot, widget(dialog, "Import profiles", QPushButton))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    # Before: "Discard" left the edits in the form, still marked unsaved.
    assert questions == ["Save changes to “Acme”?"]
    assert not dialog.has_unsaved_changes()
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme"
