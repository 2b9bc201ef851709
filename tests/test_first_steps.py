"""The first thing to do is said where the window says what to do: on a first start, to add
a profile (not to fill in the form); in the demo, a candidate of its sandbox to find. Once
a profile is saved, the usual invitation to fill in the form comes back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.main_window import FIRST_PROFILE_INVITATION, MainWindow
from kombo_desktop.qt.response_panel import USUAL_INVITATION
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, launched
from tests.profiles_support import add_profile, show_dialog, shown_window


def idle_words(window: MainWindow) -> str:
    label = window.response.findChild(QLabel, "outcomeText")
    assert label is not None
    return label.text()


def test_a_first_start_says_to_add_a_profile_first(qtbot: QtBot, app_home) -> None:
    store = ProfileStore()
    store.load()
    window = shown_window(qtbot, store)
    # Before: "Fill in the form and press Submit", with no profile to send with.
    qtbot.waitUntil(lambda: idle_words(window) == FIRST_PROFILE_INVITATION, timeout=WAIT_MS)
    assert "Manage profiles…" in FIRST_PROFILE_INVITATION
    # And where to try the app without a customer's credentials.
    assert "Help > Try the demo" in FIRST_PROFILE_INVITATION


def test_with_a_profile_the_usual_invitation_is_said(qtbot: QtBot, app_home) -> None:
    store = ProfileStore()
    add_profile(store)
    store.load()
    window = shown_window(qtbot, store)
    qtbot.waitUntil(lambda: idle_words(window) == USUAL_INVITATION, timeout=WAIT_MS)


def test_the_demo_names_a_candidate_of_its_sandbox_to_find(qtbot: QtBot, app_home) -> None:
    window = launched(qtbot, ["--demo"])
    sandbox = window.demo_sandbox
    assert isinstance(sandbox, Sandbox)
    first = sandbox.candidates[0]
    email = first["email_addresses"][0]["email_address"]
    # Before: nothing in the window or the README named anyone the sandbox knows.
    words = idle_words(window)
    assert f"search {email} to pick {first['first_name']} {first['last_name']}" in words


def test_the_readme_names_the_candidate_the_demo_names(app_home) -> None:
    sandbox = Sandbox()
    first = sandbox.candidates[0]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    email = first["email_addresses"][0]["email_address"]
    assert f"`{email}` (Find…), ID `{first['id']}`" in readme


def test_manage_profiles_says_where_the_integration_id_and_the_key_come_from(
    qtbot: QtBot, worker, memory_keyring
) -> None:
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    # Before: the ID's field said nothing, the key's only where it is kept.
    assert "Kombo's dashboard" in dialog.fields.integration_edit.toolTip()
    assert "Secrets page of Kombo's dashboard" in dialog.fields.key_edit.toolTip()
