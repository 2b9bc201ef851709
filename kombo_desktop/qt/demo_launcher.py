"""Help > Try the demo: the demo (``kombo-desktop --demo``) in a process and window of its
own, with its own draft and settings; a demo open already comes to the front instead.

Whether it started is followed for a while: a demo that ends before its window could
show, or crashes, is said to have failed, where otherwise the words that it is opening
would stay with nothing to show for them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QProcess, QTimer

import kombo_desktop
from kombo_desktop.qt.single_instance import lock_path, runs_here

#: Said as the demo starts (it takes a second or two to show).
DEMO_OPENING_TEXT = "Opening the demo in a window of its own: nothing there is sent to Kombo."
#: Said when the demo could not be started, or ended before its window showed.
DEMO_NOT_STARTED_TEXT = (
    "The demo could not be started. Run kombo-desktop --demo in a terminal to see why."
)
#: How long the status bar says the demo is opening (a failure is said until another
#: message).
OPENING_SAID_FOR_MS = 10_000
#: Tells the person ``words`` in the status bar for ``ms`` milliseconds (0: until another
#: message), as ``MainWindow._tell`` does.
Tell = Callable[[str, int], None]
#: How often, and for how long, a demo started here is looked for.
CHECK_EVERY_MS = 250
CHECK_FOR_MS = 20_000


def start_demo(owner: QObject, tell: Tell) -> None:
    """Start the demo, ``tell`` that it is opening (or that it could not be started), and
    follow it for a while (``tell`` again if it fails). ``owner``: who follows it; gone
    with it, nothing more is told."""
    already_open = _demo_lock_holder() > 0
    # Started in the folder its package is imported from: ``-m`` puts the working folder
    # first on the module path, and a ``json.py`` in the folder the app was started from
    # would have been imported in place of Python's own.
    package_home = Path(kombo_desktop.__file__).resolve().parent.parent
    started, pid = QProcess.startDetached(
        sys.executable, ["-m", "kombo_desktop", "--demo"], str(package_home)
    )
    if not started:
        tell(DEMO_NOT_STARTED_TEXT, 0)
        return
    tell(DEMO_OPENING_TEXT, OPENING_SAID_FOR_MS)
    # A demo open already: the new one brings it forward and ends, as it should. Where a
    # process's end cannot be asked of its number (Windows), it is not followed at all.
    if not already_open and sys.platform != "win32":
        _DemoWatch(owner, pid, tell)


def _demo_lock_holder() -> int:
    """The running process that holds the demo's window lock; 0 when none does."""
    holder, _host, _app = QLockFile(str(lock_path(demo=True))).getLockInfo()
    return holder if holder > 0 and runs_here(holder) else 0


class _DemoWatch(QObject):
    """Follows the demo started as process ``pid`` while it starts: it failed when it ends
    before taking its window's lock (it could not even start), or ends still holding it
    (it crashed: a window closed lets go of it)."""

    def __init__(self, owner: QObject, pid: int, tell: Tell) -> None:
        super().__init__(owner)
        self._pid = pid
        self._tell = tell
        self._held_lock = False
        self._checks_left = CHECK_FOR_MS // CHECK_EVERY_MS
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self._timer.start(CHECK_EVERY_MS)

    def _check(self) -> None:
        self._checks_left -= 1
        holds = QLockFile(str(lock_path(demo=True))).getLockInfo()[0] == self._pid
        self._held_lock = self._held_lock or holds
        if runs_here(self._pid):
            if self._checks_left <= 0:
                self._end()  # started: it is the person's now
            return
        self._end()
        if holds or not self._held_lock:
            self._tell(DEMO_NOT_STARTED_TEXT, 0)

    def _end(self) -> None:
        self._timer.stop()
        self.deleteLater()
