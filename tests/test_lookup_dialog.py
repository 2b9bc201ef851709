"""The candidate lookup dialog against the real sandbox over HTTP (qt/lookup_dialog.py)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAccessible, QFont, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from kombo_desktop.core.candidate_rows import rows_of
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import NO_CANDIDATES_MATCH
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt import lookup_dialog
from kombo_desktop.qt.lookup_dialog import ID_ROLE, CandidateLookupDialog
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from kombo_desktop.sandbox.seed import build_candidates
from tests.lookup_support import (
    TIMEOUT_MS,
    button,
    candidate_index,
    candidate_queries,
    candidate_with_applications,
    email_of,
    ids_shown,
    run_search,
    search_field,
    shared_last_name,
    show_lookup,
    top_rows,
    wait_idle,
)
from tests.qt_helpers import find_by_accessible_name


def _application_index(dialog: CandidateLookupDialog, row: int, child: int) -> QModelIndex:
    return dialog.results_model.index(child, 0, candidate_index(dialog, row))


def _name(candidate: dict[str, Any]) -> str:
    return f"{candidate['first_name']} {candidate['last_name']}"


def _application_words(candidate: dict[str, Any], application: dict[str, Any]) -> str:
    job, stage = application["job"]["name"], application["current_stage"]["name"]
    return f"{_name(candidate)} · {job} ({stage})"


def _search_value(candidate: dict[str, Any], key: str) -> str:
    return email_of(candidate) if key == "email" else str(candidate[key])


def _only_match_by(sandbox: Sandbox, key: str, other_than: dict[str, Any]) -> dict[str, Any]:
    """A candidate that searching by ``key`` finds alone (and QTest can type: ASCII)."""
    # The seed holds candidates without an email or a name, as ATSs do: none is searched by it.
    field = "email_addresses" if key == "email" else key
    searchable = [c for c in sandbox.candidates if c.get(field)]
    counts = Counter(_search_value(c, key).lower() for c in searchable)
    return next(
        c
        for c in searchable
        if c["id"] != other_than["id"]
        and _search_value(c, key).isascii()
        and counts[_search_value(c, key).lower()] == 1
    )


def before_the_next_row(action: Callable[[], object]) -> QTimer:
    """A single-shot timer that, started with 0 while the dialog makes a row, runs
    ``action`` at the event loop's next turn, before the dialog makes its next row.

    Not ``QTimer.singleShot(0, ...)``, which posts an event: a posted event and the
    dialog's own zero timer for its next row come in either order (on a loaded machine
    the page was all in first). Zero timers come in the order they were started, and
    this one starts before the dialog's, which starts once the row is made."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(action)
    return timer


def test_every_input_has_its_accessible_name(qtbot, worker, connection) -> None:
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    for name in ("Search email", "Search first name", "Search last name"):
        search_field(dialog, name)
    for name in ("Search", "Use selected", "Load more", "Cancel search"):
        button(dialog, name)
    assert dialog.results.accessibleName() == "Search results"


