"""``send --json`` after a rate limit the command gave up on: a script reads that it must
wait, and for how long, from the object itself; every other object says it was not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.client import RetryPolicy
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output

#: The longest wait the command takes by itself; past it, it reports the rate limit.
LONGEST_OWN_WAIT_S = RetryPolicy().max_delay_s


def send_json(app_home: Path, sandbox: Sandbox, *extra: str) -> tuple[int, dict[str, Any]]:
    """``send --json`` to the sandbox's first candidate: the exit code and the object."""
    words = [
        "send", "--candidate", sandbox.candidates[0]["id"], "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--base-url", sandbox.base_url,
        "--integration-id", DEMO_INTEGRATION_ID, "--json", *extra,
    ]  # fmt: skip
    result = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, output(result)
    answer: dict[str, Any] = json.loads(lines[0])
    return result.returncode, answer


def posts(sandbox: Sandbox) -> int:
    return sum(1 for request in sandbox.requests if request.method == "POST")


@pytest.mark.parametrize(
    ("retry_after", "timeout", "seconds"),
    [
        # Longer than the command waits by itself: reported at once, with the wait.
        ("600", None, 600),
        # A fraction of a second is rounded up: a script that waits that long is not early.
        ("150.2", None, 151),
        # Within the command's own waits, but not within --timeout: reported, with the wait.
        ("30", "10", 30),
        # No wait named, and no time left for one of the command's own: reported, no figure.
        (None, "1", None),
    ],
)
def test_a_rate_limit_given_up_on_says_to_wait_and_how_long(
    fresh_sandbox, app_home, retry_after, timeout, seconds
):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after=retry_after))
    code, answer = send_json(app_home, fresh_sandbox, *(["--timeout", timeout] if timeout else []))
    assert code == 1, answer
    assert answer["status"] == "error"
    assert answer["http_status"] == 429
    assert answer["rate_limited"] is True
    assert answer["retry_after_seconds"] == seconds
    # Whole seconds, as a shell's arithmetic takes them.
    assert seconds is None or type(answer["retry_after_seconds"]) is int
    # Kombo refused it: nothing was added, and the command did not try again.
    assert answer["may_have_been_applied"] is False
    assert posts(fresh_sandbox) == 1


def test_the_sandboxs_own_limit_is_reported_with_its_wait(fresh_sandbox, app_home):
    # One request per ten minutes: the first goes through, the next is told to wait.
    fresh_sandbox.set_rate_limit(1 / 600)
    code, first = send_json(app_home, fresh_sandbox)
    assert code == 0, first
    assert (first["rate_limited"], first["retry_after_seconds"]) == (False, None)

    code, second = send_json(app_home, fresh_sandbox)
    assert code == 1, second
    assert second["rate_limited"] is True
    # Whole seconds up to ten minutes, less what passed since the first: longer than the
    # command waits, so it was reported at once rather than waited.
    assert LONGEST_OWN_WAIT_S < second["retry_after_seconds"] <= 600
    assert posts(fresh_sandbox) == 2


def test_every_object_has_the_same_keys_with_no_rate_limit_where_there_was_none(
    fresh_sandbox, app_home
):
    _, success = send_json(app_home, fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403), times=1)
    _, refused = send_json(app_home, fresh_sandbox)
    _, bad_input = send_json(app_home, fresh_sandbox, "--attr", "no equals sign")
    _, bad_argument = send_json(app_home, fresh_sandbox, "--timeout")
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="600"), times=1)
    _, rate_limited = send_json(app_home, fresh_sandbox)

    assert [success["status"], refused["code"], bad_input["errors"][0]["field"]] == [
        "success",
        "INTEGRATION.PERMISSION_MISSING",
        "attributes[0]",
    ]
    assert bad_argument["errors"][0]["field"] == "arguments"
    for answer in (success, refused, bad_input, bad_argument):
        assert answer["rate_limited"] is False, answer
        assert answer["retry_after_seconds"] is None, answer
    # A script reads one shape: the input's objects only add their list of problems.
    keys = set(rate_limited)
    assert {"rate_limited", "retry_after_seconds"} <= keys
    assert set(success) == set(refused) == keys
    assert set(bad_input) == set(bad_argument) == keys | {"errors"}
