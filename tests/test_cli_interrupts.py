"""Ctrl+C during ``kombo-desktop send``: what a person or a script is told was left behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli_env, output

#: Time for the client to take in what the sandbox answered, once the request arrived.
SETTLE_S = 1.0


def send_interrupted(app_home: Path, sandbox: Sandbox, *args: str) -> Any:
    """``send ARGS`` for the sandbox's first candidate, with Ctrl+C (SIGINT) once the
    request has reached the sandbox and the client has had time to take in the answer."""
    target = sandbox.candidates[0]["id"]
    command = [
        sys.executable, "-m", "kombo_desktop", "send",
        "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", target, "--label", "L", "--url", "https://e.com/1", *args,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not sandbox.requests and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(SETTLE_S)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_ctrl_c_while_waiting_out_a_rate_limit_says_nothing_was_added(fresh_sandbox, app_home):
    target = fresh_sandbox.candidates[0]["id"]
    before = len(fresh_sandbox.result_links(target))
    for as_json in (False, True):
        fresh_sandbox.clear_requests()
        fresh_sandbox.inject_fault(Fault.rate_limited("30"), times=1)
        result = send_interrupted(app_home, fresh_sandbox, *(["--json"] if as_json else []))
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
        result = send_interrupted(app_home, fresh_sandbox, *(["--json"] if as_json else []))
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
