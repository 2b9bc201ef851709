"""What the client, the worker and the words say in four places a review found wrong:

- a send cancelled while its connection was still being made (a proxy's tunnel, the TLS
  handshake) sent nothing, and says so in the window and on the command line, as a
  timeout at the same moment does;
- a web page's 404 at a search or a send blames the address, as at the key check (Kombo
  words its own 404s in JSON), and a send's words still say whether the link may have
  been added;
- half a character (a lone UTF-16 surrogate) in what a request is built from is refused
  at its field by the models, not left to fail as an encoding error inside the client;
- the client compiles no pattern as it loads.

Through the real client, worker, window and command line, the sandbox over HTTP, and a
real proxy on loopback in front of it (``tests/proxy_servers.py``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import InputError, UnexpectedResponseError
from kombo_desktop.core.messages import Remedy, describe_connection_check, describe_error
from kombo_desktop.core.models import Attribute, ResultLinkRequest, Target, TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.cli_support import output, patterns_compiled_at_import
from tests.interrupt_support import REACH_S, send_interrupted
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    fill_sample_form,
    posts,
    submit_and_wait,
    submit_until_sent,
    window_to,
)
from tests.proxy_servers import KOMBO_URL, ForwardProxy
from tests.qt_helpers import find_by_accessible_name, top_level

# No proxy and no extra CA from this computer: each test sets up the route it tests.
pytestmark = pytest.mark.usefixtures("no_proxy_settings")

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")

CANCELLED_WHILE_CONNECTING = (
    "Cancelled while still connecting to Kombo. Nothing was added or changed."
)
MAY_OR_MAY_NOT = "may or may not have been added"
MAY_ALREADY = "may already have been added"
WRONG_ADDRESS = (
    "Nothing answering like Kombo's API was found at this address. Check the region or base URL."
)

#: "é" read from Latin-1 bytes with ``surrogateescape``: half of a character.
HALF = "\udce9"
HALF_PROBLEM = (
    "contains half of a character (\\udce9), as text cut in the middle of an emoji does; "
    "remove it or write the whole character"
)


def _links_of(sandbox: Sandbox) -> int:
    return len(sandbox.result_links(candidate_id(sandbox)))


# ---- a cancel while still connecting ------------------------------------------------------------

#: What the proxy does with the tunnel to Kombo: each keeps the send connecting for good.
STILL_CONNECTING = {
    # Says the tunnel is open, then nothing answers the TLS handshake.
    "tls-handshake": "stall_tunnels",
    # Never answers the tunnel's CONNECT.
    "tunnel-request": "ignore_tunnels",
}


def _hold_connecting(proxy: ForwardProxy, how: str) -> None:
    setattr(proxy, STILL_CONNECTING[how], True)


async def _until(reached: Callable[[], bool], task: asyncio.Task[Any]) -> None:
    deadline = time.monotonic() + REACH_S
    while not reached():
        assert not task.done(), "the send ended before the moment to cancel it"
        assert time.monotonic() < deadline, f"the send did not get there in {REACH_S} s"
        await asyncio.sleep(0.01)


def _cancelled_send(connection: Connection, target: Target, reached: Callable[[], bool]) -> Any:
    """What a send through the real client raises when cancelled once ``reached()``."""

    async def go() -> BaseException:
        async with KomboClient(connection) as client:
            task = asyncio.create_task(client.add_result_link(target, REQUEST))
            await _until(reached, task)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError as cancelled:
                return cancelled
        raise AssertionError("the send was not cancelled")

    return asyncio.run(go())


@pytest.mark.parametrize("how", list(STILL_CONNECTING))
def test_a_send_cancelled_while_still_connecting_says_nothing_was_added(
    computers_proxy, kombo, fresh_sandbox, how
):
    _hold_connecting(computers_proxy, how)
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    cancelled = _cancelled_send(kombo, target, lambda: bool(computers_proxy.tunnels))
    assert isinstance(cancelled, asyncio.CancelledError)
    message = describe_error(cancelled)
    assert message.text == CANCELLED_WHILE_CONNECTING
    assert not message.may_have_been_applied
    assert message.retry_warning is None
    assert message.remedy is Remedy.RETRY
    assert fresh_sandbox.requests == []


def test_the_window_tells_a_cancel_while_connecting_as_nothing_sent_and_retries_plainly(
    qtbot, computers_proxy, fresh_sandbox
):
    computers_proxy.stall_tunnels = True
    window = window_to(qtbot, fresh_sandbox, KOMBO_URL)
    target = candidate_id(fresh_sandbox)
    fill_form(qtbot, window, target_id=target)
    before = window.form.state()
    links_before = _links_of(fresh_sandbox)
    submit_until_sent(qtbot, window)
    qtbot.waitUntil(lambda: bool(computers_proxy.tunnels), timeout=WAIT_MS)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(button(window, "Cancel"), Qt.MouseButton.LeftButton)

    panel = window.response
    assert panel.state() == "cancelled"
    # The window names the candidate: the form may show another by the time it is read.
    assert panel.summary_text() == (
        f"Cancelled while still connecting to Kombo. Nothing was added to candidate {target}."
    )
    assert MAY_OR_MAY_NOT not in panel.summary_text()
    # No warning of a duplicate, and a Retry that asks nothing first (no "…").
    applied_note = window.findChild(QLabel, "appliedNote")
    assert applied_note is not None
    assert not applied_note.isVisible()
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert retry.text() == "Retry"
    assert window.form.state() == before
    assert posts(fresh_sandbox) == []

    # The way opens: Retry sends at once, without asking whether to send again.
    computers_proxy.stall_tunnels = False
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert top_level(QMessageBox, "retryConfirmation") is None
    assert panel.summary_text().startswith("Success")
    assert _links_of(fresh_sandbox) == links_before + 1


@pytest.mark.parametrize("as_json", [False, True], ids=["words", "json"])
def test_ctrl_c_while_the_command_is_still_connecting_says_nothing_was_added(
    computers_proxy, fresh_sandbox, app_home, as_json
):
    computers_proxy.stall_tunnels = True
    result = send_interrupted(
        app_home,
        fresh_sandbox,
        *(["--json"] if as_json else []),
        once=lambda _: bool(computers_proxy.tunnels),
        base_url=KOMBO_URL,
    )
    assert result.returncode == 130, output(result)
    assert "Traceback" not in result.stderr
    # Named, as every send's answer on the command line is.
    said_of_the_candidate = (
        "Cancelled while still connecting to Kombo. Nothing was added to candidate "
        f"{fresh_sandbox.candidates[0]['id']}."
    )
    if as_json:
        answer = json.loads(result.stdout)
        assert answer["status"] == "error"
        assert answer["may_have_been_applied"] is False
        assert said_of_the_candidate in answer["summary"]
    else:
        assert result.stdout == ""
        assert said_of_the_candidate in result.stderr, output(result)
        assert MAY_OR_MAY_NOT not in result.stderr
    assert fresh_sandbox.requests == []


# ---- a web page's 404 ---------------------------------------------------------------------------


def _answer_to(connection: Connection, sandbox: Sandbox, call: str) -> BaseException:
    """What a search by email, or a send to the sandbox's first candidate, raises."""

    async def go() -> BaseException:
        async with KomboClient(connection) as client:
            try:
                if call == "search":
                    await client.find_candidates(email="ada@example.com")
                else:
                    target = Target.parse(TargetKind.CANDIDATE, candidate_id(sandbox))
                    await client.add_result_link(target, REQUEST)
            except Exception as exc:
                return exc
        raise AssertionError("no error")

    return asyncio.run(go())


