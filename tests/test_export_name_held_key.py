"""Export from Manage profiles, opened from the window, to a name holding a key the app
holds, whatever its shape: refused as a name holding a ``ks_…`` key is, and nothing written.

The app takes keys of any shape (a customer's proxy token saved as a profile's key), and
it knows the ones it holds: every profile's key the window read in this session, the key
in the dialog's own key field, and every key the dialog read or saved, of whichever
profile (one shown there once may be copied from its unmasked field). Pasted as the
export's file name, such a key would be written in clear into the file's name, every
listing of its folder, and the status line that names the file. The real app window
against the sandbox, the real keyring.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.core.profiles import Profile
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.draft_profile_support import saved, window_holding
from tests.leakcheck import files_containing
from tests.profiles_support import (
    TIMEOUT,
    answer_unsaved,
    click,
    click_row,
    open_manager,
    picker_of,
    type_into,
    wait_for_status,
    widget,
)
from tests.qt_helpers import texts_shown

#: A key of no documented shape (no ``ks_prod_``/``ks_dev_``): a proxy's token, say. No
#: "/" in it: pasted into a file's name, it names a file, not a folder.
PROXY_KEY = "pxy-9fK3qZr2Lm8Xw4Tb6Yc+Hd1="
#: Another one, typed into the dialog's key field and not saved.
TYPED_KEY = "gateway.7Tq2Wm9Zx4Rb8Kc1Vn6"
#: The key of a profile the window never chose, read by Manage profiles alone.
OTHER_PROFILE_KEY = "pxy-OtherProfileKey0123456789="
#: A key typed into the dialog's key field and saved there for a profile.
SAVED_KEY = "gateway.Saved3Rb8Kc1Vn6Tq2Wm9"
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
    return window_holding(qtbot, fresh_sandbox, PROXY_KEY)


@pytest.fixture
def initech(window: MainWindow, fresh_sandbox: Sandbox) -> Profile:
    """A profile the window never chose, whose key only Manage profiles reads."""
    return saved(fresh_sandbox, "Initech", OTHER_PROFILE_KEY)


def show_profile(qtbot: QtBot, dialog: ProfilesDialog, name: str, key: str) -> None:
    """Click ``name`` in the dialog's list and wait for its key, ``key``, in the key field."""
    click_row(qtbot, dialog, name)
    key_field = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_field.text() == key, timeout=TIMEOUT)


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
    assert [text for text in texts_shown(dialog, but=typed_in) if key in text] == []
    assert [text for text in texts_shown(window, but=typed_in) if key in text] == []
    assert [words for _source, words in heard if key in words] == []
    assert key not in caplog.text


@dataclass
class Exports:
    """Exports from Manage profiles to ``folder``, and what an export refused leaves."""

    qtbot: QtBot
    folder: Path
    app_home: Path
    monkeypatch: pytest.MonkeyPatch
    heard: list[tuple[Any, str]]
    caplog: pytest.LogCaptureFixture

    def as_pasted(self, dialog: ProfilesDialog, name: str) -> str:
        """Press Export… and give ``name`` in ``folder`` in the save dialog, as a person
        who pasted it there; the status said then ("Exported …" or "Nothing was …")."""
        given = str(self.folder / name)
        self.monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (given, ""))
        click(self.qtbot, dialog, "Export profiles")
        return wait_for_status(self.qtbot, dialog, "xported")

    def assert_refused_leaving_no_trace(
        self,
        status: str,
        window: MainWindow,
        dialog: ProfilesDialog,
        key: str,
        *,
        typed_in: QWidget | None = None,
    ) -> None:
        """The export was refused (``status``), wrote nothing to ``folder``, and ``key`` is
        nowhere: not shown (``assert_key_shown_nowhere``), not in a file of the export's
        folder or of the app's home."""
        assert status == REFUSED
        assert list(self.folder.iterdir()) == []
        assert_key_shown_nowhere(window, dialog, key, self.heard, self.caplog, typed_in=typed_in)
        assert files_containing(self.folder.parent, key) == []
        assert files_containing(self.app_home, key) == []


@pytest.fixture
def exports(
    qtbot: QtBot,
    folder: Path,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    heard: list[tuple[Any, str]],
    caplog: pytest.LogCaptureFixture,
) -> Exports:
    """Exports to ``folder``, every log record kept to be searched for a key."""
    caplog.set_level(logging.DEBUG)
    return Exports(qtbot, folder, app_home, monkeypatch, heard, caplog)


