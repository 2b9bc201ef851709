"""The profiles dialog, the toolbar's profile picker and the production guard, with real widgets.

Keys go to an in-memory keyring backend here (the real Secret Service path is covered
by the ``secret_service`` tests); the network goes to the sandbox through the ApiWorker.
"""

from __future__ import annotations

import gc
import json
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kombo_desktop.core import paths
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import Profile, ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.production_guard import PRODUCTION_QUESTION, ask_production_send
from kombo_desktop.qt.profile_picker import (
    CHOOSE_PROFILE,
    NO_KEY,
    READING_KEY,
)
from kombo_desktop.qt.profiles_dialog import SESSION_ONLY_BUTTON, ProfilesDialog
from kombo_desktop.qt.settings import ProductionConfirmation, app_settings, settings_path
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_INTEGRATION_ID,
    DEMO_PROD_API_KEY,
)
from tests.keyring_support import (
    GatedKeyring,
    LockedKeyring,
    keyring_backend,
)
from tests.leakcheck import assert_no_file_contains
from tests.profiles_support import (
    TIMEOUT,
    answer_next_box,
    answer_unsaved,
    choose,
    click,
    click_row,
    current_row_name,
    fill_form,
    keyed_profile,
    make_picker,
    show_dialog,
    table_texts,
    type_into,
    widget,
)
from tests.qt_helpers import wait_active, wait_exposed


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore()


@pytest.fixture
def key_store() -> KeyStore:
    return KeyStore()


@pytest.fixture
def open_dialog(qtbot, store, key_store, worker) -> Callable[[], ProfilesDialog]:
    def make() -> ProfilesDialog:
        return show_dialog(qtbot, store, key_store, worker)

    return make


def save(qtbot, dialog: ProfilesDialog) -> None:
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: not dialog._writer.busy, timeout=TIMEOUT)


# ---- the dialog ------------------------------------------------------------------------------


def test_every_control_has_its_accessible_name(open_dialog, memory_keyring):
    dialog = open_dialog()
    for name in (
        "Profile name",
        "Region",
        "Base URL",
        "Integration ID",
        "API key",
        "Test connection",
        "Save profile",
        "Delete profile",
        "Profiles",
        "Show API key",
        "Add profile",
        "Duplicate profile",
        "Import profiles",
        "Export profiles",
    ):
        assert widget(dialog, name) is not None


def test_add_edit_and_delete_with_confirmation(qtbot, open_dialog, store, memory_keyring, app_home):
    dialog = open_dialog()
    fill_form(dialog, name="Acme GmbH", key=DEMO_API_KEY, base_url="http://127.0.0.1:8765/v1")
    save(qtbot, dialog)
    assert "Saved “Acme GmbH”" in dialog.status_text()
    profile = ProfileStore().find_by_name("Acme GmbH")
    assert profile is not None
    assert profile.base_url == "http://127.0.0.1:8765/v1"
    assert profile.key_environment is Environment.DEVELOPMENT
    assert memory_keyring.passwords == {(SERVICE_NAME, profile.id): DEMO_API_KEY}
    assert table_texts(dialog) == [
        ["Acme GmbH", "Development", "http://127.0.0.1:8765/v1", DEMO_INTEGRATION_ID]
    ]

    # Edit: a rename keeps the id, so the key stays attached.
    type_into(dialog, "Profile name", "Acme Europe")
    choose(dialog, "Region", "US")
    save(qtbot, dialog)
    edited = ProfileStore().get(profile.id)
    assert edited is not None
    assert edited.name == "Acme Europe"
    assert edited.base_url is None
    assert edited.base_url_or_region_label == "US"
    assert KeyStore().get(profile.id) == DEMO_API_KEY

    # Delete asks first; "Cancel" keeps everything.
    with answer_next_box(qtbot, "confirmDelete", "Cancel"):
        click(qtbot, dialog, "Delete profile")
    qtbot.waitUntil(lambda: not dialog._writer.busy, timeout=TIMEOUT)
    assert ProfileStore().get(profile.id) is not None

    with answer_next_box(qtbot, "confirmDelete", "Delete profile") as texts:
        click(qtbot, dialog, "Delete profile")
    qtbot.waitUntil(lambda: ProfileStore().get(profile.id) is None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "Deleted" in dialog.status_text(), timeout=TIMEOUT)
    assert texts == [
        "Delete the profile “Acme Europe” and its API key?\n"
        "The key is removed from the system keyring. This cannot be undone."
    ]
    assert memory_keyring.passwords == {}
    assert table_texts(dialog) == []
    assert_no_file_contains(app_home, DEMO_API_KEY)


