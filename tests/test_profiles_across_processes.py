"""The profiles file changed by another process while a window is open: the command line
(``kombo-desktop profiles …``, run for real) or another window (a store of its own, as
another process has). The window follows such a change before it sends, and saves made
at the same moment by two processes keep each other's profiles.

The real keyring (the Secret Service of ``tests/session.sh``), the real sandbox.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import secretstorage
from filelock import FileLock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableView

from kombo_desktop.core import profiles
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, cli_env, output
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    fail_once_with_retry,
    fill_form,
    posts,
    submit_and_wait,
)
from tests.profiles_support import (
    click,
    keyed,
    open_manager,
    picker_of,
    type_into,
    wait_for_notices_so_far,
    wait_for_status,
    wait_until_idle,
    watcher_of,
    widget,
    window_on,
)
from tests.qt_helpers import find_by_accessible_name

OLD_INTEGRATION_ID = "greenhouse:oldIntegration01"
OTHER_INTEGRATION_ID = "personio:OTHERINTEGRATION123"
READING_PROFILE = "Reading the profile…"


def hold_gui_thread_until(condition: Callable[[], bool]) -> None:
    """Until ``condition`` holds, with the GUI thread kept busy: unlike ``qtbot.waitUntil``,
    no event is handled meanwhile (a notice of the watcher among them)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()


def wait_for_connection(qtbot, window: MainWindow, check: Callable[[Connection], bool]) -> None:
    """Until the window's connection is there and passes ``check``."""
    picker = picker_of(window)

    def ready() -> bool:
        connection = picker.current_connection()
        return connection is not None and check(connection)

    qtbot.waitUntil(ready, timeout=WAIT_MS)


def profiles_command(app_home: Path, *args: str) -> None:
    """``kombo-desktop profiles ARGS``, run to its end; it must succeed."""
    result = cli(app_home, "profiles", *args)
    assert result.returncode == 0, output(result)


# ---- the window follows ------------------------------------------------------------------------


