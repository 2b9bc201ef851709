"""The app's one ``QSettings``: an INI file in the config directory, non-secret values only.

Every module gets its settings from ``app_settings()`` so that all of them read and
write the same file. API keys never go here (they live in the OS keyring).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from kombo_desktop.core import paths

ORGANIZATION_NAME = "Kombo Desktop"
APPLICATION_NAME = "kombo-desktop"
SETTINGS_FILE_NAME = "kombo-desktop.ini"

#: Ask before sending with a production key (bool, default True).
CONFIRM_PRODUCTION_SENDS = "confirm_production_sends"


def settings_path() -> Path:
    """The INI file behind ``app_settings()``: ``config_dir() / "kombo-desktop.ini"``."""
    return paths.config_dir() / SETTINGS_FILE_NAME


def app_settings() -> QSettings:
    """The app's settings (organization "Kombo Desktop", application "kombo-desktop").

    An explicit INI path keeps the file under ``core.paths.config_dir()`` on every
    platform (and under ``KOMBO_DESKTOP_HOME`` in tests) instead of the registry or
    a plist.
    """
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def confirm_production_sends() -> bool:
    """Whether a send with a production key asks for confirmation first (default True)."""
    value = app_settings().value(CONFIRM_PRODUCTION_SENDS, True)
    if isinstance(value, str):
        # INI files store booleans as text.
        return value.strip().lower() not in {"false", "0", "no", "off"}
    return bool(value)


def set_confirm_production_sends(enabled: bool) -> None:
    """Turn the production confirmation on or off."""
    settings = app_settings()
    settings.setValue(CONFIRM_PRODUCTION_SENDS, enabled)
    settings.sync()
