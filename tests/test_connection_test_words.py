"""What the profiles dialog's "Test connection" says about a wrong address, and how it
offers Kombo's log, against the real sandbox over HTTP (qt/connection_check.py)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.profiles_support import TIMEOUT, click, fill_form, show_dialog, type_into, widget
from tests.qt_helpers import shown_tooltip, tooltip_words

LOG_URL = "https://app.kombo.dev/logs/test-7f3a9"
WRONG_ADDRESS = (
    "Nothing answering like Kombo's API was found at this address. Check the region or base URL."
)


@pytest.fixture
def dialog(qtbot, worker, memory_keyring) -> ProfilesDialog:
    return show_dialog(qtbot, ProfileStore(), KeyStore(), worker)


def _test(qtbot, dialog: Any) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT) as outcome:
        click(qtbot, dialog, "Test connection")
    assert outcome.args[1] == _result(dialog).text()
    return outcome.args[0], outcome.args[1]


def _result(dialog: Any) -> QLabel:
    label: QLabel = widget(dialog, "Connection test result", QLabel)
    return label


def _log_link(dialog: Any) -> QLabel:
    label: QLabel = widget(dialog, "Kombo's log", QLabel)
    return label


def test_a_base_url_without_its_version_is_worded_as_a_wrong_address(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    # A common slip: the API's root without "/v1". Kombo's answer there has no code.
    root = fresh_sandbox.base_url.removesuffix("/v1")
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=root)
    ok, text = _test(qtbot, dialog)
    assert not ok
    assert text.startswith(f"{WRONG_ADDRESS}\n")
    assert "ID" not in text  # the key check uses no ID


def test_a_web_page_at_the_base_url_is_worded_as_a_wrong_address(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    # What a web server or a proxy at a mistyped base URL answers.
    fresh_sandbox.inject_fault(Fault.html_error(404), path_contains="/check-api-key", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    ok, text = _test(qtbot, dialog)
    assert not ok
    assert text == WRONG_ADDRESS
    # What came back stays at hand.
    assert "HTTP status: 404" in _result(dialog).toolTip()
    assert "text/html" in _result(dialog).toolTip()


def test_a_proxys_error_page_for_a_server_in_trouble_is_not_blamed_on_the_address(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(Fault.html_error(502), path_contains="/check-api-key", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    ok, text = _test(qtbot, dialog)
    assert not ok
    assert text == (
        "Kombo's server, or one on the way to it, had a problem and could not answer. Trying "
        "again in a few minutes usually helps."
    )


def test_a_refused_key_check_offers_kombos_log_as_a_link_and_keeps_the_code(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    url = f"{LOG_URL}?a=1&b=2"
    fault = Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403, log_url=url)
    fresh_sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    ok, text = _test(qtbot, dialog)
    assert not ok
    assert text.startswith("Kombo refused this computer's IP address.")
    link = _log_link(dialog)
    assert link.isVisible()
    assert link.openExternalLinks()
    assert link.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    assert f'href="{html.escape(url)}"' in link.text()
    # Right below the result it belongs to.
    assert 0 <= link.y() - _result(dialog).geometry().bottom() < 30
    tooltip = _result(dialog).toolTip()
    assert "Code: PLATFORM.IP_NOT_WHITELISTED" in tooltip
    assert "HTTP status: 403" in tooltip

    # Changing what was tested forgets the result, its log with it.
    type_into(dialog, "Integration ID", "acme:other")
    assert _result(dialog).text() == ""
    assert not link.isVisible()
    assert _result(dialog).toolTip() == ""


def test_kombos_code_and_title_in_the_results_tooltip_are_never_read_as_markup(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    fault = Fault.kombo_error("<b>CODE</b><!--", 403, title="<img src='file:///etc/x.png'>")
    fresh_sandbox.inject_fault(fault, path_contains="/check-api-key", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    ok, _text = _test(qtbot, dialog)
    assert not ok
    result = _result(dialog)
    words, markup = tooltip_words(shown_tooltip(qtbot, result, result.toolTip()))
    # Before: drawn as markup, the code bold, and the comment hid every line after it.
    assert "<b>CODE</b><!--" in words
    assert "<img src='file:///etc/x.png'>" in words
    assert "HTTP status: 403" in words
    assert "<img" not in markup


def test_a_refused_integration_read_offers_kombos_log_too(
    qtbot, dialog: ProfilesDialog, fresh_sandbox: Sandbox
) -> None:
    fault = Fault.kombo_error("INTEGRATION.INACTIVE", 403, log_url=LOG_URL)
    fresh_sandbox.inject_fault(fault, path_contains="/ats/candidates", times=1)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    ok, text = _test(qtbot, dialog)
    assert not ok
    assert "integration is inactive" in text
    assert _log_link(dialog).isVisible()
    assert f'href="{LOG_URL}"' in _log_link(dialog).text()

    # A test that works has no log to offer.
    ok, _ = _test(qtbot, dialog)
    assert ok
    assert not _log_link(dialog).isVisible()
