"""Where the keyboard focus goes while widgets are off for a while, and after.

Writing a profile holds the dialog's buttons, list and form still; "Manage profiles"
waits for the network code. A keyboard or screen-reader user must find the focus back
where they were once that is over (or on the next step), never stranded, and a focus
they moved meanwhile stays theirs. The main window reads top to bottom: its tab chain
starts in the toolbar.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.keyring_support import LockedKeyring, MemoryKeyring, keyring_backend
from tests.main_window_support import WAIT_MS, build_window, button, candidate_id, fill_form
from tests.profiles_support import (
    TIMEOUT,
    HeldDisk,
    add_profile,
    answer_unsaved,
    keyed_profile,
    show_dialog,
    show_dialog_on_a_keyed_profile,
    type_into,
    wait_for_status,
    widget,
)
from tests.qt_helpers import focused


def activate(qtbot, window: QWidget) -> None:
    """Make ``window`` the active one, as it is for a person using it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)


def press(qtbot, button: QAbstractButton) -> None:
    """Tab to ``button`` and press Space on it."""
    assert button.isEnabled(), f"{button.accessibleName()} is disabled"
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def dialog_on(qtbot, store: ProfileStore, worker: ApiWorker, profile: Profile) -> ProfilesDialog:
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    activate(qtbot, dialog)
    dialog.select_profile(profile.id)
    return dialog


# ---- saving and deleting from the keyboard ----------------------------------------------------


def test_saving_from_the_keyboard_leaves_the_focus_on_save(qtbot, worker, memory_keyring):
    dialog = dialog_on(qtbot, ProfileStore(), worker, add_profile(ProfileStore()))
    type_into(dialog, "Profile name", "Acme GmbH")
    save = widget(dialog, "Save profile", QPushButton)
    press(qtbot, save)
    assert dialog.busy
    assert focused() is not save  # off while the change is written

    wait_for_status(qtbot, dialog, "Saved “Acme GmbH”")
    assert focused() is save


def test_a_failed_save_from_the_keyboard_gives_the_focus_back_to_save(
    qtbot, worker, memory_keyring, monkeypatch: pytest.MonkeyPatch
):
    def full_disk(_store: ProfileStore, _profile: Profile) -> Profile:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    dialog = dialog_on(qtbot, ProfileStore(), worker, add_profile(ProfileStore()))
    monkeypatch.setattr(ProfileStore, "update", full_disk)
    type_into(dialog, "Profile name", "Acme GmbH")
    save = widget(dialog, "Save profile", QPushButton)
    press(qtbot, save)

    wait_for_status(qtbot, dialog, "Nothing was saved")
    # The error names no field: the person is where they were, ready to try again.
    assert focused() is save


def test_a_failed_save_goes_to_the_field_it_names(qtbot, worker, memory_keyring: MemoryKeyring):
    dialog, _profile = show_dialog_on_a_keyed_profile(qtbot, worker, memory_keyring)
    activate(qtbot, dialog)
    key_edit = widget(dialog, "API key", QLineEdit)
    key_edit.clear()  # saving an empty key deletes the stored one
    with keyring_backend(LockedKeyring()):
        press(qtbot, widget(dialog, "Save profile", QPushButton))
        wait_for_status(qtbot, dialog, "Nothing was saved")

    assert "keyring is locked" in dialog.field_error("api_key")
    assert focused() is key_edit


def test_deleting_from_the_keyboard_leaves_the_focus_on_the_list_at_the_next_profile(
    qtbot, worker, memory_keyring, monkeypatch: pytest.MonkeyPatch
):
    alpha = add_profile(ProfileStore(), "Alpha")
    add_profile(ProfileStore(), "Beta")
    dialog = dialog_on(qtbot, ProfileStore(), worker, alpha)
    monkeypatch.setattr(dialog, "confirm_delete", lambda _profile: True)
    press(qtbot, widget(dialog, "Delete profile", QPushButton))

    wait_for_status(qtbot, dialog, "Deleted “Alpha”")
    table: QTableView = widget(dialog, "Profiles", QTableView)
    assert focused() is table
    assert table.currentIndex().data() == "Beta"
    assert dialog.selected_profile().name == "Beta"  # type: ignore[union-attr]


