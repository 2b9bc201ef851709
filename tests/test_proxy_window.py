"""Manage profiles' Test connection through the computer's proxy, as a recruiter in a
company network uses it: the real dialog, the real network thread, a real proxy on
loopback (``tests/test_proxies.py`` tells how Kombo's address is reached through it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.messages import REFUSED_ON_THE_WAY
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.profiles_support import click, show_dialog, widget
from tests.test_profiles_gui import TIMEOUT, fill_form
from tests.test_proxies import (
    KOMBO_HOST,
    KOMBO_URL,
    PROXY_PASSWORD,
    PROXY_USER,
    ForwardProxy,
    TlsFront,
    clear_proxy_settings,
    make_certificates,
)


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no proxy and no extra CA, whatever this machine has set."""
    clear_proxy_settings(monkeypatch)


@pytest.fixture
def signed_in_proxy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_sandbox: Sandbox
) -> Iterator[ForwardProxy]:
    """The only way to Kombo: a proxy that asks for its own sign-in, its CA trusted."""
    certificates = make_certificates(tmp_path)
    front = TlsFront(certificates, ("127.0.0.1", fresh_sandbox.port))
    proxy = ForwardProxy(
        {KOMBO_HOST: ("127.0.0.1", front.port)}, sign_in=(PROXY_USER, PROXY_PASSWORD)
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    yield proxy
    proxy.close()
    front.close()


@pytest.fixture
def dialog(qtbot, worker, memory_keyring) -> ProfilesDialog:
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


def _test_connection(qtbot, dialog: ProfilesDialog) -> tuple[bool, QLabel]:
    fill_form(dialog, name="Acme", key=DEMO_API_KEY, base_url=KOMBO_URL)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as outcome:
        click(qtbot, dialog, "Test connection")
    ok, _text = outcome.args
    return ok, widget(dialog, "Connection test result", QLabel)


def test_test_connection_reaches_kombo_through_the_computers_proxy(
    qtbot, dialog, signed_in_proxy, monkeypatch
):
    monkeypatch.setenv("HTTPS_PROXY", signed_in_proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
    ok, result = _test_connection(qtbot, dialog)
    assert ok, result.text()
    assert set(signed_in_proxy.tunnels) == {f"{KOMBO_HOST}:443"}
    assert DEMO_API_KEY.encode() not in signed_in_proxy.seen


def test_a_proxy_that_wants_its_sign_in_is_said_so_with_the_way_in_the_detail(
    qtbot, dialog, signed_in_proxy, monkeypatch
):
    # A sign-in the proxy does not accept (a changed password), which must not be shown.
    wrong = f"{PROXY_PASSWORD}-old"
    monkeypatch.setenv("HTTPS_PROXY", signed_in_proxy.url(user=PROXY_USER, password=wrong))
    ok, result = _test_connection(qtbot, dialog)
    assert not ok
    assert result.text() == REFUSED_ON_THE_WAY
    assert "HTTP status: 407" in result.toolTip()
    assert f"through proxy {signed_in_proxy.address}" in result.toolTip()
    for shown in (result.text(), result.toolTip()):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown
