"""A dialog's kept size is cut to the screen it opens on, the screen of its window: on a
laptop docked to a larger monitor, the primary screen is often the other one.

Each case runs the app in a process of its own, on Qt's offscreen platform given two
screens side by side (the test process has one screen, and Qt reads its screens once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: A 2560x1440 monitor and a 1366x768 laptop screen to its right. The offscreen platform
#: makes the screen whose name sorts first the primary one.
MONITOR = {"x": 0, "y": 0, "width": 2560, "height": 1440}
LAPTOP = {"x": 2560, "y": 0, "width": 1366, "height": 768}

# Opens Find… in the demo, its window on the screen named by argv[1] and its kept size
# argv[2] x argv[3]; prints where the dialog opened, its screen's room, and the size kept
# once it closed unresized.
_CHILD = """
import json, sys
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from kombo_desktop.app import launch
from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.qt.settings import FIND_DIALOG_SIZE, app_settings

screen_name, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app_settings(demo=True).setValue(FIND_DIALOG_SIZE, QSize(width, height))
window = launch(["--demo"])
window.ask_before_closing_while_sending = False
screen = next(s for s in QGuiApplication.screens() if s.name() == screen_name)
room = screen.availableGeometry()
window.move(room.topLeft())
window.resize(1000, 650)
QTest.qWait(100)
window.open_lookup()
for _ in range(300):
    dialog = window.findChild(CandidateLookupDialog)
    if dialog is not None and dialog.isVisible():
        break
    QTest.qWait(20)
QTest.qWait(100)
frame, size = dialog.frameGeometry(), dialog.size()
dialog.reject()
QTest.qWait(50)
kept = app_settings(demo=True).value(FIND_DIALOG_SIZE)
print(json.dumps({
    "size": [size.width(), size.height()],
    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
    "room": [room.x(), room.y(), room.width(), room.height()],
    "kept": [kept.width(), kept.height()],
}))
window.close()
"""


def opened(tmp_path: Path, screens: dict[str, dict[str, int]], on: str, kept: tuple[int, int]):
    """Find…'s size and frame, its window's screen's room and the size kept after it
    closed, as the child saw them."""
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": True,
                "screens": [
                    {"name": name, **place, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                    for name, place in screens.items()
                ],
            }
        )
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "KOMBO_DESKTOP_HOME": str(tmp_path / "home"),
    }
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, on, str(kept[0]), str(kept[1])],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def inside(frame: list[int], room: list[int]) -> bool:
    x, y, width, height = frame
    left, top, room_width, room_height = room
    return (
        x >= left
        and y >= top
        and x + width <= left + room_width
        and y + height <= top + room_height
    )


@pytest.mark.skipif(sys.platform == "win32", reason="Qt's offscreen platform")
def test_a_size_kept_on_the_monitor_fits_the_laptop_screen_it_opens_on(tmp_path: Path) -> None:
    # The monitor is primary; the window was dragged onto the laptop's screen.
    seen = opened(tmp_path, {"A-monitor": MONITOR, "Z-laptop": LAPTOP}, "Z-laptop", (2300, 1350))
    # Before: cut to the primary monitor only, it opened 2300x1350 on the 1366x768 screen,
    # its buttons past the bottom edge.
    assert seen["size"][0] < LAPTOP["width"]
    assert seen["size"][1] < LAPTOP["height"]
    # Its title bar and borders too.
    assert inside(seen["frame"], seen["room"]), seen
    # Opened there and closed unresized, the size wanted on the monitor is kept.
    assert seen["kept"] == [2300, 1350]


@pytest.mark.skipif(sys.platform == "win32", reason="Qt's offscreen platform")
def test_a_size_kept_on_the_monitor_comes_back_there_with_the_laptop_primary(
    tmp_path: Path,
) -> None:
    seen = opened(tmp_path, {"A-laptop": LAPTOP, "Z-monitor": MONITOR}, "Z-monitor", (2000, 1200))
    # Before: cut to the laptop's 1366x768 at every start, and that size kept over it.
    assert seen["size"] == [2000, 1200]
    assert seen["kept"] == [2000, 1200]
