"""Every outcome says which way its request went: a success and Kombo's own error name the
computer's proxy (``Through proxy: host:port``) as a failure on the way does, so that a
copied detail tells support whether a proxy was in between; a request that went direct
names none. The proxy's sign-in is never shown.

A real forward proxy on loopback is the only way to Kombo's address, as
``tests/proxy_servers.py`` tells.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.client import ApiOutcome, KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.crash_report import format_redacted
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.messages import UserMessage, describe_error, describe_success
from kombo_desktop.core.models import Target, TargetKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import cli, output
from tests.proxy_servers import KOMBO_HOST, KOMBO_URL, REQUEST, ForwardProxy
from tests.proxy_support import (
    UNKNOWN_CANDIDATE,
    assert_no_sign_in,
    through,
    use_proxy,
)

# No proxy and no extra CA from this computer: each test sets up the route it tests.
pytestmark = pytest.mark.usefixtures("no_proxy_settings")

#: The label of the fact that names the proxy.
THROUGH_PROXY = "Through proxy"


def _add_link(connection: Connection, target_id: str) -> ApiOutcome:
    async def send() -> ApiOutcome:
        async with KomboClient(connection) as client:
            target = Target(kind=TargetKind.CANDIDATE, id=target_id)
            return await client.add_result_link(target, REQUEST)

    return asyncio.run(send())


def _kombo_error(connection: Connection) -> KomboApiError:
    with pytest.raises(KomboApiError) as caught:
        _add_link(connection, UNKNOWN_CANDIDATE)
    return caught.value


def _facts(message: UserMessage) -> list[str]:
    return [str(fact) for fact in message.facts]


def test_a_success_through_the_proxy_names_it_among_its_facts(
    computers_proxy, kombo, fresh_sandbox
):
    outcome = _add_link(kombo, fresh_sandbox.candidates[0]["id"])
    assert computers_proxy.tunnels == [f"{KOMBO_HOST}:443"]
    message = describe_success(outcome)
    said = through(computers_proxy)
    assert said in _facts(message)
    assert said in message.detail
    assert_no_sign_in(message.text, message.detail, repr(outcome.request), repr(outcome))


def test_kombos_error_through_the_proxy_names_it_among_its_facts(computers_proxy, kombo):
    error = _kombo_error(kombo)
    assert error.code == "PLATFORM.INPUT_INVALID"
    message = describe_error(error)
    said = through(computers_proxy)
    assert said in _facts(message)
    assert said in message.detail
    report = format_redacted(type(error), error, error.__traceback__)
    assert_no_sign_in(message.text, message.detail, str(error), repr(error.request), report)


def test_a_request_that_went_direct_names_no_proxy(monkeypatch, connection, fresh_sandbox):
    # This computer is never reached through the proxy set: its answers name none.
    proxy = ForwardProxy({})
    try:
        use_proxy(monkeypatch, proxy)
        success = describe_success(_add_link(connection, fresh_sandbox.candidates[0]["id"]))
        refusal = describe_error(_kombo_error(connection))
    finally:
        proxy.close()
    assert proxy.tunnels == []
    for message in (success, refusal):
        assert THROUGH_PROXY not in [fact.label for fact in message.facts]
        assert THROUGH_PROXY not in message.detail
        # What it does say is unchanged: the status and the time taken.
        assert "HTTP status" in [fact.label for fact in message.facts]


def _send(app_home: Path, base_url: str, target_id: str) -> Any:
    return cli(
        app_home,
        "send", "--base-url", base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", target_id, "--label", "Assessment Result", "--url", "https://example.com/r",
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


def test_the_command_line_names_the_proxy_for_a_success_and_for_kombos_error(
    computers_proxy, fresh_sandbox, app_home
):
    said = through(computers_proxy)
    added = _send(app_home, KOMBO_URL, fresh_sandbox.candidates[0]["id"])
    assert added.returncode == 0, output(added)
    assert said in added.stdout.splitlines(), output(added)
    refused = _send(app_home, KOMBO_URL, UNKNOWN_CANDIDATE)
    assert refused.returncode == 1, output(refused)
    assert said in refused.stderr.splitlines(), output(refused)
    assert_no_sign_in(output(added), output(refused))


def test_the_command_line_names_no_proxy_when_it_went_direct(
    computers_proxy, fresh_sandbox, app_home
):
    # The proxy is set, but this computer (the sandbox) is always reached directly.
    added = _send(app_home, fresh_sandbox.base_url, fresh_sandbox.candidates[0]["id"])
    refused = _send(app_home, fresh_sandbox.base_url, UNKNOWN_CANDIDATE)
    assert (added.returncode, refused.returncode) == (0, 1), output(added) + output(refused)
    assert computers_proxy.tunnels == []
    for result in (added, refused):
        assert THROUGH_PROXY not in output(result)
