"""A log address with a user name or password in it ("https://app.kombo.dev@evil.example/…"
goes to evil.example) is shown as text, never offered as a link to open."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import run_search, search_field, show_active_lookup
from tests.qt_helpers import OpenedAddresses
from tests.response_panel_support import answered_with, panel_seen, settle, window_at

ADDRESSES = [
    "https://user:pass@evil.example/logs/1",
    "https://app.kombo.dev@evil.example/logs/1",
    # A character that does not show: the address read is not the one opened.
    "https://app.kombo.dev\u200b.evil.example/logs/1",
]


def _refusal(log_url: str) -> Fault:
    body = {
        "status": "error",
        "error": {"code": "NEW.CODE", "title": "t", "message": "Boom", "log_url": log_url},
    }
    return Fault.raw(json.dumps(body), status=400)


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_panel_shows_such_a_log_address_as_text(
    qtbot, fresh_sandbox: Sandbox, address: str
) -> None:
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, _refusal(address))
    done: list[int] = []
    window.response.when_answer_shown(lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    settle()
    facts = window.response.facts_text()
    assert "<a " not in facts
    assert f"Kombo log:</b> {address}" in facts
    assert f"Kombo log: {address}" in panel_seen(window).facts


@pytest.mark.parametrize("address", ADDRESSES)
def test_find_shows_such_a_log_address_as_text_and_opens_nothing(
    qtbot, worker, connection, fresh_sandbox: Sandbox, browser: OpenedAddresses, address: str
) -> None:
    fresh_sandbox.inject_fault(_refusal(address), path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    link = dialog.log_link
    assert "<a " not in link.text()
    assert address in link.text()
    link.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(link, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert browser.opened == []


def test_a_plain_log_address_is_still_a_link(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    address = "https://app.kombo.dev/logs/1"
    fresh_sandbox.inject_fault(_refusal(address), path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    assert f'<a href="{address}">{address}</a>' in dialog.log_link.text()
