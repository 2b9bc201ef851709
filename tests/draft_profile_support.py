"""Shared by the tests of the draft's profile: saved profiles for the sandbox with the demo
key in the real keyring, and the app's window opened on them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from kombo_desktop.app import launch
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.profiles import Profile, ProfileStore, build_profile
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.main_window_support import WAIT_MS
from tests.profiles_support import click
from tests.qt_helpers import find_by_accessible_name

#: What the window says of a form typed for a profile that was deleted.
GONE_WORDS = "typed for a profile that no longer exists"


def saved(sandbox: Sandbox, name: str, key: str = DEMO_API_KEY) -> Profile:
    """A saved profile for the sandbox, with ``key`` (the demo key unless told) in the
    keyring."""
    profile = ProfileStore().add_profile(
        build_profile(
            name=name,
            integration_id=DEMO_INTEGRATION_ID,
            base_url=sandbox.base_url,
            key_environment=Environment.of_key(key),
        )
    )
    KeyStore().set(profile.id, key)
    return profile


def picker_of(window: MainWindow) -> ProfilePicker:
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    return picker


def open_window(qtbot: QtBot, choose: str | None = None) -> MainWindow:
    """The app's window (``launch``), its draft read; with ``choose`` chosen in the
    Profile list and its key read."""
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.ask_before_closing_while_sending = False
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        pass  # the draft is read in the background
    if choose is not None:
        choose_profile(qtbot, window, choose)
    return window


def choose_profile(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Choose ``name`` in the Profile list, as a person does, and wait for its key."""
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText(name))
    picker = picker_of(window)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)


def window_holding(qtbot: QtBot, sandbox: Sandbox, key: str) -> MainWindow:
    """The app's window after it read ``key`` as the key of the profile "Acme proxy" and
    then chose "Globex" (the demo key): it still holds ``key``, which no field shows."""
    saved(sandbox, "Acme proxy", key)
    saved(sandbox, "Globex")
    window = open_window(qtbot, "Acme proxy")
    choose_profile(qtbot, window, "Globex")
    assert key in window.form.held_keys()
    return window


def chosen_name(window: MainWindow) -> str | None:
    profile = picker_of(window).current_profile()
    return profile.name if profile is not None else None


def draft_on_disk() -> FormState:
    state = DraftStore().load()
    assert state is not None
    return state


def delete_in_manage_profiles(
    qtbot: QtBot, window: MainWindow, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delete ``profile`` in Manage profiles, opened from ``window``, and close it."""
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    dialog = picker_of(window).open_manager()
    assert dialog is not None
    dialog.select_profile(profile.id)
    monkeypatch.setattr(dialog, "confirm_delete", lambda _profile: True)
    click(qtbot, dialog, "Delete profile")
    qtbot.waitUntil(lambda: ProfileStore().get(profile.id) is None, timeout=WAIT_MS)
    dialog.reject()
