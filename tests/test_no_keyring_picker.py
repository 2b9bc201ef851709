"""A computer with no keyring at all: the profile picker offers a key for this session (in
Manage profiles), not "Try again", which can never help there; a keyring that is locked or
stopped answering is still tried again."""

from __future__ import annotations

from collections.abc import Iterator

import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from secretstorage.exceptions import SecretServiceNotAvailableException

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_fields import KEY_UNREADABLE_PLACEHOLDER
from kombo_desktop.qt.profile_picker import NO_KEYRING_HERE, ProfilePicker
from kombo_desktop.qt.profiles_dialog import SESSION_ONLY_BUTTON
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.keyring_support import LockedKeyring, keyring_backend, unregistered
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
)
from tests.profiles_support import (
    answer_next_box,
    click,
    picker_of,
    sandbox_profile_without_key,
    shown_window,
    wait_until_idle,
    widget,
)
from tests.qt_helpers import find_by_accessible_name, focused

#: As the picker's and the dialog's "Try again" are named.
READ_KEY_AGAIN = "Read the API key again"
ENTER_SESSION_KEY = "Enter the API key for this session"
#: What the key field of Manage profiles says then.
SESSION_KEY_PLACEHOLDER = "Paste the API key to use it until Kombo Desktop closes"


@unregistered
class StoppedKeyring(KeyringBackend):
    """The desktop's keyring, whose service stopped answering after it was chosen: each
    call raises what secretstorage raises then."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        raise SecretServiceNotAvailableException("The name is not activatable")

    set_password = delete_password = get_password  # type: ignore[assignment]


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    """No keyring at all, as on a computer without one: keyring's own fail backend."""
    with keyring_backend(keyring.backends.fail.Keyring()) as backend:  # type: ignore[no-untyped-call]
        yield backend


def window_on_a_key_unread(qtbot, sandbox: Sandbox) -> tuple[MainWindow, ProfilePicker]:
    """A shown window on a profile for ``sandbox`` whose key the keyring in use did not give."""
    profile = sandbox_profile_without_key(sandbox, "Acme")
    store = ProfileStore()
    store.load()  # as the app does before its event loop
    window = shown_window(qtbot, store)
    picker = picker_of(window)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: "keyring" in (picker.connection_problem() or ""), timeout=WAIT_MS)
    return window, picker


def picker_button(picker: ProfilePicker, name: str) -> QPushButton:
    return find_by_accessible_name(picker, name, QPushButton)


def test_without_a_keyring_the_picker_leads_to_a_key_for_this_session_and_sends(
    qtbot, fresh_sandbox: Sandbox, no_keyring: KeyringBackend, app_home
) -> None:
    window, picker = window_on_a_key_unread(qtbot, fresh_sandbox)
    # The way on, beside it, in a sentence; before: the keyring's own words, naming
    # keyring services to install, 14 lines beside Submit and never the button.
    assert picker.connection_problem() == NO_KEYRING_HERE
    assert "Enter key for this session…" in window.form.submit_button.toolTip()
    # Reading again can never help here: no "Try again", but the way that works.
    assert not picker_button(picker, READ_KEY_AGAIN).isVisible()
    enter_key = picker_button(picker, ENTER_SESSION_KEY)
    assert enter_key.isVisible()
    assert enter_key.text() == "Enter key for this session…"

    qtbot.mouseClick(enter_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.dialog is not None, timeout=WAIT_MS)
    dialog = picker.dialog
    assert dialog is not None
    key_edit = widget(dialog, "API key", QLineEdit)
    # Opened at the profile, ready for its key.
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme"
    qtbot.waitUntil(lambda: focused() is key_edit, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: key_edit.placeholderText() == SESSION_KEY_PLACEHOLDER, timeout=WAIT_MS)
    assert not widget(dialog, READ_KEY_AGAIN, QPushButton).isVisible()

    qtbot.keyClicks(key_edit, DEMO_API_KEY)
    with answer_next_box(qtbot, "keyringProblem", SESSION_ONLY_BUTTON):
        click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    assert not enter_key.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: picker.dialog is None, timeout=WAIT_MS)

    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    assert button(window, "Submit").isEnabled()
    submit_and_wait(qtbot, window)
    assert len(posts(fresh_sandbox)) == 1
    # Kept for this session only: written nowhere.
    assert_no_file_contains(app_home, DEMO_API_KEY)


def test_without_a_keyring_the_problem_leads_to_the_key_for_this_session(
    qtbot, fresh_sandbox: Sandbox, no_keyring: KeyringBackend
) -> None:
    _window, picker = window_on_a_key_unread(qtbot, fresh_sandbox)
    picker.focus_problem()  # as Ctrl+Enter does while nothing can be sent
    assert focused() is picker_button(picker, ENTER_SESSION_KEY)


@pytest.mark.parametrize("backend", [LockedKeyring, StoppedKeyring])
def test_a_keyring_locked_or_stopped_is_still_tried_again(
    qtbot, fresh_sandbox: Sandbox, backend: type[KeyringBackend]
) -> None:
    with keyring_backend(backend()):
        _window, picker = window_on_a_key_unread(qtbot, fresh_sandbox)
        assert picker_button(picker, READ_KEY_AGAIN).isVisible()
        assert not picker_button(picker, ENTER_SESSION_KEY).isVisible()

        picker.open_manager()
        qtbot.waitUntil(lambda: picker.dialog is not None, timeout=WAIT_MS)
        dialog = picker.dialog
        assert dialog is not None
        again = widget(dialog, READ_KEY_AGAIN, QPushButton)
        qtbot.waitUntil(again.isVisible, timeout=WAIT_MS)
        key_edit = widget(dialog, "API key", QLineEdit)
        assert key_edit.placeholderText() == KEY_UNREADABLE_PLACEHOLDER
        dialog.reject()
        qtbot.waitUntil(lambda: picker.dialog is None, timeout=WAIT_MS)
        # Closing read the key again (the read that failed is tried again): it ends here,
        # while this keyring is still the process's, not in the next test's keyring.
        wait_until_idle(qtbot, picker)
        assert picker_button(picker, READ_KEY_AGAIN).isVisible()
