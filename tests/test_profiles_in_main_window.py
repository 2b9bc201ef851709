"""The main window with saved profiles: the picker, production confirmation, no key leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QMenu, QMessageBox

from kombo_desktop.app import launch
from kombo_desktop.core import paths
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.settings import (
    CONFIRM_PRODUCTION_SENDS,
    ProductionConfirmation,
    app_settings,
    settings_path,
)
from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_INTEGRATION_ID,
    DEMO_PROD_API_KEY,
    Fault,
    Sandbox,
)
from tests.draft_profile_support import saved
from tests.keyring_support import require_real_secret_service
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import WAIT_MS, button, candidate_id, fill_form, posts
from tests.qt_helpers import find_by_accessible_name, top_level, wait_exposed


def window_with_profile(qtbot, name: str) -> MainWindow:
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.ask_before_closing_while_sending = False
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText(name))
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    return window


def production_boxes() -> list[QMessageBox]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox)
        and widget.objectName() == "productionConfirmation"
        and widget.isVisible()
    ]


def production_box() -> QMessageBox | None:
    return top_level(QMessageBox, "productionConfirmation")


def click(box: QMessageBox, text: str) -> None:
    next(b for b in box.buttons() if b.text() == text).click()


def test_production_profile_asks_before_anything_is_sent(qtbot, fresh_sandbox, memory_keyring):
    saved(fresh_sandbox, "Live Customer", DEMO_PROD_API_KEY)
    window = window_with_profile(qtbot, "Live Customer")
    badge = find_by_accessible_name(window, "Environment", QLabel)
    assert "Production" in badge.text()
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))

    button(window, "Submit").click()
    qtbot.waitUntil(lambda: production_box() is not None, timeout=WAIT_MS)
    box = production_box()
    assert box is not None
    assert "Live Customer" in box.informativeText()
    button(window, "Submit").click()  # a second press while asking opens nothing more
    assert production_boxes() == [box]
    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        click(box, "Cancel")
    assert not window.busy  # a send starts at once: none started
    assert posts(fresh_sandbox) == []

    button(window, "Submit").click()
    qtbot.waitUntil(lambda: production_box() is not None, timeout=WAIT_MS)
    box = production_box()
    assert box is not None
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click(box, "Send")
    assert len(posts(fresh_sandbox)) == 1
    assert posts(fresh_sandbox)[0].headers["authorization"] == f"Bearer {DEMO_PROD_API_KEY}"
    assert "Success" in window.response.summary_text()
    assert ProductionConfirmation(app_settings()).enabled() is True
    assert window.confirm_production_action.isChecked()

    # The setting, off: production sends go straight out.
    window.confirm_production_action.setChecked(False)
    assert ProductionConfirmation(app_settings()).enabled() is False
    window.form.set_target_id(candidate_id(fresh_sandbox, 1))  # not the link just added
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
    assert production_box() is None
    assert len(posts(fresh_sandbox)) == 2
    window.close()


def test_development_profile_sends_without_asking(qtbot, fresh_sandbox, memory_keyring):
    saved(fresh_sandbox, "Test Customer", DEMO_API_KEY)
    window = window_with_profile(qtbot, "Test Customer")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
    assert production_box() is None
    assert posts(fresh_sandbox)[-1].headers["authorization"] == f"Bearer {DEMO_API_KEY}"
    window.close()


def test_kombos_error_shows_each_fact_once_and_the_response_still_says_it_all(
    qtbot, fresh_sandbox, memory_keyring
):
    fresh_sandbox.inject_fault(
        Fault.kombo_error(
            "PLATFORM.INPUT_INVALID", 400, message="url must be a URI", title="Invalid input"
        ),
        times=1,
    )
    saved(fresh_sandbox, "Test Customer", DEMO_API_KEY)
    window = window_with_profile(qtbot, "Test Customer")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
    panel = window.response
    log_url = panel.message().log_url  # type: ignore[union-attr]
    assert log_url
    shown = panel.facts_text() + "\n" + panel.details_text()
    for fact in ("PLATFORM.INPUT_INVALID", "Invalid input", "HTTP status:", "Time taken:"):
        assert shown.count(fact) == 1, (fact, shown)
    assert panel.facts_text().count(f'<a href="{log_url}"') == 1
    assert log_url not in panel.details_text()
    assert "url must be a URI" in panel.message().text  # type: ignore[union-attr]
    assert "url must be a URI" not in shown  # quoted once, in the text
    assert "POST " in panel.details_text()
    # What a screen reader reads out still carries the outcome, the code and the status.
    description = panel.accessibleDescription()
    assert description.startswith("Error")
    assert "Code: PLATFORM.INPUT_INVALID." in description
    assert "HTTP status: 400." in description
    window.close()


@pytest.mark.secret_service
def test_gui_submit_copy_and_export_leave_no_key_anywhere(qtbot, fresh_sandbox, app_home, tmp_path):
    require_real_secret_service()
    key = "ks_dev_guiLeakCheck_4f9A2b7C"
    # The sandbox refuses this key (401), so the error path is covered too; then a good one.
    saved(fresh_sandbox, "Leaky?", key)
    good_id = saved(fresh_sandbox, "Good", DEMO_API_KEY).id
    window = window_with_profile(qtbot, "Leaky?")
    fill_form(
        qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:", attributes="Score\t1"
    )
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
    assert "Error" in window.response.summary_text()
    assert fresh_sandbox.requests[-1].headers["authorization"] == f"Bearer {key}"

    button(window, "Copy as curl").click()
    snippet = QGuiApplication.clipboard().text()
    assert "$KOMBO_API_KEY" in snippet
    assert key not in snippet

    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText("Good"))
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    qtbot.waitUntil(lambda: picker.current_profile() is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
    assert "Success" in window.response.summary_text()
    window.close()

    export = tmp_path / "exported-profiles.json"
    ProfileStore().export_json(export)
    assert "Good" in export.read_text()
    assert KeyStore().get(good_id) == DEMO_API_KEY  # the key is in the keyring, and only there
    for secret in (key, DEMO_API_KEY):
        for directory in paths.all_dirs():
            assert directory.is_relative_to(app_home)
        assert_no_file_contains(app_home, secret)
        assert_no_file_contains(Path(export), secret)


# ---- "Don't ask again" and the Settings menu ----------------------------------------------

ASK_ACTION = "Ask before sending with a &production key"
DONT_ASK = "Don't ask again for production keys"


def settings_menu_action(window: MainWindow) -> QAction:
    """The Settings menu's production question item, found the way a person finds it."""
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Settings")
    return next(action for action in menu.actions() if action.text() == ASK_ACTION)


