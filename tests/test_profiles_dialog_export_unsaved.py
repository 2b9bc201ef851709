"""Export from Manage profiles while the form holds edits not saved yet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from tests.profiles_support import (
    add_profile,
    click,
    show_dialog,
    type_into,
    wait_for_status,
    widget,
)


def _exported_names_and_ids(file: Path) -> list[tuple[str, str]]:
    document = json.loads(file.read_text(encoding="utf-8"))
    return [(entry["name"], entry["integration_id"]) for entry in document["profiles"]]


@pytest.fixture
def export_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the person names in the save dialog."""
    file = tmp_path / "kombo-profiles.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(file), ""))
    return file


def test_edits_not_saved_are_said_to_be_left_out_of_the_file(
    qtbot, worker, memory_keyring, export_file: Path
) -> None:
    acme = add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(acme.id)
    type_into(dialog, "Integration ID", "greenhouse:corrected")

    click(qtbot, dialog, "Export profiles")
    status = wait_for_status(qtbot, dialog, "Exported 1 profile")

    assert _exported_names_and_ids(export_file) == [("Acme", acme.integration_id)]
    assert status.endswith(
        "The file holds no API keys. Your changes to “Acme” are not saved yet, so they are "
        "not in the file."
    )
    # Nothing typed is lost: the edit is still there, to be saved.
    assert widget(dialog, "Integration ID", QLineEdit).text() == "greenhouse:corrected"
    assert dialog.has_unsaved_changes()


def test_a_new_profile_not_saved_is_said_to_be_left_out_of_the_file(
    qtbot, worker, memory_keyring, export_file: Path
) -> None:
    add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    click(qtbot, dialog, "Add profile")
    type_into(dialog, "Profile name", "Beta")

    click(qtbot, dialog, "Export profiles")
    status = wait_for_status(qtbot, dialog, "Exported 1 profile")

    assert [name for name, _id in _exported_names_and_ids(export_file)] == ["Acme"]
    assert status.endswith(
        "The new profile in the form is not saved yet, so it is not in the file."
    )


def test_a_saved_form_adds_nothing_to_the_words(
    qtbot, worker, memory_keyring, export_file: Path
) -> None:
    acme = add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(acme.id)

    click(qtbot, dialog, "Export profiles")
    status = wait_for_status(qtbot, dialog, "Exported 1 profile")

    assert status.endswith("The file holds no API keys.")
