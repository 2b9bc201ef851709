"""An error nobody caught is said to a screen reader as well as shown in the status bar,
which is away from the focus and not read out. Runs the real entry point in a process of
its own, offscreen, on the test's app home."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.app_process_support import START_TIMEOUT_S, app_env

WENT_WRONG = "Something went wrong inside Kombo Desktop."

#: The real entry point, with ARGS after the file it writes: every announcement is noted;
#: once the window shows, a slot raises (an error nobody caught), and what the status bar
#: shows and what was said then go to the file as JSON, and the app quits.
_CRASHING_CHILD = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(["kombo-desktop"])
said = []
real_update = QAccessible.updateAccessibility


def note(event):
    message = getattr(event, "message", None)
    if callable(message):
        said.append(message())
    real_update(event)


QAccessible.updateAccessibility = note


def main_window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))


def raise_in_a_slot():
    del said[:]  # only what is said of the error
    raise RuntimeError("a bug")


def tell_and_quit():
    shown = main_window().statusBar().currentMessage()
    Path(sys.argv[1]).write_text(json.dumps({"shown": shown, "said": said}), encoding="utf-8")
    main_window().close()
    QApplication.quit()


QTimer.singleShot(0, raise_in_a_slot)
QTimer.singleShot(0, tell_and_quit)
from kombo_desktop.app import main

sys.exit(main(sys.argv[2:]))
"""


def test_an_error_nobody_caught_is_said_as_it_is_shown(app_home: Path, socket_dir: Path) -> None:
    out = socket_dir / "out.json"
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CRASHING_CHILD), str(out), "--demo"],
        env=app_env(app_home, socket_dir),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )
    assert out.exists(), result.stderr
    heard = json.loads(out.read_text(encoding="utf-8"))
    assert heard["shown"].startswith(WENT_WRONG), heard
    # A person who listens hears what one who looks reads, the log file's place included.
    assert heard["shown"] in heard["said"], heard