def test_search_by_email_finds_that_candidate_and_ignores_the_names(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    email_field = search_field(dialog, "Search email")
    QTest.keyClicks(search_field(dialog, "Search last name"), "Nobody")
    QTest.keyClicks(email_field, email_of(candidate).upper())
    QTest.keyClick(email_field, Qt.Key.Key_Return)  # Enter searches
    assert dialog.is_busy()
    wait_idle(qtbot, dialog)

    rows = top_rows(dialog)
    assert len(rows) == 1
    assert rows[0][0] == f"{candidate['first_name']} {candidate['last_name']}"
    assert rows[0][1] == email_of(candidate)
    assert rows[0][2] == "2 applications"
    assert dialog.results_model.rowCount(candidate_index(dialog, 0)) == 2
    job = candidate["applications"][0]["job"]["name"]
    assert _application_index(dialog, 0, 0).data() == job
    assert dialog.status_label.text() == "1 candidate found."
    assert candidate_queries(fresh_sandbox) == [
        {"email": [email_of(candidate).upper()], "page_size": ["50"]}
    ]


def test_invisible_characters_copied_around_an_email_do_not_spoil_the_search(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = fresh_sandbox.candidates[2]
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    # As copied from a chat app: a zero-width space and a direction mark come along.
    search_field(dialog, "Search email").setText(f"\u200b{email_of(candidate)}\u200e ")
    run_search(qtbot, dialog)
    assert [row[1] for row in top_rows(dialog)] == [email_of(candidate)]
    assert candidate_queries(fresh_sandbox)[0]["email"] == [email_of(candidate)]


def test_search_by_shared_last_name_lists_all_of_them(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name.lower())
    run_search(qtbot, dialog)
    names = sorted(row[0] for row in top_rows(dialog))
    assert names == sorted(f"{c['first_name']} {c['last_name']}" for c in expected)
    assert not button(dialog, "Load more").isVisible()


def test_a_page_of_results_is_made_off_the_gui_thread(
    qtbot, worker, connection, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page of candidates with dozens of applications each took a third of a second to
    # make on the GUI thread: the dialog froze at each page.
    made_on: list[threading.Thread] = []

    def recording(*args: Any) -> Any:
        made_on.append(threading.current_thread())
        return rows_of(*args)

    monkeypatch.setattr(lookup_dialog, "rows_of", recording)
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION, page_size=1)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)

    assert len(made_on) == 2
    assert threading.main_thread() not in made_on
    # Made elsewhere, the rows show as any: each candidate with their applications.
    assert any(c["applications"] for c in expected[:2])
    assert ids_shown(dialog) == [c["id"] for c in expected[:2]]
    for row, candidate in enumerate(expected[:2]):
        applications = [a["id"] for a in candidate["applications"]]
        parent = candidate_index(dialog, row)
        shown = [
            dialog.results_model.index(child, 0, parent).data(ID_ROLE)
            for child in range(dialog.results_model.rowCount(parent))
        ]
        assert shown == applications


def test_a_large_page_is_made_a_few_rows_at_a_time_and_shown_whole(
    qtbot, worker, connection, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page of 50 candidates with 50 applications each is 10,000 cells: made at once,
    # they held the dialog some 60 ms; made on another thread, they were Qt objects that
    # thread could free as the app quit, which aborted it.
    monkeypatch.setattr(lookup_dialog, "_CELLS_AT_A_TIME", 4)  # a candidate at a time
    seen: list[tuple[threading.Thread, bool, int]] = []
    make_items = lookup_dialog._row_items

    def recording(*args: Any) -> Any:
        seen.append((threading.current_thread(), dialog.is_busy(), model.rowCount()))
        return make_items(*args)

    monkeypatch.setattr(lookup_dialog, "_row_items", recording)
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    model = dialog.results_model
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)

    assert len(seen) == len(expected) >= 2
    # Made on the GUI thread, the search still busy, none shown until all are made.
    assert {thread for thread, _busy, _rows in seen} == {threading.main_thread()}
    assert all(busy and rows == 0 for _thread, busy, rows in seen)
    assert ids_shown(dialog) == [c["id"] for c in expected]
    assert dialog.status_label.text() == f"{len(expected)} candidates found."


def test_a_new_search_while_a_page_is_made_shows_only_its_own_rows(
    qtbot, worker, connection, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup_dialog, "_CELLS_AT_A_TIME", 4)  # a candidate at a time
    make_items = lookup_dialog._row_items
    other = fresh_sandbox.candidates[0]
    assert other["email_addresses"]

    def search_again() -> None:
        # The first search's rows are still being made: none shown, its count not said.
        seen_before.append((ids_shown(dialog), dialog.status_label.text()))
        field = search_field(dialog, "Search email")
        field.setText(email_of(other))
        dialog.search()

    searching_again = before_the_next_row(search_again)
    seen_before: list[tuple[list[str], str]] = []

    def making(*args: Any) -> Any:
        if not searching_again.isActive() and not seen_before:
            searching_again.start(0)  # between the first row made and the next
        return make_items(*args)

    monkeypatch.setattr(lookup_dialog, "_row_items", making)
    last_name, expected = shared_last_name(fresh_sandbox)
    assert other["id"] not in [c["id"] for c in expected]
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    qtbot.waitUntil(lambda: ids_shown(dialog) == [other["id"]], timeout=TIMEOUT_MS)
    wait_idle(qtbot, dialog)
    assert ids_shown(dialog) == [other["id"]]
    assert dialog.status_label.text() == "1 candidate found."
    assert seen_before == [([], "Searching…")]


def test_paging_with_load_more(qtbot, worker, connection, fresh_sandbox: Sandbox) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=1)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    load_more = button(dialog, "Load more")
    assert len(top_rows(dialog)) == 1
    assert load_more.isVisible()
    assert "more are available" in dialog.status_label.text()

    for shown in range(2, len(expected) + 1):
        qtbot.mouseClick(load_more, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, dialog)
        assert len(top_rows(dialog)) == shown
    assert not load_more.isVisible()
    assert dialog.status_label.text() == f"{len(expected)} candidates found."
    ids = {dialog.results_model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(2)}
    assert len(ids) == 2
    queries = candidate_queries(fresh_sandbox)
    assert "cursor" not in queries[0]
    assert all("cursor" in q and q["last_name"] == [last_name] for q in queries[1:])