def test_errors_are_shown_at_their_fields_and_the_form_keeps_its_text(
    qtbot, open_dialog, store, memory_keyring
):
    store.add_profile(build_profile(name="Taken", integration_id="t:1", region="eu"))
    dialog = open_dialog()
    click(qtbot, dialog, "Add profile")
    fill_form(dialog, name="taken", key="ks_dev_has space", base_url="http://kombo.example/v1")
    type_into(dialog, "Integration ID", "")
    click(qtbot, dialog, "Save profile")
    assert "already the name" in dialog.field_error("profile_name")
    assert "https" in dialog.field_error("base_url")
    assert dialog.field_error("integration_id") == "is required"
    assert "spaces" in dialog.field_error("api_key")
    assert widget(dialog, "Profile name", QLineEdit).accessibleDescription()
    # Nothing was saved, and everything typed is still there.
    assert [p.name for p in ProfileStore().profiles()] == ["Taken"]
    assert memory_keyring.passwords == {}
    assert widget(dialog, "Profile name", QLineEdit).text() == "taken"
    assert widget(dialog, "Base URL", QLineEdit).text() == "http://kombo.example/v1"
    assert widget(dialog, "API key", QLineEdit).text() == "ks_dev_has space"


def test_a_custom_url_left_empty_is_reported_at_the_base_url(qtbot, open_dialog, memory_keyring):
    dialog = open_dialog()
    click(qtbot, dialog, "Add profile")
    fill_form(dialog, name="Acme", key=DEMO_API_KEY, base_url="")
    click(qtbot, dialog, "Save profile")
    assert dialog.field_error("base_url") == "is required"
    assert dialog.field_error("region") == ""
    assert ProfileStore().profiles() == []


def test_the_key_is_masked_until_revealed(qtbot, open_dialog, memory_keyring):
    dialog = open_dialog()
    key_edit = widget(dialog, "API key", QLineEdit)
    type_into(dialog, "API key", DEMO_PROD_API_KEY)
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password
    assert DEMO_PROD_API_KEY not in key_edit.displayText()
    click(qtbot, dialog, "Show API key")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Normal
    assert key_edit.displayText() == DEMO_PROD_API_KEY
    click(qtbot, dialog, "Show API key")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password
    assert widget(dialog, "Key environment", QLabel).text() == "Production"


