"""Importing into Manage profiles a file that holds an API key in clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kombo_desktop.core.profiles import EXPORT_FORMAT, ProfileStore, default_profiles_path
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID
from tests.leakcheck import assert_no_file_contains
from tests.profiles_support import show_dialog, wait_for_status

PROD_KEY = "ks_prod_importedWithTheFile_4TgH8"


def _export_file(folder: Path, *entries: dict[str, object]) -> Path:
    file = folder / "from-a-colleague.json"
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": list(entries)}
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


@pytest.mark.parametrize(
    ("entry", "integration_id"),
    [
        # Written by hand, or by another program, beside the profile's settings.
        (
            {
                "name": "Acme",
                "region": "eu",
                "integration_id": DEMO_INTEGRATION_ID,
                "api_key": PROD_KEY,
            },
            DEMO_INTEGRATION_ID,
        ),
        # An earlier version's export, where the key had gone into the integration ID.
        ({"name": "Acme", "region": "eu", "integration_id": PROD_KEY}, ""),
    ],
    ids=["key field", "key as integration ID"],
)
def test_the_profile_is_imported_without_the_key_and_the_file_is_said_to_hold_one(
    qtbot,
    worker,
    memory_keyring,
    app_home: Path,
    tmp_path: Path,
    entry: dict[str, object],
    integration_id: str,
) -> None:
    source = _export_file(tmp_path, entry)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)

    dialog.import_from(source)
    status = wait_for_status(qtbot, dialog, "Imported 1 profile")

    assert "The file holds an API key, which was not imported, for: “Acme”." in status
    assert PROD_KEY not in status
    [imported] = ProfileStore().profiles()
    assert (imported.name, imported.integration_id) == ("Acme", integration_id)
    assert not memory_keyring.passwords
    assert_no_file_contains(default_profiles_path().parent, PROD_KEY)


def test_a_file_without_keys_says_nothing_of_them(
    qtbot, worker, memory_keyring, app_home: Path, tmp_path: Path
) -> None:
    source = _export_file(
        tmp_path, {"name": "Acme", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}
    )
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)

    dialog.import_from(source)
    status = wait_for_status(qtbot, dialog, "Imported 1 profile")

    assert "API key, which was not imported" not in status


def test_a_file_holding_a_key_is_said_to_also_when_its_profile_is_here_already(
    app_home: Path, tmp_path: Path
) -> None:
    # Imported a second time, or by a colleague who has the profile: nothing is imported,
    # and the file still holds the key in clear.
    entry: dict[str, object] = {
        "name": "Acme",
        "region": "eu",
        "integration_id": DEMO_INTEGRATION_ID,
    }
    store = ProfileStore()
    store.import_json(_export_file(tmp_path, entry).read_text(encoding="utf-8"))
    with_key = _export_file(
        tmp_path, {**entry, "api_key": PROD_KEY}, {**entry, "api_key": PROD_KEY}
    )
    result = ProfileStore().import_json(with_key.read_text(encoding="utf-8"))
    assert result.imported == ()
    assert (
        result.message.count("The file holds an API key, which was not imported, for: “Acme”.") == 1
    )
    assert PROD_KEY not in result.message
