"""The window's size when there is no layout to restore: a first start, or a saved one
that Qt cannot read; either way on a screen smaller than the usual size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QRect, QSettings
from PySide6.QtGui import QGuiApplication

from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.settings import app_settings
from tests.qt_helpers import wait_exposed

#: The size a first start opens at on a screen that holds it.
USUAL_WIDTH, USUAL_HEIGHT = 1180, 760


def shown(qtbot, settings: QSettings) -> MainWindow:
    """A main window on ``settings``, on screen."""
    window = MainWindow(ConnectionBar(), settings=settings)
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    return window


def test_the_first_start_opens_a_window_that_fits_a_small_screen(qtbot):
    window = shown(qtbot, app_settings())
    screen = QGuiApplication.primaryScreen().availableGeometry()
    # The test screen (offscreen, 800x800) is narrower than the usual size: a small laptop.
    assert screen.width() < USUAL_WIDTH
    # Title bar and frame included, all of it on the screen: Submit and the answer in view.
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)
    # And no smaller than it needs to be: most of the screen is used.
    assert window.width() >= screen.width() * 0.8
    assert window.height() >= min(USUAL_HEIGHT, screen.height() * 0.8)
    window.close()


def test_a_damaged_saved_geometry_opens_at_the_first_starts_size(qtbot, tmp_path: Path):
    first = shown(qtbot, QSettings(str(tmp_path / "first.ini"), QSettings.Format.IniFormat))
    first_start = first.size()
    first.close()
    # A settings file whose geometry is damaged: cut short, edited by hand, another Qt's.
    settings = app_settings()
    settings.setValue("main_window/geometry", QByteArray(b"not a geometry at all"))
    settings.sync()

    window = shown(qtbot, app_settings())
    assert window.size() == first_start
    window.close()


def test_a_geometry_cut_short_opens_at_the_first_starts_size(qtbot):
    saved = shown(qtbot, app_settings())
    first_start = saved.size()
    saved.close()
    settings = app_settings()
    geometry = settings.value("main_window/geometry")
    assert isinstance(geometry, QByteArray)
    # Half of a real one: its header is right, the rest is missing.
    settings.setValue("main_window/geometry", geometry.left(geometry.size() // 2))
    settings.sync()

    window = shown(qtbot, app_settings())
    assert window.size() == first_start
    window.close()


def saved_geometry(frame: QRect, normal: QRect, screen_width: int) -> QByteArray:
    """A window geometry as ``QWidget.saveGeometry`` writes it (version 3), of these
    rectangles."""
    geometry = QByteArray()
    stream = QDataStream(geometry, QIODevice.OpenModeFlag.WriteOnly)
    stream.setVersion(QDataStream.Version.Qt_4_0)
    stream.writeUInt32(0x1D9D0CB)
    stream.writeUInt16(3)
    stream.writeUInt16(0)
    stream << frame << normal
    stream.writeInt32(0)  # the screen's number
    stream.writeUInt8(0)  # not maximised
    stream.writeUInt8(0)  # not full screen
    stream.writeInt32(screen_width)
    stream << normal
    return geometry


def test_a_geometry_edited_to_no_size_opens_at_the_first_starts_size(qtbot):
    saved = shown(qtbot, app_settings())
    first_start = saved.size()
    saved.close()
    # Whole and well formed, but the window in it has no width nor height: a hand edit.
    screen_width = QGuiApplication.primaryScreen().geometry().width()
    empty = QRect(0, 0, 0, 0)
    settings = app_settings()
    settings.setValue("main_window/geometry", saved_geometry(empty, empty, screen_width))
    settings.sync()

    window = shown(qtbot, app_settings())
    # Before: Qt took it and opened the window at its smallest.
    assert window.size() == first_start
    window.close()
