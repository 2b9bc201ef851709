"""Manage profiles as a person relies on it: a saved key is removed only after asking, the
list keeps the profile shown, a long name leaves the key's column in sight, "Test
connection" waits for a key still being read, Delete on the list deletes after asking,
and Save writes nothing when nothing changed. Importing a long name twice changes
nothing; a key piped to ``profiles add``/``set-key`` with a byte-order mark is taken.

Real dialog (pytest-qt), the real Secret Service where the key matters, the real command.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import keyring
import keyring.errors
import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QTableView

from kombo_desktop.core.profiles import (
    MAX_NAME_LENGTH,
    Profile,
    ProfileStore,
    build_profile,
    default_profiles_path,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import cli, output
from tests.keyring_support import (
    GatedKeyring,
    LockedKeyring,
    keyring_backend,
    require_real_secret_service,
)
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    answer_remove_key,
    click,
    click_row,
    current_row_name,
    keyed_profile,
    show_dialog,
    table_texts,
    type_into,
    wait_for_status,
    widget,
)

LONG_NAME = "Acme Personalberatung und Recruiting Dienstleistungen GmbH & Co. KG Niederlassung Süd"


# ---- a saved key is removed only after asking ---------------------------------------------------


@pytest.fixture
def real_keyed_acme() -> Iterator[Profile]:
    """The profile "Acme", its demo key in the real Secret Service (removed afterwards)."""
    require_real_secret_service()
    profile = keyed_profile(ProfileStore(), "Acme", DEMO_API_KEY)
    yield profile
    with suppress(keyring.errors.PasswordDeleteError):  # removed by the test
        keyring.delete_password(SERVICE_NAME, profile.id)


def dialog_with_the_key_field_emptied(qtbot, worker, profile: Profile) -> ProfilesDialog:
    """The dialog on ``profile`` once its key was read, the key field then emptied."""
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    key_edit.clear()
    return dialog


@pytest.mark.secret_service
def test_saving_an_emptied_key_field_asks_and_then_says_the_key_was_removed(
    qtbot, worker, real_keyed_acme
):
    dialog = dialog_with_the_key_field_emptied(qtbot, worker, real_keyed_acme)
    asked = answer_remove_key(dialog, True)
    click(qtbot, dialog, "Save profile")

    status = wait_for_status(qtbot, dialog, "Saved")
    assert asked == ["Acme"]
    assert status == "Saved “Acme”. The API key of “Acme” was removed from the system keyring."
    assert keyring.get_password(SERVICE_NAME, real_keyed_acme.id) is None
    assert table_texts(dialog)[0][1] == "No key"


@pytest.mark.secret_service
def test_cancelling_the_key_removal_keeps_the_key_and_the_form_as_typed(
    qtbot, worker, real_keyed_acme
):
    dialog = dialog_with_the_key_field_emptied(qtbot, worker, real_keyed_acme)
    type_into(dialog, "Profile name", "Acme GmbH")
    asked = answer_remove_key(dialog, False)
    click(qtbot, dialog, "Save profile")

    assert asked == ["Acme"]  # the profile's name until it is saved
    assert not dialog.busy  # nothing is being written
    assert "Nothing was saved" in dialog.status_text()
    assert keyring.get_password(SERVICE_NAME, real_keyed_acme.id) == DEMO_API_KEY
    assert ProfileStore().get(real_keyed_acme.id).name == "Acme"  # type: ignore[union-attr]
    assert widget(dialog, "API key", QLineEdit).text() == ""
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme GmbH"
    assert dialog.has_unsaved_changes()


class EscOnTheNextQuestion(QObject):
    """Presses Esc in the next question box that opens, and keeps what it said; looks for
    one only inside its ``with`` block."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str, str]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)

    def __enter__(self) -> EscOnTheNextQuestion:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.stop()

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            self._timer.stop()
            default = box.defaultButton()
            self.seen.append((box.objectName(), box.text(), box.informativeText(), default.text()))
            QTest.keyClick(box, Qt.Key.Key_Escape)


@pytest.mark.secret_service
@pytest.mark.usefixtures("real_questions")
def test_the_real_question_names_the_key_and_esc_keeps_it(qtbot, worker, real_keyed_acme):
    dialog = dialog_with_the_key_field_emptied(qtbot, worker, real_keyed_acme)
    del dialog.confirm_remove_key  # the dialog's own question, not the tests' answer
    with EscOnTheNextQuestion() as person:
        click(qtbot, dialog, "Save profile")

    assert person.seen == [
        (
            "confirmRemoveKey",
            "The API key field is empty. Remove the API key of “Acme”?",
            "The key is removed from the system keyring. This cannot be undone.",
            "Cancel",  # Enter keeps the key
        )
    ]
    assert keyring.get_password(SERVICE_NAME, real_keyed_acme.id) == DEMO_API_KEY
    assert not dialog.busy


