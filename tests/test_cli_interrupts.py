"""Ctrl+C during ``kombo-desktop send``: what a person or a script is told was left behind."""

from __future__ import annotations

import json
from collections.abc import Callable

from kombo_desktop.sandbox import Fault
from tests.cli_support import output
from tests.interrupt_support import Written, send_interrupted

#: What a shell reports for a command that Ctrl+C stopped: every command's exit code for it.
CTRL_C_EXIT = 130


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
        assert result.returncode == CTRL_C_EXIT, output(result)
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
        assert result.returncode == CTRL_C_EXIT, output(result)
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