def test_a_revealed_key_is_masked_again_when_another_profile_is_shown(
    qtbot, open_dialog, store, memory_keyring
):
    first = store.add_profile(
        build_profile(name="Test Customer", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    second = store.add_profile(
        build_profile(name="Live Customer", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    memory_keyring.passwords[(SERVICE_NAME, first.id)] = DEMO_API_KEY
    memory_keyring.passwords[(SERVICE_NAME, second.id)] = DEMO_PROD_API_KEY
    dialog = open_dialog()
    key_edit = widget(dialog, "API key", QLineEdit)
    dialog.select_profile(first.id)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    click(qtbot, dialog, "Show API key")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Normal

    dialog.select_profile(second.id)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_PROD_API_KEY, timeout=TIMEOUT)
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password
    assert DEMO_PROD_API_KEY not in key_edit.displayText()
    click(qtbot, dialog, "Add profile")
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_a_saved_key_is_read_back_when_the_profile_is_selected(
    qtbot, open_dialog, store, memory_keyring
):
    profile = store.add_profile(
        build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    KeyStore().set(profile.id, DEMO_PROD_API_KEY)
    dialog = open_dialog()
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_PROD_API_KEY, timeout=TIMEOUT)
    assert key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_connection_test_reports_success_and_a_wrong_key(
    qtbot, open_dialog, fresh_sandbox, memory_keyring
):
    dialog = open_dialog()
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as good:
        click(qtbot, dialog, "Test connection")
    assert good.args[0] is True
    result = widget(dialog, "Connection test result", QLabel).text()
    assert result == (
        "Connection works: Kombo accepted this development key and knows integration "
        f"{DEMO_INTEGRATION_ID}."
    )
    key_check, integration_read = fresh_sandbox.requests[-2:]
    assert key_check.path.endswith("/check-api-key")
    assert integration_read.path.endswith("/ats/candidates?page_size=1")
    for request in (key_check, integration_read):
        assert request.headers["authorization"] == f"Bearer {DEMO_API_KEY}"

    type_into(dialog, "API key", "ks_dev_wrongKey_000000000000")
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as bad:
        click(qtbot, dialog, "Test connection")
    assert bad.args[0] is False
    result = widget(dialog, "Connection test result", QLabel).text()
    assert "did not accept the API key" in result
    assert "ks_dev_wrongKey" not in result
    # Testing saves nothing.
    assert ProfileStore().profiles() == []


def test_closing_the_dialog_during_a_connection_test_leaves_nothing_to_crash(
    qtbot, open_dialog, worker, fresh_sandbox, memory_keyring
):
    fresh_sandbox.set_latency(500)
    dialog = open_dialog()
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    click(qtbot, dialog, "Test connection")
    assert worker.busy
    answer_unsaved(dialog, UnsavedChoice.DISCARD)  # the form was never saved
    gone = weakref.ref(dialog)
    dialog.reject()
    dialog.deleteLater()
    # Its Python side goes too (the suite collects cycles only between tests): pytest-qt
    # would close what it still holds of it after the test, and the dialog is gone.
    del dialog
    qtbot.waitUntil(
        lambda: (left := gone()) is None or not shiboken6.isValid(left), timeout=TIMEOUT
    )
    gc.collect()
    assert gone() is None
    # The test's answer (its cancellation) arrives after the dialog is gone; a callback
    # touching the deleted widgets would raise here, and pytest-qt fails the test.
    qtbot.waitUntil(lambda: not worker.busy, timeout=TIMEOUT)


def test_test_connection_refuses_an_incomplete_form_at_the_field(
    qtbot, open_dialog, memory_keyring
):
    dialog = open_dialog()
    fill_form(dialog, name="X", key="", base_url="")
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("api_key") == "is required"
    assert dialog.field_error("base_url") == "is required"
    # Marked like the main form's fields, and the reason is read out with the input.
    key_edit = widget(dialog, "API key", QLineEdit)
    assert key_edit.property("invalid") is True
    assert key_edit.accessibleDescription() == "is required"

    type_into(dialog, "API key", DEMO_API_KEY)
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("api_key") == ""
    assert key_edit.property("invalid") is False
    assert key_edit.accessibleDescription() == ""


def test_duplicate_copies_settings_and_key_under_a_new_name(
    qtbot, open_dialog, store, memory_keyring
):
    profile = store.add_profile(
        build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    KeyStore().set(profile.id, DEMO_API_KEY)
    dialog = open_dialog()
    dialog.select_profile(profile.id)
    click(qtbot, dialog, "Duplicate profile")
    qtbot.waitUntil(lambda: len(ProfileStore().profiles()) == 2, timeout=TIMEOUT)
    copy = ProfileStore().find_by_name("Acme (2)")
    assert copy is not None
    assert copy.id != profile.id
    assert KeyStore().get(copy.id) == DEMO_API_KEY
    qtbot.waitUntil(lambda: widget(dialog, "Profile name", QLineEdit).text() == "Acme (2)")


def test_no_keyring_offers_session_only_and_never_writes_the_key(
    qtbot, open_dialog, store, app_home, tmp_path
):
    key = "ks_dev_sessionOnlyGui_4f3e2d1c"
    with keyring_backend(keyring.backends.fail.Keyring()):  # type: ignore[no-untyped-call]
        dialog = open_dialog()
        fill_form(dialog, name="Acme", key=key)

        # Cancel: nothing is saved and the form keeps what was typed.
        with answer_next_box(qtbot, "keyringProblem", "Cancel") as texts:
            save(qtbot, dialog)
        assert "never stores API keys in plain text" in texts[0]
        assert ProfileStore().profiles() == []
        assert widget(dialog, "API key", QLineEdit).text() == key
        assert "Nothing was saved" in dialog.status_text()

        with answer_next_box(qtbot, "keyringProblem", SESSION_ONLY_BUTTON):
            click(qtbot, dialog, "Save profile")
        qtbot.waitUntil(lambda: "Saved" in dialog.status_text(), timeout=TIMEOUT)
        profile = ProfileStore().find_by_name("Acme")
        assert profile is not None
        assert profile.key_environment is None  # nothing in the keyring
        key_store = dialog._key_store
        assert key_store.is_session_only(profile.id)
        assert key_store.get(profile.id) == key
        assert table_texts(dialog)[0][1] == "Development (this session only)"
        assert "session only" in dialog.status_text()

        # The key held for this session stays out of an export, too.
        export = tmp_path / "session-export.json"
        dialog.export_to(export)
        qtbot.waitUntil(lambda: "Exported 1 profile" in dialog.status_text(), timeout=TIMEOUT)
        assert "Acme" in export.read_text(encoding="utf-8")
        assert_no_file_contains(export, key)
    dialog.close()
    app_settings().sync()
    assert_no_file_contains(app_home, key)


def test_import_and_export_run_in_the_background_and_carry_no_keys(
    qtbot, open_dialog, store, memory_keyring, tmp_path, monkeypatch
):
    threads: list[threading.Thread] = []
    for name in ("export_json", "import_json"):
        original = getattr(ProfileStore, name)

        def recording(self: ProfileStore, *args: Any, _original: Any = original) -> Any:
            threads.append(threading.current_thread())
            return _original(self, *args)

        monkeypatch.setattr(ProfileStore, name, recording)
    profile = store.add_profile(
        build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    KeyStore().set(profile.id, DEMO_PROD_API_KEY)
    dialog = open_dialog()
    export = tmp_path / "out" / "profiles-export.json"
    export.parent.mkdir()
    dialog.export_to(export)
    qtbot.waitUntil(lambda: "Exported 1 profile" in dialog.status_text(), timeout=TIMEOUT)
    assert_no_file_contains(export, DEMO_PROD_API_KEY)

    incoming = json.loads(export.read_text(encoding="utf-8"))
    incoming["profiles"][0]["integration_id"] = "lever:other"
    source = tmp_path / "incoming.json"
    source.write_text(json.dumps(incoming), encoding="utf-8")
    with qtbot.waitSignal(dialog.profilesChanged, timeout=TIMEOUT):
        dialog.import_from(source)
    assert "no API key yet" in dialog.status_text()
    imported = ProfileStore().find_by_name("Acme (2)")
    assert imported is not None
    assert imported.integration_id == "lever:other"
    assert ["Acme (2)", "No key", "EU", "lever:other"] in table_texts(dialog)

    dialog.import_from(tmp_path / "missing.json")
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.status_text(), timeout=TIMEOUT)
    assert len(threads) == 2  # one export, one import (the missing file is never parsed)
    assert threading.main_thread() not in threads


def test_an_export_saved_again_in_notepad_is_imported(qtbot, open_dialog, memory_keyring, tmp_path):
    elsewhere = ProfileStore(tmp_path / "other computer" / "profiles.json")
    elsewhere.add_profile(
        build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    export = tmp_path / "kombo-profiles.json"
    elsewhere.export_json(export)
    # Opened and saved in Notepad ("UTF-8 with BOM") or written by PowerShell 5: a
    # byte-order mark first, Windows line endings.
    text = export.read_text(encoding="utf-8").replace("\n", "\r\n")
    export.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    dialog = open_dialog()
    dialog.import_from(export)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert dialog.status_text().startswith("Imported 1 profile."), dialog.status_text()
    assert table_texts(dialog) == [["Acme", "No key", "EU", DEMO_INTEGRATION_ID]]
    imported = ProfileStore().find_by_name("Acme")
    assert imported is not None
    assert imported.integration_id == DEMO_INTEGRATION_ID


def test_a_damaged_profiles_file_is_explained_in_the_dialog(open_dialog, store, memory_keyring):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{ not json", encoding="utf-8")
    dialog = open_dialog()
    assert "set aside" in dialog.status_text()
    assert table_texts(dialog) == []


# ---- results that no longer apply, and edits not saved yet --------------------------------


def wait_for_key(qtbot, dialog: ProfilesDialog, key: str) -> None:
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == key, timeout=TIMEOUT)


def test_a_test_answer_for_a_profile_no_longer_shown_is_dropped(
    qtbot, open_dialog, store, worker, fresh_sandbox, memory_keyring
):
    acme = keyed_profile(store, "Acme", DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    keyed_profile(
        store,
        "Other",
        "ks_dev_otherKey_000000000000",
        base_url=fresh_sandbox.base_url,
        integration_id="workday:other123",
    )
    dialog = open_dialog()
    dialog.select_profile(acme.id)
    wait_for_key(qtbot, dialog, DEMO_API_KEY)
    tested: list[bool] = []
    dialog.connectionTested.connect(lambda ok, _text: tested.append(ok))
    # Slow enough that the person chooses another profile before the answer is in.
    fresh_sandbox.set_latency(1000)
    click(qtbot, dialog, "Test connection")
    click_row(qtbot, dialog, "Other")
    assert widget(dialog, "Profile name", QLineEdit).text() == "Other"

    qtbot.waitUntil(lambda: not worker.busy, timeout=TIMEOUT)
    assert widget(dialog, "Connection test result", QLabel).text() == ""
    assert tested == []
    assert widget(dialog, "Test connection", QPushButton).isEnabled()


@pytest.mark.parametrize("field", ["API key", "Integration ID", "Base URL", "Region"])
def test_a_test_result_is_cleared_once_what_was_tested_changes(
    qtbot, open_dialog, fresh_sandbox, memory_keyring, field
):
    dialog = open_dialog()
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as tested:
        click(qtbot, dialog, "Test connection")
    assert tested.args[0] is True
    result = widget(dialog, "Connection test result", QLabel)
    assert result.text().startswith("Connection works:")

    if field == "Region":
        choose(dialog, "Region", "EU")
    else:
        new_values = {
            "API key": "ks_dev_anotherKey_000000000000",
            "Integration ID": "workday:another",
            "Base URL": "http://127.0.0.1:9/v1",
        }
        type_into(dialog, field, new_values[field])
    assert result.text() == ""


def test_a_test_stopped_at_a_field_error_leaves_no_earlier_result(
    qtbot, open_dialog, fresh_sandbox, memory_keyring
):
    dialog = open_dialog()
    wrong = "ks_dev_wrongKey_000000000000"
    fill_form(dialog, name="Sandbox", key=wrong, base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as tested:
        click(qtbot, dialog, "Test connection")
    assert tested.args[0] is False
    result = widget(dialog, "Connection test result", QLabel)
    assert "did not accept the API key" in result.text()

    type_into(dialog, "API key", "ks_dev_has space")
    click(qtbot, dialog, "Test connection")
    assert "spaces" in dialog.field_error("api_key")
    assert result.text() == ""


def test_a_save_refused_at_a_field_does_not_keep_the_last_success_in_the_status(
    qtbot, open_dialog, store, memory_keyring
):
    store.add_profile(build_profile(name="Taken", integration_id="t:1", region="eu"))
    dialog = open_dialog()
    click(qtbot, dialog, "Add profile")
    fill_form(dialog, name="Acme GmbH", key=DEMO_API_KEY)
    save(qtbot, dialog)
    assert dialog.status_text() == "Saved “Acme GmbH”. The API key is in the system keyring."

    type_into(dialog, "Profile name", "taken")
    click(qtbot, dialog, "Save profile")
    assert "already the name" in dialog.field_error("profile_name")
    assert "Saved" not in dialog.status_text()
    assert dialog.status_text().startswith("Nothing was saved.")
    assert ProfileStore().find_by_name("Acme GmbH") is not None


def test_choosing_another_profile_asks_before_edits_are_dropped(
    qtbot, open_dialog, store, memory_keyring
):
    acme = keyed_profile(store, "Acme", DEMO_API_KEY)
    other = keyed_profile(store, "Other", DEMO_PROD_API_KEY)
    dialog = open_dialog()
    name = widget(dialog, "Profile name", QLineEdit)
    asked = answer_unsaved(dialog, UnsavedChoice.CANCEL)
    dialog.select_profile(acme.id)
    wait_for_key(qtbot, dialog, DEMO_API_KEY)

    # Nothing changed: nothing to ask.
    click_row(qtbot, dialog, "Other")
    wait_for_key(qtbot, dialog, DEMO_PROD_API_KEY)
    assert name.text() == "Other"
    click_row(qtbot, dialog, "Acme")
    wait_for_key(qtbot, dialog, DEMO_API_KEY)
    assert asked == []

    # Cancel: the row and the edit stay.
    type_into(dialog, "Profile name", "Acme GmbH")
    click_row(qtbot, dialog, "Other")
    qtbot.waitUntil(lambda: bool(asked), timeout=TIMEOUT)
    assert asked == ["Save changes to “Acme”?"]
    assert current_row_name(dialog) == "Acme"
    assert name.text() == "Acme GmbH"

    # Discard: the other profile is shown, the edit is gone.
    discarded = answer_unsaved(dialog, UnsavedChoice.DISCARD)
    click_row(qtbot, dialog, "Other")
    qtbot.waitUntil(lambda: name.text() == "Other", timeout=TIMEOUT)
    assert discarded == ["Save changes to “Acme”?"]
    assert current_row_name(dialog) == "Other"
    assert ProfileStore().get(acme.id).name == "Acme"  # type: ignore[union-attr]

    # Save: the edit is saved, then the chosen profile is shown.
    saved = answer_unsaved(dialog, UnsavedChoice.SAVE)
    wait_for_key(qtbot, dialog, DEMO_PROD_API_KEY)
    type_into(dialog, "Profile name", "Other Ltd")
    click_row(qtbot, dialog, "Acme")
    qtbot.waitUntil(lambda: name.text() == "Acme", timeout=TIMEOUT)
    assert saved == ["Save changes to “Other”?"]
    assert current_row_name(dialog) == "Acme"
    assert ProfileStore().get(other.id).name == "Other Ltd"  # type: ignore[union-attr]
    assert KeyStore().get(other.id) == DEMO_PROD_API_KEY

    # Saved, so closing has nothing to ask.
    wait_for_key(qtbot, dialog, DEMO_API_KEY)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close()
    assert saved == ["Save changes to “Other”?"]


def test_closing_or_adding_with_edits_asks_first(qtbot, open_dialog, store, memory_keyring):
    dialog = open_dialog()
    fill_form(dialog, name="Acme", key=DEMO_API_KEY)
    asked = answer_unsaved(dialog, UnsavedChoice.CANCEL)

    click(qtbot, dialog, "Add profile")
    dialog.close()
    assert asked == ["Save the new profile “Acme”?"] * 2
    assert dialog.isVisible()
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme"
    assert widget(dialog, "API key", QLineEdit).text() == DEMO_API_KEY

    answer_unsaved(dialog, UnsavedChoice.SAVE)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close()
    profile = ProfileStore().find_by_name("Acme")
    assert profile is not None
    assert KeyStore().get(profile.id) == DEMO_API_KEY


# ---- the picker --------------------------------------------------------------------------------


def two_profiles(store: ProfileStore, base_url: str) -> tuple[Profile, Profile]:
    prod = store.add_profile(
        build_profile(name="Live Customer", integration_id=DEMO_INTEGRATION_ID, base_url=base_url)
    )
    dev = store.add_profile(
        build_profile(name="Test Customer", integration_id=DEMO_INTEGRATION_ID, region="us")
    )
    keys = KeyStore()
    keys.set(prod.id, DEMO_PROD_API_KEY)
    keys.set(dev.id, DEMO_API_KEY)
    return prod, dev


def test_picker_provides_a_connection_after_a_profile_is_chosen(
    qtbot, store, key_store, worker, memory_keyring, fresh_sandbox
):
    prod, _dev = two_profiles(store, fresh_sandbox.base_url)
    picker = make_picker(qtbot, store, key_store, worker)
    assert picker.current_connection() is None
    assert picker.connection_problem() == CHOOSE_PROFILE
    assert picker.environment() is None

    combo = widget(picker, "Profile", QComboBox)
    with qtbot.waitSignal(picker.connectionChanged, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText("Live Customer"))
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    connection = picker.current_connection()
    assert connection.api_key == DEMO_PROD_API_KEY
    assert connection.base_url == fresh_sandbox.base_url
    assert connection.integration_id == DEMO_INTEGRATION_ID
    assert picker.connection_problem() is None
    assert picker.environment() is Environment.PRODUCTION
    badge = widget(picker, "Environment", QLabel)
    assert badge.isVisible()
    assert badge.text() == "Production"
    description = picker.describe()
    assert description.startswith("Live Customer · http://127.0.0.1")
    assert DEMO_PROD_API_KEY not in description

    # The choice is remembered, and a new picker starts with it.
    qtbot.waitUntil(lambda: ProfileStore().last_used_id == prod.id, timeout=TIMEOUT)
    again = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    qtbot.waitUntil(lambda: again.current_connection() is not None, timeout=TIMEOUT)
    assert again.current_profile().id == prod.id

    combo.setCurrentIndex(combo.findText("Test Customer"))
    qtbot.waitUntil(lambda: picker.environment() is Environment.DEVELOPMENT, timeout=TIMEOUT)
    assert badge.text() == "Development"
    assert picker.describe() == f"Test Customer · US · {DEMO_INTEGRATION_ID[:23]}…"


def test_picker_reads_the_key_off_the_gui_thread(qtbot, store, worker):
    blocking = GatedKeyring()
    with keyring_backend(blocking):
        profile = store.add_profile(
            build_profile(name="Slow", integration_id=DEMO_INTEGRATION_ID, region="eu")
        )
        blocking.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
        picker = make_picker(qtbot, store, KeyStore(), worker)
        combo = widget(picker, "Profile", QComboBox)
        combo.setCurrentIndex(combo.findText("Slow"))
        # The GUI thread got here while the keyring still blocks.
        assert picker.connection_problem() == READING_KEY
        assert picker.current_connection() is None
        with qtbot.waitSignal(picker.connectionChanged, timeout=TIMEOUT):
            blocking.gate.set()
        assert picker.current_connection() is not None
        assert picker.current_connection().api_key == DEMO_API_KEY


def test_picker_explains_a_missing_key_and_a_locked_keyring(qtbot, store, worker, memory_keyring):
    profile = store.add_profile(
        build_profile(name="Imported", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    picker = make_picker(qtbot, store, KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.connection_problem() == NO_KEY, timeout=TIMEOUT)
    assert picker.current_connection() is None

    with keyring_backend(LockedKeyring()):
        locked = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
        locked.select_profile(profile.id)
        qtbot.waitUntil(lambda: "locked" in (locked.connection_problem() or ""), timeout=TIMEOUT)
        assert locked.current_connection() is None
    # Unlocked now: choosing the same profile again reads the key again.
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = DEMO_API_KEY
    combo = widget(locked, "Profile", QComboBox)
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: locked.current_connection() is not None, timeout=TIMEOUT)
    assert locked.connection_problem() is None


def test_picker_names_what_is_wrong_with_a_stored_key_without_showing_it(
    qtbot, store, worker, memory_keyring
):
    profile = store.add_profile(
        build_profile(name="Edited elsewhere", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    stored = "ks_dev_pasted with a space"  # put there by another tool, not by this app
    memory_keyring.passwords[(SERVICE_NAME, profile.id)] = stored
    picker = make_picker(qtbot, store, KeyStore(), worker)
    picker.select_profile(profile.id)
    qtbot.waitUntil(lambda: picker.connection_problem() != READING_KEY, timeout=TIMEOUT)
    # Said of the key saved, with where to save it again: it is in the keyring, not in sight.
    assert picker.connection_problem() == (
        "The API key saved for this profile cannot be used: it must not contain spaces, tabs or "
        "line breaks. Save only the key again in Manage profiles."
    )
    assert picker.current_connection() is None


def test_manage_profiles_opens_the_dialog_and_the_picker_follows_it(
    qtbot, store, key_store, worker, memory_keyring
):
    picker = make_picker(qtbot, store, key_store, worker)
    assert picker.connection_problem() == "Add a profile in Manage profiles first."
    click(qtbot, picker, "Manage profiles")
    dialog = picker.dialog
    assert isinstance(dialog, ProfilesDialog)
    wait_exposed(qtbot, dialog)
    fill_form(dialog, name="New Customer", key=DEMO_API_KEY)
    with qtbot.waitSignal(picker.connectionChanged, timeout=TIMEOUT):
        save(qtbot, dialog)
    combo = widget(picker, "Profile", QComboBox)
    assert combo.findText("New Customer") >= 0
    combo.setCurrentIndex(combo.findText("New Customer"))
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    dialog.close()
    qtbot.waitUntil(lambda: picker.dialog is None, timeout=TIMEOUT)


def close_manager(qtbot, picker: Any) -> None:
    dialog = picker.dialog
    assert isinstance(dialog, ProfilesDialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close()
    assert picker.dialog is None


def open_manager(qtbot, picker: Any) -> ProfilesDialog:
    click(qtbot, picker, "Manage profiles")
    dialog = picker.dialog
    assert isinstance(dialog, ProfilesDialog)
    wait_exposed(qtbot, dialog)
    return dialog


def test_the_first_profile_added_is_chosen_once_the_manager_closes(
    qtbot, store, key_store, worker, memory_keyring
):
    picker = make_picker(qtbot, store, key_store, worker)
    dialog = open_manager(qtbot, picker)
    fill_form(dialog, name="New Customer", key=DEMO_API_KEY)
    save(qtbot, dialog)
    close_manager(qtbot, picker)

    assert widget(picker, "Profile", QComboBox).currentText() == "New Customer"
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    assert picker.current_connection().api_key == DEMO_API_KEY
    qtbot.waitUntil(
        lambda: ProfileStore().last_used_id == picker.current_profile().id, timeout=TIMEOUT
    )


def test_without_a_choice_the_manager_leaves_the_profile_saved_or_the_only_one(
    qtbot, store, key_store, worker, memory_keyring
):
    only = keyed_profile(store, "Imported", DEMO_API_KEY)
    # The only profile there is, none used last (added on the command line): chosen at
    # start, as closing the manager chooses it (before, "Choose a profile" with one to pick).
    picker = make_picker(qtbot, store, key_store, worker)
    assert picker.current_profile().id == only.id
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    open_manager(qtbot, picker)
    close_manager(qtbot, picker)
    assert picker.current_profile().id == only.id

    # Two profiles and no choice yet: closing without a save guesses nothing.
    qtbot.waitUntil(lambda: ProfileStore().last_used_id == only.id, timeout=TIMEOUT)
    ProfileStore().set_last_used(None)
    keyed_profile(ProfileStore(), "Second", DEMO_PROD_API_KEY)
    two = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    assert two.current_profile() is None
    open_manager(qtbot, two)
    close_manager(qtbot, two)
    assert two.current_profile() is None
    assert two.connection_problem() == CHOOSE_PROFILE

    # The one saved in the manager is the one meant.
    dialog = open_manager(qtbot, two)
    click_row(qtbot, dialog, "Second")
    wait_for_key(qtbot, dialog, DEMO_PROD_API_KEY)
    type_into(dialog, "Profile name", "Second Customer")
    save(qtbot, dialog)
    close_manager(qtbot, two)
    assert two.describe().startswith("Second Customer")


# ---- production guard and settings --------------------------------------------------------


def test_production_sends_ask_first_and_can_stop_asking(qtbot, app_home):
    parent = QWidget()
    qtbot.addWidget(parent)
    setting = ProductionConfirmation(app_settings(), parent)
    assert setting.enabled() is True
    sent: list[str] = []
    switched: list[bool] = []
    setting.changed.connect(switched.append)

    box = ask_production_send(
        parent, "Live Customer · EU · greenhouse:abc", lambda: sent.append("1"), setting=setting
    )
    assert box is not None
    assert box.text() == PRODUCTION_QUESTION
    assert "Live Customer" in box.informativeText()
    assert sent == []  # nothing goes out while the question is open
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        next(b for b in box.buttons() if b.text() == "Cancel").click()
    assert sent == []

    box = ask_production_send(parent, "Live Customer", lambda: sent.append("2"), setting=setting)
    assert box is not None
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        next(b for b in box.buttons() if b.text() == "Send").click()
    assert sent == ["2"]
    assert setting.enabled() is True
    assert switched == []

    box = ask_production_send(parent, "Live Customer", lambda: sent.append("3"), setting=setting)
    assert box is not None
    checkbox = box.checkBox()
    assert isinstance(checkbox, QCheckBox)
    checkbox.setChecked(True)
    with qtbot.waitSignal(box.finished, timeout=TIMEOUT):
        next(b for b in box.buttons() if b.text() == "Send").click()
    assert sent == ["2", "3"]
    assert switched == [False]
    # Written to the settings file, where a new window reads it.
    assert ProductionConfirmation(app_settings()).enabled() is False
    # The setting is off now: no question, the send goes straight out.
    assert (
        ask_production_send(parent, "Live Customer", lambda: sent.append("4"), setting=setting)
        is None
    )
    assert sent == ["2", "3", "4"]


def test_settings_live_under_the_config_directory(app_home):
    assert settings_path().is_relative_to(paths.config_dir())
    settings = app_settings()
    settings.setValue("probe", 1)
    settings.sync()
    assert settings_path().exists()
    assert Path(settings.fileName()) == settings_path()


def test_dialog_buttons_are_plain_push_buttons(open_dialog, memory_keyring):
    dialog = open_dialog()
    for name in ("Save profile", "Test connection", "Delete profile"):
        assert isinstance(widget(dialog, name), QPushButton)


def read_out(label: QWidget) -> tuple[str, str]:
    """A widget's name and description, as assistive technology reads them."""
    interface = QAccessible.queryAccessibleInterface(label)
    return interface.text(QAccessible.Text.Name), interface.text(QAccessible.Text.Description)


def test_the_status_and_the_test_result_read_out_what_they_show(
    qtbot, open_dialog, fresh_sandbox, memory_keyring
):
    dialog = open_dialog()
    status = widget(dialog, "Status", QLabel)
    result = widget(dialog, "Connection test result", QLabel)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT):
        click(qtbot, dialog, "Test connection")
    assert result.text().startswith("Connection works:")
    assert read_out(result) == ("Connection test result", result.text())

    save(qtbot, dialog)
    assert dialog.status_text().startswith("Saved “Sandbox”.")
    assert read_out(status) == ("Status", dialog.status_text())

    # What was tested changed: the result goes, and so does what it said.
    type_into(dialog, "API key", "ks_dev_otherKey_000000000000")
    assert read_out(result) == ("Connection test result", "")


def test_closing_the_manager_returns_the_focus_to_manage_profiles(
    qtbot, store, key_store, worker, memory_keyring
):
    picker = make_picker(qtbot, store, key_store, worker)
    picker.activateWindow()
    wait_active(qtbot, picker)
    manage = widget(picker, "Manage profiles", QPushButton)
    manage.setFocus()
    qtbot.keyClick(manage, Qt.Key.Key_Space)
    dialog = picker.dialog
    assert isinstance(dialog, ProfilesDialog)
    wait_exposed(qtbot, dialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=TIMEOUT)
    # Behind the dialog, the window keeps its focus on the button that opened it.
    assert picker.focusWidget() is manage

    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    # The window manager gives the window back its activation (the offscreen platform
    # leaves that to the test), and with it the focus it kept.
    assert picker.focusWidget() is manage
    picker.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is manage, timeout=TIMEOUT)
    assert read_out(manage)[0] == "Manage profiles"
