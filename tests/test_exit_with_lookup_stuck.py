"""Closing the window while a send waits for a name lookup that never answers (a DNS server
that is down or drops the question): the app's process ends with its window, the form is
kept as its draft, and the app then starts again as usual.

The real entry point (``python -m kombo_desktop``) runs as a process, offscreen, with the
lookup of one host name hanging inside it as the system's resolver does; in that process
the form is typed, sent with Submit and the window closed with "Close anyway".
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.app_process_support import START_TIMEOUT_S, app_env, window_open
from tests.cli_support import cli, output

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the lookup is patched per host")

#: The profile's host: its lookup hangs in the app's process, as a silent DNS server makes it.
STUCK_HOST = "lookup-never-answers.test"
#: How long that lookup hangs: longer than the test waits for anything.
LOOKUP_HANGS_S = 600
#: Far longer than ending the process takes, far shorter than the lookup's hang: a process
#: still running by then waits for the lookup.
EXIT_TIMEOUT_S = 30

#: What the person types into the form, by field.
TYPED = {
    "Target ID": "cand-lookup-stuck",
    "Label": "Assessment Result",
    "Result URL": "https://example.com/results/lookup-stuck",
}

#: The steps the app's process writes to its standard output as it goes.
LOOKUP_HANGS = "the lookup hangs"
WINDOW_CLOSED = "the window closed"


def hang_lookups_of(stuck: str) -> threading.Event:
    """In this process, have every lookup of the host ``stuck`` hang for ``LOOKUP_HANGS_S``,
    as with a DNS server that never answers; the event is set once one has started."""
    lookup_started = threading.Event()
    resolve = socket.getaddrinfo

    def getaddrinfo(host: bytes | str | None, *args: Any, **kwargs: Any) -> Any:
        if host in (stuck, stuck.encode()):
            lookup_started.set()
            threading.Event().wait(LOOKUP_HANGS_S)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return resolve(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    return lookup_started


def run_app_whose_lookup_hangs() -> None:
    """In the app's process: the app with the lookup of ``STUCK_HOST`` hanging; once its
    window shows, type the form, press Submit, and when the lookup hangs, close the window
    and answer "Close anyway". Exits with the app's exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QPushButton

    from kombo_desktop.app import main
    from kombo_desktop.qt.main_window import MainWindow
    from tests.qt_helpers import find_by_accessible_name, top_level

    lookup_started = hang_lookups_of(STUCK_HOST)

    def note(step: str) -> None:
        print(step, flush=True)

    def step_typed() -> bool:
        window = top_level(MainWindow)
        if window is None:
            return False
        window.closed.connect(lambda: note(WINDOW_CLOSED))
        profiles = find_by_accessible_name(window, "Profile", QComboBox)
        profiles.setCurrentIndex(profiles.findText("Stuck"))
        for name, text in TYPED.items():
            QTest.keyClicks(find_by_accessible_name(window, name, QLineEdit), text)
        return True

    def step_submitted() -> bool:
        window = top_level(MainWindow)
        assert window is not None
        submit = find_by_accessible_name(window, "Submit", QPushButton)
        if not submit.isEnabled():  # the form's checks or the profile's key still loading
            return False
        submit.click()
        return True

    def step_closing() -> bool:
        if not lookup_started.is_set():
            return False
        note(LOOKUP_HANGS)
        window = top_level(MainWindow)
        assert window is not None
        window.close()
        return True

    def step_closed_anyway() -> bool:
        box = top_level(QMessageBox, "closeWhileSending")
        if box is None:
            return False
        (close_anyway,) = [b for b in box.buttons() if b.text().replace("&", "") == "Close anyway"]
        close_anyway.click()
        return True

    steps = [step_typed, step_submitted, step_closing, step_closed_anyway]

    def next_step() -> None:
        if steps[0]():
            steps.pop(0)
        if steps:
            QTimer.singleShot(50, next_step)

    QTimer.singleShot(0, next_step)
    assert QApplication.instance() is None  # the app makes its own, as at a real start
    sys.exit(main([]))


def test_closing_the_window_while_a_lookup_hangs_ends_the_app(
    app_home: Path, socket_dir: Path, real_keyring: None, tmp_path: Path
) -> None:
    added = cli(
        app_home,
        "profiles", "add", "Stuck", "--integration-id", DEMO_INTEGRATION_ID,
        "--base-url", f"https://{STUCK_HOST}/v1", stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    steps_file = tmp_path / "steps.txt"
    errors_file = tmp_path / "errors.txt"
    run = f"from {__name__} import run_app_whose_lookup_hangs; run_app_whose_lookup_hangs()"
    with steps_file.open("w") as steps, errors_file.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", run],
            env=app_env(app_home, socket_dir),
            stdout=steps,
            stderr=errors,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while WINDOW_CLOSED not in steps_file.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, errors_file.read_text()
            time.sleep(0.05)
        said = steps_file.read_text().splitlines()
        assert said == [LOOKUP_HANGS, WINDOW_CLOSED], errors_file.read_text()
        try:
            code = process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"the app's process still ran {EXIT_TIMEOUT_S} s after its window closed: "
                "it waits for the name lookup"
            )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=START_TIMEOUT_S)
    assert code == 0, errors_file.read_text()
    draft = DraftStore().load()
    assert draft is not None
    assert (draft.target_id, draft.label, draft.url) == tuple(TYPED.values())
    with window_open(app_home, socket_dir) as again:
        assert again.poll() is None


def send_whose_lookup_hangs() -> None:
    """In the command line's process: ``send`` to ``STUCK_HOST``, whose lookup hangs, with a
    short ``--timeout``. Exits with the command's exit code."""
    from kombo_desktop.cli.main import main

    hang_lookups_of(STUCK_HOST)
    sys.exit(
        main(
            [
                "send", "--base-url", f"https://{STUCK_HOST}/v1",
                "--integration-id", DEMO_INTEGRATION_ID, "--candidate", "cand-lookup-stuck",
                "--label", "Assessment Result", "--url", "https://example.com/r/1",
                "--timeout", "1",
            ]
        )
    )  # fmt: skip


def test_send_ends_once_it_said_the_lookup_timed_out(app_home: Path, socket_dir: Path) -> None:
    # As the window's: the command says it timed out, and its process ends then, not when
    # the lookup gives up.
    run = f"from {__name__} import send_whose_lookup_hangs; send_whose_lookup_hangs()"
    env = {**app_env(app_home, socket_dir), "KOMBO_API_KEY": DEMO_API_KEY}
    try:
        ended = subprocess.run(
            [sys.executable, "-c", run],
            env=env,
            capture_output=True,
            text=True,
            timeout=EXIT_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"send still ran {EXIT_TIMEOUT_S} s after it started: it waits for the name lookup"
        )
    assert ended.returncode == 3, output(ended)
    assert "Network error: timed out while connecting" in ended.stderr, output(ended)
