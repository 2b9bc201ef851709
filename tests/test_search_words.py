"""What Find… says about a refused search, an empty page, Kombo's log and a deleted
candidate, against the real sandbox over HTTP (qt/lookup_dialog.py)."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.messages import NO_CANDIDATES_MATCH
from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from kombo_desktop.sandbox.routes import encode_cursor
from tests.lookup_support import (
    TIMEOUT_MS,
    button,
    run_search,
    search_field,
    shared_last_name,
    show_lookup,
)
from tests.qt_helpers import find_by_accessible_name

LOG_URL = "https://app.kombo.dev/logs/find-7f3a9"
WRONG_ADDRESS = (
    "Nothing answering like Kombo's API was found at this address. Check the region or base URL."
)


def _log_link(dialog: Any) -> QLabel:
    return find_by_accessible_name(dialog, "Kombo's log", QLabel)


def _refuse_search(sandbox: Sandbox, code: str | None, status: int, log_url: str | None) -> None:
    fault = Fault.kombo_error(code, status, message="email: Invalid email", log_url=log_url)
    sandbox.inject_fault(fault, path_contains="/ats/candidates", times=1)


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        (
            "PLATFORM.INPUT_INVALID",
            400,
            "Kombo refused the search. Check the email or names, then search again.",
        ),
        (
            "REMOTE.INPUT_INVALID",
            400,
            "The customer's ATS refused the search. Check the email or names, then search again.",
        ),
        (None, 404, WRONG_ADDRESS),
    ],
)
def test_a_refused_search_is_worded_for_the_search_fields_not_for_a_form(
    qtbot, worker, connection, fresh_sandbox: Sandbox, code: str | None, status: int, words: str
) -> None:
    _refuse_search(fresh_sandbox, code, status, LOG_URL)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "Anna Smith")  # a name in the email box
    run_search(qtbot, dialog)
    speaker = "The server" if words == WRONG_ADDRESS else "Kombo"
    assert dialog.status_label.text() == f"{words}\n{speaker} said: email: Invalid email"
    # Kombo's code and the HTTP status stay one click away, as before.
    assert f"Code: {code or '(none)'}" in dialog.details_text.toPlainText()
    assert f"HTTP status: {status}" in dialog.details_text.toPlainText()


def test_kombos_log_of_a_refused_search_is_a_link_to_open(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # Kombo's answer is no trusted source: its URL is shown escaped, as itself.
    url = 'https://app.kombo.dev/logs/x?a=1&b="2"<i>'
    _refuse_search(fresh_sandbox, "PLATFORM.IP_NOT_WHITELISTED", 403, url)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    run_search(qtbot, dialog)
    link = _log_link(dialog)
    assert link.isVisible()
    assert link.textFormat() == Qt.TextFormat.RichText
    assert link.openExternalLinks()
    assert link.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    assert f'href="{html.escape(url)}"' in link.text()
    assert "<i>" not in link.text()
    # A screen reader hears the address, not the markup.
    interface = QAccessible.queryAccessibleInterface(link)
    assert interface.text(QAccessible.Text.Description) == f"Kombo log: {url}"

    # A new search speaks of itself: the old log goes.
    run_search(qtbot, dialog)
    assert not link.isVisible()


def test_a_log_address_that_is_no_web_address_is_not_offered_as_a_link(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    _refuse_search(fresh_sandbox, "PLATFORM.IP_NOT_WHITELISTED", 403, "javascript:alert(1)")
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    run_search(qtbot, dialog)
    assert not _log_link(dialog).isVisible()
    assert "javascript:alert(1)" in dialog.details_text.toPlainText()


def _page(results: list[dict[str, Any]], next_cursor: str | None = None) -> Fault:
    body = {"status": "success", "data": {"next": next_cursor, "results": results}}
    return Fault.raw(json.dumps(body))


def test_an_empty_page_with_more_to_load_says_more_may_follow(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    name, expected = shared_last_name(fresh_sandbox)
    # Kombo may answer a page with no one on it and a cursor to the next one.
    fresh_sandbox.inject_fault(
        _page([], encode_cursor(0)), path_contains="/ats/candidates", times=1
    )
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), name)
    run_search(qtbot, dialog)
    assert dialog.status_label.text() == (
        "No candidates on this page, but more may follow: use Load more."
    )
    load_more = button(dialog, "Load more")
    assert load_more.isVisible()

    qtbot.mouseClick(load_more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT_MS)
    assert dialog.status_label.text() == f"{len(expected)} candidates found."


def test_an_empty_last_page_still_says_nobody_matches(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(_page([]), path_contains="/ats/candidates", times=1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), "Smith")
    run_search(qtbot, dialog)
    assert dialog.status_label.text() == NO_CANDIDATES_MATCH
    assert not button(dialog, "Load more").isVisible()


def _deleted_candidate(**extra: Any) -> dict[str, Any]:
    candidate = {
        "id": "cand-1",
        "first_name": "Anna",
        "last_name": "Smith",
        "remote_deleted_at": "2026-01-02T00:00:00Z",
        "email_addresses": [{"email_address": "anna@example.com", "type": "PERSONAL"}],
        "applications": [
            {"id": "app-1", "job": {"name": "Backend Engineer"}, "current_stage": None}
        ],
    }
    candidate.update(extra)
    return candidate


@pytest.mark.parametrize(
    ("kind", "candidate", "expected"),
    [
        (
            TargetKind.CANDIDATE,
            _deleted_candidate(),
            ("cand-1", "Anna Smith (deleted in the ATS) · anna@example.com"),
        ),
        (
            TargetKind.APPLICATION,
            _deleted_candidate(),
            ("app-1", "Anna Smith (deleted in the ATS) · Backend Engineer"),
        ),
        (
            TargetKind.CANDIDATE,
            _deleted_candidate(first_name=None, last_name=None, email_addresses=[]),
            ("cand-1", "(deleted in the ATS)"),
        ),
    ],
)
def test_a_candidate_deleted_in_the_ats_stays_marked_once_picked(
    qtbot,
    worker,
    connection,
    fresh_sandbox: Sandbox,
    kind: TargetKind,
    candidate: dict[str, Any],
    expected: tuple[str, str],
) -> None:
    fresh_sandbox.inject_fault(_page([candidate]), path_contains="/ats/candidates", times=1)
    dialog = show_lookup(qtbot, worker, connection, kind)
    QTest.keyClicks(search_field(dialog, "Search last name"), "Smith")
    run_search(qtbot, dialog)
    assert "(deleted in the ATS)" in dialog.results_model.index(0, 0).data()
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        qtbot.mouseClick(button(dialog, "Use selected"), Qt.MouseButton.LeftButton)
    # The words shown next to the picked ID say it too.
    assert tuple(picked.args) == expected
