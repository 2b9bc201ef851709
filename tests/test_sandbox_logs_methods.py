"""The sandbox over HTTP: a log link (``/v1/logs/<id>``) takes GET and HEAD, with or
without a key, and answers any other method with a 405 that allows those two, as every
other path of the sandbox answers a method it does not take."""

from __future__ import annotations

import httpx
import pytest

from kombo_desktop.sandbox import Sandbox
from tests.sandbox.conftest import AUTH, TLS

#: Methods a log link does not take.
OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@pytest.fixture
def log_url(fresh_sandbox: Sandbox) -> str:
    """A log link as the sandbox gives one, with the error of a path it does not know."""
    with httpx.Client(base_url=fresh_sandbox.base_url, headers=AUTH, verify=TLS) as http:
        answer = http.get("/ats/jobs")
    assert answer.status_code == 404
    log_link: str = answer.json()["error"]["log_url"]
    return log_link


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("headers", [{}, AUTH], ids=["without a key", "with the key"])
def test_another_method_on_a_log_link_is_not_allowed(
    log_url: str, method: str, headers: dict[str, str]
) -> None:
    answer = httpx.request(method, log_url, headers=headers, verify=TLS, timeout=10.0)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD"
    error = answer.json()["error"]
    path = httpx.URL(log_url).path
    assert error["message"] == f"{method} is not supported on {path}; use GET."


def test_a_body_sent_to_a_log_link_is_not_allowed_either(log_url: str) -> None:
    answer = httpx.post(log_url, json={"label": "x"}, verify=TLS, timeout=10.0)
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD"


def test_a_log_link_still_opens_without_a_key(log_url: str) -> None:
    page = httpx.get(log_url, verify=TLS, timeout=10.0)
    head = httpx.head(log_url, verify=TLS, timeout=10.0)
    assert page.status_code == head.status_code == 200
    assert page.json()["status"] == "success"
    assert head.content == b""
    assert head.headers["content-length"] == str(len(page.content))
