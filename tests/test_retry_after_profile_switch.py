"""Retry, and whose a picked ID is, follow the profile the toolbar shows.

Retry sends exactly what was sent, where it was sent: to that customer's integration,
with that key. Another profile (with or without a key) or none takes it away at once,
and pressing it then sends nothing. Only the same profile's key read again after a save
(there is no connection for that moment) leaves it, and the words under the Target ID,
alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPushButton

from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import Profile, ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import CHOOSE_PROFILE, NO_KEY, READING_KEY, ProfilePicker
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.keyring_support import GatedKeyring, keyring_backend
from tests.main_window_support import (
    SEND_AGAIN_QUESTION,
    WAIT_MS,
    answer_send_again,
    button,
    candidate_with_applications,
    fail_once_with_retry,
    line_edit,
    pick_in_search,
    picked_words,
    posts,
    wait_for_send_again_question,
)
from tests.qt_helpers import find_by_accessible_name, top_level, wait_exposed

OTHER_INTEGRATION_ID = "personio:OTHERINTEGRATION123"
CHANGED_TEXT = (
    "The form or the connection changed after that request: Submit sends them as they are now."
)


@pytest.fixture
def keyring() -> Iterator[GatedKeyring]:
    """A keyring whose reads go through until a test holds them (``gate.clear()``)."""
    with keyring_backend(GatedKeyring(open_gate=True)) as backend:
        assert isinstance(backend, GatedKeyring)
        try:
            yield backend
        finally:
            backend.gate.set()  # no reader thread left waiting after the test


class Saved(NamedTuple):
    """The saved profiles, and the store the window's picker reads them from."""

    store: ProfileStore
    acme: Profile
    beta: Profile


@pytest.fixture
def saved(fresh_sandbox: Sandbox, keyring: GatedKeyring) -> Saved:
    """ "Acme" with the demo key and "Beta", another customer's, whose key is not saved."""
    store = ProfileStore()
    acme = store.add_profile(
        build_profile(
            name="Acme",
            integration_id=DEMO_INTEGRATION_ID,
            base_url=fresh_sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )
    keyring.passwords[(SERVICE_NAME, acme.id)] = DEMO_API_KEY
    beta = store.add_profile(
        build_profile(
            name="Beta",
            integration_id=OTHER_INTEGRATION_ID,
            base_url=fresh_sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )
    # Read from the file again, as the app reads them.
    return Saved(ProfileStore(), acme, beta)


def _window_on_acme(qtbot, saved: Saved) -> MainWindow:
    """A shown window whose picker works on the saved profiles (as the app's does), on
    Acme once its key is read."""
    window: MainWindow | None = None

    def when_network_ready(callback: Callable[[ApiWorker | None], object]) -> None:
        assert window is not None
        window.when_network_ready(callback)

    picker = ProfilePicker(saved.store, KeyStore(), when_network_ready)
    window = MainWindow(picker)
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    picker.select_profile(saved.acme.id)
    _wait_for_a_connection(qtbot, window)
    return window


def _failed_send_on_acme(qtbot, saved: Saved, sandbox: Sandbox) -> tuple[MainWindow, QPushButton]:
    """A window on Acme whose send failed in a way that may have added it; the Retry
    shown for it."""
    window = _window_on_acme(qtbot, saved)
    return window, fail_once_with_retry(qtbot, window, sandbox)


def _picker(window: MainWindow) -> ProfilePicker:
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    return picker


def _choose(window: MainWindow, name: str) -> None:
    """Choose the profile called ``name`` in the toolbar."""
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText(name))


def _wait_until_read(qtbot, window: MainWindow) -> None:
    picker = _picker(window)
    qtbot.waitUntil(lambda: picker.connection_problem() != READING_KEY, timeout=WAIT_MS)


def _wait_for_a_connection(qtbot, window: MainWindow) -> None:
    picker = _picker(window)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)


def _save_acme_while_its_key_is_held(
    window: MainWindow, keyring: GatedKeyring, saved: Saved, **changes: Any
) -> None:
    """Save ``changes`` to Acme while the keyring takes its time: the picker reads Acme's
    key again, and is still reading it."""
    keyring.gate.clear()
    saved.store.update_with(saved.acme.id, lambda profile: replace(profile, **changes))
    _picker(window).reload()
    assert _picker(window).connection_problem() == READING_KEY


def _let_the_key_through(qtbot, window: MainWindow, keyring: GatedKeyring) -> None:
    """The keyring answers at last; wait for the picker's connection."""
    keyring.gate.set()
    _wait_for_a_connection(qtbot, window)


def _assert_not_sent_again(window: MainWindow, sandbox: Sandbox, said: str | None = None) -> None:
    """Nothing sent after the first try, nothing asked, nothing under way; the status bar
    says ``said`` (when given)."""
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert not window.busy
    assert len(posts(sandbox)) == 1
    if said is not None:
        assert window.statusBar().currentMessage() == said


