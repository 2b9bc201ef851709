"""A key the keyring would not give at start (locked, its unlock prompt dismissed): once it
is unlocked, the window offers to read the key again, and then sends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.sandbox import Sandbox
from tests.keyring_support import LockedKeyring, MemoryKeyring, keyring_backend
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    submit_and_wait,
)
from tests.profiles_support import keyed, picker_of, shown_window
from tests.qt_helpers import find_by_accessible_name, focused

#: As the profiles dialog's own "Try again" is named.
READ_KEY_AGAIN = "Read the API key again"


def filled_window_with_locked_keyring(qtbot, sandbox: Sandbox) -> tuple[MainWindow, ProfilePicker]:
    """A shown window, its form filled for ``sandbox``'s first candidate, on a profile whose
    key the keyring refused to give (locked); the window and its profile picker."""
    profile = keyed(sandbox, "Acme")
    store = ProfileStore()
    store.load()  # as the app does before its event loop
    with keyring_backend(LockedKeyring()):
        window = shown_window(qtbot, store)  # the only profile: chosen at once
        picker = picker_of(window)
        picker.select_profile(profile.id)
        qtbot.waitUntil(lambda: "locked" in (picker.connection_problem() or ""), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    return window, picker


def test_after_unlocking_the_keyring_try_again_reads_the_key_and_the_link_is_sent(
    qtbot, fresh_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    window, picker = filled_window_with_locked_keyring(qtbot, fresh_sandbox)
    # Told to unlock it "and try again", while Submit is off: the try is this button.
    assert "try again" in (picker.connection_problem() or "")
    assert not button(window, "Submit").isEnabled()
    again = find_by_accessible_name(picker, READ_KEY_AGAIN, QPushButton)
    assert again.isVisible()

    # Unlocked now (the in-memory keyring holds the key).
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    assert not again.isVisible()
    submit_and_wait(qtbot, window)
    assert len(posts(fresh_sandbox)) == 1


def test_ctrl_enter_while_the_key_is_locked_away_leads_to_try_again(
    qtbot, fresh_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    window, picker = filled_window_with_locked_keyring(qtbot, fresh_sandbox)

    press_ctrl_enter(qtbot, window)
    # The focus goes where the problem is fixed: Space there reads the key again.
    again = find_by_accessible_name(picker, READ_KEY_AGAIN, QPushButton)
    assert focused() is again
    qtbot.keyClick(again, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    # The button went with the problem; the focus stayed on the profile it concerns.
    assert focused() is picker.combo
    assert posts(fresh_sandbox) == []


def test_try_again_while_the_keyring_is_still_locked_gives_the_focus_back_to_it(
    qtbot, fresh_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    window, picker = filled_window_with_locked_keyring(qtbot, fresh_sandbox)
    press_ctrl_enter(qtbot, window)
    again = find_by_accessible_name(picker, READ_KEY_AGAIN, QPushButton)
    assert focused() is again

    with keyring_backend(LockedKeyring()):
        qtbot.keyClick(again, Qt.Key.Key_Space)
        # In view while it reads, off, and saying so to a screen reader too.
        assert again.isVisible()
        assert not again.isEnabled()
        assert again.accessibleDescription() == picker.connection_problem()
        # Not on the list meanwhile: a key pressed there would choose another profile.
        assert focused() is not picker.combo
        qtbot.waitUntil(lambda: again.isEnabled(), timeout=WAIT_MS)
    assert "locked" in (picker.connection_problem() or "")
    # Still locked: the next Space tries again, rather than opening the list.
    assert focused() is again
    assert again.accessibleDescription() == ""

    # Unlocked now (the in-memory keyring holds the key).
    qtbot.keyClick(again, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    assert not again.isVisible()
    # Pressed from the keyboard, the button was where the person was: with it gone, the
    # focus goes to the profile it concerns.
    assert focused() is picker.combo


def test_try_again_clicked_leaves_the_focus_where_the_person_was(
    qtbot, fresh_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    _window, picker = filled_window_with_locked_keyring(qtbot, fresh_sandbox)
    typing_in = focused()
    assert typing_in is not None
    again = find_by_accessible_name(picker, READ_KEY_AGAIN, QPushButton)

    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    assert not again.isVisible()
    assert focused() is typing_in
