"""Starting the app while it is open brings its window to the front: the real entry point
(``python -m kombo_desktop``) run as processes, offscreen, on one app home."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kombo_desktop.app import launch
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.logs import LOG_FILE_NAME
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.single_instance import FirstInstance, claim, lock_path
from tests.app_process_support import app_env, start
from tests.cli_support import output
from tests.main_window_support import WAIT_MS, fill_form

ALREADY_OPEN = "Kombo Desktop is already open."
IN_FRONT = "Its window is now in front."
#: What the open app writes to its log when it brings its window forward.
BROUGHT_FORWARD = "its window was brought to the front"
#: Far longer than a start takes, even one racing another: a start that opened a window of
#: its own instead of exiting would run until it.
START_TIMEOUT_S = 60


@pytest.fixture
def socket_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary directory of the test's own, where the local sockets go (a short path:
    a socket's path has a small length limit); this process's too."""
    folder = Path(tempfile.mkdtemp(prefix="ks"))
    monkeypatch.setenv("TMPDIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def started(app_home: Path, socket_dir: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """The app processes a test started; each still running is killed after it."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=START_TIMEOUT_S)


def open_app(
    started: list[subprocess.Popen[str]], app_home: Path, socket_dir: Path, *args: str
) -> subprocess.Popen[str]:
    """``kombo-desktop ARGS`` in the background, once it holds the window lock: the open
    app. (A start made before that could be the first itself.)"""
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=app_env(app_home, socket_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(process)
    lock = QLockFile(str(lock_path(demo="--demo" in args)))
    deadline = time.monotonic() + START_TIMEOUT_S
    while lock.getLockInfo()[0] != process.pid:
        if process.poll() is not None:
            pytest.fail(f"The app ended instead of opening its window: {output_of(process)}")
        if time.monotonic() > deadline:
            pytest.fail("The app opened without taking the window lock")
        time.sleep(0.05)
    return process


def output_of(process: subprocess.Popen[str]) -> str:
    """What a process that ended printed."""
    out, err = process.communicate(timeout=START_TIMEOUT_S)
    return out + err


def start_again(app_home: Path, socket_dir: Path, *args: str) -> Any:
    """``kombo-desktop ARGS`` run to its end, which a start that found the app open reaches
    at once; one that opened a window of its own fails the test."""
    try:
        return start(app_home, socket_dir, *args)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"The second start opened a window of its own instead of exiting: {expired}")


def assert_told_already_open(result: Any) -> None:
    assert result.returncode == 0, output(result)
    assert ALREADY_OPEN in result.stdout, output(result)
    assert IN_FRONT in result.stdout, output(result)
    assert "Traceback" not in result.stderr, result.stderr


def times_brought_forward(app_home: Path) -> int:
    """How often the log says an open window was brought to the front."""
    log_file = app_home / "log" / LOG_FILE_NAME
    text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    return text.count(BROUGHT_FORWARD)


def wait_until_logged(app_home: Path, times: int) -> None:
    """Until the log says ``times`` times that a window came forward (the open app writes
    that line before it answers, so this waits for the disk at most)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while times_brought_forward(app_home) < times and time.monotonic() < deadline:
        time.sleep(0.05)
    assert times_brought_forward(app_home) == times


def test_a_second_start_brings_the_open_window_forward_and_exits(
    app_home: Path, socket_dir: Path, started: list[subprocess.Popen[str]]
) -> None:
    first = open_app(started, app_home, socket_dir)
    # Started right away: it may find the first still starting, and waits for it to listen.
    second = start_again(app_home, socket_dir)
    assert_told_already_open(second)
    wait_until_logged(app_home, 1)
    assert first.poll() is None, "the open window went away"
    # Any number of times.
    assert_told_already_open(start_again(app_home, socket_dir))
    wait_until_logged(app_home, 2)


def test_a_lock_left_by_a_killed_start_does_not_stop_the_next(
    app_home: Path, socket_dir: Path, started: list[subprocess.Popen[str]]
) -> None:
    crashed = open_app(started, app_home, socket_dir)
    assert_told_already_open(start_again(app_home, socket_dir))  # it is up and listening
    crashed.kill()  # no chance to give its lock (or its socket) up
    crashed.communicate(timeout=START_TIMEOUT_S)
    assert lock_path().exists()

    after_crash = open_app(started, app_home, socket_dir)
    # It opened its window and took the lock over: the next start finds it and exits.
    assert_told_already_open(start_again(app_home, socket_dir))
    wait_until_logged(app_home, 2)
    assert after_crash.poll() is None, output_of(after_crash)


def test_a_demo_opens_next_to_the_window_and_a_second_demo_brings_it_forward(
    app_home: Path, socket_dir: Path, started: list[subprocess.Popen[str]]
) -> None:
    window = open_app(started, app_home, socket_dir)
    demo = open_app(started, app_home, socket_dir, "--demo")
    assert_told_already_open(start_again(app_home, socket_dir, "--demo"))
    assert demo.poll() is None, "the demo did not open next to the window"
    assert_told_already_open(start_again(app_home, socket_dir))
    wait_until_logged(app_home, 2)
    assert window.poll() is None


def test_a_minimised_window_comes_back_raised_and_active(
    qtbot: QtBot, app_home: Path, socket_dir: Path
) -> None:
    # This process is the open app; the real entry point, started again, asks it.
    instance, window = opened_here(qtbot)
    assert instance.holds_lock
    try:
        instance.serve(window)
        # Started again only once this start answers: what is tested is the answer, not
        # how long a loaded machine takes to load the window's network code first.
        qtbot.waitUntil(lambda: instance.listening, timeout=START_TIMEOUT_S * 1000)
        window.showMaximized()
        window.showMinimized()
        assert window.isMinimized()
        # The person works in another window meanwhile.
        elsewhere = QWidget()
        qtbot.addWidget(elsewhere)
        elsewhere.show()
        elsewhere.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is elsewhere, timeout=WAIT_MS)
        assert_told_already_open(started_again_while_serving(qtbot, app_home, socket_dir))
        assert not window.isMinimized()
        assert window.windowState() & Qt.WindowState.WindowMaximized  # as it was
        assert window.isVisible()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    finally:
        window.close()
        instance.release()


def opened_here(qtbot: QtBot) -> tuple[FirstInstance, MainWindow]:
    """This process as the open app: the window lock taken, the window launched."""
    instance = claim(lock_path())
    assert isinstance(instance, FirstInstance)
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    return instance, window


def started_again_while_serving(
    qtbot: QtBot, app_home: Path, socket_dir: Path
) -> subprocess.CompletedProcess[str]:
    """``kombo-desktop`` started again in a process of its own while this one (the open
    app) goes on serving: its result, once it ended."""
    again = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop"],
        env=app_env(app_home, socket_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: again.poll() is not None, timeout=START_TIMEOUT_S * 1000)
    finally:
        if again.poll() is None:
            again.kill()
        out, err = again.communicate(timeout=START_TIMEOUT_S)
    return subprocess.CompletedProcess(again.args, again.returncode, out, err)


def test_a_window_the_desktop_keeps_from_the_front_is_said_to_be_looked_for(
    qtbot: QtBot, app_home: Path, socket_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance, window = opened_here(qtbot)
    # A desktop that keeps programs from taking the focus (as GNOME's may): asked to come
    # to the front, the window stays behind the one the person works in.
    monkeypatch.setattr(window, "activateWindow", lambda: None)
    try:
        instance.serve(window)
        qtbot.waitUntil(lambda: instance.listening, timeout=START_TIMEOUT_S * 1000)
        elsewhere = QWidget()
        qtbot.addWidget(elsewhere)
        elsewhere.show()
        elsewhere.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is elsewhere, timeout=WAIT_MS)
        result = started_again_while_serving(qtbot, app_home, socket_dir)
        # Before: "Its window is now in front." all the same.
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == (
            "Kombo Desktop is already open. Look for its window among your open windows.\n"
        )
    finally:
        window.close()
        instance.release()


def test_a_demo_keeps_its_own_draft(qtbot: QtBot) -> None:
    # A demo may be open next to the window: it neither restores nor overwrites real work.
    real = FormState(target_id="realCandidate000000001", label="Coding test")
    DraftStore().save(real)
    demo = launch(["--demo"])
    assert isinstance(demo, MainWindow)
    qtbot.addWidget(demo)
    with qtbot.waitSignal(demo.drafts.loaded, timeout=WAIT_MS):
        pass
    assert demo.form.state().target_id == ""
    fill_form(qtbot, demo, target_id="sandboxCandidate000001")
    demo.close()
    assert DraftStore().load() == real
    assert os.fspath(demo.drafts.store.path) != os.fspath(DraftStore().path)


def _with_a_host_name_of_its_own(command: list[str], name: str) -> list[str] | None:
    """``command`` run under host name ``name`` (its own, as after the computer's name
    changed); ``None`` where that cannot be done here (no user namespaces)."""
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return None
    probe = subprocess.run(
        [unshare, "-r", "-u", "sh", "-c", "hostname kombo-probe"], capture_output=True, timeout=30
    )
    if probe.returncode != 0:
        return None
    quoted = " ".join(shlex.quote(part) for part in command)
    return [unshare, "-r", "-u", "sh", "-c", f"hostname {shlex.quote(name)} && exec {quoted}"]


def test_a_start_after_the_computers_name_changed_brings_the_open_window_forward(
    app_home: Path, socket_dir: Path, started: list[subprocess.Popen[str]]
) -> None:
    # Opened while the laptop had another name; the name changed (another network) since.
    command = _with_a_host_name_of_its_own(
        [sys.executable, "-m", "kombo_desktop"], "laptop-on-other-wifi"
    )
    if command is None:
        pytest.skip("a process cannot get a host name of its own here")
    first = subprocess.Popen(
        command,
        env=app_env(app_home, socket_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(first)
    lock = QLockFile(str(lock_path()))
    deadline = time.monotonic() + START_TIMEOUT_S
    while lock.getLockInfo()[1] != "laptop-on-other-wifi":
        if first.poll() is not None:
            pytest.fail(f"The app ended instead of opening its window: {output_of(first)}")
        if time.monotonic() > deadline:
            pytest.fail("The app opened without taking the window lock")
        time.sleep(0.05)
    # Started right away: the first may still be starting, and is waited for.
    assert_told_already_open(start_again(app_home, socket_dir))
    assert first.poll() is None, "the open window went away"


@pytest.mark.usefixtures("app_home", "socket_dir")
def test_a_start_listens_when_its_socket_code_and_network_code_were_loaded_before(
    qtbot: QtBot,
) -> None:
    # Loaded already (as by another window of this process): nothing is left to load,
    # and no signal that it has been is to come; the start listens all the same.
    import PySide6.QtNetwork  # noqa: F401

    instance, window = opened_here(qtbot)
    try:
        assert window.worker is not None  # its network code ready before it is served
        instance.serve(window)
        qtbot.waitUntil(lambda: instance.listening, timeout=WAIT_MS)
    finally:
        window.close()
        instance.release()
