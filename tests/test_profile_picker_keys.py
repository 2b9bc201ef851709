"""The picker reads a profile's key once per change: each read can mean an unlock prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.keyring_support import GatedKeyring, keyring_backend
from tests.profiles_support import TIMEOUT, ready_with
from tests.qt_helpers import find_by_accessible_name, wait_exposed


def _picker_with_a_keyed_profile(qtbot, worker: ApiWorker, keyring: GatedKeyring):
    store = ProfileStore()
    profile = store.add_profile(
        build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    picker = ProfilePicker(store, KeyStore(), ready_with(worker))
    qtbot.addWidget(picker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    return picker


def _wait_until_quiet(qtbot, picker: ProfilePicker) -> None:
    """Until no key read is pending in the picker or its open dialog."""
    dialog = picker.dialog

    def quiet() -> bool:
        return not picker._reader.busy and (dialog is None or not dialog._reader.busy)

    qtbot.waitUntil(quiet, timeout=TIMEOUT)


def _close_manager(qtbot, picker: ProfilePicker) -> None:
    dialog = picker.dialog
    assert dialog is not None
    dialog.close()
    qtbot.waitUntil(lambda: picker.dialog is None, timeout=TIMEOUT)


def test_closing_the_manager_after_an_edit_does_not_read_the_key_again(qtbot, worker):
    with keyring_backend(GatedKeyring(open_gate=True)) as keyring:
        assert isinstance(keyring, GatedKeyring)
        picker = _picker_with_a_keyed_profile(qtbot, worker, keyring)
        assert keyring.reads == 1

        dialog = picker.open_manager()
        assert dialog is not None
        wait_exposed(qtbot, dialog)
        _wait_until_quiet(qtbot, picker)  # the dialog reads the key to show it, masked
        reads_before_saving = keyring.reads
        name = find_by_accessible_name(dialog, "Profile name", QLineEdit)
        name.clear()
        name.insert("Acme GmbH")
        with qtbot.waitSignal(dialog.profilesChanged, timeout=TIMEOUT):
            save = find_by_accessible_name(dialog, "Save profile", QPushButton)
            qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        # The saved change may have touched the key: the picker reads it once more.
        qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
        _wait_until_quiet(qtbot, picker)
        reads_after_saving = keyring.reads
        assert reads_after_saving == reads_before_saving + 1

        _close_manager(qtbot, picker)
        _wait_until_quiet(qtbot, picker)
        assert keyring.reads == reads_after_saving
        assert picker.current_connection() is not None
        assert picker.describe().startswith("Acme GmbH · EU")


def test_closing_the_manager_retries_a_key_that_could_not_be_read(qtbot, worker):
    with keyring_backend(GatedKeyring(open_gate=True)) as keyring:
        assert isinstance(keyring, GatedKeyring)
        store = ProfileStore()
        profile = store.add_profile(
            build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
        )
        picker = ProfilePicker(store, KeyStore(), ready_with(worker))
        qtbot.addWidget(picker)
        picker.select_profile(profile.id)
        qtbot.waitUntil(lambda: keyring.reads == 1, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: picker.connection_problem() is not None, timeout=TIMEOUT)
        assert picker.current_connection() is None

        # The key arrives by another way (another app, the keyring unlocked meanwhile).
        keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
        dialog = picker.open_manager()
        assert dialog is not None
        wait_exposed(qtbot, dialog)
        _wait_until_quiet(qtbot, picker)  # the dialog reads the key of the profile it shows
        reads_before_closing = keyring.reads
        _close_manager(qtbot, picker)
        qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
        assert keyring.reads == reads_before_closing + 1
