"""The total limit ending a request: "may have been added" only once something was sent.

Before the connection stands (TCP and TLS), nothing can have reached Kombo: a total limit
that fires then is a connect timeout, and sending again is safe. From the first byte of
the request on, a POST may have been added, and the message must say so.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from kombo_desktop.core.client import KomboClient, Timeouts
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import NetworkError, NetworkErrorKind
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")

#: As the command line builds them for ``--timeout 2``: the total fires with the connect
#: limit, not after it.
CLI_TWO_SECONDS = Timeouts(connect=2, read=2, total=2)


@pytest.fixture
def silent_tls_server() -> Iterator[str]:
    """An https base URL on loopback that accepts TCP and never answers the TLS hello."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)  # so that the thread sees the end without a connection
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.getsockname()[1]}/v1"
    finally:
        done.set()
        thread.join(timeout=5)
        server.close()
        for held_socket in held:
            held_socket.close()


def connection_to(base_url: str) -> Connection:
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url
    )


def candidate(sandbox: Sandbox) -> Target:
    return Target.parse(TargetKind.CANDIDATE, sandbox.candidates[0]["id"])


def send(connection: Connection, target: Target, timeouts: Timeouts) -> Any:
    async def go() -> Any:
        async with KomboClient(connection, timeouts=timeouts) as client:
            return await client.add_result_link(target, REQUEST)

    return asyncio.run(go())


@pytest.mark.parametrize(
    "timeouts", [CLI_TWO_SECONDS, Timeouts(connect=10, read=10, total=1)], ids=["cli", "total"]
)
def test_a_total_limit_during_the_tls_handshake_says_nothing_was_added(silent_tls_server, timeouts):
    target = Target.parse(TargetKind.CANDIDATE, "abc")
    with pytest.raises(NetworkError) as caught:
        send(connection_to(silent_tls_server), target, timeouts)
    error = caught.value
    assert error.kind is NetworkErrorKind.CONNECT_TIMEOUT
    assert error.may_have_been_applied is False
    assert error.detail == f"No connection within {timeouts.total:g} s"
    message = describe_error(error)
    assert message.text.startswith("Kombo did not answer in time while connecting.")
    assert "may already have been added" not in message.text
    assert not message.may_have_been_applied


def test_a_total_limit_while_the_answer_is_slow_says_it_may_have_been_added(
    fresh_sandbox, connection
):
    # Kombo took the request (the sandbox stores the link) and is slow to answer it.
    fresh_sandbox.inject_fault(Fault.slow_body(3.0), times=1)
    target = candidate(fresh_sandbox)
    with pytest.raises(NetworkError) as caught:
        send(connection, target, Timeouts(connect=2, read=2, total=0.5))
    error = caught.value
    assert error.kind is NetworkErrorKind.READ_TIMEOUT
    assert error.may_have_been_applied is True
    assert error.detail == "No complete answer within 0.5 s"
    assert "may already have been added" in describe_error(error).text


def test_a_slow_answer_on_a_reused_connection_may_have_been_added_too(fresh_sandbox, connection):
    # The second request goes out on the first one's kept-alive connection: no connecting
    # is seen, and the request is on its way at once.
    target = candidate(fresh_sandbox)
    stored_before = len(fresh_sandbox.result_links(target.id))

    async def go() -> NetworkError:
        async with KomboClient(connection, timeouts=Timeouts(connect=2, read=2, total=0.5)) as c:
            assert (await c.add_result_link(target, REQUEST)).status_code == 200
            fresh_sandbox.inject_fault(Fault.slow_body(3.0), times=1)
            with pytest.raises(NetworkError) as caught:
                await c.add_result_link(target, REQUEST)
            return caught.value

    error = asyncio.run(go())
    assert error.kind is NetworkErrorKind.READ_TIMEOUT
    assert error.may_have_been_applied is True
    # It was: the second link is stored too.
    assert len(fresh_sandbox.result_links(target.id)) == stored_before + 2