def test_candidate_mode_picks_the_candidate_even_from_an_application_row(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 3)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(candidate))
    run_search(qtbot, dialog)
    dialog.results.setCurrentIndex(_application_index(dialog, 0, 1))
    assert dialog.selected_id() == candidate["id"]
    use = button(dialog, "Use selected")
    assert use.isEnabled()
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    # The application row stands for its candidate: the words are the candidate's.
    assert picked.args == [candidate["id"], f"{_name(candidate)} · {email_of(candidate)}"]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_application_mode_needs_an_application(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(candidate))
    run_search(qtbot, dialog)
    use = button(dialog, "Use selected")

    dialog.results.setCurrentIndex(candidate_index(dialog, 0))
    assert dialog.selected_id() is None
    assert not use.isEnabled()
    assert dialog.pick_hint.text() == "Pick one of this candidate's applications."
    dialog.accept()  # Enter or a stray click does not close without an application
    assert dialog.isVisible()

    second = _application_index(dialog, 0, 1)
    dialog.results.setCurrentIndex(second)
    assert dialog.selected_id() == candidate["applications"][1]["id"]
    assert use.isEnabled()
    dialog.results.setFocus()
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    application = candidate["applications"][1]
    assert picked.args == [application["id"], _application_words(candidate, application)]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_application_mode_candidate_with_one_application_stands_for_it(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(candidate))
    run_search(qtbot, dialog)
    index = candidate_index(dialog, 0)
    dialog.results.setCurrentIndex(index)
    assert dialog.selected_id() == candidate["applications"][0]["id"]
    centre = dialog.results.visualRect(index).center()
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        # QTest's double click lacks the first click of a real one; send it first.
        qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    application = candidate["applications"][0]
    assert picked.args == [application["id"], _application_words(candidate, application)]