# ---- the list keeps the profile shown -----------------------------------------------------------


def test_an_import_that_adds_nothing_keeps_the_profile_shown_selected(
    qtbot, worker, memory_keyring, tmp_path: Path
):
    store = ProfileStore()
    add_profile(store, "Acme")
    add_profile(store, "Beta")
    export = tmp_path / "profiles.json"
    store.export_json(export)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    click_row(qtbot, dialog, "Beta")

    dialog.import_from(export)
    wait_for_status(qtbot, dialog, "Skipped")
    table = widget(dialog, "Profiles", QTableView)
    table.setFocus()  # the list taking the focus must not choose a profile of its own
    qtbot.waitUntil(table.hasFocus, timeout=TIMEOUT)

    assert current_row_name(dialog) == "Beta"
    assert dialog.selected_profile().name == "Beta"  # type: ignore[union-attr]
    assert widget(dialog, "Profile name", QLineEdit).text() == "Beta"


def test_a_long_name_is_cut_short_and_the_key_column_stays_in_sight(qtbot, worker, memory_keyring):
    add_profile(ProfileStore(), LONG_NAME)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    table = widget(dialog, "Profiles", QTableView)
    key_column = 1
    assert table.model().headerData(key_column, Qt.Orientation.Horizontal) == "API key"

    right_edge = table.columnViewportPosition(key_column) + table.columnWidth(key_column)
    assert right_edge <= table.viewport().width()
    # The badge's words are shown in full, and the name in full in its tooltip.
    assert table.columnWidth(key_column) >= table.sizeHintForColumn(key_column)
    name_cell = table.model().index(0, 0)
    assert name_cell.data(Qt.ItemDataRole.ToolTipRole) == LONG_NAME


# ---- "Test connection" and a key not read (yet) -------------------------------------------------


def test_testing_while_the_key_is_read_says_so_then_tests_with_the_key(
    qtbot, worker, fresh_sandbox
):
    gated = GatedKeyring(open_gate=True)
    with keyring_backend(gated):
        keyed_profile(ProfileStore(), "Sandbox", DEMO_API_KEY, base_url=fresh_sandbox.base_url)
        gated.gate.clear()
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        qtbot.waitUntil(lambda: gated._running > 0, timeout=TIMEOUT)
        click(qtbot, dialog, "Test connection")

        result = widget(dialog, "Connection test result", QLabel)
        assert "still being read" in result.text()
        assert dialog.field_error("api_key") == ""
        assert fresh_sandbox.requests == []

        gated.gate.set()
        key_edit = widget(dialog, "API key", QLineEdit)
        qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
        assert "still being read" not in result.text()  # it was about a key now shown
        with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as tested:
            click(qtbot, dialog, "Test connection")
    assert tested.args[0] is True


def test_testing_when_the_key_could_not_be_read_says_why_not_that_it_is_required(qtbot, worker):
    with keyring_backend(LockedKeyring()):
        profile = add_profile(ProfileStore())
        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(profile.id)
        qtbot.waitUntil(lambda: dialog.field_error("api_key") != "", timeout=TIMEOUT)
        click(qtbot, dialog, "Test connection")
        error = dialog.field_error("api_key")
    assert "keyring is locked" in error
    assert "required" not in error


# ---- Delete on the list, Save with nothing changed ----------------------------------------------


def test_delete_on_the_list_asks_and_deletes_the_profile(qtbot, worker, memory_keyring):
    # Each of the platform's Delete keys (on macOS Backspace too) deletes one profile.
    bindings = QKeySequence.keyBindings(QKeySequence.StandardKey.Delete)
    assert bindings
    names = [f"Profile {number}" for number in range(1, len(bindings) + 1)]
    for name in ["Kept", *names]:
        add_profile(ProfileStore(), name)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    asked: list[str] = []

    def delete_when_asked(profile: Profile) -> bool:
        asked.append(profile.name)
        return True

    dialog.confirm_delete = delete_when_asked  # type: ignore[method-assign]
    name_edit = widget(dialog, "Profile name", QLineEdit)
    table = widget(dialog, "Profiles", QTableView)

    for name, keys in zip(names, bindings, strict=True):
        click_row(qtbot, dialog, name)
        name_edit.setFocus()
        name_edit.setCursorPosition(1)
        QTest.keySequence(name_edit, keys)
        # In a field the key edits the text, and asks nothing.
        assert (name_edit.text() != name, asked) == (True, names[: names.index(name)])
        name_edit.setText(name)  # as it was

        table.setFocus()
        qtbot.waitUntil(table.hasFocus, timeout=TIMEOUT)
        QTest.keySequence(table, keys)
        assert asked[-1:] == [name]
        wait_for_status(qtbot, dialog, f"Deleted “{name}”")
    assert [profile.name for profile in ProfileStore().profiles()] == ["Kept"]


