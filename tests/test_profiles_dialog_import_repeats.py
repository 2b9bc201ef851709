"""Importing into Manage profiles a file that holds a profile more than once."""

from __future__ import annotations

import json
from pathlib import Path

from kombo_desktop.core.profiles import EXPORT_FORMAT, ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID
from tests.profiles_support import add_profile, show_dialog, wait_for_status

BETA = {"name": "Beta", "region": "eu", "integration_id": "greenhouse:beta"}
ACME = {"name": "Acme", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}


def _import(qtbot, worker, folder: Path, *entries: dict[str, str]) -> str:
    """Import a file of ``entries`` in a shown dialog; what the dialog then says."""
    file = folder / "two-exports-pasted-together.json"
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": list(entries)}
    file.write_text(json.dumps(document), encoding="utf-8")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.import_from(file)
    # "Imported …" or "No profiles were imported …"
    return wait_for_status(qtbot, dialog, "mported")


def test_a_profile_twice_in_the_file_is_imported_once_and_not_said_to_exist_already(
    qtbot, worker, memory_keyring, tmp_path: Path
) -> None:
    status = _import(qtbot, worker, tmp_path, BETA, BETA)

    assert [p.name for p in ProfileStore().profiles()] == ["Beta"]
    assert status.startswith(
        "Imported 1 profile. Imported once, though the file holds them more than once: “Beta”."
    )
    assert "already exist" not in status


def test_a_profile_already_here_is_named_once_however_often_the_file_holds_it(
    qtbot, worker, memory_keyring, tmp_path: Path
) -> None:
    add_profile(ProfileStore(), "Acme")

    status = _import(qtbot, worker, tmp_path, ACME, ACME, ACME)

    assert status.startswith(
        "No profiles were imported. Skipped because they already exist: “Acme”."
    )
