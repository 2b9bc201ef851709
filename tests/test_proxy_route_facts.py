"""Every outcome says which way its request went: a success and Kombo's own error name the
computer's proxy (``Through proxy: host:port``) as a failure on the way does, so that a
copied detail tells support whether a proxy was in between; a request that went direct
names none. The proxy's sign-in is never shown.

A real forward proxy on loopback is the only way to Kombo's address, as in
``tests/test_proxies.py``, which tells how.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.client import ApiOutcome, KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.crash_report import format_redacted
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.messages import UserMessage, describe_error, describe_success
from kombo_desktop.core.models import Target, TargetKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output
from tests.test_proxies import (
    KOMBO_HOST,
    KOMBO_URL,
    PROXY_PASSWORD,
    PROXY_USER,
    REQUEST,
    ForwardProxy,
    TlsFront,
    clear_proxy_settings,
    make_certificates,
)

#: An ID the sandbox knows no candidate by: Kombo answers 404 ``PLATFORM.INPUT_INVALID``.
UNKNOWN_CANDIDATE = "NoSuchCandidate000000000"

#: The label of the fact that names the proxy.
THROUGH_PROXY = "Through proxy"


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no proxy and no extra CA, whatever this machine has set."""
    clear_proxy_settings(monkeypatch)


@pytest.fixture
def signed_in_proxy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_sandbox: Sandbox
) -> Iterator[ForwardProxy]:
    """The computer's proxy, set with its own sign-in, as the only way to Kombo; the
    company's CA trusted."""
    certificates = make_certificates(tmp_path)
    front = TlsFront(certificates, ("127.0.0.1", fresh_sandbox.port))
    proxy = ForwardProxy(
        {KOMBO_HOST: ("127.0.0.1", front.port)}, sign_in=(PROXY_USER, PROXY_PASSWORD)
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
    yield proxy
    proxy.close()
    front.close()


@pytest.fixture
def kombo() -> Connection:
    """The demo credentials at Kombo's address, which only the proxy can reach."""
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=KOMBO_URL
    )


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


def _assert_no_sign_in(*shown: str) -> None:
    for text in shown:
        assert PROXY_USER not in text
        assert PROXY_PASSWORD not in text


def test_a_success_through_the_proxy_names_it_among_its_facts(
    signed_in_proxy, kombo, fresh_sandbox
):
    outcome = _add_link(kombo, fresh_sandbox.candidates[0]["id"])
    assert signed_in_proxy.tunnels == [f"{KOMBO_HOST}:443"]
    message = describe_success(outcome)
    said = f"Through proxy: {signed_in_proxy.address}"
    assert said in _facts(message)
    assert said in message.detail
    _assert_no_sign_in(message.text, message.detail, repr(outcome.request), repr(outcome))


def test_kombos_error_through_the_proxy_names_it_among_its_facts(signed_in_proxy, kombo):
    error = _kombo_error(kombo)
    assert error.code == "PLATFORM.INPUT_INVALID"
    message = describe_error(error)
    said = f"Through proxy: {signed_in_proxy.address}"
    assert said in _facts(message)
    assert said in message.detail
    report = format_redacted(type(error), error, error.__traceback__)
    _assert_no_sign_in(message.text, message.detail, str(error), repr(error.request), report)


def test_a_request_that_went_direct_names_no_proxy(monkeypatch, connection, fresh_sandbox):
    # This computer is never reached through the proxy set: its answers name none.
    proxy = ForwardProxy({})
    try:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
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
    signed_in_proxy, fresh_sandbox, app_home
):
    said = f"Through proxy: {signed_in_proxy.address}"
    added = _send(app_home, KOMBO_URL, fresh_sandbox.candidates[0]["id"])
    assert added.returncode == 0, output(added)
    assert said in added.stdout.splitlines(), output(added)
    refused = _send(app_home, KOMBO_URL, UNKNOWN_CANDIDATE)
    assert refused.returncode == 1, output(refused)
    assert said in refused.stderr.splitlines(), output(refused)
    _assert_no_sign_in(output(added), output(refused))


def test_the_command_line_names_no_proxy_when_it_went_direct(
    signed_in_proxy, fresh_sandbox, app_home
):
    # The proxy is set, but this computer (the sandbox) is always reached directly.
    added = _send(app_home, fresh_sandbox.base_url, fresh_sandbox.candidates[0]["id"])
    refused = _send(app_home, fresh_sandbox.base_url, UNKNOWN_CANDIDATE)
    assert (added.returncode, refused.returncode) == (0, 1), output(added) + output(refused)
    assert signed_in_proxy.tunnels == []
    for result in (added, refused):
        assert THROUGH_PROXY not in output(result)