def test_after_a_delete_the_next_profile_in_the_list_is_selected(qtbot, worker, memory_keyring):
    # Clearing out old customers one after another from the keyboard. Before: the first
    # profile of the list was selected, and the next Delete aimed at it.
    names = [f"Customer {number:02}" for number in range(6)]
    for name in names:
        add_profile(ProfileStore(), name)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.confirm_delete = lambda profile: True  # type: ignore[method-assign]
    click_row(qtbot, dialog, "Customer 03")
    click(qtbot, dialog, "Delete profile")
    wait_for_status(qtbot, dialog, "Deleted “Customer 03”")
    selected = dialog.selected_profile()
    assert selected is not None
    assert selected.name == "Customer 04"
    click_row(qtbot, dialog, "Customer 05")  # the last: the one before it comes next
    click(qtbot, dialog, "Delete profile")
    wait_for_status(qtbot, dialog, "Deleted “Customer 05”")
    selected = dialog.selected_profile()
    assert selected is not None
    assert selected.name == "Customer 04"


def test_enter_in_the_form_with_nothing_changed_writes_nothing(qtbot, worker, memory_keyring):
    add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    file_before = default_profiles_path().stat()
    name_edit = widget(dialog, "Profile name", QLineEdit)
    name_edit.setFocus()
    qtbot.waitUntil(name_edit.hasFocus, timeout=TIMEOUT)

    QTest.keyClick(name_edit, Qt.Key.Key_Return)  # Save is the dialog's default button

    status = wait_for_status(qtbot, dialog, "Acme")
    assert status == "No changes to save in “Acme”."
    file_after = default_profiles_path().stat()
    # Written files are replaced whole: the same file, untouched, was not written.
    assert (file_after.st_ino, file_after.st_mtime_ns) == (
        file_before.st_ino,
        file_before.st_mtime_ns,
    )


# ---- importing a long name twice ----------------------------------------------------------------


def _export_of(path: Path, name: str) -> str:
    document = {
        "format": "kombo-desktop-profiles-export",
        "version": 1,
        "profiles": [
            {"name": name, "region": "us", "base_url": None, "integration_id": DEMO_INTEGRATION_ID}
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("profiles_of_that_name", [1, 9], ids=["gets (2)", "gets (10)"])
def test_importing_a_long_name_taken_twice_changes_nothing_the_second_time(
    tmp_path: Path, profiles_of_that_name: int
):
    store = ProfileStore()
    name = ("Acme " * 30)[:MAX_NAME_LENGTH].strip()
    # The name and its numbered forms, each for another integration: the import clashes.
    for number in range(1, profiles_of_that_name + 1):
        taken = name if number == 1 else f"{name[: MAX_NAME_LENGTH - 4]} ({number})"
        store.add_profile(
            build_profile(name=taken, integration_id=f"workday:{number}", region="us")
        )
    export = _export_of(tmp_path / "colleague.json", name)

    first = store.import_json(export)
    assert len(first.imported) == 1
    assert len(first.imported[0].name) <= MAX_NAME_LENGTH
    assert first.imported[0].name.endswith(f" ({profiles_of_that_name + 1})")
    second = store.import_json(export)
    assert second.imported == ()
    assert second.skipped == (name,)
    assert len(ProfileStore().profiles()) == profiles_of_that_name + 1


# ---- a key piped in with a byte-order mark ------------------------------------------------------


@pytest.mark.secret_service
def test_a_key_piped_with_a_byte_order_mark_is_saved_without_it(app_home):
    require_real_secret_service()
    added = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--region", "eu", stdin="\ufeff" + DEMO_API_KEY + "\r\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    profile = ProfileStore().require_by_name("Acme")
    try:
        assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY
        keyring.delete_password(SERVICE_NAME, profile.id)
        replaced = cli(app_home, "profiles", "set-key", "Acme", stdin="\ufeff" + DEMO_API_KEY)
        assert replaced.returncode == 0, output(replaced)
        assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY

        # Only the file's one mark is dropped: what else is invisible is still refused.
        for typed in ("\ufeff\ufeff" + DEMO_API_KEY, "\u200b" + DEMO_API_KEY):
            refused = cli(app_home, "profiles", "set-key", "Acme", stdin=typed + "\n")
            assert refused.returncode == 2, output(refused)
            assert DEMO_API_KEY not in output(refused)
    finally:
        if keyring.get_password(SERVICE_NAME, profile.id) is not None:
            keyring.delete_password(SERVICE_NAME, profile.id)
