"""A copied curl command with a long body still sends what Submit sends, whatever a person
adds at its end when pasting it.

A body longer than one argument of a command may be goes on curl's standard input. The
command still ends with curl's last option: an option or a pipe added at its end, a space
after it, or every line indented (pasted into a script) reach curl or follow it, and the
body sent stays byte for byte the one Submit sends. Run by bash and by sh, against the
sandbox. A short body stays one plain curl command with its ``--data``.
"""

from __future__ import annotations

import asyncio
import json
import shlex
from pathlib import Path

import pytest

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.requests import result_link_call
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from kombo_desktop.sandbox.state import RecordedRequest
from tests.curl_support import assert_same_request, copied_curl, run_pasted, sent_by
from tests.main_window_support import (
    candidate_id,
    fill_form,
    paste_remote_json,
    posts,
    submit_and_wait,
)

#: Longer than any body a command carries as an argument (16 KiB).
LONG = 40_000
#: Each character a shell or printf could read as something else, and the word that ended
#: a long body in a command before.
AWKWARD = 'It\'s "$HOME" `id` %s %% \\n \\c \\\\ KOMBO_BODY EOF ü ✓ \u2028 '


def _request(value: str) -> ResultLinkRequest:
    return ResultLinkRequest.from_form(
        label="Assessment Result",
        url="https://example.com/r/1",
        remote_fields={"workable": {"on_behalf_of_user_remote_id": value}},
    )


def _sent_by_the_client(
    connection: Connection, target: Target, request: ResultLinkRequest, sandbox: Sandbox
) -> RecordedRequest:
    """What the app's client (the one Submit uses) sends for ``request``."""

    async def send() -> None:
        async with KomboClient(connection) as client:
            await client.add_result_link(target, request)

    before = len(sandbox.requests)
    asyncio.run(send())
    [sent] = sandbox.requests[before:]
    return sent


#: What a person may add to a command when pasting it.
ADDED_AT_THE_END = ("a space", "every line indented", "a pipe", "an option")


def _with_added(added: str, command: str, answer: Path) -> str:
    """``command`` with ``added`` (one of ``ADDED_AT_THE_END``); an option added sends
    the answer to the file ``answer``."""
    if added == "a space":
        return command + " "
    if added == "every line indented":  # pasted into an indented block of a script
        return "\n".join("    " + line for line in command.split("\n"))
    if added == "a pipe":
        return command + " | tr a-z A-Z"
    assert added == "an option"
    return command + f" -o {shlex.quote(str(answer))}"


@pytest.mark.parametrize("shell", ["bash", "sh"])
@pytest.mark.parametrize("added", ADDED_AT_THE_END)
def test_what_is_added_at_the_end_of_a_long_command_reaches_curl_not_the_body(
    shell: str, added: str, fresh_sandbox: Sandbox, connection: Connection, tmp_path: Path
) -> None:
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    request = _request(AWKWARD + "x" * LONG)
    command = result_link_call(target, request).as_curl(
        connection.base_url, connection.integration_id
    )
    answer = tmp_path / "answer.json"
    edited = _with_added(added, command, answer)

    before = len(fresh_sandbox.requests)
    ran = run_pasted(shell, edited, tmp_path)
    assert ran.returncode == 0, ran.stderr[-500:]
    [sent] = fresh_sandbox.requests[before:]
    assert_same_request(sent, _sent_by_the_client(connection, target, request, fresh_sandbox))
    # What was added did what it says.
    if added == "a pipe":
        assert json.loads(ran.stdout) == {"STATUS": "SUCCESS", "DATA": {}, "WARNINGS": []}
    elif added == "an option":
        assert ran.stdout == ""
        assert json.loads(answer.read_text())["status"] == "success"
    else:
        assert json.loads(ran.stdout)["status"] == "success"
    assert "not found" not in ran.stderr  # nothing added ran as a command of its own


def test_the_longest_short_body_and_the_shortest_long_one_send_what_the_client_sends(
    fresh_sandbox: Sandbox, connection: Connection, tmp_path: Path
) -> None:
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    base = _request("")
    # The body's bytes without the value: the value fills it to the limit, and one past.
    frame = len(json.dumps(result_link_call(target, base).body, ensure_ascii=False))
    for size, short in ((16 * 1024, True), (16 * 1024 + 1, False)):
        request = _request("%" * (size - frame))
        call = result_link_call(target, request)
        assert call.body_size() == size
        command = call.as_curl(connection.base_url, connection.integration_id)
        # A short body is one plain curl command: its --data argument is the body.
        assert command.startswith("curl -X POST --globoff ") == short, size
        words = shlex.split(command.replace(" \\\n  ", " "))
        if short:
            assert words[words.index("--data") + 1].encode("utf-8") == json.dumps(
                call.body, ensure_ascii=False
            ).encode("utf-8")
        assert DEMO_API_KEY not in command
        assert '-H "Authorization: Bearer $KOMBO_API_KEY"' in command
        [sent] = sent_by("bash", command, fresh_sandbox, tmp_path)
        assert_same_request(sent, _sent_by_the_client(connection, target, request, fresh_sandbox))


def test_a_long_command_sends_one_request_whatever_the_base_url_holds(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    from kombo_desktop.core.connection import validate_base_url

    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    # curl reads {a,b} in a URL as "a, then b", and [1-3] as "1, 2, then 3".
    for pattern in ("{v1,v1}", "[1-3]"):
        base_url = validate_base_url(f"{fresh_sandbox.base_url}/{pattern}")
        call = result_link_call(target, _request("x" * LONG))
        command = call.as_curl(base_url, DEMO_INTEGRATION_ID)
        sent = sent_by("sh", command, fresh_sandbox, tmp_path)
        assert [r.path for r in sent] == [f"/v1/{pattern}/ats/candidates/{target.id}/result-links"]


# ---- in the window ---------------------------------------------------------------------


def test_a_long_copied_command_with_an_option_added_sends_what_submit_sends(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    value = AWKWARD + "x" * LONG
    paste_remote_json(
        qtbot, window, json.dumps({"workable": {"on_behalf_of_user_remote_id": value}})
    )
    command = copied_curl(qtbot, window)
    assert DEMO_API_KEY not in command
    # Pasted into a terminal, with an option added at the end: the answer goes to a file.
    answer = tmp_path / "answer.json"
    [by_curl] = sent_by(
        "bash", command + f" -o {shlex.quote(str(answer))}", fresh_sandbox, tmp_path
    )
    assert json.loads(answer.read_text())["status"] == "success"
    submit_and_wait(qtbot, window)
    by_submit = posts(fresh_sandbox)[-1]
    assert by_submit is not by_curl
    assert json.loads(by_submit.body)["remote_fields"]["workable"] == {
        "on_behalf_of_user_remote_id": value
    }
    assert_same_request(by_curl, by_submit)
