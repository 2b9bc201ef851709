"""An integration ID copied with its quotes (out of JSON, a CSV cell): refused where it is
entered, since Kombo knows no such integration; one an earlier version saved with them is
read as the ID that was meant."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.connection import Connection, Region
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import EXPORT_FORMAT, ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests import profiles_support
from tests.keyring_support import MemoryKeyring
from tests.main_window_support import candidate_id, fill_form, posts, submit_and_wait
from tests.profiles_support import (
    click,
    earlier_entry,
    show_dialog,
    widget,
    window_on,
    write_earlier_file,
)

QUOTED = [f'"{DEMO_INTEGRATION_ID}"', f"'{DEMO_INTEGRATION_ID}'", f"`{DEMO_INTEGRATION_ID}`"]


@pytest.mark.parametrize("pasted", QUOTED)
def test_a_connection_is_not_made_with_an_integration_id_in_quotes(pasted: str) -> None:
    with pytest.raises(InputError) as caught:
        Connection.create(api_key=DEMO_API_KEY, integration_id=pasted, region=Region.EU)
    assert caught.value.fields == ("integration_id",)
    assert "quotes" in caught.value.errors[0].message


def test_the_profiles_dialog_says_the_quotes_at_the_field_and_saves_nothing(
    qtbot, worker: ApiWorker, memory_keyring: MemoryKeyring
) -> None:
    store = ProfileStore()
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    profiles_support.fill_form(dialog, name="Acme", key=DEMO_API_KEY, integration_id=QUOTED[0])

    click(qtbot, dialog, "Save profile")
    assert "in quotes" in dialog.field_error("integration_id")
    assert widget(dialog, "Integration ID", QLineEdit).hasFocus()
    assert store.profiles() == []
    assert memory_keyring.passwords == {}


def test_a_profile_saved_with_a_quoted_integration_id_is_kept_and_sends(
    qtbot, fresh_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    write_earlier_file(
        earlier_entry("p1", "Acme", QUOTED[0], region=None, base_url=fresh_sandbox.base_url)
    )
    store = ProfileStore()
    result = store.load()
    assert result.backup_path is None  # not set aside as damaged
    (profile,) = store.profiles()
    assert profile.integration_id == DEMO_INTEGRATION_ID
    KeyStore().set(profile.id, DEMO_API_KEY)

    window = window_on(qtbot, profile, store)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    (sent,) = posts(fresh_sandbox)
    assert sent.headers["x-integration-id"] == DEMO_INTEGRATION_ID
    assert window.response.state() == "success"


def test_an_export_holding_a_quoted_integration_id_is_imported_without_the_quotes(
    memory_keyring: MemoryKeyring,
) -> None:
    entry = earlier_entry("p1", "Acme", QUOTED[0])
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": [entry]}
    store = ProfileStore()

    result = store.import_json(json.dumps(document))
    (profile,) = result.imported
    assert profile.integration_id == DEMO_INTEGRATION_ID
