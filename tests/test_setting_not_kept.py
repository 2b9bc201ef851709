"""A setting switched that cannot be written to the settings file is said to hold only until
the app closes: "Ask before sending with a production key" turned back on must not be off
again at the next start without a word."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.settings import SETTING_NOT_KEPT_TEXT, app_settings, settings_path
from tests.main_window_support import bar_window


def switch(window: MainWindow) -> None:
    window.confirm_production_action.trigger()


def test_a_setting_that_cannot_be_written_is_said_to_hold_for_this_session(
    qtbot: QtBot,
) -> None:
    window = bar_window(qtbot)
    switch(window)  # off, written
    assert not window.confirm_production_action.isChecked()
    assert window.statusBar().currentMessage() != SETTING_NOT_KEPT_TEXT
    # The settings file cannot be written any more (a folder in its place refuses every
    # write, as a full disk does).
    path = settings_path()
    path.unlink()
    path.mkdir()
    switch(window)  # back on
    assert window.confirm_production_action.isChecked()
    # Before: nothing was said, and the next start asked no question before a production
    # send.
    assert window.statusBar().currentMessage() == SETTING_NOT_KEPT_TEXT
    # Once the file can be written again, a switch is kept, and not said otherwise.
    path.rmdir()
    window.statusBar().clearMessage()
    switch(window)
    assert window.statusBar().currentMessage() != SETTING_NOT_KEPT_TEXT
    assert app_settings().value("confirm_production_sends") in (False, "false")
