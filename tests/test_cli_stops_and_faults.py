"""``kombo-desktop send`` stopped by SIGTERM (``timeout``, ``kill``, a cancelled CI job), and
a fault of the app's own while sending: a script is still told what was left behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from kombo_desktop.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.cli_support import cli_env, output, send_options
from tests.interrupt_support import interrupted, wait_for

#: What a shell reports for a command that SIGTERM stopped (128 + 15).
SIGTERM_EXIT = 143

#: ``send``'s exit code for Kombo's own refusal: a script must never read a fault of the
#: app's own as that.
KOMBO_ERROR_EXIT = 1


def _send_stopped_by_sigterm(
    app_home: Path, sandbox: Sandbox, *args: str, ignoring_ctrl_c: bool = False
) -> subprocess.CompletedProcess[str]:
    """``send ARGS`` to the sandbox, stopped with SIGTERM once the sandbox has its request.

    ``ignoring_ctrl_c``: started as a script's ``… &`` starts a job, which ignores Ctrl+C
    (and is stopped with ``kill``, SIGTERM)."""
    before: Callable[[], object] | None = None
    if ignoring_ctrl_c:
        # Ignored before Python starts: it leaves an ignored Ctrl+C ignored, as in a job.
        def before() -> None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    return interrupted(
        [sys.executable, "-m", "kombo_desktop", "send", *send_options(sandbox), *args],
        cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        lambda process: wait_for(process, lambda: bool(sandbox.requests)),
        stop_with=signal.SIGTERM,
        before=before,
    )


def test_sigterm_while_the_answer_is_awaited_says_the_link_may_have_been_added(
    fresh_sandbox, app_home
):
    for as_json in (False, True):
        for ignoring_ctrl_c in (False, True):
            fresh_sandbox.clear_requests()
            # Kombo has the request (the link is stored) but its answer is slow to come.
            fresh_sandbox.inject_fault(Fault.slow_body(10), times=1)
            result = _send_stopped_by_sigterm(
                app_home,
                fresh_sandbox,
                *(["--json"] if as_json else []),
                ignoring_ctrl_c=ignoring_ctrl_c,
            )
            assert result.returncode == SIGTERM_EXIT, output(result)
            assert "Traceback" not in result.stderr
            if as_json:
                # One JSON object, as for every other outcome: a script reads what is known.
                answer = json.loads(result.stdout)
                assert answer["status"] == "error"
                assert answer["may_have_been_applied"] is True
                assert "may or may not have been added" in answer["summary"]
            else:
                assert result.stdout == ""
                assert "may or may not have been added" in result.stderr
