"""Shared pieces of the tests that reach Kombo's address through the computer's proxy: a real
forward proxy on loopback that asks for its own sign-in (``tests/proxy_servers.py`` tells
how), set as the computer's proxy, and checks that its sign-in is never shown.

Its fixtures reach every test through ``pytest_plugins`` in ``tests/conftest.py``. A module
of proxy tests asks for ``no_proxy_settings`` for all its tests (``pytestmark``): automatic
here, it would apply to every test of the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kombo_desktop.core.connection import Connection
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.proxy_servers import (
    KOMBO_HOST,
    KOMBO_URL,
    PROXY_PASSWORD,
    PROXY_USER,
    ForwardProxy,
    TlsFront,
    clear_proxy_settings,
    make_certificates,
)

#: An ID the sandbox knows no candidate by: Kombo answers 404 ``PLATFORM.INPUT_INVALID``.
UNKNOWN_CANDIDATE = "NoSuchCandidate000000000"


@pytest.fixture(name="no_proxy_settings")
def no_proxy_settings_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no proxy and no extra CA, whatever this machine has set."""
    clear_proxy_settings(monkeypatch)


@pytest.fixture(name="kombo")
def kombo_fixture() -> Connection:
    """The demo credentials at Kombo's address, which only the proxy can reach."""
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=KOMBO_URL
    )


@pytest.fixture(name="signed_in_proxy")
def signed_in_proxy_fixture(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_sandbox: Sandbox
) -> Iterator[ForwardProxy]:
    """The only way to Kombo: a proxy that asks for its own sign-in, the company's CA
    trusted. Not yet the computer's proxy: ``use_proxy`` sets it."""
    certificates = make_certificates(tmp_path)
    front = TlsFront(certificates, ("127.0.0.1", fresh_sandbox.port))
    proxy = ForwardProxy(
        {KOMBO_HOST: ("127.0.0.1", front.port)}, sign_in=(PROXY_USER, PROXY_PASSWORD)
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    yield proxy
    proxy.close()
    front.close()


@pytest.fixture(name="computers_proxy")
def computers_proxy_fixture(
    monkeypatch: pytest.MonkeyPatch, signed_in_proxy: ForwardProxy
) -> ForwardProxy:
    """The signed-in proxy set as the computer's proxy, with the sign-in it accepts."""
    use_proxy(monkeypatch, signed_in_proxy)
    return signed_in_proxy


def use_proxy(
    monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, *, password: str = PROXY_PASSWORD
) -> None:
    """Set ``proxy`` as the computer's proxy, its sign-in the proxy's user with
    ``password``."""
    monkeypatch.setenv("HTTPS_PROXY", proxy.url(user=PROXY_USER, password=password))


def through(proxy: ForwardProxy) -> str:
    """The fact that names ``proxy`` as the way a request went."""
    return f"Through proxy: {proxy.address}"


def assert_no_sign_in(*shown: str) -> None:
    """None of the texts ``shown`` says the proxy's user or password."""
    for text in shown:
        assert PROXY_USER not in text
        assert PROXY_PASSWORD not in text
