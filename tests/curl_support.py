"""Shared by the tests of "Copy as curl": the command the window copies, the body it
sends, the command run as pasted into a shell, and the check that it sent what the app
sends."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from kombo_desktop.sandbox.state import RecordedRequest
from tests.main_window_support import WAIT_MS, button


def copied_curl(qtbot, window: MainWindow) -> str:
    """Press Copy as curl; the command it put on the clipboard.

    A long body's command is written off the GUI thread and comes a moment later; it
    starts with the ``printf`` that writes the body, so the wait is for curl anywhere in
    it.
    """
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy as curl"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "curl -X POST" in clipboard.text(), timeout=WAIT_MS)
    return clipboard.text()


def curl_body(curl: str) -> str:
    """The body a copied curl command sends, as the shell reads it: the word after its
    ``--data``, or for a long body the word ``printf '%s'`` writes to curl's input."""
    words = shlex.split(curl.replace(" \\\n  ", " "))
    if words[:2] == ["printf", "%s"]:
        return words[2]
    return words[words.index("--data") + 1]


def run_pasted(
    shell: str, command: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``command`` pasted into ``shell`` and Enter pressed, the key in ``$KOMBO_API_KEY``;
    ``cwd`` is the folder it runs in (this one unless told)."""
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    env["KOMBO_API_KEY"] = DEMO_API_KEY
    return subprocess.run(
        [shell],
        input=command + "\n",
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def sent_by(
    shell: str, command: str, sandbox: Sandbox, cwd: Path | None = None
) -> list[RecordedRequest]:
    """The requests ``command``, run by ``shell`` (in ``cwd``), made to ``sandbox``."""
    before = len(sandbox.requests)
    ran = run_pasted(shell, command, cwd)
    assert ran.returncode == 0, ran.stderr[-500:]
    return sandbox.requests[before:]


def assert_same_request(by_curl: RecordedRequest, by_app: RecordedRequest) -> None:
    """``by_curl`` is the request ``by_app`` is: method, path, body byte for byte, and the
    headers Kombo reads."""
    assert by_curl.method == by_app.method
    assert by_curl.path == by_app.path
    # Byte for byte; said by its end, where what a shell adds shows (a body can be long).
    same_body = by_curl.body == by_app.body
    assert same_body, f"curl sent …{by_curl.body[-60:]!r}, the app …{by_app.body[-60:]!r}"
    for header in ("authorization", "x-integration-id", "content-type", "accept"):
        assert by_curl.headers.get(header) == by_app.headers.get(header), header
