"""The window through the computer's proxy, as a recruiter in a company network uses it:
Manage profiles' Test connection and a send from the main window, with the real dialog,
the real window, the real network thread and a real proxy on loopback
(``tests/proxy_servers.py`` tells how Kombo's address is reached through it)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.messages import REFUSED_ON_THE_WAY
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.main_window_support import (
    candidate_id,
    line_edit,
    submit_and_wait,
    type_into,
    window_to,
)
from tests.main_window_support import fill_form as fill_send_form
from tests.profiles_support import TIMEOUT, click, fill_form, show_dialog, widget
from tests.proxy_servers import KOMBO_HOST, KOMBO_URL, PROXY_PASSWORD, ForwardProxy
from tests.proxy_support import (
    UNKNOWN_CANDIDATE,
    assert_no_sign_in,
    through,
    use_proxy,
)

# No proxy and no extra CA from this computer: each test sets up the route it tests.
pytestmark = pytest.mark.usefixtures("no_proxy_settings")


@pytest.fixture
def dialog(qtbot, worker, memory_keyring) -> ProfilesDialog:
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


def _test_connection(qtbot, dialog: ProfilesDialog, key: str = DEMO_API_KEY) -> tuple[bool, QLabel]:
    fill_form(dialog, name="Acme", key=key, base_url=KOMBO_URL)
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as outcome:
        click(qtbot, dialog, "Test connection")
    ok, _text = outcome.args
    return ok, widget(dialog, "Connection test result", QLabel)


def _assert_the_detail_names_the_proxy(result: QLabel, proxy: ForwardProxy) -> None:
    """The result's detail (its tooltip) names ``proxy``; neither says its sign-in."""
    assert through(proxy) in result.toolTip()
    assert_no_sign_in(result.text(), result.toolTip())


def test_test_connection_reaches_kombo_through_the_computers_proxy(qtbot, dialog, computers_proxy):
    ok, result = _test_connection(qtbot, dialog)
    assert ok, result.text()
    assert set(computers_proxy.tunnels) == {f"{KOMBO_HOST}:443"}
    assert DEMO_API_KEY.encode() not in computers_proxy.seen
    # A test that passed says which way it went too, without the proxy's sign-in.
    _assert_the_detail_names_the_proxy(result, computers_proxy)


def test_a_key_kombo_refuses_through_the_proxy_names_the_proxy_in_the_detail(
    qtbot, dialog, computers_proxy
):
    ok, result = _test_connection(qtbot, dialog, key="ks_dev_wrongKey_000000000000")
    assert not ok
    assert "Kombo did not accept the API key" in result.text()
    assert "Code: PLATFORM.AUTHENTICATION_INVALID" in result.toolTip()
    _assert_the_detail_names_the_proxy(result, computers_proxy)


def test_a_proxy_that_wants_its_sign_in_is_said_so_with_the_way_in_the_detail(
    qtbot, dialog, signed_in_proxy, monkeypatch
):
    # A sign-in the proxy does not accept (a changed password), which must not be shown.
    wrong = f"{PROXY_PASSWORD}-old"
    use_proxy(monkeypatch, signed_in_proxy, password=wrong)
    ok, result = _test_connection(qtbot, dialog)
    assert not ok
    assert result.text() == REFUSED_ON_THE_WAY
    assert "HTTP status: 407" in result.toolTip()
    _assert_the_detail_names_the_proxy(result, signed_in_proxy)


# ---- a send from the main window ---------------------------------------------------------------


def _facts_shown(window: MainWindow) -> str:
    """The last answer's facts as the window shows them, as plain text."""
    return QTextDocumentFragment.fromHtml(window.response.facts_text()).toPlainText()


def _send_to(qtbot, window: MainWindow, target_id: str) -> str:
    """Send the form again, to ``target_id``; the facts of the answer shown."""
    line_edit(window, "Target ID").clear()
    type_into(qtbot, window, "Target ID", target_id)
    submit_and_wait(qtbot, window)
    return _facts_shown(window)


def _added_then_refused(qtbot, sandbox: Sandbox, base_url: str) -> tuple[MainWindow, str, str]:
    """From a window connected to ``base_url``: a send Kombo takes, then one it refuses (an
    unknown candidate). The window, and the facts shown for each answer."""
    window = window_to(qtbot, sandbox, base_url)
    fill_send_form(qtbot, window, target_id=candidate_id(sandbox))
    submit_and_wait(qtbot, window)
    assert window.response.state() == "success", window.response.summary_text()
    added = _facts_shown(window)
    refused = _send_to(qtbot, window, UNKNOWN_CANDIDATE)
    assert window.response.state() == "error", window.response.summary_text()
    return window, added, refused


def test_a_send_through_the_proxy_names_it_for_a_success_and_for_kombos_error(
    qtbot, computers_proxy, fresh_sandbox
):
    window, added, refused = _added_then_refused(qtbot, fresh_sandbox, KOMBO_URL)
    assert "Code: PLATFORM.INPUT_INVALID" in refused
    said = through(computers_proxy)
    assert said in added
    assert said in refused
    assert set(computers_proxy.tunnels) == {f"{KOMBO_HOST}:443"}
    assert_no_sign_in(added, refused, window.response.details_text())


def test_a_send_that_went_direct_names_no_proxy(qtbot, computers_proxy, fresh_sandbox):
    # The proxy is set, but this computer (the sandbox) is always reached directly.
    _window, added, refused = _added_then_refused(qtbot, fresh_sandbox, fresh_sandbox.base_url)
    assert computers_proxy.tunnels == []
    for shown in (added, refused):
        assert "HTTP status" in shown
        assert "Through proxy" not in shown
