"""Injected faults, the rate limit and latency."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from kombo_desktop.sandbox import Fault, Sandbox
from tests.sandbox.conftest import AUTH, TLS

BODY = {"label": "Assessment Result", "url": "https://example.com/r/1"}


def post_link(client: httpx.Client, target_id: str, noun: str = "candidates") -> httpx.Response:
    return client.post(f"/ats/{noun}/{target_id}/result-links", json=BODY)


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    return error


def test_server_error(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error())
    candidate_id = sandbox.candidates[0]["id"]
    response = post_link(client, candidate_id)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "PLATFORM.UNKNOWN_ERROR"
    assert error["log_url"].startswith(f"{sandbox.base_url}/logs/")
    # An error answer means nothing was stored.
    assert sandbox.result_links(candidate_id) == []
    sandbox.clear_faults()
    sandbox.inject_fault(Fault.server_error(503))
    assert client.get("/check-api-key").status_code == 503


def test_kombo_error_passes_nulls_through(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(
        Fault.kombo_error(None, 409, message="Setup incomplete", title=None, log_url=None)
    )
    response = client.get("/check-api-key")
    assert response.status_code == 409
    assert response.json() == {
        "status": "error",
        "error": {"code": None, "title": None, "message": "Setup incomplete", "log_url": None},
    }


def test_kombo_error_with_a_code_and_default_log_url(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject_fault(
        Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403, title="Permission missing")
    )
    error = error_of(client.get("/ats/candidates"))
    assert error["code"] == "INTEGRATION.PERMISSION_MISSING"
    assert error["title"] == "Permission missing"
    assert error["log_url"].startswith(f"{sandbox.base_url}/logs/")


def test_non_json(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.non_json())
    response = client.get("/check-api-key")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain"
    assert response.text.startswith("upstream connect error")
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


def test_html_error(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.html_error())
    response = client.get("/check-api-key")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert "<title>502 Bad Gateway</title>" in response.text
    sandbox.clear_faults()
    sandbox.inject_fault(Fault.html_error(504))
    assert "504 Gateway Timeout" in client.get("/check-api-key").text


def test_wrong_shape(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.wrong_shape())
    response = client.get("/ats/candidates")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_drop_connection(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    sandbox.inject_fault(Fault.drop_connection(), times=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post_link(client, candidate_id)
    assert sandbox.result_links(candidate_id) == []
    # The server lives on: the same client gets a normal answer on a new connection.
    assert post_link(client, candidate_id).status_code == 200
    assert len(sandbox.result_links(candidate_id)) == 1


def test_slow_body_makes_the_read_time_out_but_is_processed(sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    sandbox.inject_fault(Fault.slow_body(30.0), times=1)
    timeout = httpx.Timeout(10.0, read=0.2)
    with httpx.Client(
        base_url=sandbox.base_url, headers=AUTH, timeout=timeout, verify=TLS
    ) as client:
        with pytest.raises(httpx.ReadTimeout):
            post_link(client, candidate_id)
        # Like the real API after a timeout: the link may well have been added.
        assert sandbox.result_links(candidate_id) == [BODY]
        assert post_link(client, candidate_id).status_code == 200


def test_slow_body_arrives_complete_for_a_patient_client(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.inject_fault(Fault.slow_body(0.3), path_contains="check-api-key")
    with client.stream("GET", "/check-api-key") as response:
        # Status and headers come at once; the body is held back.
        assert response.status_code == 200
        assert int(response.headers["content-length"]) > 16
        body = response.read()
    assert httpx.Response(200, content=body).json()["status"] == "success"


@pytest.mark.parametrize(("retry_after", "expected"), [("7", "7"), (None, None)])
def test_rate_limited_fault(
    client: httpx.Client, sandbox: Sandbox, retry_after: str | None, expected: str | None
) -> None:
    sandbox.inject_fault(Fault.rate_limited(retry_after))
    response = client.get("/check-api-key")
    assert response.status_code == 429
    assert response.headers.get("retry-after") == expected
    assert error_of(response)["code"] == "PLATFORM.RATE_LIMIT_EXCEEDED"


def test_times_counts_requests(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error(), times=2)
    statuses = [client.get("/check-api-key").status_code for _ in range(4)]
    assert statuses == [500, 500, 200, 200]


def test_fault_without_times_lasts_until_cleared(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error(502))
    assert [client.get("/check-api-key").status_code for _ in range(3)] == [502, 502, 502]
    sandbox.clear_faults()
    assert client.get("/check-api-key").status_code == 200


def test_first_injected_matching_fault_wins(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error(503), times=1)
    sandbox.inject_fault(Fault.server_error(502), times=1)
    statuses = [client.get("/check-api-key").status_code for _ in range(3)]
    assert statuses == [503, 502, 200]


def test_fault_by_candidate_id_hits_only_that_candidate(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    target, other = sandbox.candidates[0]["id"], sandbox.candidates[1]["id"]
    sandbox.inject_fault(Fault.server_error(), candidate_id=target)
    assert post_link(client, other).status_code == 200
    assert client.get("/ats/candidates", params={"ids": target}).status_code == 200
    assert post_link(client, target).status_code == 500
    assert sandbox.result_links(target) == []
    assert sandbox.result_links(other) == [BODY]


def test_fault_by_application_id(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate = next(c for c in sandbox.candidates if len(c["applications"]) >= 2)
    first, second = (a["id"] for a in candidate["applications"][:2])
    sandbox.inject_fault(Fault.drop_connection(), candidate_id=first, times=1)
    assert post_link(client, second, "applications").status_code == 200
    assert post_link(client, candidate["id"]).status_code == 200
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post_link(client, first, "applications")


def test_fault_by_candidate_id_matches_the_decoded_id(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    target = sandbox.candidates[0]["id"]
    sandbox.inject_fault(Fault.server_error(), candidate_id=target, times=1)
    encoded = "".join(f"%{ord(ch):02X}" for ch in target)
    assert post_link(client, encoded).status_code == 500


def test_fault_by_path(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error(), path_contains="/check-api-key")
    assert client.get("/ats/candidates", params={"page_size": 1}).status_code == 200
    assert client.get("/check-api-key").status_code == 500


def test_faults_come_before_authentication(sandbox: Sandbox) -> None:
    sandbox.inject_fault(Fault.server_error(), times=1)
    assert httpx.get(f"{sandbox.base_url}/check-api-key", verify=TLS).status_code == 500
    assert httpx.get(f"{sandbox.base_url}/check-api-key", verify=TLS).status_code == 401


def test_server_rate_limit(client: httpx.Client, sandbox: Sandbox) -> None:
    # One token, refilled only after 100 s: the second request is always over the limit.
    sandbox.set_rate_limit(0.01)
    assert client.get("/check-api-key").status_code == 200
    response = client.get("/check-api-key")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert error_of(response)["code"] == "PLATFORM.RATE_LIMIT_EXCEEDED"
    sandbox.set_rate_limit(None)
    assert client.get("/check-api-key").status_code == 200


def test_rate_limit_comes_before_faults() -> None:
    with Sandbox(rate_limit_per_second=0.01) as limited:
        limited.inject_fault(Fault.server_error(), times=1)
        with httpx.Client(base_url=limited.base_url, headers=AUTH, verify=TLS) as client:
            assert client.get("/check-api-key").status_code == 500
            assert client.get("/check-api-key").status_code == 429
            limited.set_rate_limit(None)
            assert client.get("/check-api-key").status_code == 200


def test_latency_delays_the_answer(sandbox: Sandbox) -> None:
    sandbox.set_latency(2000)
    timeout = httpx.Timeout(10.0, read=0.05)
    with httpx.Client(
        base_url=sandbox.base_url, headers=AUTH, timeout=timeout, verify=TLS
    ) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/check-api-key")
        sandbox.set_latency(0)
        assert client.get("/check-api-key").status_code == 200


def test_bad_settings_are_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="negative"):
        sandbox.set_latency(-1)
    with pytest.raises(ValueError, match="positive"):
        sandbox.set_rate_limit(0)
    with pytest.raises(ValueError, match="times"):
        sandbox.inject_fault(Fault.server_error(), times=0)
    with pytest.raises(ValueError, match="status"):
        Fault.server_error(99)
    with pytest.raises(ValueError, match="negative"):
        Fault.slow_body(-1)


def test_the_server_survives_every_fault(client: httpx.Client, sandbox: Sandbox) -> None:
    faults = [
        Fault.server_error(),
        Fault.kombo_error("REMOTE.SERVICE_UNAVAILABLE", 503),
        Fault.non_json(500),
        Fault.html_error(),
        Fault.wrong_shape(),
        Fault.drop_connection(),
        Fault.slow_body(0.05),
        Fault.rate_limited(),
    ]
    for fault in faults:
        sandbox.inject_fault(fault, times=1)
        try:
            client.get("/check-api-key")
        except httpx.TransportError:
            assert fault.kind == "drop"
        assert client.get("/check-api-key").status_code == 200
    assert len(sandbox.requests) == 2 * len(faults)


def test_a_fault_is_for_requests_that_arrive_after_it(sandbox: Sandbox) -> None:
    # A request still held by the latency (the last one of an earlier test, say) must not
    # take the fault injected for the request sent next.
    sandbox.set_latency(600)
    candidate_id = sandbox.candidates[0]["id"]
    results: list[int] = []

    def early() -> None:
        with httpx.Client(base_url=sandbox.base_url, headers=AUTH, verify=TLS) as http:
            results.append(post_link(http, candidate_id).status_code)

    held = threading.Thread(target=early)
    held.start()
    deadline = time.monotonic() + 5
    while not sandbox.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sandbox.requests, "the first request never arrived"
    sandbox.inject_fault(Fault.server_error(), times=1)
    held.join(10)
    assert results == [200]
    sandbox.set_latency(0)
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, verify=TLS) as http:
        assert post_link(http, candidate_id).status_code == 500


def test_a_fault_added_once_a_request_is_seen_is_for_the_next(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The moment a test can see a request (recorded) is after its arrival: a fault added
    # then is already for the next request.
    state = sandbox._state
    record = type(state).record
    added: list[bool] = []

    def record_then_add_a_fault(self: Any, request: Any) -> None:
        record(self, request)
        if not added:
            added.append(True)
            sandbox.inject_fault(Fault.server_error(), times=1)

    monkeypatch.setattr(type(state), "record", record_then_add_a_fault)
    candidate_id = sandbox.candidates[0]["id"]
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, verify=TLS) as http:
        assert post_link(http, candidate_id).status_code == 200
        assert post_link(http, candidate_id).status_code == 500
