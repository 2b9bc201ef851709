"""The server itself: recording, concurrency, keep-alive, raw HTTP edge cases, stop and CLI."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_INTEGRATION_ID,
    Fault,
    RecordedRequest,
    Sandbox,
    run_cli,
    server,
)
from tests.sandbox.conftest import AUTH, TLS

BODY = {"label": "Assessment Result", "url": "https://example.com/r/1"}
REPO_ROOT = Path(__file__).resolve().parents[2]


def raw_exchange(sandbox: Sandbox, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read one response with http.client's parser."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_base_url_and_port(sandbox: Sandbox) -> None:
    assert sandbox.port > 0
    assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/v1"


def test_requests_are_recorded_raw(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    client.get("/ats/candidates", params={"email": "a b@example.com"})
    client.post(f"/ats/candidates/{candidate_id}%2Fx/result-links", json=BODY)
    first, second = sandbox.requests
    assert isinstance(first, RecordedRequest)
    assert first.method == "GET"
    assert first.path == "/v1/ats/candidates?email=a+b%40example.com"
    assert first.body == b""
    assert second.method == "POST"
    assert second.path == f"/v1/ats/candidates/{candidate_id}%2Fx/result-links"
    assert second.headers["authorization"] == f"Bearer {DEMO_API_KEY}"
    assert second.headers["x-integration-id"] == DEMO_INTEGRATION_ID
    assert second.headers["content-type"] == "application/json"
    assert all(name == name.lower() for name in second.headers)
    assert second.json() == BODY
    # A copy: changing it changes nothing in the sandbox.
    sandbox.requests.clear()
    assert len(sandbox.requests) == 2
    sandbox.clear_requests()
    assert sandbox.requests == []


def test_result_links_are_copies(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    client.post(f"/ats/candidates/{candidate_id}/result-links", json=BODY)
    sandbox.result_links(candidate_id)[0]["label"] = "changed"
    assert sandbox.result_links(candidate_id) == [BODY]
    assert sandbox.result_links("unknown") == []


def test_concurrent_requests_are_all_answered(sandbox: Sandbox) -> None:
    candidates = sandbox.candidates[:20]
    # Latency keeps the requests in flight together; a server answering one at a time
    # would answer them all too, but never more than one at once.
    sandbox.set_latency(100)
    limits = httpx.Limits(max_connections=20)
    with httpx.Client(
        base_url=sandbox.base_url, headers=AUTH, limits=limits, timeout=30, verify=TLS
    ) as c:

        def post(candidate_id: str) -> int:
            return c.post(f"/ats/candidates/{candidate_id}/result-links", json=BODY).status_code

        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(post, [cand["id"] for cand in candidates]))
    assert statuses == [200] * 20
    assert len(sandbox.requests) == 20
    assert sandbox.peak_concurrent_requests > 1
    for candidate in candidates:
        assert sandbox.result_links(candidate["id"]) == [BODY]


def test_requests_one_after_another_never_overlap(client: httpx.Client, sandbox: Sandbox) -> None:
    for _ in range(3):
        assert client.get("/check-api-key").status_code == 200
    assert sandbox.peak_concurrent_requests == 1
    sandbox.clear_requests()
    assert sandbox.peak_concurrent_requests == 0


def test_keep_alive_reuses_the_connection(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request("GET", "/v1/check-api-key", headers=AUTH)
        first = connection.getresponse()
        assert first.status == 200
        first.read()
        sock = connection.sock
        assert sock is not None
        for path in ("/v1/ats/candidates?page_size=1", "/v1/nothing-here", "/v1/check-api-key"):
            connection.request("GET", path, headers=AUTH)
            response = connection.getresponse()
            assert response.getheader("Content-Length") is not None
            response.read()
            assert connection.sock is sock
    finally:
        connection.close()


def test_malformed_request_gets_a_json_answer(sandbox: Sandbox) -> None:
    status, headers, body = raw_exchange(sandbox, b"GARBAGE\r\n\r\n")
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["status"] == "error"


def test_unknown_method_gets_a_json_answer(sandbox: Sandbox) -> None:
    status, headers, body = raw_exchange(sandbox, b"BREW /v1/check-api-key HTTP/1.1\r\n\r\n")
    assert status == 501
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] is None


@pytest.mark.parametrize(
    ("framing", "status", "said"),
    [
        (b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411, "chunked"),
        # Which one frames the body cannot be told. Before: the last one was used, and
        # what was left over would be read as the next request.
        (
            b"Content-Length: 5\r\nContent-Length: 2\r\n\r\n{}",
            400,
            "several Content-Length headers",
        ),
    ],
    ids=["chunked", "content lengths that differ"],
)
def test_a_body_framed_otherwise_than_by_one_length_is_refused_and_closed(
    sandbox: Sandbox, framing: bytes, status: int, said: str
) -> None:
    request = b"POST /v1/ats/candidates/x/result-links HTTP/1.1\r\nHost: x\r\n" + framing
    answered, headers, body = raw_exchange(sandbox, request)
    assert answered == status
    assert headers["connection"] == "close"
    error = json.loads(body)["error"]
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert said in error["message"]


def _post_raw_link(sandbox: Sandbox, body: bytes) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as it is to the first candidate's result links; the status and JSON."""
    target = sandbox.candidates[0]["id"]
    head = (
        f"POST /v1/ats/candidates/{target}/result-links HTTP/1.1\r\nHost: x\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in AUTH.items())
        + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    status, _headers, answer = raw_exchange(sandbox, head.encode("ascii") + body)
    return status, json.loads(answer)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            b'{"label": "a", "url": "https://example.com/r", "details": {'
            b'"custom_field_name_prefix": "p", "attributes": [{"key": "'
            + b"\\ud800" * 31
            + b'", "value": "v"}]}}',
            "half of a character",
        ),
        (b'{"\\ud800": 1, "label": "a", "url": "https://example.com/r"}', "half of a character"),
        (b'{"label": "a", "url": "https://example.com/r", "x": ' + b"9" * 5000 + b"}", "too long"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
    ],
    ids=["half a character in a key", "half a character as a name", "long number", "deep"],
)
def test_a_body_no_answer_could_quote_is_refused_before_anything_is_stored(
    sandbox: Sandbox, body: bytes, said: str
) -> None:
    # Before: the link was stored, then the answer failed, and the connection closed with
    # no answer at all (or no answer, nothing stored): a send in doubt the sandbox made.
    status, answer = _post_raw_link(sandbox, body)
    assert status == 400
    assert answer["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert said in answer["error"]["message"]
    assert sandbox.result_links(sandbox.candidates[0]["id"]) == []


def test_huge_body_is_refused_with_413(sandbox: Sandbox) -> None:
    request = b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"
    status, _, body = raw_exchange(sandbox, request)
    assert status == 413
    assert json.loads(body)["status"] == "error"


def send_all(sock: socket.socket, pieces: list[bytes]) -> None:
    """Send ``pieces`` one after another, as a client streaming a body does."""
    for piece in pieces:
        sock.sendall(piece)


def link_body_of(size: int) -> bytes:
    """A result link's JSON body of about ``size`` bytes (its label makes up the size)."""
    return json.dumps({**BODY, "label": "x" * size}).encode("utf-8")


def post_as_the_app_does(sandbox: Sandbox, path: str, content: Any) -> httpx.Response:
    """POST ``content`` with httpx's async client, as the app's client does: the whole body
    is sent before the answer is read."""

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(
            base_url=sandbox.base_url, headers=AUTH, timeout=10.0, verify=TLS
        ) as client:
            return await client.post(path, content=content)

    return asyncio.run(post())


@pytest.mark.parametrize("size", [4 * 1024 * 1024, 16 * 1024 * 1024])
def test_a_body_too_large_is_refused_with_413_that_reaches_a_client_still_sending(
    sandbox: Sandbox, size: int
) -> None:
    # A sandbox that closed with the body unread would have the connection reset, and the
    # refusal lost with it: the app would then say the link "may already have been added".
    candidate_id = sandbox.candidates[0]["id"]
    path = f"/ats/candidates/{candidate_id}/result-links"
    response = post_as_the_app_does(sandbox, path, link_body_of(size))
    assert response.status_code == 413
    assert response.headers["connection"] == "close"
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert sandbox.result_links(candidate_id) == []


def test_a_chunked_body_is_refused_with_411_that_reaches_a_client_still_sending(
    sandbox: Sandbox,
) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    body = link_body_of(4 * 1024 * 1024)

    async def pieces() -> AsyncIterator[bytes]:
        # A stream of unknown length: httpx sends it chunked.
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    path = f"/ats/candidates/{candidate_id}/result-links"
    response = post_as_the_app_does(sandbox, path, pieces())
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert sandbox.result_links(candidate_id) == []


def test_a_refused_body_is_read_no_further_than_the_bound(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A client that sends without end must not hold a sandbox thread: past the bound the
    # sandbox closes, and the client's further sending is refused.
    monkeypatch.setattr(server, "REFUSED_BODY_DISCARD_BYTES", 1024 * 1024)
    head = b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as sock:
        sock.sendall(head)
        # 64 MiB: far past the bound and any socket buffer. A sandbox that stopped reading
        # without closing would show as a timeout instead, which is no ConnectionError.
        pieces = [b"x" * 65536] * 1024
        with pytest.raises(ConnectionError):
            send_all(sock, pieces)


def test_a_client_that_stops_sending_a_refused_body_is_let_go(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "REFUSED_BODY_DISCARD_SECONDS", 0.2)
    head = b"POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as sock:
        sock.sendall(head)
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        response.read()

        def closed_by_the_sandbox() -> bool:
            # Once the sandbox has closed, what is sent is answered with a reset.
            try:
                sock.sendall(b"x")
            except ConnectionError:
                return True
            return False

        wait_until(closed_by_the_sandbox)


def test_head_has_headers_but_no_body(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    try:
        connection.request("HEAD", "/v1/check-api-key", headers=AUTH)
        response = connection.getresponse()
        assert response.status == 200
        assert int(response.getheader("Content-Length") or 0) > 0
        assert response.read() == b""
    finally:
        connection.close()


def test_stop_is_idempotent_and_refuses_restart() -> None:
    sandbox = Sandbox().start()
    assert sandbox.start() is sandbox
    sandbox.stop()
    sandbox.stop()
    with pytest.raises(RuntimeError):
        sandbox.start()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.base_url}/check-api-key", headers=AUTH, verify=TLS)


def test_stopping_an_unstarted_sandbox() -> None:
    sandbox = Sandbox()
    sandbox.stop()
    with pytest.raises(RuntimeError):
        sandbox.serve_forever()


def test_stop_closes_kept_alive_connections() -> None:
    sandbox = Sandbox().start()
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, timeout=10.0, verify=TLS) as client:
        assert client.get("/check-api-key").status_code == 200
        sandbox.stop()
        with pytest.raises(httpx.TransportError):
            client.get("/check-api-key")


def test_stop_does_not_wait_for_a_slow_body() -> None:
    sandbox = Sandbox().start()
    sandbox.inject_fault(Fault.slow_body(600.0))
    outcome: queue.Queue[BaseException | int] = queue.Queue()

    def call() -> None:
        try:
            response = httpx.get(
                f"{sandbox.base_url}/check-api-key", headers=AUTH, timeout=600, verify=TLS
            )
            outcome.put(response.status_code)
        except BaseException as exc:
            outcome.put(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    wait_until(lambda: len(sandbox.requests) == 1)
    stopper = threading.Thread(target=sandbox.stop, daemon=True)
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive()
    # The client's half-answered request ends too, with an error rather than a body.
    assert isinstance(outcome.get(timeout=30), httpx.TransportError)


def test_serve_forever_in_a_thread_until_stop() -> None:
    sandbox = Sandbox()
    thread = threading.Thread(target=sandbox.serve_forever, daemon=True)
    thread.start()
    assert (
        httpx.get(f"{sandbox.base_url}/check-api-key", headers=AUTH, verify=TLS).status_code == 200
    )
    sandbox.stop()
    thread.join(30)
    assert not thread.is_alive()


def test_verbose_logs_requests_without_headers(capfd: pytest.CaptureFixture[str]) -> None:
    with Sandbox(verbose=True) as sandbox:
        httpx.get(f"{sandbox.base_url}/check-api-key", headers=AUTH, verify=TLS)
    quiet = Sandbox().start()
    httpx.get(f"{quiet.base_url}/ats/candidates", headers=AUTH, verify=TLS)
    quiet.stop()
    err = capfd.readouterr().err
    assert '"GET /v1/check-api-key" 200' in err
    assert "/ats/candidates" not in err
    assert DEMO_API_KEY not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_run_cli(sig: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    code = (
        "import sys\nfrom kombo_desktop.sandbox import run_cli\n"
        "sys.exit(run_cli('127.0.0.1', 0, 0, None))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None

    def read_lines() -> None:
        for line in stdout:
            lines.put(line)

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        banner: list[str] = []
        while not banner or "Ctrl+C" not in banner[-1]:
            banner.append(lines.get(timeout=30))
        text = "".join(banner)
        assert DEMO_API_KEY in text
        assert DEMO_INTEGRATION_ID in text
        base_url = next(word for word in text.split() if word.startswith("http://"))
        response = httpx.get(f"{base_url}/check-api-key", headers=AUTH, timeout=10, verify=TLS)
        assert response.status_code == 200
        process.send_signal(sig)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    reader.join(30)
    rest = ""
    while not lines.empty():
        rest += lines.get()
    assert "stopped" in rest
    assert process.stderr is not None
    err = process.stderr.read()
    process.stderr.close()
    stdout.close()
    assert "/v1/check-api-key" in err
    assert DEMO_API_KEY not in err
    assert "Traceback" not in err


def test_run_cli_refuses_a_busy_port_and_bad_settings(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("127.0.0.1", sandbox.port, 0, None) == 1
    assert str(sandbox.port) in capsys.readouterr().err
    assert run_cli("127.0.0.1", 0, -5, None) == 2
    assert "latency" in capsys.readouterr().err
    assert run_cli("127.0.0.1", 0, 0, 0.0) == 2


def _wakeups(thread: threading.Thread) -> int:
    """How many times ``thread`` has been woken (its voluntary context switches)."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    return int(
        next(line for line in status.splitlines() if line.startswith("voluntary_ctxt")).split()[1]
    )


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_an_idle_sandbox_does_not_wake_the_computer(sandbox: Sandbox) -> None:
    # The demo runs one for as long as its window is open, on a laptop's battery too.
    serving = next(t for t in threading.enumerate() if t.name == f"kombo-sandbox-{sandbox.port}")
    before = _wakeups(serving)
    time.sleep(1.0)
    # Before: polled for a stop every 50 ms, 20 times a second.
    assert _wakeups(serving) - before <= 2
    # And a stop still ends it at once: it is woken for it.
    sandbox.stop()
    serving.join(5)
    assert not serving.is_alive()
