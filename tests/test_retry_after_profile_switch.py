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

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPushButton

from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import Profile, ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import CHOOSE_PROFILE, NO_KEY, READING_KEY, ProfilePicker
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.keyring_support import GatedKeyring, keyring_backend
from tests.main_window_support import (
    SEND_AGAIN_QUESTION,
    WAIT_MS,
    answer_send_again,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    submit_and_wait,
    wait_for_send_again_question,
)
from tests.qt_helpers import find_by_accessible_name, top_level, wait_exposed
from tests.test_lookup_pick_shown import _candidate, _pick, _shown_words
from tests.test_main_window_errors import fail_once_with_retry

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


def _profiles(sandbox: Sandbox, keyring: GatedKeyring) -> tuple[Profile, Profile]:
    """ "Acme" with the demo key and "Beta", another customer's, whose key is not saved."""
    store = ProfileStore()
    acme = store.add_profile(
        build_profile(
            name="Acme",
            integration_id=DEMO_INTEGRATION_ID,
            base_url=sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )
    keyring.passwords[(SERVICE_NAME, acme.id)] = DEMO_API_KEY
    beta = store.add_profile(
        build_profile(
            name="Beta",
            integration_id=OTHER_INTEGRATION_ID,
            base_url=sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )
    return acme, beta


def _window_on(qtbot, store: ProfileStore, profile: Profile) -> MainWindow:
    """A shown window whose picker works on ``store`` (as the app's does), on ``profile``
    once its key is read."""
    window: MainWindow | None = None

    def when_network_ready(callback: Callable[[ApiWorker | None], object]) -> None:
        assert window is not None
        window.when_network_ready(callback)

    picker = ProfilePicker(store, KeyStore(), when_network_ready)
    window = MainWindow(picker)
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    return window


def _picker(window: MainWindow) -> ProfilePicker:
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    return picker


def _fail_once(qtbot, window: MainWindow, sandbox: Sandbox) -> QPushButton:
    """Send the form and have it fail with a 500 (it may have been added): Retry shows."""
    sandbox.inject_fault(Fault.server_error(500), times=1)
    fill_form(qtbot, window, target_id=candidate_id(sandbox, 2))
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    return retry


def _choose(qtbot, window: MainWindow, name: str) -> None:
    """Choose the profile called ``name`` in the toolbar."""
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText(name))


def _wait_until_read(qtbot, window: MainWindow) -> None:
    picker = _picker(window)
    qtbot.waitUntil(lambda: picker.connection_problem() != READING_KEY, timeout=WAIT_MS)


def test_another_profile_without_a_key_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    window = _window_on(qtbot, ProfileStore(), acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)

    _choose(qtbot, window, "Beta")
    # At once, while Beta's key is still looked for: Retry would go to Acme with Acme's key.
    assert not retry.isVisible()
    assert window.statusBar().currentMessage() == CHANGED_TEXT
    _wait_until_read(qtbot, window)
    assert _picker(window).connection_problem() == NO_KEY
    assert not retry.isVisible()
    assert not button(window, "Submit").isEnabled()

    # Retry asked for all the same (pressed in the moment before it went): nothing sent.
    window.retry()
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == f"Not sent again: {NO_KEY}"

    # Acme again, with the form as it was sent: Retry is back.
    _choose(qtbot, window, "Acme")
    qtbot.waitUntil(retry.isVisible, timeout=WAIT_MS)
    window.close()


def test_retry_asked_for_with_another_profile_chosen_sends_nothing(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, beta = _profiles(fresh_sandbox, keyring)
    keyring.passwords[(SERVICE_NAME, beta.id)] = DEMO_API_KEY
    window = _window_on(qtbot, ProfileStore(), acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)

    _choose(qtbot, window, "Beta")
    qtbot.waitUntil(lambda: _picker(window).current_connection() is not None, timeout=WAIT_MS)
    assert not retry.isVisible()
    # Asked for all the same (pressed in the moment before it went): not to Acme.
    window.retry()
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == (
        "Not sent again: the connection changed after that request. Submit sends the form "
        "to the connection shown now."
    )
    window.close()


def test_no_profile_chosen_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    store = ProfileStore()
    window = _window_on(qtbot, store, acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)

    # The chosen profile deleted in Manage profiles: the list reloads, nothing is chosen.
    store.remove(acme.id, KeyStore())
    _picker(window).reload()
    assert _picker(window).connection_problem() == CHOOSE_PROFILE
    assert not retry.isVisible()
    window.retry()
    assert len(posts(fresh_sandbox)) == 1
    window.close()


def test_the_key_gone_from_the_profile_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    window = _window_on(qtbot, ProfileStore(), acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)

    del keyring.passwords[(SERVICE_NAME, acme.id)]
    _picker(window).reload()
    _wait_until_read(qtbot, window)
    assert _picker(window).connection_problem() == NO_KEY
    assert not retry.isVisible()
    window.retry()
    assert len(posts(fresh_sandbox)) == 1
    window.close()


def test_the_same_profile_read_again_after_a_save_keeps_retry(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    store = ProfileStore()
    window = _window_on(qtbot, store, acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)
    said = window.statusBar().currentMessage()

    # A save that keeps where the profile sends (a new name): the picker reads its key
    # again, and the keyring takes its time.
    keyring.gate.clear()
    store.update_with(acme.id, lambda profile: replace(profile, name="Acme GmbH"))
    _picker(window).reload()
    assert _picker(window).connection_problem() == READING_KEY
    assert retry.isVisible()
    assert window.statusBar().currentMessage() == said
    # Pressed now it sends nothing, and asks nothing: the key is not there yet.
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == f"Not sent again: {READING_KEY}"

    keyring.gate.set()
    qtbot.waitUntil(lambda: _picker(window).current_connection() is not None, timeout=WAIT_MS)
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
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    store = ProfileStore()
    window = _window_on(qtbot, store, acme)
    retry = _fail_once(qtbot, window, fresh_sandbox)

    keyring.gate.clear()
    store.update_with(
        acme.id, lambda profile: replace(profile, integration_id=OTHER_INTEGRATION_ID)
    )
    _picker(window).reload()
    assert _picker(window).connection_problem() == READING_KEY
    assert not retry.isVisible()
    keyring.gate.set()
    qtbot.waitUntil(lambda: _picker(window).current_connection() is not None, timeout=WAIT_MS)
    assert not retry.isVisible()
    window.close()


def test_whose_the_id_is_goes_with_another_profile_and_stays_while_the_key_is_read_again(
    qtbot, fresh_sandbox: Sandbox, keyring: GatedKeyring
) -> None:
    acme, _beta = _profiles(fresh_sandbox, keyring)
    store = ProfileStore()
    window = _window_on(qtbot, store, acme)
    _pick(qtbot, window, _candidate(fresh_sandbox, 1), application=None)
    words = _shown_words(window)
    assert words

    # The same customer's key read again after a save: the same people.
    keyring.gate.clear()
    store.update_with(acme.id, lambda profile: replace(profile, name="Acme GmbH"))
    _picker(window).reload()
    assert _picker(window).connection_problem() == READING_KEY
    assert _shown_words(window) == words
    keyring.gate.set()
    qtbot.waitUntil(lambda: _picker(window).current_connection() is not None, timeout=WAIT_MS)
    assert _shown_words(window) == words

    # Another customer's profile, whose key is not saved: its people are others.
    _choose(qtbot, window, "Beta")
    assert _shown_words(window) == ""
    assert line_edit(window, "Target ID").accessibleDescription() == ""
    _wait_until_read(qtbot, window)
    assert _shown_words(window) == ""
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
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == "Not sent again: Enter the integration ID."
    assert QApplication.focusWidget() is integration
