"""Ctrl+C during ``kombo-desktop send``: what a person or a script is told was left behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kombo_desktop.core import paths
from kombo_desktop.core.logs import LOG_FILE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli_env, output

#: How long the command may take to reach the moment a test interrupts it, before the
#: test gives up (a bound on a hang, not a wait: the test goes on as soon as it is there).
REACH_S = 30.0


@dataclass(frozen=True)
class Written:
    """What the running command has written so far: its stderr, and its log since it
    started."""

    stderr_path: Path
    log_path: Path
    log_start: int

    def stderr(self) -> str:
        """Everything on the command's stderr until now."""
        return self.stderr_path.read_text(encoding="utf-8")

    def log(self) -> str:
        """The lines the command added to the app's log until now."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode("utf-8", errors="replace")


def send_interrupted(
    app_home: Path, sandbox: Sandbox, *args: str, once: Callable[[Written], bool]
) -> Any:
    """``send ARGS`` for the sandbox's first candidate, with Ctrl+C (SIGINT) as soon as
    ``once`` is true of what the command has written (or of the sandbox)."""
    target = sandbox.candidates[0]["id"]
    command = [
        sys.executable, "-m", "kombo_desktop", "send",
        "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", target, "--label", "L", "--url", "https://e.com/1", *args,
    ]  # fmt: skip
    log_path = paths.log_dir() / LOG_FILE_NAME
    # stderr goes to a file, to be read while the command runs (Python flushes it at
    # each line); the log is read from where this command starts writing to it.
    written = Written(
        stderr_path=app_home.parent / "send-stderr.txt",
        log_path=log_path,
        log_start=log_path.stat().st_size if log_path.exists() else 0,
    )
    with written.stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            command,
            env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            _wait_until(process, lambda: once(written))
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, written.stderr())


def _wait_until(process: subprocess.Popen[str], reached: Callable[[], bool]) -> None:
    """Return once ``reached()`` is true; fail if the command ends first or never gets there."""
    deadline = time.monotonic() + REACH_S
    while not reached():
        assert process.poll() is None, "the command ended before the moment to interrupt it"
        assert time.monotonic() < deadline, f"the command did not get there in {REACH_S} s"
        time.sleep(0.05)


def _waiting_to_try_again(as_json: bool) -> Callable[[Written], bool]:
    """True once the command has said it waits out Kombo's rate limit: Kombo's refusal is
    taken in, and a Ctrl+C from now on comes during the wait. With ``--json`` the command
    prints nothing but its one JSON object, so its log says it."""
    if as_json:
        return lambda written: "Rate limited" in written.log()
    return lambda written: "trying again in 30 seconds" in written.stderr()


def test_ctrl_c_while_waiting_out_a_rate_limit_says_nothing_was_added(fresh_sandbox, app_home):
    target = fresh_sandbox.candidates[0]["id"]
    before = len(fresh_sandbox.result_links(target))
    for as_json in (False, True):
        fresh_sandbox.clear_requests()
        fresh_sandbox.inject_fault(Fault.rate_limited("30"), times=1)
        result = send_interrupted(
            app_home,
            fresh_sandbox,
            *(["--json"] if as_json else []),
            once=_waiting_to_try_again(as_json),
        )
        assert result.returncode == 3, output(result)
        # Kombo refused the only try and the retry never went out.
        assert len(fresh_sandbox.requests) == 1
        assert len(fresh_sandbox.result_links(target)) == before
        if as_json:
            answer = json.loads(result.stdout)
            assert answer["status"] == "error"
            assert answer["may_have_been_applied"] is False
            assert "Nothing was added" in answer["summary"]
        else:
            assert "trying again in 30 seconds" in result.stderr, output(result)
            assert "Nothing was added" in result.stderr
            assert "may or may not have been added" not in result.stderr


def test_ctrl_c_while_the_answer_is_awaited_may_have_added_the_link(fresh_sandbox, app_home):
    for as_json in (False, True):
        fresh_sandbox.clear_requests()
        # Kombo has the request (the link is stored) but its answer is slow to come.
        fresh_sandbox.inject_fault(Fault.slow_body(10), times=1)
        # Once the request has reached Kombo, whatever the command is doing until the
        # answer comes (10 seconds later), it cannot know whether the link was added.
        result = send_interrupted(
            app_home,
            fresh_sandbox,
            *(["--json"] if as_json else []),
            once=lambda _: bool(fresh_sandbox.requests),
        )
        assert result.returncode == 3, output(result)
        assert "Traceback" not in result.stderr
        if as_json:
            # One JSON object, as for every other outcome; nothing else on stdout.
            answer = json.loads(result.stdout)
            assert answer["status"] == "error"
            assert answer["may_have_been_applied"] is True
            assert "may or may not have been added" in answer["summary"]
        else:
            assert result.stdout == ""
            assert "may or may not have been added" in result.stderr
