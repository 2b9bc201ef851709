"""Export from Manage profiles to a name that holds an API key, or to a folder: refused in
the status line as ``profiles export`` refuses it, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.field_marks import PROBLEM_COLOUR
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.leakcheck import assert_no_file_contains
from tests.profiles_support import add_profile, click, show_dialog, wait_for_status
from tests.qt_helpers import texts_shown


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder the person exports to, holding nothing else."""
    exports = tmp_path / "exports"
    exports.mkdir()
    return exports


def export_as_typed(qtbot, worker, monkeypatch: pytest.MonkeyPatch, given: str) -> str:
    """Press Export… in a dialog holding "Acme", and give ``given`` as the file's name in
    the save dialog, as a person who typed or pasted it there; the status said then."""
    add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (given, ""))
    click(qtbot, dialog, "Export profiles")
    # "Exported …" or "Nothing was exported …": either ends the wait, so that a file
    # written is told as such.
    status = wait_for_status(qtbot, dialog, "xported")
    colour = dialog.status.palette().color(QPalette.ColorRole.WindowText)
    assert colour == QColor(PROBLEM_COLOUR), status
    assert not any(DEMO_API_KEY in text for text in texts_shown(dialog))
    return status


@pytest.mark.parametrize("name", [DEMO_API_KEY, f"{DEMO_API_KEY}.json", f"acme-{DEMO_API_KEY}"])
def test_a_name_holding_a_key_is_refused_without_showing_the_key(
    qtbot, worker, memory_keyring, tmp_path: Path, folder: Path, monkeypatch, name: str
) -> None:
    # Before: the file was written under the key's name, and the status said it in clear.
    status = export_as_typed(qtbot, worker, monkeypatch, str(folder / name))

    assert status == (
        "Nothing was exported. The file's name must not contain an API key "
        "(keys start with ks_prod_ or ks_dev_)."
    )
    assert list(folder.iterdir()) == []
    assert_no_file_contains(tmp_path, DEMO_API_KEY)


@pytest.mark.parametrize("ending", ["/", "", "/."])
def test_a_folder_is_refused_and_nothing_is_written_beside_it(
    qtbot, worker, memory_keyring, folder: Path, monkeypatch, ending: str
) -> None:
    # Before: "exports/" and "exports" were written beside the folder, as "exports.json".
    given = f"{folder}{ending}"
    status = export_as_typed(qtbot, worker, monkeypatch, given)

    assert status == (
        f"Nothing was exported. “{given}” is a folder: give the name of a file in it, "
        f"e.g. {Path(given) / 'kombo-profiles.json'}."
    )
    assert list(folder.iterdir()) == []
    assert [path.name for path in folder.parent.iterdir() if path.is_file()] == []