@pytest.mark.parametrize("call", ["search", "send"])
def test_a_web_pages_404_at_a_search_or_a_send_blames_the_address_not_a_retry(
    fresh_sandbox, connection, call
):
    links_before = _links_of(fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.html_error(404), path_contains="/ats/", times=1)
    error = _answer_to(connection, fresh_sandbox, call)
    assert isinstance(error, UnexpectedResponseError)
    message = describe_error(error)
    assert message.text == WRONG_ADDRESS
    assert message.remedy is Remedy.FIX_PROFILE
    # What answered is not Kombo: nothing was added, and a send says no otherwise.
    assert not message.may_have_been_applied
    assert message.retry_warning is None
    assert _links_of(fresh_sandbox) == links_before
    assert "HTTP status: 404" in message.detail


def test_a_send_answered_by_a_servers_error_page_still_says_it_may_have_been_added(
    fresh_sandbox, connection
):
    # A 5xx page may come from a proxy in front of Kombo, after Kombo took the link.
    fresh_sandbox.inject_fault(Fault.html_error(502), path_contains="/ats/", times=1)
    message = describe_error(_answer_to(connection, fresh_sandbox, "send"))
    assert "Check the region or base URL" not in message.text
    assert MAY_ALREADY in message.text
    assert message.remedy is Remedy.RETRY_MAY_DUPLICATE