def _assert_retry_gone_and_sends_nothing(
    window: MainWindow, retry: QPushButton, sandbox: Sandbox, problem: str
) -> None:
    """The toolbar's connection has ``problem``, Retry is gone, and Retry asked for all the
    same (pressed in the moment before it went) sends nothing."""
    assert _picker(window).connection_problem() == problem
    assert not retry.isVisible()
    window.retry()
    _assert_not_sent_again(window, sandbox)


def test_another_profile_without_a_key_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, saved: Saved
) -> None:
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)

    _choose(window, "Beta")
    # At once, while Beta's key is still looked for: Retry would go to Acme with Acme's key.
    assert not retry.isVisible()
    assert window.statusBar().currentMessage() == CHANGED_TEXT
    _wait_until_read(qtbot, window)
    assert not button(window, "Submit").isEnabled()
    _assert_retry_gone_and_sends_nothing(window, retry, fresh_sandbox, NO_KEY)
    assert window.statusBar().currentMessage() == f"Not sent again: {NO_KEY}"

    # Acme again, with the form as it was sent: Retry is back.
    _choose(window, "Acme")
    qtbot.waitUntil(retry.isVisible, timeout=WAIT_MS)
    window.close()


def test_retry_asked_for_with_another_profile_chosen_sends_nothing(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring, saved: Saved
) -> None:
    keyring.passwords[(SERVICE_NAME, saved.beta.id)] = DEMO_API_KEY
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)

    _choose(window, "Beta")
    _wait_for_a_connection(qtbot, window)
    assert not retry.isVisible()
    # Asked for all the same (pressed in the moment before it went): not to Acme.
    window.retry()
    _assert_not_sent_again(
        window,
        fresh_sandbox,
        "Not sent again: the connection changed after that request. Submit sends the form "
        "to the connection shown now.",
    )
    window.close()


def test_no_profile_chosen_takes_retry_away(qtbot, fresh_sandbox: Sandbox, saved: Saved) -> None:
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)

    # The chosen profile deleted in Manage profiles: the list reloads, nothing is chosen.
    saved.store.remove(saved.acme.id, KeyStore())
    _picker(window).reload()
    _assert_retry_gone_and_sends_nothing(window, retry, fresh_sandbox, CHOOSE_PROFILE)
    window.close()


def test_the_key_gone_from_the_profile_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring, saved: Saved
) -> None:
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)

    del keyring.passwords[(SERVICE_NAME, saved.acme.id)]
    _picker(window).reload()
    _wait_until_read(qtbot, window)
    _assert_retry_gone_and_sends_nothing(window, retry, fresh_sandbox, NO_KEY)
    window.close()


def test_the_same_profile_read_again_after_a_save_keeps_retry(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring, saved: Saved
) -> None:
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)
    said = window.statusBar().currentMessage()

    # A save that keeps where the profile sends (a new name).
    _save_acme_while_its_key_is_held(window, keyring, saved, name="Acme GmbH")
    assert retry.isVisible()
    assert window.statusBar().currentMessage() == said
    # Pressed now it sends nothing, and asks nothing: the key is not there yet.
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    _assert_not_sent_again(window, fresh_sandbox, f"Not sent again: {READING_KEY}")

    _let_the_key_through(qtbot, window, keyring)
    assert retry.isVisible()
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    sent = posts(fresh_sandbox)
    assert len(sent) == 2
    assert sent[1].headers.get("x-integration-id") == DEMO_INTEGRATION_ID
    assert sent[1].json() == sent[0].json()
    window.close()


def test_a_save_that_changes_the_integration_takes_retry_away_at_once(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring, saved: Saved
) -> None:
    window, retry = _failed_send_on_acme(qtbot, saved, fresh_sandbox)

    _save_acme_while_its_key_is_held(window, keyring, saved, integration_id=OTHER_INTEGRATION_ID)
    assert not retry.isVisible()
    _let_the_key_through(qtbot, window, keyring)
    assert not retry.isVisible()
    window.close()


def test_whose_the_id_is_goes_with_another_profile_and_stays_while_the_key_is_read_again(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring, saved: Saved
) -> None:
    window = _window_on_acme(qtbot, saved)
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, application=None)
    words = picked_words(window)
    assert words

    # The same customer's key read again after a save: the same people.
    _save_acme_while_its_key_is_held(window, keyring, saved, name="Acme GmbH")
    assert picked_words(window) == words
    _let_the_key_through(qtbot, window, keyring)
    assert picked_words(window) == words

    # Another customer's profile, whose key is not saved: its people are others.
    _choose(window, "Beta")
    assert picked_words(window) == ""
    assert line_edit(window, "Target ID").accessibleDescription() == ""
    _wait_until_read(qtbot, window)
    assert picked_words(window) == ""
    window.close()


def test_retry_with_the_connection_half_typed_sends_nothing(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    # The bar between two values keeps Retry (the next value typed decides), but a press
    # then has no connection to send to: the old one is not used behind the person's back.
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    integration = line_edit(window, "Integration ID")
    integration.clear()
    assert retry.isVisible()
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    _assert_not_sent_again(window, fresh_sandbox, "Not sent again: Enter the integration ID.")
    assert QApplication.focusWidget() is integration
