"""Shared by the tests of drafts another version wrote, or damaged: writing one where the
draft goes, the drafts this version set aside, and a window opened on the draft on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from tests.main_window_support import WAIT_MS


def write_draft(path: Path, document: dict[str, Any]) -> bytes:
    """Write ``document`` where the draft goes, as another version would; its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document, indent=1).encode("utf-8")
    path.write_bytes(data)
    return data


def set_aside(path: Path) -> list[Path]:
    """The newer versions' drafts set aside beside ``path``, oldest name first."""
    return sorted(path.parent.glob(f"{path.name}.newer-version-*"))


def damaged_drafts(path: Path) -> list[Path]:
    """The drafts set aside beside ``path`` as damaged, oldest name first."""
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


def restored_window(qtbot: QtBot) -> MainWindow:
    """A new window on the draft on disk, as after a start; shown once the draft is read."""
    window = MainWindow(ConnectionBar())
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        window.show()
    return window