def test_the_window_offers_no_retry_for_a_send_answered_by_a_web_pages_404(
    qtbot, window, fresh_sandbox
):
    fresh_sandbox.inject_fault(Fault.html_error(404), path_contains="/ats/", times=1)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith(f"Error. The result link was not added to candidate {target}.")
    assert WRONG_ADDRESS in summary
    assert MAY_ALREADY not in summary
    assert not find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    assert window.form.state() == before


def test_a_connection_tests_read_answered_by_a_web_pages_404_blames_the_address(
    fresh_sandbox, connection
):
    # The key check passed at this address a moment before: "nothing like Kombo's API"
    # would not fit, the test's own words for a 404 do.
    fresh_sandbox.inject_fault(Fault.html_error(404), path_contains="/ats/candidates", times=1)

    async def go() -> Any:
        async with KomboClient(connection) as client:
            return await client.check_connection()

    message = describe_connection_check(asyncio.run(go()))
    assert message.text.endswith(
        "could not be checked. Nothing was found at this address. Check the region or base URL."
    )
    assert message.remedy is Remedy.FIX_PROFILE


# ---- half a character ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"label": f"R{HALF}sultat", "url": "https://example.com/r/1"}, "label"),
        ({"label": "L", "url": f"https://example.com/r/{HALF}"}, "url"),
        (
            {
                "label": "L",
                "url": "https://example.com/r/1",
                "custom_field_name_prefix": f"Acme{HALF}",
                "attributes": [("Score", "100%")],
            },
            "custom_field_name_prefix",
        ),
        (
            {
                "label": "L",
                "url": "https://example.com/r/1",
                "custom_field_name_prefix": "Acme:",
                "attributes": [("Time", "2:30h"), (f"Sc{HALF}re", "100%")],
            },
            "attributes[1].key",
        ),
        (
            {
                "label": "L",
                "url": "https://example.com/r/1",
                "custom_field_name_prefix": "Acme:",
                "attributes": [("Score", f"1{HALF}")],
            },
            "attributes[0].value",
        ),
    ],
    ids=["label", "url", "prefix", "attribute-key", "attribute-value"],
)
def test_a_request_with_half_a_character_is_refused_at_its_field(
    form: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as caught:
        ResultLinkRequest.from_form(**form)
    assert caught.value.fields == (field,)
    assert caught.value.message_for(field) == HALF_PROBLEM


def test_a_target_id_with_half_a_character_is_refused_at_its_field() -> None:
    with pytest.raises(InputError) as caught:
        Target.parse(TargetKind.CANDIDATE, f"8Xi6iZrw{HALF}")
    assert caught.value.fields == ("target_id",)
    assert caught.value.message_for("target_id") == HALF_PROBLEM


@pytest.mark.parametrize(
    ("build", "where"),
    [
        (lambda: ResultLinkRequest(label=f"R{HALF}", url="https://e.com/1"), ("label",)),
        (lambda: Attribute(key="Score", value=f"1{HALF}"), ("value",)),
        (lambda: Target(kind=TargetKind.CANDIDATE, id=f"abc{HALF}"), ("id",)),
    ],
    ids=["request", "attribute", "target"],
)
def test_a_model_built_directly_refuses_half_a_character_as_a_value_error(
    build: Callable[[], Any], where: tuple[str, ...]
) -> None:
    # A script building the models itself gets a ValueError at the field, not a send that
    # fails inside the client with an encoding error.
    with pytest.raises(ValidationError) as caught:
        build()
    assert isinstance(caught.value, ValueError)
    assert caught.value.errors()[0]["loc"] == where


# ---- the client as it loads ---------------------------------------------------------------------


def test_the_client_compiles_no_pattern_as_it_loads(app_home: Path) -> None:
    # The command line loads the client to send, the window while it starts up: a
    # pattern is kept as text and compiled at its first use.
    assert patterns_compiled_at_import(app_home, "import kombo_desktop.core.client") == []