def stored_confirmation(path: str | Path) -> bool:
    """What a fresh read of the INI file at ``path`` says (as the next start would)."""
    return ProductionConfirmation(QSettings(str(path), QSettings.Format.IniFormat)).enabled()


def open_question(qtbot, window: MainWindow) -> QMessageBox:
    button(window, "Submit").click()
    qtbot.waitUntil(lambda: production_box() is not None, timeout=WAIT_MS)
    box = production_box()
    assert box is not None
    return box


def tick_dont_ask(box: QMessageBox) -> None:
    checkbox = find_by_accessible_name(box, DONT_ASK, QCheckBox)
    checkbox.click()
    assert checkbox.isChecked()


def send_with_dont_ask(qtbot, window: MainWindow, sandbox: Sandbox) -> None:
    """Answer the question with "Don't ask again" ticked and Send; the menu unticks at once."""
    action = settings_menu_action(window)
    assert action.isChecked()
    before = len(posts(sandbox))
    box = open_question(qtbot, window)
    tick_dont_ask(box)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click(box, "Send")
        # Before any event runs, and without the menu being opened.
        assert not action.isChecked()
    assert len(posts(sandbox)) == before + 1
    assert "Success" in window.response.summary_text()


def test_dont_ask_again_sends_unticks_the_menu_and_stops_asking(
    qtbot, fresh_sandbox, memory_keyring
):
    saved(fresh_sandbox, "Live Customer", DEMO_PROD_API_KEY)
    window = window_with_profile(qtbot, "Live Customer")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))

    send_with_dont_ask(qtbot, window, fresh_sandbox)
    assert stored_confirmation(settings_path()) is False

    window.form.set_target_id(candidate_id(fresh_sandbox, 1))  # not the link just added
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
        assert production_box() is None
    assert production_box() is None
    assert len(posts(fresh_sandbox)) == 2
    assert posts(fresh_sandbox)[-1].headers["authorization"] == f"Bearer {DEMO_PROD_API_KEY}"
    window.close()