def test_an_integration_id_corrected_on_the_command_line_is_used_by_the_next_send(
    qtbot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme", OLD_INTEGRATION_ID)
    window = window_on(qtbot, acme)
    profiles_command(app_home, "edit", "Acme", "--integration-id", DEMO_INTEGRATION_ID)

    wait_for_connection(qtbot, window, lambda c: c.integration_id == DEMO_INTEGRATION_ID)
    assert DEMO_INTEGRATION_ID[:10] in picker_of(window).describe()
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    sent = posts(fresh_sandbox)
    assert [r.headers["x-integration-id"] for r in sent] == [DEMO_INTEGRATION_ID]


def test_an_address_changed_in_another_window_is_where_the_next_send_goes(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    # The same sandbox under another name of this computer: another address all the same.
    moved = fresh_sandbox.base_url.replace("127.0.0.1", "localhost")
    ProfileStore().update_with(acme.id, lambda p: replace(p, base_url=moved, region=None))

    wait_for_connection(qtbot, window, lambda c: c.base_url == moved)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    assert [r.headers["host"].split(":")[0] for r in posts(fresh_sandbox)] == ["localhost"]


def test_a_profile_deleted_on_the_command_line_is_not_sent_with(
    qtbot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    profiles_command(app_home, "remove", "Acme")
    assert KeyStore().get(acme.id) is None  # its key is gone from the keyring

    picker = picker_of(window)
    qtbot.waitUntil(lambda: picker.current_profile() is None, timeout=WAIT_MS)
    assert picker.current_connection() is None
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    assert combo.findText("Acme") < 0
    window.submit()
    assert posts(fresh_sandbox) == []
    assert window.statusBar().currentMessage().startswith("Not sent")


def test_an_integration_id_changed_elsewhere_takes_retry_away(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    ProfileStore().update_with(acme.id, lambda p: replace(p, integration_id=OTHER_INTEGRATION_ID))

    wait_for_connection(qtbot, window, lambda c: c.integration_id == OTHER_INTEGRATION_ID)
    assert not retry.isVisible()
    window.retry()  # as if pressed in the moment before it went
    assert len(posts(fresh_sandbox)) == 1


def test_a_change_to_another_profile_leaves_retry_alone(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    beta = keyed(fresh_sandbox, "Beta")
    window = window_on(qtbot, acme)
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    ProfileStore().update_with(beta.id, lambda p: replace(p, integration_id=OTHER_INTEGRATION_ID))

    # The change has been read once the list shows it.
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    beta_row = combo.findData(beta.id)

    def beta_shown_changed() -> bool:
        tip = combo.itemData(beta_row, Qt.ItemDataRole.ToolTipRole)
        return OTHER_INTEGRATION_ID in str(tip)

    qtbot.waitUntil(beta_shown_changed, timeout=WAIT_MS)
    wait_for_connection(qtbot, window, lambda c: c.integration_id == DEMO_INTEGRATION_ID)
    assert retry.isVisible()
    assert retry.isEnabled()


def test_the_windows_own_writes_never_take_the_connection_away(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    # Choosing a profile writes it down as the one used last; the watcher sees that write
    # as it sees another process's. It is this window's own: no "Reading the profile…",
    # not even for a moment (Submit would flicker off, a screen reader hear it).
    acme = keyed(fresh_sandbox, "Acme")
    beta = keyed(fresh_sandbox, "Beta")
    store = ProfileStore()
    window = window_on(qtbot, acme, store)
    picker = picker_of(window)
    problems: list[str | None] = []
    picker.connectionChanged.connect(lambda: problems.append(picker.connection_problem()))
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    # The watcher's notice of that write: the one that comes once the file names Beta
    # (an earlier write's may come later than it was made).
    with qtbot.waitSignal(
        watcher_of(picker).fileChanged,
        timeout=WAIT_MS,
        check_params_cb=lambda path: (
            path == str(store.path) and ProfileStore().last_used_id == beta.id
        ),
    ):
        combo.setCurrentIndex(combo.findData(beta.id))
    wait_for_connection(qtbot, window, lambda c: c.base_url == fresh_sandbox.base_url)
    wait_until_idle(qtbot, picker)
    assert READING_PROFILE not in problems
    assert picker.current_connection() is not None


def test_a_change_made_elsewhere_just_before_choosing_that_profile_is_sent_with(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    # The window's own write (the profile used last) reads the file first and so takes in
    # another process's change: when the watcher's notice comes, the file is as this
    # window wrote it. The change must be followed all the same.
    acme = keyed(fresh_sandbox, "Acme")
    beta = keyed(fresh_sandbox, "Beta", OLD_INTEGRATION_ID)
    window = window_on(qtbot, acme)
    picker = picker_of(window)
    qtbot.waitUntil(lambda: ProfileStore().last_used_id == acme.id, timeout=WAIT_MS)
    wait_for_notices_so_far(qtbot, picker)  # the window's own write of that is behind it
    # Another window corrects Beta's integration ID; in the same moment the person picks
    # Beta here.
    ProfileStore().update_with(beta.id, lambda p: replace(p, integration_id=DEMO_INTEGRATION_ID))
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findData(beta.id))
    # The window writes Beta down on its writer thread, reading the file (with the change)
    # first, while the GUI thread is busy: no notice of the watcher is handled meanwhile.
    hold_gui_thread_until(lambda: ProfileStore().last_used_id == beta.id)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    wait_for_notices_so_far(qtbot, picker)
    wait_for_connection(qtbot, window, lambda c: True)
    submit_and_wait(qtbot, window)
    assert [r.headers["x-integration-id"] for r in posts(fresh_sandbox)] == [DEMO_INTEGRATION_ID]


class HeldReads(ProfileStore):
    """The real store, whose reading of the file again (a change seen elsewhere) waits
    until ``read`` is set: a slow disk."""

    def __init__(self) -> None:
        super().__init__()
        self.read = threading.Event()

    def reload_if_changed(self) -> bool:
        self.read.wait(WAIT_MS / 1000)
        return super().reload_if_changed()


def test_a_send_while_a_change_made_elsewhere_is_read_waits_for_it(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme", OLD_INTEGRATION_ID)
    store = HeldReads()
    store.read.set()  # its own first changes (the profile used last) go through
    window = window_on(qtbot, acme, store)
    picker = picker_of(window)
    qtbot.waitUntil(lambda: picker.connection_problem() is None, timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    store.read.clear()
    ProfileStore().update_with(acme.id, lambda p: replace(p, integration_id=DEMO_INTEGRATION_ID))

    qtbot.waitUntil(lambda: picker.connection_problem() == READING_PROFILE, timeout=WAIT_MS)
    window.submit()
    assert posts(fresh_sandbox) == []
    assert READING_PROFILE in window.statusBar().currentMessage()

    store.read.set()
    wait_for_connection(qtbot, window, lambda c: c.integration_id == DEMO_INTEGRATION_ID)
    submit_and_wait(qtbot, window)
    assert [r.headers["x-integration-id"] for r in posts(fresh_sandbox)] == [DEMO_INTEGRATION_ID]


# ---- Manage profiles ---------------------------------------------------------------------------


def test_manage_profiles_shows_what_the_command_line_changed(
    qtbot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme", OLD_INTEGRATION_ID)
    window = window_on(qtbot, acme)
    profiles_command(app_home, "edit", "Acme", "--integration-id", DEMO_INTEGRATION_ID)

    dialog = open_manager(qtbot, window)
    integration = widget(dialog, "Integration ID", QLineEdit)
    qtbot.waitUntil(lambda: integration.text() == DEMO_INTEGRATION_ID, timeout=WAIT_MS)
    table = widget(dialog, "Profiles", QTableView)
    assert table.model().index(0, 3).data() == DEMO_INTEGRATION_ID


def test_a_save_in_manage_profiles_keeps_what_another_process_changed_meanwhile(
    qtbot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme", OLD_INTEGRATION_ID)
    window = window_on(qtbot, acme)
    dialog = open_manager(qtbot, window)
    type_into(dialog, "Profile name", "Acme GmbH")  # not saved yet
    profiles_command(app_home, "edit", "Acme", "--integration-id", DEMO_INTEGRATION_ID)

    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved")
    on_disk = ProfileStore().get(acme.id)
    assert on_disk is not None
    assert (on_disk.name, on_disk.integration_id) == ("Acme GmbH", DEMO_INTEGRATION_ID)
    # The form shows the profile as saved, with the integration ID changed elsewhere.
    assert widget(dialog, "Integration ID", QLineEdit).text() == DEMO_INTEGRATION_ID
    assert not dialog.has_unsaved_changes()
    # And the window sends with it.
    dialog.reject()
    wait_for_connection(qtbot, window, lambda c: c.integration_id == DEMO_INTEGRATION_ID)


# ---- two writers -------------------------------------------------------------------------------

SAVER = r"""
import sys
import keyring
from keyring.backends import SecretService
keyring.set_keyring(SecretService.Keyring())
from kombo_desktop.core.profiles import ProfileStore, build_profile, save_with_key
from kombo_desktop.core.secrets import KeyStore
store, keys = ProfileStore(), KeyStore()
store.load()
sys.stdin.readline()  # both start together
for n in range(int(sys.argv[2])):
    profile = build_profile(
        name=f"{sys.argv[1]} {n}", integration_id="greenhouse:abc123", region="eu"
    )
    key = f"ks_dev_{sys.argv[1]}{n:04d}xxxxxxxxxxxxxxxxxxxx"
    save_with_key(store, keys, profile, key, is_new=True)  # as the dialog's Save does
"""


def keyring_profile_ids() -> set[str]:
    """The profile ids that have a key in the real keyring."""
    connection = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(connection)
    return {
        item.get_attributes()["username"]
        for item in collection.search_items({"service": SERVICE_NAME})
    }


def test_profiles_saved_by_two_processes_at_once_are_all_kept(
    app_home: Path, real_keyring: None
) -> None:
    before = keyring_profile_ids()
    count = 30
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, who, str(count)],
            stdin=subprocess.PIPE,
            env=cli_env(app_home),
            text=True,
        )
        for who in ("First", "Second")
    ]
    for saver in savers:
        assert saver.stdin is not None
        saver.stdin.write("go\n")
        saver.stdin.flush()
    assert [saver.wait(300) for saver in savers] == [0, 0]

    kept = ProfileStore().profiles()
    keys_without_profile = keyring_profile_ids() - before - {p.id for p in kept}
    for profile in kept:
        KeyStore().delete(profile.id)
    assert len(kept) == 2 * count
    assert keys_without_profile == set()


def test_the_command_line_says_so_when_another_process_holds_the_file(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    keyed(fresh_sandbox, "Acme", OLD_INTEGRATION_ID)
    path = profiles.default_profiles_path()
    before = path.read_text()
    # Another process in the middle of a save, for longer than a change waits.
    with FileLock(path.with_name(f"{path.name}.lock")):
        result = cli(app_home, "profiles", "edit", "Acme", "--integration-id", DEMO_INTEGRATION_ID)
    said = output(result)
    assert result.returncode == 1, said
    assert "another Kombo Desktop is saving" in said
    assert "try again" in said
    assert "Traceback" not in said
    assert path.read_text() == before


def test_manage_profiles_says_so_when_another_process_holds_the_file(
    qtbot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, real_keyring: None
) -> None:
    monkeypatch.setattr(profiles, "LOCK_TIMEOUT_S", 0.5, raising=False)
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    dialog = open_manager(qtbot, window)
    type_into(dialog, "Profile name", "Acme GmbH")
    path = profiles.default_profiles_path()
    with FileLock(path.with_name(f"{path.name}.lock")):
        click(qtbot, dialog, "Save profile")
        status = wait_for_status(qtbot, dialog, "Nothing was saved")
    assert "another Kombo Desktop is saving" in status
    assert [p.name for p in ProfileStore().profiles()] == ["Acme"]
    assert dialog.has_unsaved_changes()  # what was typed is still there, to save again
    # Once the other save is over, saving again works.
    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved")
    assert [p.name for p in ProfileStore().profiles()] == ["Acme GmbH"]


def test_a_remove_that_cannot_write_the_file_keeps_the_profiles_key(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    # "The profile was kept" must mean with its key: the keyring is put back as it was.
    acme = keyed(fresh_sandbox, "Acme")
    path = profiles.default_profiles_path()
    # Another process in the middle of a save, for longer than a change waits.
    with FileLock(path.with_name(f"{path.name}.lock")):
        result = cli(app_home, "profiles", "remove", "Acme")
    said = output(result)
    assert result.returncode != 0, said
    assert "another Kombo Desktop is saving" in said
    assert ProfileStore().get(acme.id) is not None
    assert KeyStore().get(acme.id) == DEMO_API_KEY