# ---- a focus the person moved meanwhile is theirs ---------------------------------------------


def test_a_focus_moved_while_a_save_is_written_is_not_taken_back(qtbot, worker, memory_keyring):
    store = HeldDisk()
    alpha = add_profile(ProfileStore(), "Alpha")
    add_profile(ProfileStore(), "Beta")
    dialog = dialog_on(qtbot, store, worker, alpha)
    answer_unsaved(dialog, UnsavedChoice.SAVE)
    type_into(dialog, "Profile name", "Alpha GmbH")
    table: QTableView = widget(dialog, "Profiles", QTableView)
    table.setFocus()
    # To Beta: "Save changes to “Alpha”?" is answered Save, and the list is held still.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.busy, timeout=TIMEOUT)
    landed = focused()
    assert landed is not None
    qtbot.keyClick(landed, Qt.Key.Key_Tab)
    moved_to = focused()
    assert moved_to not in (None, landed, table)

    store.written.set()
    wait_for_status(qtbot, dialog, "Saved “Alpha GmbH”")
    assert focused() is moved_to


def test_a_save_refused_meanwhile_does_not_take_a_focus_the_person_moved(
    qtbot, worker, memory_keyring
):
    store = HeldDisk()
    dialog = dialog_on(qtbot, store, worker, add_profile(ProfileStore(), "Alpha"))
    type_into(dialog, "Profile name", "Alpha GmbH")
    press(qtbot, widget(dialog, "Save profile", QPushButton))
    add_profile(ProfileStore(), "Alpha GmbH")  # another window takes the name meanwhile
    landed = focused()
    assert landed is not None
    qtbot.keyClick(landed, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    moved_to = focused()
    name = widget(dialog, "Profile name", QLineEdit)
    assert moved_to not in (None, landed, name)

    store.written.set()
    wait_for_status(qtbot, dialog, "Nothing was saved")
    assert "already the name" in dialog.field_error("profile_name")
    assert focused() is moved_to


def test_enter_in_a_field_then_a_refused_save_takes_the_focus_to_the_field_at_fault(
    qtbot, worker, memory_keyring
):
    # Save is the default button: Enter in a field saves, and the field (read-only
    # meanwhile) keeps the focus. When the save is refused, the field it names is next.
    store = HeldDisk()
    dialog = dialog_on(qtbot, store, worker, add_profile(ProfileStore(), "Alpha"))
    type_into(dialog, "Profile name", "Alpha GmbH")
    integration = widget(dialog, "Integration ID", QLineEdit)
    integration.setFocus()
    qtbot.keyClick(integration, Qt.Key.Key_Return)
    assert dialog.busy
    assert focused() is integration
    add_profile(ProfileStore(), "Alpha GmbH")  # another window takes the name meanwhile
    store.written.set()
    wait_for_status(qtbot, dialog, "Nothing was saved")
    assert "already the name" in dialog.field_error("profile_name")
    assert focused() is widget(dialog, "Profile name", QLineEdit)


def test_testing_the_connection_from_the_keyboard_keeps_the_focus_on_test(
    qtbot, worker, memory_keyring: MemoryKeyring, fresh_sandbox: Sandbox
):
    # Off while it tests, the button handed its focus to Save: the next Space saved.
    fresh_sandbox.set_latency(300)
    store = ProfileStore()
    profile = keyed_profile(store, "Sandbox", DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    dialog = dialog_on(qtbot, store, worker, profile)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    test = widget(dialog, "Test connection", QPushButton)
    press(qtbot, test)
    assert not test.isEnabled()
    qtbot.waitUntil(test.isEnabled, timeout=TIMEOUT)
    assert "Connection works" in dialog.test_result.text()
    # One test: the key's check and the integration's read, nothing saved in between.
    tested = [r.path.partition("?")[0] for r in fresh_sandbox.requests]
    assert tested == ["/v1/check-api-key", "/v1/ats/candidates"]
    assert focused() is test


@pytest.mark.parametrize("moves_on", [False, True], ids=["waits", "moves on"])
def test_manage_profiles_gets_its_focus_back_once_the_dialog_can_open(
    qtbot, worker, memory_keyring, moves_on: bool
):
    # The dialog waits for the network code; the button is off meanwhile. It takes the
    # focus back before the dialog opens (closing it returns there), unless the person
    # has moved on.
    waiting: list[Callable[[ApiWorker | None], object]] = []
    host = QWidget()
    picker = ProfilePicker(ProfileStore(), KeyStore(), waiting.append, host)
    notes = QLineEdit(host)
    notes.setAccessibleName("Notes")
    layout = QVBoxLayout(host)
    layout.addWidget(picker)
    layout.addWidget(notes)
    qtbot.addWidget(host)
    host.show()
    activate(qtbot, host)
    manage = widget(picker, "Manage profiles", QPushButton)
    press(qtbot, manage)
    assert not manage.isEnabled()
    landed = focused()
    assert landed is not None
    if moves_on:
        qtbot.keyClick(landed, Qt.Key.Key_Tab)
    where_the_person_is = focused()
    assert where_the_person_is not in (None, manage)
    assert (where_the_person_is is not landed) == moves_on

    waiting.pop()(worker)
    dialog = picker.dialog
    assert isinstance(dialog, ProfilesDialog)
    assert host.focusWidget() is (where_the_person_is if moves_on else manage)
    dialog.reject()


# ---- the main window's tab chain --------------------------------------------------------------


def test_the_window_opens_in_the_form_and_its_tab_chain_runs_toolbar_form_answer(
    qtbot, fresh_sandbox: Sandbox
):
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: focused() is not None, timeout=TIMEOUT)
    toolbar = window.findChild(QToolBar, "connectionToolbar")
    side = window.findChild(QSplitter, "sideSplitter")
    assert toolbar is not None
    assert side is not None

    def part_of(widget: QWidget) -> str:
        if toolbar.isAncestorOf(widget):
            return "toolbar"
        if window.form.isAncestorOf(widget):
            return "form"
        return "answer" if side.isAncestorOf(widget) else type(widget).__name__

    first = focused()  # where a person lands as the window opens: ready to fill the form
    assert first is not None
    assert first.accessibleName() == "Target type"
    chain = [first]
    for _ in range(60):
        qtbot.keyClick(chain[-1], Qt.Key.Key_Tab)
        landed = focused()
        assert landed is not None
        if landed in chain:
            break
        chain.append(landed)
    assert landed is first  # the chain goes round

    # Read from the top of the window: the chain from its first toolbar widget on.
    parts = [part_of(widget) for widget in chain]
    top = parts.index("toolbar")
    chain = chain[top:] + chain[:top]
    parts = parts[top:] + parts[:top]
    assert [part for i, part in enumerate(parts) if part not in parts[:i]] == [
        "toolbar",
        "form",
        "answer",
    ]
    assert parts == sorted(parts, key=["toolbar", "form", "answer"].index)
    assert chain[parts.index("form")].accessibleName() == "Target type"


# ---- sending -------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, ready_window: MainWindow, fresh_sandbox: Sandbox) -> MainWindow:
    """The ready window, a form filled in for the sandbox's first candidate."""
    fill_form(qtbot, ready_window, target_id=candidate_id(fresh_sandbox))
    return ready_window


def test_a_send_clicked_then_cancelled_with_esc_leaves_the_focus_on_submit(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
):
    fresh_sandbox.set_latency(3000)
    qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    assert window.busy
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert focused() is button(window, "Submit")


def test_retry_from_the_keyboard_keeps_the_focus_among_the_actions(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
):
    # Retry, hidden while "Sending…" shows, handed its focus to the answer's text.
    fresh_sandbox.inject_fault(Fault.server_error(503), times=2)
    fresh_sandbox.set_latency(300)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press(qtbot, button(window, "Submit"))
    press(qtbot, button(window, "Retry"))
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    send_again = next(b for b in box.buttons() if b.accessibleName() == "Send again")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(send_again, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is button(window, "Submit")
