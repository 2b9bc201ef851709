"""Where Kombo Desktop keeps its files, per the platform's conventions (platformdirs).

``KOMBO_DESKTOP_HOME`` (if set) puts every directory under one folder, so tests
and portable installs stay out of the user's real directories.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kombo-desktop"
_HOME_VARIABLE = "KOMBO_DESKTOP_HOME"


def _base(kind: str) -> Path:
    home = os.environ.get(_HOME_VARIABLE)
    if home:
        return Path(home) / kind
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Path(getattr(dirs, f"user_{kind}_dir"))


def config_dir() -> Path:
    """Settings and the profiles file."""
    return _base("config")


def data_dir() -> Path:
    """Drafts and other user data."""
    return _base("data")


def log_dir() -> Path:
    """The rotating log."""
    return _base("log")


def all_dirs() -> tuple[Path, ...]:
    """Every directory the app may write to (the secret-leak test scans these)."""
    return (config_dir(), data_dir(), log_dir())