@pytest.mark.parametrize("name", [f"{PROXY_KEY}.json", f"acme-{PROXY_KEY}", PROXY_KEY])
def test_a_key_the_window_holds_pasted_as_the_name_is_refused_and_never_shown(
    qtbot: QtBot,
    window: MainWindow,
    exports: Exports,
    name: str,
) -> None:
    dialog = open_manager(qtbot, window)
    # Before: the file was written under the key's name, and the status said it in clear.
    status = exports.as_pasted(dialog, name)

    exports.assert_refused_leaving_no_trace(status, window, dialog, PROXY_KEY)


@pytest.mark.parametrize("profile", ["Globex", "a new profile"])
def test_the_key_typed_in_the_dialog_and_not_saved_is_refused_as_the_name(
    qtbot: QtBot,
    window: MainWindow,
    exports: Exports,
    profile: str,
) -> None:
    dialog = open_manager(qtbot, window)
    answer_unsaved(dialog, UnsavedChoice.DISCARD)  # the typed key is never saved
    if profile != "Globex":
        click(qtbot, dialog, "Add profile")
    type_into(dialog, "API key", TYPED_KEY)
    key_field = widget(dialog, "API key", QLineEdit)
    status = exports.as_pasted(dialog, f"export {TYPED_KEY}")

    assert key_field.text() == TYPED_KEY  # left for the person to save or undo
    exports.assert_refused_leaving_no_trace(status, window, dialog, TYPED_KEY, typed_in=key_field)


@pytest.mark.parametrize("name", [f"{OTHER_PROFILE_KEY}.json", f"acme-{OTHER_PROFILE_KEY}"])
def test_a_key_the_dialog_read_for_another_profile_is_refused_as_the_name(
    qtbot: QtBot,
    window: MainWindow,
    exports: Exports,
    initech: Profile,
    name: str,
) -> None:
    dialog = open_manager(qtbot, window)
    show_profile(qtbot, dialog, "Initech", OTHER_PROFILE_KEY)
    show_profile(qtbot, dialog, "Globex", DEMO_API_KEY)
    assert OTHER_PROFILE_KEY not in window.form.held_keys()  # the dialog alone read it
    # Before: the file was written under the key's name, and the status said it in clear.
    status = exports.as_pasted(dialog, name)

    exports.assert_refused_leaving_no_trace(status, window, dialog, OTHER_PROFILE_KEY)


def test_a_key_saved_in_the_dialog_for_another_profile_is_refused_as_the_name(
    qtbot: QtBot,
    window: MainWindow,
    exports: Exports,
    initech: Profile,
) -> None:
    dialog = open_manager(qtbot, window)
    show_profile(qtbot, dialog, "Initech", OTHER_PROFILE_KEY)
    type_into(dialog, "API key", SAVED_KEY)
    click(qtbot, dialog, "Save profile")
    wait_for_status(qtbot, dialog, "Saved “Initech”")
    show_profile(qtbot, dialog, "Globex", DEMO_API_KEY)
    assert SAVED_KEY not in window.form.held_keys()  # the window never read it
    # Before: the file was written under the key's name, and the status said it in clear.
    status = exports.as_pasted(dialog, f"{SAVED_KEY}.json")

    exports.assert_refused_leaving_no_trace(status, window, dialog, SAVED_KEY)


def test_a_name_holding_no_key_still_exports(
    qtbot: QtBot, window: MainWindow, exports: Exports
) -> None:
    dialog = open_manager(qtbot, window)
    status = exports.as_pasted(dialog, "acme-profiles")

    written = exports.folder / "acme-profiles.json"
    assert status == f"Exported 2 profiles to {written}. The file holds no API keys."
    assert [path.name for path in exports.folder.iterdir()] == [written.name]
    assert PROXY_KEY not in written.read_text(encoding="utf-8")


def test_a_key_read_in_manage_profiles_is_refused_once_it_is_opened_again(
    qtbot: QtBot, window: MainWindow, exports: Exports, initech: Profile
) -> None:
    # Each opening makes a new dialog: what the one closed read is known to the next.
    dialog = open_manager(qtbot, window)
    show_profile(qtbot, dialog, "Initech", OTHER_PROFILE_KEY)
    dialog.close()
    qtbot.waitUntil(lambda: picker_of(window).dialog is None, timeout=TIMEOUT)
    again = open_manager(qtbot, window)
    assert OTHER_PROFILE_KEY not in window.form.held_keys()  # only the closed one read it
    status = exports.as_pasted(again, f"{OTHER_PROFILE_KEY}.json")

    exports.assert_refused_leaving_no_trace(status, window, again, OTHER_PROFILE_KEY)
