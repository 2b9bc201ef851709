"""A fault of the app's own once a request has gone out (reading or understanding the
answer raised): a send may have been added by then, and its words, its Retry and the
command line's output say so. A fault before anything went out still says nothing was.

No server answer can make the app fail on purpose (each known one is mended), so the fault
is put in the app's own answer reading; the request itself goes to the sandbox over HTTP.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, NoReturn

import httpcore._backends.auto
import httpx
import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.cli.send_command import EXIT_MAY_HAVE_BEEN_ADDED
from kombo_desktop.core import client as client_module
from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import FaultAfterSending
from kombo_desktop.core.messages import Remedy, describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import run_python
from tests.main_window_support import (
    build_window,
    candidate_id,
    fill_form,
    posts,
    submit_and_wait,
    wait_for_send_again_question,
)

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")
MAY_HAVE_BEEN_ADDED = "may already have been added"


def _fail(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise RuntimeError("answer reading broke")


async def _fail_async(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise RuntimeError("answer reading broke")


def _connection(sandbox: Sandbox) -> Connection:
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )


def _send(sandbox: Sandbox) -> Target:
    """Send REQUEST to the sandbox's first candidate through the real client."""
    target = Target(kind=TargetKind.CANDIDATE, id=candidate_id(sandbox))

    async def go() -> None:
        async with KomboClient(_connection(sandbox)) as client:
            await client.add_result_link(target, REQUEST)

    asyncio.run(go())
    return target


@pytest.mark.parametrize(
    ("where", "fault"),
    [("_interpret", _fail), ("_read_answer", _fail_async)],
    ids=["understanding the answer", "reading the answer"],
)
def test_a_fault_after_a_post_went_out_says_the_link_may_have_been_added(
    fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, where: str, fault: Any
) -> None:
    owner = KomboClient if where == "_interpret" else client_module
    monkeypatch.setattr(owner, where, fault)
    with pytest.raises(FaultAfterSending) as caught:
        _send(fresh_sandbox)
    # It went out, and Kombo (the sandbox) added it.
    assert len(posts(fresh_sandbox)) == 1
    assert caught.value.may_have_been_applied is True
    assert isinstance(caught.value.__cause__, RuntimeError)

    target = Target(kind=TargetKind.CANDIDATE, id=candidate_id(fresh_sandbox))
    message = describe_error(caught.value, target)
    # Before: "Something went wrong inside Kombo Desktop while sending to candidate …. The
    # form is unchanged.", with Retry offered without a question.
    assert message.text == (
        "Something went wrong inside Kombo Desktop after the request was sent, while it read "
        f"Kombo's answer. The result link may already have been added to candidate "
        f"{target.id}: check the ATS before sending again."
    )
    assert message.may_have_been_applied is True
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE
    assert "RuntimeError: answer reading broke" in message.detail
    assert f"POST {fresh_sandbox.base_url}" in message.detail


def test_a_fault_after_a_search_went_out_adds_nothing_to_say(
    fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(KomboClient, "_interpret", _fail)

    async def go() -> None:
        async with KomboClient(_connection(fresh_sandbox)) as client:
            await client.find_candidates(email="ada@example.com")

    with pytest.raises(FaultAfterSending) as caught:
        asyncio.run(go())
    assert caught.value.may_have_been_applied is False
    message = describe_error(caught.value)
    assert MAY_HAVE_BEEN_ADDED not in message.text
    assert message.remedy is Remedy.RETRY


@pytest.mark.parametrize(
    ("owner", "where", "fault"),
    [
        # The request cannot even be made.
        (httpx.AsyncClient, "build_request", _fail),
        # The connection is being opened (the HTTP library has said so): not one byte of
        # the request went out.
        (httpcore._backends.auto.AutoBackend, "connect_tcp", _fail_async),
    ],
    ids=["making the request", "while still connecting"],
)
def test_a_fault_before_anything_went_out_is_no_fault_after_sending(
    fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, owner: Any, where: str, fault: Any
) -> None:
    monkeypatch.setattr(owner, where, fault)
    with pytest.raises(RuntimeError) as caught:
        _send(fresh_sandbox)
    assert not isinstance(caught.value, FaultAfterSending)
    assert posts(fresh_sandbox) == []
    # Nothing reached the sandbox, and the words say nothing of a link that may be there.
    assert MAY_HAVE_BEEN_ADDED not in describe_error(caught.value).text


def test_the_window_says_it_may_have_been_added_and_asks_before_sending_again(
    qtbot: QtBot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(KomboClient, "_interpret", _fail)
    window = build_window(qtbot, fresh_sandbox)
    target = candidate_id(fresh_sandbox)
    fill_form(qtbot, window, target_id=target)
    submit_and_wait(qtbot, window)

    said = window.response.accessibleDescription()
    assert said.startswith("Error. Something went wrong inside Kombo Desktop after the request")
    assert f"may already have been added to candidate {target}" in said
    retry = window.response.retry_button
    assert retry.isVisible()
    assert retry.text() == "Retry…"
    # Retry asks first, as for a timeout: the link may be there already.
    retry.click()
    box = wait_for_send_again_question(qtbot)
    box.reject()
    assert len(posts(fresh_sandbox)) == 1


_CLI_WITH_A_FAULT = """
import sys
from kombo_desktop.core.client import KomboClient
def fail(*args, **kwargs):
    raise RuntimeError("answer reading broke")
KomboClient._interpret = fail
from kombo_desktop.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_command_line_says_it_may_have_been_added(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    args = [
        "send",
        *("--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID),
        *("--candidate", candidate_id(fresh_sandbox), "--label", "L", "--url", "https://e.com"),
        "--json",
    ]
    result = run_python(app_home, _CLI_WITH_A_FAULT, *args, KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == EXIT_MAY_HAVE_BEEN_ADDED, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "error"
    assert answer["may_have_been_applied"] is True
    assert MAY_HAVE_BEEN_ADDED in answer["summary"]
    assert len(posts(fresh_sandbox)) == 1
