"""Shared pieces of the profile tests: finding and driving the dialog's widgets, a picker,
a saved profile, a profiles file as an earlier version wrote it, a window on a profile
and Manage profiles opened from it."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kombo_desktop.core import profiles
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import (
    FILE_FORMAT,
    Profile,
    ProfileStore,
    build_profile,
    default_profiles_path,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.background_tasks import ProfileRunners, TaskRunner
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker, WorkerGate
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.keyring_support import MemoryKeyring
from tests.main_window_support import WAIT_MS
from tests.qt_helpers import find_by_accessible_name, top_level, wait_exposed


def widget(root: QWidget, name: str, kind: type[Any] = QWidget) -> Any:
    return find_by_accessible_name(root, name, kind)


def click(qtbot, root: QWidget, name: str) -> None:
    button = widget(root, name, QAbstractButton)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(root: QWidget, name: str, text: str) -> None:
    edit = widget(root, name, QLineEdit)
    edit.setFocus()
    edit.clear()
    edit.insert(text)


def choose(root: QWidget, name: str, text: str) -> None:
    combo = widget(root, name, QComboBox)
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not a choice of {name}"
    combo.setCurrentIndex(index)


def click_row(qtbot, dialog: ProfilesDialog, name: str) -> None:
    """Click the row of the profile called ``name`` in the dialog's list."""
    table = widget(dialog, "Profiles", QTableView)
    model = table.model()
    rows = [row for row in range(model.rowCount()) if model.index(row, 0).data() == name]
    assert rows, f"no profile {name!r} in the list"
    center = table.visualRect(model.index(rows[0], 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)


def fill_form(
    dialog: ProfilesDialog,
    *,
    name: str,
    key: str,
    base_url: str | None = None,
    region: str = "EU",
    integration_id: str = DEMO_INTEGRATION_ID,
) -> None:
    """Type a profile into the dialog's form: in ``region``, or at ``base_url`` when given."""
    type_into(dialog, "Profile name", name)
    if base_url is not None:
        choose(dialog, "Region", "Custom URL")
        type_into(dialog, "Base URL", base_url)
    else:
        choose(dialog, "Region", region)
    type_into(dialog, "Integration ID", integration_id)
    type_into(dialog, "API key", key)


def table_texts(dialog: ProfilesDialog) -> list[list[str]]:
    """The texts of the dialog's list of profiles, row by row."""
    model = widget(dialog, "Profiles", QTableView).model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def add_profile(store: ProfileStore, name: str = "Acme") -> Profile:
    """A saved EU profile with the sandbox's integration ID, and no key."""
    return store.add_profile(
        build_profile(name=name, integration_id=DEMO_INTEGRATION_ID, region="eu")
    )


def sandbox_profile_without_key(sandbox: Any, name: str) -> Profile:
    """A saved profile for ``sandbox``, noted as holding a Development key, whose key is
    not in the keyring (as an imported profile is)."""
    return ProfileStore().add_profile(
        build_profile(
            name=name,
            integration_id=DEMO_INTEGRATION_ID,
            base_url=sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )


def _answer_each(
    dialog: ProfilesDialog, question: str, answer: object, noted: Callable[[Any], str]
) -> list[str]:
    """Answer every ``question`` of ``dialog`` (the name of the method that asks it) with
    ``answer``, as the person would.

    Returns a list that receives ``noted`` of what each was asked about, so a test can
    check when and how it asked.
    """
    assert callable(getattr(dialog, question)), f"the dialog asks no {question!r}"
    asked: list[str] = []

    def answering(about: Any) -> object:
        asked.append(noted(about))
        return answer

    setattr(dialog, question, answering)
    return asked


def answer_unsaved(dialog: ProfilesDialog, choice: UnsavedChoice) -> list[str]:
    """Answer every "Save changes …?" of ``dialog`` with ``choice``.

    Returns the list of questions asked, so a test can check when and how it asked.
    """
    return _answer_each(dialog, "ask_to_save", choice, str)


def answer_remove_key(dialog: ProfilesDialog, remove: bool) -> list[str]:
    """Answer every "Remove the API key of …?" of ``dialog`` (asked when a save would
    remove a saved key) with ``remove``.

    Returns the names of the profiles asked about, so a test can check that it asked.
    """
    return _answer_each(dialog, "confirm_remove_key", remove, lambda profile: profile.name)


def answer_session_only(dialog: ProfilesDialog, keep: bool) -> list[str]:
    """Answer every "The API key could not be saved" of ``dialog`` with ``keep`` (True:
    keep the key for this session only).

    Returns the reasons the keyring gave, so a test can check that it asked.
    """
    return _answer_each(dialog, "ask_session_only", keep, lambda error: error.message)


@contextmanager
def answer_next_box(
    qtbot: QtBot, object_name: str, button_text: str, *, must_open: bool = True
) -> Iterator[list[str]]:
    """Press ``button_text`` in the question box named ``object_name`` once it opens
    during the ``with`` block.

    Yields a list that receives the box's question and its detail (one line each), so a
    test can check the wording. The block fails the test when no such box has opened by
    its end (or ``TIMEOUT`` after it), unless ``must_open`` is False: then the box is
    answered if it comes, and the test checks that it did not. The watch for the box ends
    with the block either way, so nothing of it is left to answer a later test's box.
    """
    seen: list[str] = []
    problems: list[str] = []
    # A modal box runs its own event loop inside the call that opened it: a timer still
    # fires there, where code after that call would not run until the box is closed.
    timer = QTimer()
    timer.setInterval(20)

    def answer() -> None:
        box = top_level(QMessageBox, object_name)
        if box is None:
            return
        timer.stop()
        seen.append(f"{box.text()}\n{box.informativeText()}")
        chosen = [button for button in box.buttons() if button.text() == button_text]
        if chosen:
            chosen[0].click()
            return
        names = [button.text() for button in box.buttons()]
        problems.append(f"the box {object_name!r} has no button {button_text!r}, only {names}")
        # Left open, the box would hold the test in its event loop for ever.
        box.reject()

    timer.timeout.connect(answer)
    timer.start()
    try:
        yield seen
        if must_open:
            try:
                qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
            except qtbot.TimeoutError:
                raise AssertionError(
                    f"the question box {object_name!r} never opened (its {button_text!r} "
                    f"was to be pressed), not even {TIMEOUT} ms after the block"
                ) from None
        assert not problems, problems[0]
    finally:
        timer.stop()
        timer.timeout.disconnect(answer)


def discard_edits_on_close(dialog: QWidget) -> None:
    """Let a dialog close after its test without asking about edits left in its form."""
    if isinstance(dialog, ProfilesDialog):
        answer_unsaved(dialog, UnsavedChoice.DISCARD)


def show_dialog(
    qtbot, store: ProfileStore, key_store: KeyStore, worker: ApiWorker
) -> ProfilesDialog:
    # Whoever opens the dialog owns the threads it works on, as the picker does; here a
    # stand-in for the picker that lives as long as the dialog.
    opener = QObject()
    dialog = ProfilesDialog(store, key_store, worker, ProfileRunners.owned_by(opener))
    opener.setParent(dialog)
    # A test that empties a saved key's field and saves means to remove the key, as the
    # person who answers "Remove API key" does; the question itself is tested where a
    # test answers it (``answer_remove_key``, or the real box). Unanswered, the box
    # would wait for ever.
    answer_remove_key(dialog, True)
    # Closed after the test, a form left with edits would ask about them, and no one
    # would answer.
    qtbot.addWidget(dialog, before_close_func=discard_edits_on_close)
    dialog.show()
    wait_exposed(qtbot, dialog)
    return dialog


def show_dialog_on_a_keyed_profile(
    qtbot, worker: ApiWorker, keyring: MemoryKeyring
) -> tuple[ProfilesDialog, Profile]:
    """A saved profile with the demo key in ``keyring``, chosen in a shown dialog that has
    read its key."""
    profile = add_profile(ProfileStore())
    keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=10_000)
    return dialog, profile


def ready_with(worker: ApiWorker) -> WorkerGate:
    """A network gate that is open, as the window's is once its network code is loaded."""

    def when_network_ready(callback: Callable[[ApiWorker | None], object]) -> None:
        callback(worker)

    return when_network_ready


def make_picker(qtbot, store: ProfileStore, key_store: KeyStore, worker: ApiWorker) -> Any:
    picker = ProfilePicker(store, key_store, ready_with(worker))
    qtbot.addWidget(picker)
    picker.show()
    wait_exposed(qtbot, picker)
    return picker


#: How long a test of profiles, the picker or their dialogs waits for what runs off the GUI
#: thread (a write, a key read, a connection test), in ms.
TIMEOUT = 10_000


class HeldDisk(ProfileStore):
    """The real store, whose profile updates wait until ``written`` is set.

    They wait before taking the profiles file's lock (``update_with`` calls ``update``
    with it held), so that another window's change staged meanwhile goes in first.
    """

    def __init__(self) -> None:
        super().__init__()
        self.written = threading.Event()

    def update_with(self, profile_id: str, change: Callable[[Profile], Profile]) -> Profile:
        self.written.wait(TIMEOUT / 1000)
        return super().update_with(profile_id, change)

    def update(self, profile: Profile) -> Profile:
        self.written.wait(TIMEOUT / 1000)
        return super().update(profile)


def wait_for_status(qtbot, dialog: ProfilesDialog, words: str) -> str:
    """Until the dialog's status says ``words`` and its writes are over; the status."""
    qtbot.waitUntil(lambda: words in dialog.status_text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    return dialog.status_text()


def keyed_profile(
    store: ProfileStore,
    name: str,
    key: str,
    *,
    base_url: str | None = None,
    integration_id: str = DEMO_INTEGRATION_ID,
) -> Profile:
    """A saved profile (EU unless ``base_url``) with ``key`` in the keyring."""
    profile = store.add_profile(
        build_profile(
            name=name,
            integration_id=integration_id,
            base_url=base_url,
            region=None if base_url else "eu",
        )
    )
    KeyStore().set(profile.id, key)
    return profile


def current_row_name(dialog: ProfilesDialog) -> str | None:
    """The name in the list's current row (asserting the selection is that row)."""
    table = widget(dialog, "Profiles", QTableView)
    selected = table.selectionModel().selectedRows()
    names = {index.data() for index in selected}
    current = table.selectionModel().currentIndex()
    name = table.model().index(current.row(), 0).data() if current.isValid() else None
    assert names == ({name} if name else set()), "the selection and the current row differ"
    return name


def earlier_entry(
    profile_id: str, name: str, integration_id: str = DEMO_INTEGRATION_ID, **members: str | None
) -> dict[str, Any]:
    """A profile as an earlier version wrote it to the profiles file: in the EU, without a
    key environment, but for what ``members`` say."""
    entry: dict[str, Any] = {
        "id": profile_id,
        "name": name,
        "region": "eu",
        "base_url": None,
        "integration_id": integration_id,
        "key_environment": None,
    }
    return {**entry, **members}


def write_earlier_file(*entries: dict[str, Any]) -> None:
    """A profiles file as an earlier version left it, the first profile ("p1") used last."""
    path = default_profiles_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": FILE_FORMAT, "version": 1, "last_used_id": "p1", "profiles": entries}
    path.write_text(json.dumps(document), encoding="utf-8")


# ---- a window on a profile, and Manage profiles opened from it ---------------------------


def keyed(sandbox: Sandbox, name: str, integration_id: str = DEMO_INTEGRATION_ID) -> Profile:
    """A saved profile that sends to ``sandbox``, with the demo key in the keyring."""
    profile = ProfileStore().add_profile(
        build_profile(
            name=name,
            integration_id=integration_id,
            base_url=sandbox.base_url,
            key_environment=Environment.DEVELOPMENT,
        )
    )
    KeyStore().set(profile.id, DEMO_API_KEY)
    return profile


def window_on(qtbot, profile: Profile, store: ProfileStore | None = None) -> MainWindow:
    """A shown window whose picker reads the profiles file as the app's does (``store``,
    else a store of its own), on ``profile`` once its key is read."""
    store = store if store is not None else ProfileStore()
    store.load()  # as the app does before its event loop
    window = shown_window(qtbot, store)
    picker = picker_of(window)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    return window


def shown_window(qtbot, store: ProfileStore) -> MainWindow:
    """A shown window whose picker reads ``store`` (already loaded), as the app's does; no
    profile chosen yet."""
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
    return window


def picker_of(window: MainWindow) -> ProfilePicker:
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    return picker


def watcher_of(picker: ProfilePicker) -> QFileSystemWatcher:
    """The watcher by which ``picker`` follows the profiles file; its own slots are connected
    first, so a notice has reached the picker before another slot hears of it."""
    watcher = picker.findChild(QFileSystemWatcher)
    assert watcher is not None
    return watcher


def wait_until_idle(qtbot, picker: ProfilePicker) -> None:
    """Until every task of ``picker``'s background threads has been answered: a notice of
    the watcher that came during a write of its own is handled once the write is done."""
    runners = picker.findChildren(TaskRunner)
    assert runners
    qtbot.waitUntil(lambda: not any(runner.busy for runner in runners), timeout=WAIT_MS)


def wait_for_notices_so_far(qtbot, picker: ProfilePicker) -> None:
    """Until ``picker`` has handled every notice its watcher has had by now, of its own
    writes and of other processes', and what those notices started is done.

    A file made in the watched folder brings one more notice. The watcher reads its
    notices in the order they came: once that one is handled, so is every earlier one.
    """
    wait_until_idle(qtbot, picker)  # the picker's own writes are on disk
    folder = profiles.default_profiles_path().parent
    with qtbot.waitSignal(watcher_of(picker).directoryChanged, timeout=WAIT_MS):
        (folder / f".notice-{uuid.uuid4().hex}").touch()
    wait_until_idle(qtbot, picker)


def open_manager(qtbot, window: MainWindow) -> ProfilesDialog:
    """Manage profiles, opened from the window's picker, once it has read the key."""
    picker = picker_of(window)
    picker.open_manager()
    qtbot.waitUntil(lambda: picker.dialog is not None, timeout=WAIT_MS)
    dialog = picker.dialog
    assert dialog is not None
    key = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key.text() == DEMO_API_KEY, timeout=WAIT_MS)
    return dialog
