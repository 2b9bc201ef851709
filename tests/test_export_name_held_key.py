"""Export from Manage profiles, opened from the window, to a name holding a key the app
holds, whatever its shape: refused as a name holding a ``ks_…`` key is, and nothing written.

The app takes keys of any shape (a customer's proxy token saved as a profile's key), and
it knows the ones it holds: every profile's key the window read in this session, and the
key in the dialog's own key field. Pasted as the export's file name, such a key would be
written in clear into the file's name, every listing of its folder, and the status line
that names the file. The real app window against the sandbox, the real keyring.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import Sandbox
from tests.draft_profile_support import choose_profile, open_window, saved
from tests.leakcheck import files_containing
from tests.profiles_support import (
    answer_unsaved,
    click,
    open_manager,
    type_into,
    wait_for_status,
    widget,
)
from tests.qt_helpers import description_of, name_of

#: A key of no documented shape (no ``ks_prod_``/``ks_dev_``): a proxy's token, say. No
#: "/" in it: pasted into a file's name, it names a file, not a folder.
PROXY_KEY = "pxy-9fK3qZr2Lm8Xw4Tb6Yc+Hd1="
#: Another one, typed into the dialog's key field and not saved.
TYPED_KEY = "gateway.7Tq2Wm9Zx4Rb8Kc1Vn6"
REFUSED = "Nothing was exported. The file's name must not contain an API key."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder the person exports to, holding nothing else."""
    exports = tmp_path / "exports"
    exports.mkdir()
    return exports


@pytest.fixture
def window(qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None) -> MainWindow:
    """The app's window, which read the proxy profile's key and then chose another
    profile (the demo key): it still holds the proxy's key, which no field shows."""
    saved(fresh_sandbox, "Acme proxy", PROXY_KEY)
    saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme proxy")
    choose_profile(qtbot, window, "Globex")
    assert PROXY_KEY in window.form.held_keys()
    return window


def export_as_pasted(
    qtbot: QtBot, dialog: ProfilesDialog, monkeypatch: pytest.MonkeyPatch, given: Path
) -> str:
    """Press Export… and give ``given`` in the save dialog, as a person who pasted it
    there; the status said then ("Exported …" or "Nothing was exported …")."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(given), ""))
    click(qtbot, dialog, "Export profiles")
    return wait_for_status(qtbot, dialog, "xported")


def texts_naming(root: QWidget, key: str, *, but: QWidget | None = None) -> list[str]:
    """Every text ``root`` and its widgets show or give assistive technology that holds
    ``key``: titles, labels, buttons, fields (but the field ``but``), tooltips, names and
    descriptions."""
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    texts = [root.windowTitle()]
    for each in widgets:
        texts += [each.toolTip(), each.statusTip(), name_of(each), description_of(each)]
        if isinstance(each, (QLabel, QAbstractButton)):
            texts.append(each.text())
        if isinstance(each, QLineEdit) and each is not but:
            texts += [each.text(), each.placeholderText()]
    return [text for text in texts if key in text]


def assert_key_shown_nowhere(
    window: MainWindow,
    dialog: ProfilesDialog,
    key: str,
    heard: list[tuple[Any, str]],
    caplog: pytest.LogCaptureFixture,
    *,
    typed_in: QWidget | None = None,
) -> None:
    """``key`` is in no text of the window or the dialog (but the field ``typed_in``,
    where the person put it), in nothing said to assistive technology, and in no log."""
    assert texts_naming(dialog, key, but=typed_in) == []
    assert texts_naming(window, key, but=typed_in) == []
    assert key not in window.statusBar().currentMessage()
    assert [words for _source, words in heard if key in words] == []
    assert key not in caplog.text


@pytest.mark.parametrize("name", [f"{PROXY_KEY}.json", f"acme-{PROXY_KEY}", PROXY_KEY])
def test_a_key_the_window_holds_pasted_as_the_name_is_refused_and_never_shown(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    heard: list[tuple[Any, str]],
    caplog: pytest.LogCaptureFixture,
    name: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = open_manager(qtbot, window)
    # Before: the file was written under the key's name, and the status said it in clear.
    status = export_as_pasted(qtbot, dialog, monkeypatch, folder / name)

    assert status == REFUSED
    assert list(folder.iterdir()) == []
    assert_key_shown_nowhere(window, dialog, PROXY_KEY, heard, caplog)
    assert files_containing(folder.parent, PROXY_KEY) == []
    assert files_containing(app_home, PROXY_KEY) == []


@pytest.mark.parametrize("profile", ["Globex", "a new profile"])
def test_the_key_typed_in_the_dialog_and_not_saved_is_refused_as_the_name(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    heard: list[tuple[Any, str]],
    caplog: pytest.LogCaptureFixture,
    profile: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = open_manager(qtbot, window)
    answer_unsaved(dialog, UnsavedChoice.DISCARD)  # the typed key is never saved
    if profile != "Globex":
        click(qtbot, dialog, "Add profile")
    type_into(dialog, "API key", TYPED_KEY)
    key_field = widget(dialog, "API key", QLineEdit)
    status = export_as_pasted(qtbot, dialog, monkeypatch, folder / f"export {TYPED_KEY}")

    assert status == REFUSED
    assert list(folder.iterdir()) == []
    assert key_field.text() == TYPED_KEY  # left for the person to save or undo
    assert_key_shown_nowhere(window, dialog, TYPED_KEY, heard, caplog, typed_in=key_field)
    assert files_containing(folder.parent, TYPED_KEY) == []
    assert files_containing(app_home, TYPED_KEY) == []


def test_a_name_holding_no_key_still_exports(
    qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_manager(qtbot, window)
    status = export_as_pasted(qtbot, dialog, monkeypatch, folder / "acme-profiles")

    written = folder / "acme-profiles.json"
    assert status == f"Exported 2 profiles to {written}. The file holds no API keys."
    assert [path.name for path in folder.iterdir()] == [written.name]
    assert PROXY_KEY not in written.read_text(encoding="utf-8")
