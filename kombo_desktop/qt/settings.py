"""The app's ``QSettings``: an INI file in the config directory, non-secret values only.

Every module gets its settings from ``app_settings()`` so that all of them read and
write the same file. The demo has a file of its own next to it (``app_settings(demo=True)``),
as it has its own draft: trying the demo's Settings menu or resizing its window never
changes how real work opens or asks. API keys never go here (they live in the OS keyring).
When the config folder cannot be made (a file stands where it goes, a home that cannot be
written to), the settings are kept in memory for the session: said once on stderr, as a
log file that cannot be set up is (``logs.set_up_log_file``), and no reason not to work.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QByteArray, QObject, QSettings, QSize, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from kombo_desktop.core import paths

SETTINGS_FILE_NAME = "kombo-desktop.ini"
#: The demo's settings, next to the real ones and apart from them.
DEMO_SETTINGS_FILE_NAME = "demo-kombo-desktop.ini"

#: Ask before sending with a production key (bool, default True).
CONFIRM_PRODUCTION_SENDS = "confirm_production_sends"
#: The sizes Find… and Manage profiles had when they last closed (``QSize``).
FIND_DIALOG_SIZE = "find_dialog_size"
PROFILES_DIALOG_SIZE = "profiles_dialog_size"

log = logging.getLogger(__name__)

# The settings files this session was told it keeps in memory only: each is said once.
_told_in_memory_only: set[Path] = set()


def settings_path(*, demo: bool = False) -> Path:
    """The INI file behind ``app_settings()``: ``config_dir() / "kombo-desktop.ini"``
    (``demo``: the demo's, ``config_dir() / "demo-kombo-desktop.ini"``)."""
    return paths.config_dir() / (DEMO_SETTINGS_FILE_NAME if demo else SETTINGS_FILE_NAME)


def app_settings(
    *,
    demo: bool = False,
    err: TextIO | None = None,
    on_damaged: Callable[[str], None] | None = None,
) -> QSettings:
    """The app's settings (``demo``: the demo window's, kept in a file of their own).

    An explicit INI path keeps the file under ``core.paths.config_dir()`` on every
    platform (and under ``KOMBO_DESKTOP_HOME`` in tests) instead of the registry or
    a plist. When its folder cannot be made, the settings live in memory until the app
    closes (every ``QSettings`` of the one path shares them within the process), and
    this is said once on ``err`` (by default stderr). A file Qt cannot read whole is set
    aside, what could be read of it kept in a new one, and ``on_damaged`` is told in
    plain words (``_set_damaged_aside``).
    """
    path = settings_path(demo=demo)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if path not in _told_in_memory_only:
            _told_in_memory_only.add(path)
            _tell_in_memory_only(exc, err or sys.stderr)
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if settings.status() == QSettings.Status.FormatError:
        settings = _set_damaged_aside(settings, path, on_damaged)
    return settings


def _set_damaged_aside(
    settings: QSettings, path: Path, on_damaged: Callable[[str], None] | None
) -> QSettings:
    """Settings in a new file at ``path``, holding what Qt could read of the damaged one
    (``settings``), which is set aside beside it; ``on_damaged`` is told where.

    Left in place, the damaged file was cut down to what Qt read and written over when
    the window closed, with no word: whatever the rest held was lost.
    """
    from kombo_desktop.core.atomic import DAMAGED, keep_few_set_aside, move_aside
    from kombo_desktop.core.profiles import KEPT_DAMAGED_FILES

    values = {key: settings.value(key) for key in settings.allKeys()}
    try:
        kept = move_aside(path)
    except OSError as exc:
        log.warning("The damaged settings file %s could not be set aside: %s", path, exc)
        words = (
            f"The settings file {path} is damaged, and could not be set aside "
            f"({exc.strerror or exc}): what could be read of it is used."
        )
    else:
        log.warning("The damaged settings file %s was set aside as %s", path, kept)
        # As damaged profiles files and drafts: a file damaged at each start stays one.
        keep_few_set_aside(path, DAMAGED, kept, keep=KEPT_DAMAGED_FILES)
        settings = QSettings(str(path), QSettings.Format.IniFormat)
        for key, value in values.items():
            settings.setValue(key, value)
        settings.sync()
        words = (
            f"The settings file was damaged: it was kept as {kept.name} in {kept.parent}, "
            "and what could be read of it is used."
        )
    if on_damaged is not None:
        on_damaged(words)
    return settings


def _tell_in_memory_only(error: OSError, err: TextIO) -> None:
    reason = f"{error.strerror}: {error.filename}" if error.strerror else str(error)
    log.warning("Settings kept in memory only: %s", reason)
    print(
        f"Kombo Desktop: could not make the settings folder ({reason}); settings are "
        "kept until Kombo Desktop closes, not saved.",
        file=err,
    )


class ProductionConfirmation(QObject):
    """The one owner of "ask before sending with a production key" for a window.

    Built on the window's own ``QSettings``, so a window given other settings reads and
    writes those. Everything that shows or changes the setting (the Settings menu, the
    question's "Don't ask again") goes through one owner and hears of changes from
    ``changed``.
    """

    #: The setting was switched; carries the new value.
    changed = Signal(bool)
    #: The switch could not be written to the settings file; the text says so, and that
    #: it holds until the app closes.
    notKept = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        """Keep ``settings`` (not copied: the owner writes through to that file)."""
        super().__init__(parent)
        self._settings = settings

    def enabled(self) -> bool:
        """Whether a send with a production key asks for confirmation first (default True)."""
        return _as_bool(self._settings.value(CONFIRM_PRODUCTION_SENDS, True))

    @Slot(bool)
    def set_enabled(self, enabled: bool) -> None:
        """Turn the confirmation on or off; ``changed`` is emitted only on a real change."""
        enabled = bool(enabled)
        # No-op writes matter: the menu tick and this owner feed each other's signals.
        if enabled == self.enabled():
            return
        self._settings.setValue(CONFIRM_PRODUCTION_SENDS, enabled)
        kept = _written_to_its_file(self._settings)
        self.changed.emit(enabled)
        if not kept:
            # A question turned back on that would be off again at the next start, without
            # a word: production sends would go out unasked.
            self.notKept.emit(SETTING_NOT_KEPT_TEXT)


#: Said when a setting switched could not be written (a full disk, a file that cannot be
#: written): it holds for this session only.
SETTING_NOT_KEPT_TEXT = (
    "This setting could not be saved (the settings file cannot be written): it holds only "
    "until Kombo Desktop closes."
)


def _written_to_its_file(settings: QSettings) -> bool:
    """Write ``settings``' changes to their file; whether that worked.

    Asked of a new ``QSettings`` on the same file, which writes the same changes (one
    process shares them): the status of ``settings`` keeps the first error it ever met,
    and would go on saying a write failed after the disk had room again.
    """
    writer = QSettings(settings.fileName(), settings.format())
    writer.sync()
    return writer.status() == QSettings.Status.NoError


#: What a window or dialog leaves free of its screen: its title bar and borders, which come
#: on top of its size, and some of the desktop around it.
SCREEN_MARGIN = QSize(48, 64)

# The size each dialog was given and the size kept for it, while it is open: a kept size
# cut to a smaller screen is kept as it was unless the dialog is resized.
_sizes_given: weakref.WeakKeyDictionary[QWidget, tuple[QSize, QSize]] = weakref.WeakKeyDictionary()


def restore_dialog_size(dialog: QWidget, settings: QSettings, key: str) -> None:
    """Give ``dialog`` the size kept under ``key`` (``save_dialog_size``); without one (or
    with one edited into something else) it keeps its own. Either way within the screen
    it opens on, its title bar and borders included.

    Only the size: Qt still places the dialog over its window, wherever that is now.
    """
    size = settings.value(key)
    wanted = size if isinstance(size, QSize) and size.isValid() else dialog.size()
    given = wanted.boundedTo(room_for(dialog))
    dialog.resize(given)
    _sizes_given[dialog] = (given, wanted)


def room_for(widget: QWidget) -> QSize:
    """The room on the screen ``widget`` (a dialog, or a part of the main window) opens
    on: that of the window it belongs to (a docked laptop's own screen, with a larger
    monitor the primary one), else the primary screen; less ``SCREEN_MARGIN``."""
    parent = widget.parentWidget()
    screen = None
    if parent is not None:
        # Found by the window's place, not asked of the window: ``QWidget.screen`` on a
        # window deleted later left Qt holding a deleted screen (PySide6 6.11).
        screen = QGuiApplication.screenAt(parent.window().frameGeometry().center())
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() - SCREEN_MARGIN


def save_dialog_size(dialog: QWidget, settings: QSettings, key: str) -> None:
    """Keep ``dialog``'s size under ``key``, for ``restore_dialog_size`` when it opens
    next (written to the file with the main window's layout, when the window closes).
    Not resized since it opened, it keeps the size it had before a smaller screen cut it:
    opened once on a laptop's screen, a dialog made large on a monitor stays so there."""
    size = dialog.size()
    given = _sizes_given.get(dialog)
    if given is not None and size == given[0]:
        size = given[1]
    settings.setValue(key, size)


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        # INI files store booleans as text.
        return value.strip().lower() not in {"false", "0", "no", "off"}
    return bool(value)


# A window geometry as ``QWidget.saveGeometry`` writes it: a magic number, a major and
# a minor version, then (by major version) what follows them, in bytes: two rectangles,
# the screen's number and two flags; from version 2 the screen's width; from 3 one more
# rectangle.
_GEOMETRY_MAGIC = 0x01D9D0CB
_GEOMETRY_HEADER_BYTES = 8
_GEOMETRY_BODY_BYTES = {1: 38, 2: 42, 3: 58}


def geometry_is_usable(geometry: QByteArray) -> bool:
    """Whether a saved window ``geometry`` holds all a geometry of its version holds, its
    window's rectangles each of some size.

    Qt's ``restoreGeometry`` refuses one that is not a geometry at all, but takes one cut
    short, or one whose window has no width or height (a hand edit's), and opens the
    window at its smallest: such a one is better not restored. Versions this does not
    know of are left for Qt to judge.
    """
    data = bytes(geometry.data())
    if len(data) < _GEOMETRY_HEADER_BYTES:
        return False
    if int.from_bytes(data[:4], "big") != _GEOMETRY_MAGIC:
        return False
    major = int.from_bytes(data[4:6], "big")
    body = _GEOMETRY_BODY_BYTES.get(major, 0)
    if len(data) < _GEOMETRY_HEADER_BYTES + body:
        return False
    return body == 0 or all(
        _has_some_size(data, _GEOMETRY_HEADER_BYTES + at) for at in _GEOMETRY_RECTANGLES
    )


# Where the window's frame and its normal geometry start in a geometry's body: each a
# rectangle of four 32-bit numbers, left, top, right and bottom (right = left + width - 1).
_GEOMETRY_RECTANGLES = (0, 16)


def _has_some_size(data: bytes, start: int) -> bool:
    left, top, right, bottom = (
        int.from_bytes(data[start + 4 * n : start + 4 * n + 4], "big", signed=True)
        for n in range(4)
    )
    return right >= left and bottom >= top