def test_server_error_is_shown_plainly_and_the_dialog_keeps_working(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.server_error(), path_contains="/ats/candidates", times=1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    assert dialog.status_label.text().startswith("Kombo ran into an unexpected error.")
    assert "PLATFORM.UNKNOWN_ERROR" in dialog.status_label.toolTip()
    assert dialog.details_button.isVisible()
    assert "PLATFORM.UNKNOWN_ERROR" in dialog.details_text.toPlainText()
    assert top_rows(dialog) == []

    run_search(qtbot, dialog)
    assert len(top_rows(dialog)) == len(expected)
    assert not dialog.details_button.isVisible()


def test_failed_load_more_keeps_the_results_and_can_be_retried(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, _expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=1)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    fresh_sandbox.inject_fault(Fault.drop_connection(), path_contains="/ats/candidates", times=1)
    load_more = button(dialog, "Load more")
    qtbot.mouseClick(load_more, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text().startswith("The connection to Kombo broke")
    assert len(top_rows(dialog)) == 1
    assert load_more.isVisible()
    assert load_more.isEnabled()
    qtbot.mouseClick(load_more, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2


def test_wrong_key_shows_the_authentication_message(qtbot, worker, fresh_sandbox: Sandbox) -> None:
    wrong = Connection.create(
        api_key="ks_dev_this_key_is_not_known_000000",
        integration_id=DEMO_INTEGRATION_ID,
        base_url=fresh_sandbox.base_url,
    )
    dialog = show_lookup(qtbot, worker, wrong, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    run_search(qtbot, dialog)
    assert dialog.status_label.text().startswith(
        "Kombo did not accept the API key. Check that it is complete, still active, and "
        "meant for this region."
    )
    assert "ks_dev_this_key" not in dialog.status_label.text()
    assert "ks_dev_this_key" not in dialog.details_text.toPlainText()


def test_a_search_the_integration_may_not_make_is_worded_as_a_search(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The same code answers a result link: the recruiter must not be sent to ask for the
    # "Add result links" permission when reading candidates is what was refused.
    refused = Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403)
    fresh_sandbox.inject_fault(refused, path_contains="/ats/candidates", times=1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    run_search(qtbot, dialog)
    assert dialog.status_label.text().startswith(
        "The customer's integration is not allowed to read candidates."
    )
    assert "result link" not in dialog.status_label.text().lower()


def test_no_match_says_so(qtbot, worker, connection, fresh_sandbox: Sandbox) -> None:
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "nobody@example.invalid")
    run_search(qtbot, dialog)
    assert dialog.status_label.text() == NO_CANDIDATES_MATCH
    assert top_rows(dialog) == []
    assert dialog.selected_id() is None
    assert not button(dialog, "Use selected").isEnabled()


def test_searching_needs_a_field(qtbot, worker, connection, fresh_sandbox: Sandbox) -> None:
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search first name"), "   ")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    assert not dialog.is_busy()
    assert dialog.status_label.text() == "Type an email, or a first or last name, to search."
    assert candidate_queries(fresh_sandbox) == []


def test_first_name_only_search(qtbot, worker, connection, fresh_sandbox: Sandbox) -> None:
    # QTest types ASCII only.
    candidate = next(c for c in fresh_sandbox.candidates if c["first_name"].isascii())
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search first name"), candidate["first_name"])
    run_search(qtbot, dialog)
    assert candidate["id"] in {
        dialog.results_model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)
        for r in range(dialog.results_model.rowCount())
    }
    assert candidate_queries(fresh_sandbox)[0].keys() == {"first_name", "page_size"}


def test_cancel_search_stops_waiting(qtbot, worker, connection, fresh_sandbox: Sandbox) -> None:
    fresh_sandbox.set_latency(3_000)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    cancel = button(dialog, "Cancel search")
    assert cancel.isVisible()
    assert dialog.busy.isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "Search cancelled."
    assert not dialog.busy.isVisible()
    assert not cancel.isVisible()


def test_cancel_search_from_the_keyboard_leaves_the_focus_on_search(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.set_latency(3_000)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    cancel = button(dialog, "Cancel search")
    cancel.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(cancel, Qt.Key.Key_Space)
    wait_idle(qtbot, dialog)
    assert QApplication.focusWidget() is button(dialog, "Search")


def test_escape_stops_a_running_search_first_and_closes_next(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.set_latency(3_000)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    email = search_field(dialog, "Search email")
    QTest.keyClicks(email, "someone@example.com")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    assert dialog.is_busy()
    QTest.keyClick(email, Qt.Key.Key_Escape)
    wait_idle(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.status_label.text() == "Search cancelled."
    assert email.text() == "someone@example.com"
    with qtbot.waitSignal(dialog.rejected, timeout=TIMEOUT_MS):
        QTest.keyClick(email, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_wait_kombo_asked_for_is_said_and_can_be_cancelled(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="5"), times=1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.status_label.text().startswith("Kombo asked to slow down"),
        timeout=TIMEOUT_MS,
    )
    qtbot.mouseClick(button(dialog, "Cancel search"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "Search cancelled."


def test_closing_while_searching_does_not_report_later(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.set_latency(500)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    dialog.reject()
    assert not dialog.is_busy()
    qtbot.waitUntil(lambda: not worker.busy, timeout=TIMEOUT_MS)
    assert dialog.status_label.text() == "Searching…"


def test_a_new_search_replaces_the_one_still_running(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    first, second = fresh_sandbox.candidates[1], fresh_sandbox.candidates[2]
    fresh_sandbox.set_latency(400)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    email_field = search_field(dialog, "Search email")
    QTest.keyClicks(email_field, email_of(first))
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    email_field.clear()
    QTest.keyClicks(email_field, email_of(second))
    run_search(qtbot, dialog)
    qtbot.waitUntil(lambda: not worker.busy, timeout=TIMEOUT_MS)
    rows = top_rows(dialog)
    assert [row[1] for row in rows] == [email_of(second)]
    assert dialog.status_label.text() == "1 candidate found."


@pytest.mark.parametrize(
    ("field_name", "key"),
    [
        ("Search email", "email"),
        ("Search first name", "first_name"),
        ("Search last name", "last_name"),
    ],
)
def test_enter_in_a_search_field_searches_again_and_never_picks_the_old_result(
    qtbot, worker, connection, fresh_sandbox: Sandbox, field_name: str, key: str
) -> None:
    first = fresh_sandbox.candidates[0]
    second = _only_match_by(fresh_sandbox, key, other_than=first)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    email_field = search_field(dialog, "Search email")
    QTest.keyClicks(email_field, email_of(first))
    QTest.keyClick(email_field, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    # The single match is selected, so "Use selected" is ready to pick it.
    assert dialog.selected_id() == first["id"]
    assert button(dialog, "Use selected").isEnabled()

    # The user goes back to the fields, asks for someone else and presses Enter.
    qtbot.mouseClick(email_field, Qt.MouseButton.LeftButton)
    QTest.keyClick(email_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(email_field, Qt.Key.Key_Backspace)
    field = search_field(dialog, field_name)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClicks(field, _search_value(second, key))
    QTest.keyClick(field, Qt.Key.Key_Return)

    assert picked == []  # the Target ID would have become the first candidate's
    assert dialog.isVisible()
    assert dialog.is_busy()
    wait_idle(qtbot, dialog)
    assert ids_shown(dialog) == [second["id"]]
    assert picked == []
    assert dialog.isVisible()

    # Enter on the results still picks, and now it is the one searched for.
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS):
        QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [second["id"]]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_new_search_drops_the_old_results_and_a_failed_one_leaves_nothing_to_pick(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    first, second = fresh_sandbox.candidates[0], fresh_sandbox.candidates[1]
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    use = button(dialog, "Use selected")
    email_field = search_field(dialog, "Search email")
    QTest.keyClicks(email_field, email_of(first))
    run_search(qtbot, dialog)
    assert dialog.selected_id() == first["id"]
    assert use.isEnabled()

    fresh_sandbox.inject_fault(Fault.server_error(), path_contains="/ats/candidates", times=1)
    email_field.clear()
    QTest.keyClicks(email_field, email_of(second))
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    assert dialog.is_busy()
    # The old rows answer a question the user no longer asks.
    assert top_rows(dialog) == []
    assert dialog.selected_id() is None
    assert not use.isEnabled()

    wait_idle(qtbot, dialog)
    assert dialog.status_label.text().startswith("Kombo ran into an unexpected error.")
    assert top_rows(dialog) == []
    assert dialog.selected_id() is None
    assert not use.isEnabled()
    assert not button(dialog, "Load more").isVisible()
    dialog.results.setFocus()
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert picked == []
    assert dialog.isVisible()


def _read_out(label: QLabel) -> tuple[str, str]:
    """A label's name and description, as assistive technology reads them."""
    interface = QAccessible.queryAccessibleInterface(label)
    return interface.text(QAccessible.Text.Name), interface.text(QAccessible.Text.Description)


def test_the_search_status_and_the_selection_hint_read_out_what_they_show(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    status = find_by_accessible_name(dialog, "Search status", QLabel)
    hint = find_by_accessible_name(dialog, "Selection hint", QLabel)
    QTest.keyClicks(search_field(dialog, "Search email"), "nobody@example.invalid")
    run_search(qtbot, dialog)
    assert _read_out(status) == ("Search status", NO_CANDIDATES_MATCH)

    search_field(dialog, "Search email").clear()
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(candidate))
    run_search(qtbot, dialog)
    assert _read_out(status) == ("Search status", status.text())
    assert status.text().endswith("found.")
    dialog.results.setCurrentIndex(candidate_index(dialog, 0))
    assert _read_out(hint) == ("Selection hint", "Pick one of this candidate's applications.")
    dialog.results.setCurrentIndex(_application_index(dialog, 0, 0))
    assert _read_out(hint) == ("Selection hint", "")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (TargetKind.CANDIDATE, ("cand-1", "Anna Smith")),
        (TargetKind.APPLICATION, ("app-1", "Anna Smith · Backend Engineer")),
    ],
)
def test_what_the_ats_did_not_give_is_left_out_of_the_picked_words(
    qtbot,
    worker,
    connection,
    fresh_sandbox: Sandbox,
    kind: TargetKind,
    expected: tuple[str, str],
) -> None:
    # An ATS may give no email, and an application without a stage.
    sparse = {
        "id": "cand-1",
        "first_name": "Anna",
        "last_name": "Smith",
        "email_addresses": [],
        "applications": [{"id": "app-1", "job": {"name": "Backend Engineer"}}],
    }
    page = {"status": "success", "data": {"next": None, "results": [sparse]}}
    fresh_sandbox.inject_fault(
        Fault.raw(json.dumps(page)), path_contains="/ats/candidates", times=1
    )
    dialog = show_lookup(qtbot, worker, connection, kind)
    QTest.keyClicks(search_field(dialog, "Search last name"), "Smith")
    run_search(qtbot, dialog)
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        qtbot.mouseClick(button(dialog, "Use selected"), Qt.MouseButton.LeftButton)
    assert tuple(picked.args) == expected


def _column(dialog: CandidateLookupDialog, title: str) -> int:
    model = dialog.results_model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert title in titles
    return titles.index(title)


def _namesakes(sandbox: Sandbox, *, email: str | None) -> list[dict[str, Any]]:
    """Two seeded candidates (their own IDs and applications) as the ATS may also hold
    them: one name, and one email or none."""
    pair = [candidate_with_applications(sandbox, 1), candidate_with_applications(sandbox, 2)]
    for candidate in pair:
        candidate["first_name"], candidate["last_name"] = "Anna", "Smith"
        candidate["email_addresses"] = (
            [{"email_address": email, "type": "PERSONAL"}] if email else []
        )
    return pair


@pytest.mark.parametrize("email", [None, "anna.smith@example.com"], ids=["no email", "one email"])
def test_two_candidates_of_one_name_show_their_own_kombo_ids(
    qtbot, worker, connection, fresh_sandbox: Sandbox, email: str | None
) -> None:
    # The seed has no two people of one name, and the sandbox adds no candidates: the
    # page it answers carries two seeded candidates under one name.
    pair = _namesakes(fresh_sandbox, email=email)
    page = {"status": "success", "data": {"next": None, "results": pair}}
    fresh_sandbox.inject_fault(
        Fault.raw(json.dumps(page)), path_contains="/ats/candidates", times=1
    )
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    if email:
        QTest.keyClicks(search_field(dialog, "Search email"), email)
    else:
        QTest.keyClicks(search_field(dialog, "Search last name"), "Smith")
    run_search(qtbot, dialog)

    id_column = _column(dialog, "Kombo ID")
    rows = top_rows(dialog)
    assert [row[0] for row in rows] == ["Anna Smith", "Anna Smith"]
    assert [row[id_column] for row in rows] == [pair[0]["id"], pair[1]["id"]]
    assert pair[0]["id"] != pair[1]["id"]

    # Shown whole at the dialog's size, without a hover.
    view = dialog.results
    assert not view.isColumnHidden(id_column)
    for row, candidate in enumerate(pair):
        cell = view.visualRect(dialog.results_model.index(row, id_column))
        assert view.viewport().rect().contains(cell)
        assert view.fontMetrics().horizontalAdvance(candidate["id"]) < cell.width()

    # Read out with the row: each cell of a row describes whose ID it is.
    tree = QAccessible.queryAccessibleInterface(view)
    cells = [tree.child(i) for i in range(tree.childCount())]
    heard = [
        cell.text(QAccessible.Text.Description)
        for cell in cells
        if cell.role() == QAccessible.Role.TreeItem
        and cell.text(QAccessible.Text.Name) == "Anna Smith"
    ]
    assert heard == [f"Candidate ID: {candidate['id']}" for candidate in pair]

    # The applications under each show their own IDs, as their tooltips name them.
    for row, candidate in enumerate(pair):
        parent = candidate_index(dialog, row)
        shown = [
            dialog.results_model.index(child, id_column, parent).data()
            for child in range(dialog.results_model.rowCount(parent))
        ]
        assert shown == [application["id"] for application in candidate["applications"]]

    # The ID shown is the one picked.
    dialog.results.setCurrentIndex(candidate_index(dialog, 1))
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS) as picked:
        qtbot.mouseClick(button(dialog, "Use selected"), Qt.MouseButton.LeftButton)
    assert picked.args[0] == rows[1][id_column]


def test_made_as_small_as_it_goes_the_results_still_show_rows_to_choose_from(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The dialog could be made so small that its results showed a row or two, cut in the
    # middle: no list to choose someone from.
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    dialog.resize(1, 1)
    qtbot.waitUntil(lambda: dialog.size() == dialog.minimumSize())

    results = dialog.results
    assert results.viewport().height() >= 3 * results.sizeHintForRow(0)
    header = results.header()
    name_width = header.sectionSize(0)
    id_end = header.sectionViewportPosition(3) + header.sectionSize(3)
    # The name and the Kombo ID that tells namesakes apart, side by side, without scrolling.
    assert name_width >= 12 * results.fontMetrics().averageCharWidth()
    assert id_end <= results.viewport().width()
    assert len(expected) >= 2


def test_with_a_large_font_its_smallest_size_still_fits_the_screen(
    qtbot, worker, connection
) -> None:
    # The room kept for the results' columns grows with the font: with a 14 pt font the
    # dialog could not be made narrower than 1,124 px, past the edges of an 800 px screen.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    usual = app.font()
    large = QFont(usual)
    large.setPointSize(14)
    app.setFont(large)
    try:
        dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    finally:
        app.setFont(usual)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    dialog.resize(1, 1)
    qtbot.waitUntil(lambda: dialog.size() == dialog.minimumSize())
    assert dialog.minimumSize().width() < screen.width()
    assert dialog.frameGeometry().width() <= screen.width()


def _people_of_one_name(count: int) -> list[dict[str, Any]]:
    """``count`` candidates named "Manypeople", of the seed's shape, two applications each."""
    template = next(c for c in build_candidates() if c["applications"])
    application = template["applications"][0]
    return [
        {
            **template,
            "id": f"Manypeople{index:014d}",
            "first_name": f"Person {index}",
            "last_name": "Manypeople",
            "applications": [
                {**application, "id": f"Manypeople{index:07d}{number:07d}"} for number in range(2)
            ],
        }
        for index in range(count)
    ]


def test_cancel_while_a_page_is_made_drops_its_rows_and_load_more_brings_them(
    qtbot, worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = _people_of_one_name(4)
    monkeypatch.setattr(lookup_dialog, "_CELLS_AT_A_TIME", 4)  # a candidate at a time
    make_items = lookup_dialog._row_items
    cancel_next: list[bool] = []
    cancelling = before_the_next_row(lambda: button(dialog, "Cancel search").click())

    def making(*args: Any) -> Any:
        if cancel_next:
            cancel_next.clear()
            cancelling.start(0)  # between the page's first row made and the next
        return make_items(*args)

    monkeypatch.setattr(lookup_dialog, "_row_items", making)
    with Sandbox(extra_candidates=people) as sandbox:
        connection = Connection(
            api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
        )
        dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=2)
        QTest.keyClicks(search_field(dialog, "Search last name"), "Manypeople")
        run_search(qtbot, dialog)
        assert ids_shown(dialog) == [p["id"] for p in people[:2]]

        cancel_next.append(True)
        qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.status_label.text() == "Search cancelled.")
        wait_idle(qtbot, dialog)
        assert not button(dialog, "Cancel search").isVisible()
        assert ids_shown(dialog) == [p["id"] for p in people[:2]]
        # The page cancelled comes again with Load more, whole.
        load_more = button(dialog, "Load more")
        assert load_more.isVisible()
        assert load_more.isEnabled()
        qtbot.mouseClick(load_more, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, dialog)
        assert ids_shown(dialog) == [p["id"] for p in people]