def test_dont_ask_again_then_cancel_sends_nothing_and_keeps_asking(
    qtbot, fresh_sandbox, memory_keyring
):
    saved(fresh_sandbox, "Live Customer", DEMO_PROD_API_KEY)
    window = window_with_profile(qtbot, "Live Customer")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    action = settings_menu_action(window)

    box = open_question(qtbot, window)
    tick_dont_ask(box)
    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        click(box, "Cancel")
    assert not window.busy  # a send starts at once: none started
    assert posts(fresh_sandbox) == []
    assert action.isChecked()
    assert stored_confirmation(settings_path()) is True

    box = open_question(qtbot, window)  # still asks
    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        click(box, "Cancel")
    assert not window.busy
    assert posts(fresh_sandbox) == []
    window.close()


def test_ticking_the_menu_again_brings_the_question_back(qtbot, fresh_sandbox, memory_keyring):
    saved(fresh_sandbox, "Live Customer", DEMO_PROD_API_KEY)
    window = window_with_profile(qtbot, "Live Customer")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    send_with_dont_ask(qtbot, window, fresh_sandbox)
    action = settings_menu_action(window)

    action.trigger()  # what choosing the menu item does
    assert action.isChecked()
    assert stored_confirmation(settings_path()) is True

    window.form.set_target_id(candidate_id(fresh_sandbox, 1))  # not the link just added
    box = open_question(qtbot, window)
    assert box.checkBox() is not None
    assert not box.checkBox().isChecked()  # a new question starts unticked
    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        click(box, "Cancel")
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    window.close()


def test_a_window_given_settings_reads_and_writes_that_file(
    qtbot, fresh_sandbox, memory_keyring, tmp_path
):
    own = tmp_path / "own-settings.ini"
    # Written as a person (or an older version) would: booleans are text in INI files.
    own.write_text(f"[General]\n{CONFIRM_PRODUCTION_SENDS}=false\n", encoding="utf-8")
    bar = ConnectionBar()
    bar.set_values(
        api_key=DEMO_PROD_API_KEY,
        integration_id=DEMO_INTEGRATION_ID,
        base_url=fresh_sandbox.base_url,
    )
    window = MainWindow(bar, settings=QSettings(str(own), QSettings.Format.IniFormat))
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    action = settings_menu_action(window)

    # Read from the given file: off, so the production send goes straight out.
    assert not action.isChecked()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        button(window, "Submit").click()
        assert production_box() is None
    assert len(posts(fresh_sandbox)) == 1

    # Written to the given file, both from the menu and from "Don't ask again".
    action.trigger()
    assert stored_confirmation(own) is True
    window.form.set_target_id(candidate_id(fresh_sandbox, 1))  # not the link just added
    send_with_dont_ask(qtbot, window, fresh_sandbox)
    assert stored_confirmation(own) is False
    window.close()

    # The default settings file never heard of any of it.
    default = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    assert not default.contains(CONFIRM_PRODUCTION_SENDS)
