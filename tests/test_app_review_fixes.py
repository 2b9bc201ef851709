"""The app as the system and the person meet it: a window lock left half-written by a power
cut, SIGTERM and Ctrl+C, an error with no standard error or no log file, and the demo's
options given without ``--demo``. Each runs the real entry point in a process of its own,
offscreen, on the test's app home."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, QSettings

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.logs import LOG_FILE_NAME
from kombo_desktop.qt.settings import settings_path
from kombo_desktop.qt.single_instance import FirstInstance, claim, lock_path
from tests.app_process_support import START_TIMEOUT_S, app_env

#: What the status bar says of an error nobody caught.
WENT_WRONG = "Something went wrong inside Kombo Desktop."
#: The sentence that sent the person to the log whether or not there was one.
OLD_LOG_WORDS = "Details are in the log."

#: ``kombo-desktop`` and ``kombo-desktop-gui``, as their entry points run them.
ENTRY_POINTS = {
    "kombo-desktop": [sys.executable, "-m", "kombo_desktop"],
    "kombo-desktop-gui": [
        sys.executable,
        "-c",
        "import sys; from kombo_desktop.app import main; sys.exit(main())",
    ],
}

#: Shared by the children below: the application object (``main`` reuses it, so timers can
#: be set before it runs) and ``when``, which waits for a condition without blocking.
_CHILD_PRELUDE = """
import logging, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(["kombo-desktop"])


def main_window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow))


def when(ready, then):
    # Looked at again and again from the event loop, which goes on meanwhile.
    if ready():
        then()
    else:
        QTimer.singleShot(20, lambda: when(ready, then))
"""

#: The real entry point, with ARGS after the file it writes and the ID it types: once its
#: window shows, it types the ID as the Target ID, as a person would, and writes "typed"
#: to the file. The test then ends it as the system does.
_TYPING_CHILD = (
    _CHILD_PRELUDE
    + """
from PySide6.QtTest import QTest


def type_then_tell():
    QTest.keyClicks(main_window().form.target_id, sys.argv[2])
    Path(sys.argv[1]).write_text("typed", encoding="utf-8")


QTimer.singleShot(0, type_then_tell)
from kombo_desktop.app import main

sys.exit(main(sys.argv[3:]))
"""
)

#: The real entry point, with ARGS after the file it writes and "no-stderr" or
#: "with-stderr": once the log file is set up or given up, a slot raises (an error nobody
#: caught); the status bar's words then go to the file, and the app quits.
_CRASHING_CHILD = (
    _CHILD_PRELUDE
    + """
def log_file_settled():
    handlers = logging.getLogger("kombo_desktop").handlers
    return any(isinstance(h, (logging.FileHandler, logging.NullHandler)) for h in handlers)


def raise_in_a_slot():
    raise RuntimeError("a bug")


def tell_and_quit():
    Path(sys.argv[1]).write_text(main_window().statusBar().currentMessage(), encoding="utf-8")
    main_window().close()
    QApplication.quit()


def crash():
    QTimer.singleShot(0, raise_in_a_slot)
    QTimer.singleShot(0, tell_and_quit)


QTimer.singleShot(0, lambda: when(log_file_settled, crash))
if sys.argv[2] == "no-stderr":
    # As pythonw starts the window's script on Windows: no console, no standard error.
    sys.stderr = None
from kombo_desktop.app import main

sys.exit(main(sys.argv[3:]))
"""
)


#: The real entry point, with ARGS after the file it writes: once its window shows, the
#: status bar's words go to the file, and the app quits.
_TELLING_CHILD = (
    _CHILD_PRELUDE
    + """
def tell_and_quit():
    Path(sys.argv[1]).write_text(main_window().statusBar().currentMessage(), encoding="utf-8")
    main_window().close()
    QApplication.quit()


QTimer.singleShot(0, lambda: when(lambda: main_window().isVisible(), tell_and_quit))
from kombo_desktop.app import main

