"""A window lock left by an app that ended without freeing it (a kill, a crash, a power
cut), whose process number went to another program since: the next start opens. The real
entry point (``python -m kombo_desktop``) run as a process, offscreen, with Qt's own lock
file left behind by a process killed while it held it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kombo_desktop.qt.single_instance import lock_path
from tests.app_process_support import window_open

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads a process's command line (/proc)"
)

# Takes the lock at argv[1] as the app does, and dies holding it, as a killed app does.
_TAKE_AND_DIE = """
import os, signal, sys
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication(["python"])
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
assert lock.tryLock(0)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_lock_whose_process_number_went_to_another_program_is_taken_over(
    app_home: Path, socket_dir: Path
) -> None:
    lock = lock_path()
    lock.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", _TAKE_AND_DIE, str(lock)], check=False)
    assert lock.exists()
    # Another program of the same interpreter now has the number the lock names.
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        _pid, *rest = lock.read_text(encoding="utf-8").split("\n")
        lock.write_text("\n".join([str(other.pid), *rest]), encoding="utf-8")
        # Before: taken for the app still open; every start waited 10 s, said "already
        # open" and ended, until that other program ended.
        with window_open(app_home, socket_dir):
            pass
    finally:
        other.kill()
        other.wait()
