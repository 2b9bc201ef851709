"""A window lock left by an app that ended without freeing it (a kill, a crash, a power
cut), whose process number went to another program since: the next start opens. The real
entry point (``python -m kombo_desktop``) run as a process, offscreen, with Qt's own lock
file left behind by a process killed while it held it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kombo_desktop.qt.single_instance import AlreadyOpen, FirstInstance, claim, lock_path
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


@contextmanager
def left_lock_naming_another_program(host: str | None = None) -> Iterator[tuple[Path, str]]:
    """The window lock as a killed app left it, naming the number of another program of
    the same interpreter, running meanwhile (and ``host``, when given, as its computer);
    the lock and its text."""
    lock = lock_path()
    lock.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", _TAKE_AND_DIE, str(lock)], check=False)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        _pid, application, own_host, *rest = lock.read_text(encoding="utf-8").split("\n")
        text = "\n".join([str(other.pid), application, host or own_host, *rest])
        lock.write_text(text, encoding="utf-8")
        yield lock, text
    finally:
        other.kill()
        other.wait()


def test_a_lock_whose_process_number_went_to_another_program_is_taken_over(
    app_home: Path, socket_dir: Path
) -> None:
    # Before: taken for the app still open; every start waited 10 s, said "already open"
    # and ended, until that other program ended.
    with left_lock_naming_another_program(), window_open(app_home, socket_dir):
        pass


def test_a_lock_of_another_computer_naming_a_number_of_this_one_is_left_alone(
    app_home: Path,
) -> None:
    # A home folder shared with another computer: the number its lock names may be a
    # program's here. Opened without the lock, as before; that computer's lock is kept.
    with left_lock_naming_another_program("workstation-42.example") as (lock, theirs):
        instance = claim(lock)
        assert isinstance(instance, FirstInstance)
        assert not instance.holds_lock
        # Before: deleted and taken, as a lock of a program gone from here.
        assert lock.read_text(encoding="utf-8") == theirs


# Takes the lock named in LOCK_PATH (not in its command line, which must name no Kombo
# Desktop) and holds it, alive, until killed.
_HOLD = """
import os, time
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication(["python"])
lock = QLockFile(os.environ["LOCK_PATH"])
lock.setStaleLockTime(0)
assert lock.tryLock(0)
print("held", flush=True)
time.sleep(120)
"""


def test_a_lock_a_live_program_holds_is_never_taken_whatever_its_command_line(
    app_home: Path,
) -> None:
    # Only a lock nobody holds open and locked is removed: this one's process lives.
    lock = lock_path()
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD],
        env={**os.environ, "LOCK_PATH": str(lock)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        held = lock.read_text(encoding="utf-8")
        assert isinstance(claim(lock), AlreadyOpen)
        assert lock.read_text(encoding="utf-8") == held
    finally:
        holder.kill()
        holder.wait()