sys.exit(main(sys.argv[2:]))
"""
)


def child_command(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


def run_until_open(
    app_home: Path, socket_dir: Path, command: list[str], *, demo: bool
) -> subprocess.CompletedProcess[str] | None:
    """Run ``command`` until it ends (its result) or holds the window lock (of the demo,
    ``demo``) with its own process ID, as a start that goes on to open its window does
    (``None``; it is then ended)."""
    process = subprocess.Popen(
        command,
        env=app_env(app_home, socket_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = QLockFile(str(lock_path(demo=demo)))
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while lock.getLockInfo()[0] != process.pid:
            if process.poll() is not None:
                out, err = process.communicate(timeout=START_TIMEOUT_S)
                return subprocess.CompletedProcess(command, process.returncode, out, err)
            if time.monotonic() > deadline:
                pytest.fail("The app neither opened its window nor ended")
            time.sleep(0.05)
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=START_TIMEOUT_S)


def leave_half_written_lock(content: bytes, *, demo: bool) -> Path:
    """The window lock as a power cut (or a full disk) leaves it while it is written:
    ``content`` names no process. Its time is the cut's, an hour ago."""
    lock = lock_path(demo=demo)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_bytes(content)
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))
    return lock


HALF_WRITTEN = pytest.mark.parametrize("content", [b"", b"\x00" * 64], ids=["empty", "zero-bytes"])
WINDOW_OR_DEMO = pytest.mark.parametrize("demo", [False, True], ids=["window", "demo"])


@HALF_WRITTEN
@WINDOW_OR_DEMO
def test_a_half_written_window_lock_is_taken_over(content: bytes, demo: bool) -> None:
    leave_half_written_lock(content, demo=demo)
    instance = claim(lock_path(demo=demo))
    try:
        # Not "already open": nobody holds it, and nobody ever will.
        assert isinstance(instance, FirstInstance), instance
        assert instance.holds_lock
        assert QLockFile(str(lock_path(demo=demo))).getLockInfo()[0] == os.getpid()
    finally:
        if isinstance(instance, FirstInstance):
            instance.release()


@WINDOW_OR_DEMO
def test_the_app_opens_after_a_power_cut_left_its_lock_full_of_zero_bytes(
    app_home: Path, socket_dir: Path, demo: bool
) -> None:
    leave_half_written_lock(b"\x00" * 64, demo=demo)
    command = ENTRY_POINTS["kombo-desktop"] + (["--demo"] if demo else [])
    ended = run_until_open(app_home, socket_dir, command, demo=demo)
    assert ended is None, f"It did not open; it said: {ended.stdout}{ended.stderr}"


