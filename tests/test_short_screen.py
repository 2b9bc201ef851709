"""On a short screen (a 1366x768 laptop's at 150 %: 911x512 of room), the window stays on
it once an answer is shown: the lines of Kombo's words kept in view give way.

The app runs in a process of its own, on Qt's offscreen platform given that screen (the
test process has its own screen, and Qt reads its screens once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHORT = {"x": 0, "y": 0, "width": 911, "height": 512}

# Sends a filled form from the demo window, waits for the answer; prints the screen's room,
# the window's frame before and after, and what the panel says.
_CHILD = """
import json, os
from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from kombo_desktop.app import launch
from kombo_desktop.core.form_state import FormState

window = launch(["--demo"])
window.ask_before_closing_while_sending = False
if not window.network_ready():
    ready = QEventLoop()
    window.networkReady.connect(ready.quit)
    ready.exec()
QTest.qWait(200)
room = QGuiApplication.primaryScreen().availableGeometry()
before = window.frameGeometry()
candidate = window.demo_sandbox.candidates[0]
window.form.set_state(FormState(
    target_id=str(candidate["id"]),
    label="Coding assessment, backend track, second attempt with extended time limit",
    url="https://assessments.example.com/results/5Bt9kQ3",
    prefix="Acme Assessments Inc.:",
    attributes=(("Score", "92%"), ("Time", "1:42h")),
))
window.submit()
for _ in range(500):
    if window.response.summary_text().startswith(("Success", "Error")):
        break
    QTest.qWait(20)
QTest.qWait(300)
after = window.frameGeometry()
print(json.dumps({
    "room": [room.x(), room.y(), room.width(), room.height()],
    "before": [before.x(), before.y(), before.width(), before.height()],
    "after": [after.x(), after.y(), after.width(), after.height()],
    "summary": window.response.summary_text(),
}))
window.close()
os._exit(0)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="Qt's offscreen platform")
def test_an_answer_shown_on_a_short_screen_leaves_the_window_on_it(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": True,
                "screens": [
                    {"name": "laptop", **SHORT, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
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
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["summary"].startswith("Success"), seen
    # Before: the answer's words kept 8 lines in view, and the window grew from 488 to 539 px
    # high on 512 px of screen, Submit and the status bar past its edge.
    for frame in (seen["before"], seen["after"]):
        x, y, width, height = frame
        left, top, room_width, room_height = seen["room"]
        assert y >= top, seen
        assert y + height <= top + room_height, seen
        assert x >= left, seen
        assert x + width <= left + room_width, seen
