"""The window through the computer's proxy, as a recruiter in a company network uses it:
Manage profiles' Test connection and a send from the main window, with the real dialog,
the real window, the real network thread and a real proxy on loopback
(``tests/test_proxies.py`` tells how Kombo's address is reached through it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.messages import REFUSED_ON_THE_WAY
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.main_window_support import (
    build_window,
    candidate_id,
    line_edit,
    submit_and_wait,
    type_into,
)
from tests.main_window_support import fill_form as fill_send_form
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


def _test_connection(qtbot, dialog: ProfilesDialog, key: str = DEMO_API_KEY) -> tuple[bool, QLabel]:
    fill_form(dialog, name="Acme", key=key, base_url=KOMBO_URL)
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
    # A test that passed says which way it went too, without the proxy's sign-in.
    assert f"Through proxy: {signed_in_proxy.address}" in result.toolTip()
    for shown in (result.text(), result.toolTip()):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


def test_a_key_kombo_refuses_through_the_proxy_names_the_proxy_in_the_detail(
    qtbot, dialog, signed_in_proxy, monkeypatch
):
    monkeypatch.setenv("HTTPS_PROXY", signed_in_proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
    ok, result = _test_connection(qtbot, dialog, key="ks_dev_wrongKey_000000000000")
    assert not ok
    assert "Kombo did not accept the API key" in result.text()
    assert "Code: PLATFORM.AUTHENTICATION_INVALID" in result.toolTip()
    assert f"Through proxy: {signed_in_proxy.address}" in result.toolTip()
    for shown in (result.text(), result.toolTip()):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


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
    assert f"Through proxy: {signed_in_proxy.address}" in result.toolTip()
    for shown in (result.text(), result.toolTip()):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


# ---- a send from the main window ---------------------------------------------------------------

#: An ID the sandbox knows no candidate by: Kombo answers 404 ``PLATFORM.INPUT_INVALID``.
UNKNOWN_CANDIDATE = "NoSuchCandidate000000000"


def _window_to(qtbot, sandbox: Sandbox, base_url: str) -> MainWindow:
    """The main window, its connection bar holding the demo credentials for ``base_url``."""
    window = build_window(qtbot, sandbox)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    bar.set_values(api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url)
    return window


def _facts_shown(window: MainWindow) -> str:
    """The last answer's facts as the window shows them, as plain text."""
    return QTextDocumentFragment.fromHtml(window.response.facts_text()).toPlainText()


def _send_to(qtbot, window: MainWindow, target_id: str) -> str:
    """Send the form again, to ``target_id``; the facts of the answer shown."""
    line_edit(window, "Target ID").clear()
    type_into(qtbot, window, "Target ID", target_id)
    submit_and_wait(qtbot, window)
    return _facts_shown(window)


def test_a_send_through_the_proxy_names_it_for_a_success_and_for_kombos_error(
    qtbot, signed_in_proxy, monkeypatch, fresh_sandbox
):
    monkeypatch.setenv("HTTPS_PROXY", signed_in_proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
    window = _window_to(qtbot, fresh_sandbox, KOMBO_URL)
    fill_send_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    assert window.response.state() == "success", window.response.summary_text()
    added = _facts_shown(window)
    refused = _send_to(qtbot, window, UNKNOWN_CANDIDATE)
    assert window.response.state() == "error", window.response.summary_text()
    assert "Code: PLATFORM.INPUT_INVALID" in refused
    said = f"Through proxy: {signed_in_proxy.address}"
    assert said in added
    assert said in refused
    assert set(signed_in_proxy.tunnels) == {f"{KOMBO_HOST}:443"}
    for shown in (added, refused, window.response.details_text()):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


def test_a_send_that_went_direct_names_no_proxy(qtbot, signed_in_proxy, monkeypatch, fresh_sandbox):
    # The proxy is set, but this computer (the sandbox) is always reached directly.
    monkeypatch.setenv("HTTPS_PROXY", signed_in_proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
    window = _window_to(qtbot, fresh_sandbox, fresh_sandbox.base_url)
    fill_send_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    assert window.response.state() == "success", window.response.summary_text()
    added = _facts_shown(window)
    refused = _send_to(qtbot, window, UNKNOWN_CANDIDATE)
    assert window.response.state() == "error", window.response.summary_text()
    assert signed_in_proxy.tunnels == []
    for shown in (added, refused):
        assert "HTTP status" in shown
        assert "Through proxy" not in shown
