"""Export from Manage profiles to a name typed without ".json": the file gets the suffix, and
a file of that name already there is replaced only once the person says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from tests.profiles_support import add_profile, answer_next_box, click, show_dialog, wait_for_status

#: What another program left in a file the export could replace.
SOMEONE_ELSES = "notes kept by hand\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder the person exports to, holding nothing else."""
    exports = tmp_path / "exports"
    exports.mkdir()
    return exports


def type_file_name(monkeypatch: pytest.MonkeyPatch, file: Path) -> None:
    """Answer the save dialog with ``file``, as a person who typed its name there."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(file), ""))


def exported_names(file: Path) -> list[str]:
    document = json.loads(file.read_text(encoding="utf-8"))
    return [entry["name"] for entry in document["profiles"]]


def acme_dialog(qtbot, worker) -> ProfilesDialog:
    add_profile(ProfileStore(), "Acme")
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        # No suffix: ".json" is added, so that the system opens the file with a program
        # that reads it.
        ("acme-profiles", "acme-profiles.json"),
        # A suffix typed on purpose is kept, whatever it is and however it is written.
        ("acme.profiles", "acme.profiles"),
        ("acme.JSON", "acme.JSON"),
        # A version number is no suffix.
        ("acme v1.2", "acme v1.2.json"),
    ],
)
def test_the_file_is_named_as_typed_with_json_added_unless_it_has_a_suffix(
    qtbot,
    worker,
    memory_keyring,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    written: str,
) -> None:
    type_file_name(monkeypatch, folder / typed)
    dialog = acme_dialog(qtbot, worker)

    click(qtbot, dialog, "Export profiles")
    status = wait_for_status(qtbot, dialog, "Exported 1 profile")

    assert [path.name for path in folder.iterdir()] == [written]
    assert exported_names(folder / written) == ["Acme"]
    assert f"to {folder / written}." in status


def test_a_file_of_the_name_with_json_is_kept_unless_the_person_says_to_replace_it(
    qtbot, worker, memory_keyring, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    there = folder / "acme-profiles.json"
    there.write_text(SOMEONE_ELSES, encoding="utf-8")
    type_file_name(monkeypatch, folder / "acme-profiles")
    dialog = acme_dialog(qtbot, worker)

    with answer_next_box(qtbot, "confirmReplaceExport", "Cancel") as seen:
        click(qtbot, dialog, "Export profiles")
        status = wait_for_status(qtbot, dialog, "Nothing was exported")
    assert status == "Nothing was exported. “acme-profiles.json” was left as it was."
    assert there.read_text(encoding="utf-8") == SOMEONE_ELSES
    assert seen == [
        "“acme-profiles.json” already exists. Replace it?\n"
        f"“.json” was added to the name you typed. The file is in {folder}."
    ]

    with answer_next_box(qtbot, "confirmReplaceExport", "Replace"):
        click(qtbot, dialog, "Export profiles")
        wait_for_status(qtbot, dialog, "Exported 1 profile")
    assert exported_names(there) == ["Acme"]


def test_a_file_of_the_name_typed_is_replaced_as_the_save_dialog_asked(
    qtbot, worker, memory_keyring, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The save dialog asks before a file of the name typed is replaced: not twice.
    there = folder / "acme-profiles.json"
    there.write_text(SOMEONE_ELSES, encoding="utf-8")
    type_file_name(monkeypatch, there)
    dialog = acme_dialog(qtbot, worker)
    # Answered if it comes, so that the export goes on and the question asked is shown.
    with answer_next_box(qtbot, "confirmReplaceExport", "Replace", must_open=False) as asked:
        click(qtbot, dialog, "Export profiles")
        wait_for_status(qtbot, dialog, "Exported 1 profile")

    assert asked == []
    assert exported_names(there) == ["Acme"]