def end_as_the_system_does(app_home: Path, socket_dir: Path, typed: str, signal_number: int) -> int:
    """Start the app, type ``typed`` as the Target ID and at once (within the draft's
    wait) send ``signal_number``: SIGTERM as a logout, ``systemctl`` or ``kill`` does,
    SIGINT as Ctrl+C in its terminal. Returns its exit code."""
    marker = socket_dir / "typed"
    process = subprocess.Popen(
        child_command(_TYPING_CHILD, str(marker), typed),
        env=app_env(app_home, socket_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the window did not show"
            time.sleep(0.02)
        process.send_signal(signal_number)
        try:
            return process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{signal.Signals(signal_number).name} did not end the app")
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=START_TIMEOUT_S)


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM or SIGINT to send on Windows")
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_an_app_ended_by_the_system_or_ctrl_c_keeps_its_layout_and_last_typing(
    app_home: Path, socket_dir: Path, signal_number: int
) -> None:
    code = end_as_the_system_does(app_home, socket_dir, "candidateBeforeLogout01", signal_number)
    # It quit as its Quit does, not killed on the spot.
    assert code == 0
    settings = QSettings(str(settings_path()), QSettings.Format.IniFormat)
    assert settings.contains("main_window/geometry"), sorted(settings.allKeys())
    assert settings.contains("main_window/splitter"), sorted(settings.allKeys())
    draft = DraftStore().load()
    assert draft is not None, "the typing was lost"
    assert draft.target_id == "candidateBeforeLogout01"


def status_after_a_crash(app_home: Path, socket_dir: Path, stderr: str) -> tuple[str, str]:
    """What the demo's status bar says after an error nobody caught, and what the app
    wrote on standard error; ``stderr`` is "no-stderr" or "with-stderr"."""
    said = socket_dir / "status.txt"
    result = subprocess.run(
        child_command(_CRASHING_CHILD, str(said), stderr, "--demo"),
        env=app_env(app_home, socket_dir),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )
    assert said.exists(), result.stderr
    return said.read_text(encoding="utf-8"), result.stderr


def test_an_error_is_told_in_the_window_when_there_is_no_standard_error(
    app_home: Path, socket_dir: Path
) -> None:
    status, _ = status_after_a_crash(app_home, socket_dir, "no-stderr")
    assert WENT_WRONG in status, status


def test_an_error_names_the_log_file_that_holds_its_details(
    app_home: Path, socket_dir: Path
) -> None:
    status, printed = status_after_a_crash(app_home, socket_dir, "with-stderr")
    assert WENT_WRONG in status, status
    log_file = app_home / "log" / LOG_FILE_NAME
    assert status.endswith(f"Details are in the log file {log_file}."), status
    assert "RuntimeError: a bug" in log_file.read_text(encoding="utf-8")
    assert "RuntimeError: a bug" in printed


def test_an_error_does_not_send_the_person_to_a_log_that_could_not_be_made(
    app_home: Path, socket_dir: Path
) -> None:
    app_home.mkdir(parents=True, exist_ok=True)
    (app_home / "log").write_text("a file where the log folder should be", encoding="utf-8")
    status, printed = status_after_a_crash(app_home, socket_dir, "with-stderr")
    assert "could not set up the log file" in printed
    assert WENT_WRONG in status, status
    assert "log" not in status.removeprefix(WENT_WRONG), status


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("words", "refusal"),
    [
        (
            ["--port", "8765"],
            "--port sets the port of the window's demo sandbox; it cannot be used without "
            "--demo. Add --demo to open the demo with it, or leave it out.",
        ),
        (
            ["--latency", "400"],
            "--latency sets the delay of the window's demo sandbox; it cannot be used "
            "without --demo. Add --demo to open the demo with it, or leave it out.",
        ),
        (
            ["--latency", "400", "--port", "0"],
            "--port and --latency are options of the demo; they cannot be used without "
            "--demo. Add --demo to open the demo with them, or leave them out.",
        ),
    ],
    ids=["port", "latency", "both"],
)
def test_a_demo_option_without_demo_is_refused_before_any_window(
    app_home: Path, socket_dir: Path, entry_point: str, words: list[str], refusal: str
) -> None:
    # "kombo-desktop --latency 400" meant the demo: the real window opened instead, with
    # the real profiles, and the option was dropped without a word.
    command = ENTRY_POINTS[entry_point] + words
    result = run_until_open(app_home, socket_dir, command, demo=False)
    assert result is not None, f"{' '.join(words)} without --demo opened the real window"
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.rstrip().endswith(f"{entry_point}: error: {refusal}"), result.stderr
    assert not lock_path(demo=True).exists()


def test_a_window_opened_without_its_lock_says_what_will_not_be_kept(
    app_home: Path, socket_dir: Path, tmp_path: Path
) -> None:
    # A file stands where the settings folder goes: no lock, nor settings, can be kept
    # there. The window opens all the same, and says so.
    lock = lock_path(demo=True)
    lock.parent.parent.mkdir(parents=True, exist_ok=True)
    lock.parent.write_text("not a folder", encoding="utf-8")
    said = tmp_path / "said.txt"
    result = subprocess.run(
        child_command(_TELLING_CHILD, str(said), "--demo"),
        env=app_env(app_home, socket_dir),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
    )
    assert said.exists(), result.stderr
    # Before: nothing in the window; a second window could open on the same draft.
    assert said.read_text(encoding="utf-8").startswith(
        f"Settings cannot be saved in {lock.parent} (the folder cannot be made): the "
        "window's size and layout will not be kept"
    )
