"""The profiles dialog works on the picker's threads: one keyring read, one file writer.

Opened from the picker, the dialog reads keys on the picker's reader and writes the
profiles file on the picker's writer; it is busy only with its own changes, and a
change it queued is never lost when it closes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.keyring_support import GatedKeyring, keyring_backend
from tests.profiles_support import TIMEOUT, add_profile, make_picker
from tests.qt_helpers import find_by_accessible_name, wait_exposed


@pytest.fixture
def gated_keyring() -> Iterator[GatedKeyring]:
    with keyring_backend(GatedKeyring()) as backend:
        assert isinstance(backend, GatedKeyring)
        try:
            yield backend
        finally:
            backend.gate.set()  # never leave a reader thread waiting behind a failed test


@pytest.fixture
def held_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Remembering the last used profile (the picker's write) waits for ``gate``.

    ``threads`` records the thread of every write to the profiles file.
    """
    gate = threading.Event()
    threads: list[threading.Thread] = []
    originals = {name: getattr(ProfileStore, name) for name in ("set_last_used", "update")}

    def set_last_used(self: ProfileStore, profile_id: str | None) -> None:
        threads.append(threading.current_thread())
        gate.wait(30)
        originals["set_last_used"](self, profile_id)

    def update(self: ProfileStore, profile: Profile) -> Profile:
        threads.append(threading.current_thread())
        result: Profile = originals["update"](self, profile)
        return result

    monkeypatch.setattr(ProfileStore, "set_last_used", set_last_used)
    monkeypatch.setattr(ProfileStore, "update", update)
    yield {"gate": gate, "threads": threads}
    gate.set()  # never leave a writer thread waiting behind a failed test


def open_manager(qtbot, picker: ProfilePicker) -> ProfilesDialog:
    dialog = picker.open_manager()
    assert dialog is not None  # the picker has its worker: the dialog opens at once
    wait_exposed(qtbot, dialog)
    return dialog


def button(root: Any, name: str) -> QAbstractButton:
    return find_by_accessible_name(root, name, QAbstractButton)


def test_the_picker_and_its_dialog_read_keys_one_at_a_time_on_one_thread(
    qtbot, worker, gated_keyring
):
    profile = add_profile(ProfileStore())
    gated_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: len(gated_keyring.threads) == 1, timeout=TIMEOUT)

    # The picker's read waits at the keyring while the dialog asks for the same key.
    dialog = open_manager(qtbot, picker)
    key_edit = find_by_accessible_name(dialog, "API key", QLineEdit)
    backend = find_by_accessible_name(dialog, "Keyring", QLabel)
    gated_keyring.gate.set()
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: backend.text().startswith("API keys are kept in"), timeout=TIMEOUT)

    assert len(gated_keyring.threads) >= 2  # the picker's read and the dialog's
    assert len(set(gated_keyring.threads)) == 1
    assert gated_keyring.most_at_once == 1


def dialog_behind_a_held_write(
    qtbot, worker, memory_keyring, held_writes
) -> tuple[Profile, ProfilePicker, ProfilesDialog]:
    """A saved profile with its key, chosen in a picker (remembering it is the picker's
    write, held until ``held_writes["gate"]`` is set), and Manage profiles opened from it:
    what the dialog writes next waits behind that write."""
    profile = add_profile(ProfileStore())
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: len(held_writes["threads"]) == 1, timeout=TIMEOUT)
    return profile, picker, open_manager(qtbot, picker)


def test_a_change_queued_behind_the_pickers_write_is_saved_before_the_dialog_closes(
    qtbot, worker, memory_keyring, held_writes
):
    profile, picker, dialog = dialog_behind_a_held_write(qtbot, worker, memory_keyring, held_writes)
    name = find_by_accessible_name(dialog, "Profile name", QLineEdit)
    name.clear()
    name.insert("Acme GmbH")
    qtbot.mouseClick(button(dialog, "Save profile"), Qt.MouseButton.LeftButton)
    assert dialog.busy
    assert not button(dialog, "Save profile").isEnabled()

    # Closing waits for the save, which waits for the picker's write before it.
    dialog.close()
    assert picker.dialog is dialog
    assert dialog.isVisible()
    assert dialog.status_text() == "Finishing…"
    assert ProfileStore().get(profile.id).name == "Acme"  # type: ignore[union-attr]

    held_writes["gate"].set()
    qtbot.waitUntil(lambda: picker.dialog is None, timeout=TIMEOUT)
    assert ProfileStore().get(profile.id).name == "Acme GmbH"  # type: ignore[union-attr]
    assert ProfileStore().last_used_id == profile.id
    qtbot.waitUntil(lambda: picker.describe().startswith("Acme GmbH"), timeout=TIMEOUT)
    # One writer for the one profiles file: the picker's write and the dialog's, in order.
    assert len(held_writes["threads"]) == 2
    assert len(set(held_writes["threads"])) == 1


def test_a_close_that_waited_for_an_import_that_failed_leaves_the_dialog_open(
    qtbot, worker, memory_keyring, held_writes, tmp_path
):
    _profile, picker, dialog = dialog_behind_a_held_write(
        qtbot, worker, memory_keyring, held_writes
    )
    not_profiles = tmp_path / "draft.json"
    not_profiles.write_text('{"format": "kombo-desktop-draft", "version": 1}', "utf-8")
    dialog.import_from(not_profiles)  # queued behind the picker's write
    dialog.close()
    assert dialog.status_text() == "Finishing…"

    held_writes["gate"].set()
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.status_text(), timeout=TIMEOUT)
    # Before: closed once the import had failed, its reason never seen.
    qtbot.wait(50)
    assert picker.dialog is dialog
    assert dialog.isVisible()


def test_the_pickers_own_write_neither_makes_the_dialog_busy_nor_holds_it_open(
    qtbot, worker, memory_keyring, held_writes
):
    profile = add_profile(ProfileStore())
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: len(held_writes["threads"]) == 1, timeout=TIMEOUT)

    dialog = open_manager(qtbot, picker)
    assert not dialog.busy
    for name in ("Save profile", "Add profile", "Import profiles", "Duplicate profile"):
        assert button(dialog, name).isEnabled(), name

    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close()
    assert picker.dialog is None
    assert dialog.status_text() != "Finishing…"

    # The picker's write was not lost either.
    held_writes["gate"].set()
    qtbot.waitUntil(lambda: ProfileStore().last_used_id == profile.id, timeout=TIMEOUT)


def test_a_key_read_answered_after_the_dialog_is_gone_is_dropped(qtbot, worker, gated_keyring):
    profile = add_profile(ProfileStore())
    gated_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: len(gated_keyring.threads) == 1, timeout=TIMEOUT)

    dialog = open_manager(qtbot, picker)  # its reads queue behind the picker's
    gone: list[bool] = []
    dialog.destroyed.connect(lambda *_: gone.append(True))
    dialog.close()
    qtbot.waitUntil(lambda: bool(gone), timeout=TIMEOUT)

    # The shared reader lives on and answers the dialog's reads now: nothing may touch
    # the widgets that are gone (pytest-qt fails the test on an error in a callback).
    gated_keyring.gate.set()
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not picker._reader.busy, timeout=TIMEOUT)
    assert picker.current_connection().api_key == DEMO_API_KEY
