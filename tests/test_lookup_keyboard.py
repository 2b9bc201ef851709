"""Enter in Find…, wherever the focus is, against the real sandbox over HTTP
(qt/lookup_dialog.py): on a button it presses that button, in the search fields and
elsewhere it searches, on a result row it picks that row; it never picks a row nobody chose.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import NO_CANDIDATES_MATCH
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import CHOOSE_A_ROW_FIRST, ID_ROLE, CandidateLookupDialog
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import (
    button,
    candidate_index,
    candidate_queries,
    candidate_with_applications,
    email_of,
    ids_shown,
    search_field,
    shared_last_name,
    show_lookup,
    top_rows,
    wait_idle,
)
from tests.main_window_support import line_edit, open_search
from tests.qt_helpers import OpenedAddresses, find_by_accessible_name, focused, wait_active


def _active_dialog(
    qtbot, worker: ApiWorker, connection: Connection, kind: TargetKind, **kwargs: Any
) -> CandidateLookupDialog:
    """The dialog, shown and active: the keyboard focus moves only in the active window."""
    dialog = show_lookup(qtbot, worker, connection, kind, **kwargs)
    dialog.activateWindow()
    wait_active(qtbot, dialog)
    return dialog


def _picks(dialog: CandidateLookupDialog) -> list[str]:
    """The IDs the dialog picks from now on."""
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    return picked


def _enter_on(widget: QWidget) -> None:
    """Tab to ``widget`` (put the focus there as Tab does) and press Enter."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert focused() is widget
    QTest.keyClick(widget, Qt.Key.Key_Return)


def _type_and_enter(field: QWidget, text: str) -> None:
    """Type ``text`` into ``field`` and press Enter there: a search starts."""
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)


def _search_by_email(qtbot, dialog: CandidateLookupDialog, candidate: dict[str, Any]) -> None:
    """Type the email and press Enter in the field; wait for the answer."""
    _type_and_enter(search_field(dialog, "Search email"), email_of(candidate))
    wait_idle(qtbot, dialog)


def _search_by_last_name(qtbot, dialog: CandidateLookupDialog, last_name: str) -> None:
    """Type the last name and press Enter in the field; wait for the answer."""
    _type_and_enter(search_field(dialog, "Search last name"), last_name)
    wait_idle(qtbot, dialog)


def _first_of_pages(
    qtbot, worker: ApiWorker, connection: Connection, sandbox: Sandbox
) -> tuple[CandidateLookupDialog, list[str], list[dict[str, Any]]]:
    """A search whose answer comes a row a page: the dialog showing the first page, the
    IDs it picks from now on, and the candidates the search finds."""
    last_name, expected = shared_last_name(sandbox)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=1)
    picked = _picks(dialog)
    _search_by_last_name(qtbot, dialog, last_name)
    assert len(top_rows(dialog)) == 1
    return dialog, picked, expected


def test_tab_from_the_last_name_to_search_and_enter_searches(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    field = search_field(dialog, "Search last name")
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClicks(field, last_name)
    QTest.keyClick(field, Qt.Key.Key_Tab)
    search = button(dialog, "Search")
    assert focused() is search
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert dialog.is_busy()
    wait_idle(qtbot, dialog)
    assert sorted(ids_shown(dialog)) == sorted(c["id"] for c in expected)
    assert dialog.status_label.text() == f"{len(expected)} candidates found."


def test_enter_on_cancel_search_stops_the_search(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.set_latency(3_000)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    _type_and_enter(search_field(dialog, "Search email"), "someone@example.com")
    assert dialog.is_busy()
    _enter_on(button(dialog, "Cancel search"))
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "Search cancelled."
    assert dialog.isVisible()
    # Where the next step starts, as after Space on Cancel search.
    assert focused() is button(dialog, "Search")


def test_enter_on_load_more_adds_the_next_page_and_keeps_the_focus_in_the_results(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked, expected = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    _enter_on(button(dialog, "Load more"))
    assert dialog.is_busy()
    # Load more waits disabled: the focus goes where the rows come, not on to "Use
    # selected" or Cancel, where a second Enter would pick or close.
    assert focused() is dialog.results
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    assert sorted(ids_shown(dialog)) == sorted(c["id"] for c in expected[:2])
    assert picked == []
    assert dialog.isVisible()


def test_enter_on_use_selected_fills_in_the_row_chosen_and_closes(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = open_search(qtbot, window)
    assert isinstance(dialog, CandidateLookupDialog)
    wait_active(qtbot, dialog)
    _search_by_last_name(qtbot, dialog, last_name)
    # The user chooses the second of them with the mouse, then tabs to "Use selected".
    second = candidate_index(dialog, 1)
    chosen = second.data(ID_ROLE)
    assert chosen in {c["id"] for c in expected}
    centre = dialog.results.visualRect(second).center()
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dialog.selected_id() == chosen

    _enter_on(find_by_accessible_name(dialog, "Use selected", QPushButton))
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert line_edit(window, "Target ID").text() == chosen


def test_enter_on_cancel_closes_without_a_pick(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = fresh_sandbox.candidates[0]
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = _picks(dialog)
    _search_by_email(qtbot, dialog, candidate)
    assert dialog.selected_id() == candidate["id"]  # the single result, selected by itself

    _enter_on(dialog.close_button)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert picked == []


def test_enter_on_details_shows_them_and_searches_nothing(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(Fault.server_error(), path_contains="/ats/candidates", times=1)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    _type_and_enter(search_field(dialog, "Search email"), "someone@example.com")
    wait_idle(qtbot, dialog)
    assert dialog.details_button.isVisible()
    assert not dialog.details_text.isVisible()
    searches = len(candidate_queries(fresh_sandbox))

    _enter_on(dialog.details_button)
    assert dialog.details_text.isVisible()
    assert "PLATFORM.UNKNOWN_ERROR" in dialog.details_text.toPlainText()
    assert not dialog.is_busy()
    assert len(candidate_queries(fresh_sandbox)) == searches

    QTest.keyClick(dialog.details_button, Qt.Key.Key_Return)
    assert not dialog.details_text.isVisible()


def test_enter_elsewhere_searches_again_and_never_picks_the_selected_row(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = fresh_sandbox.candidates[0]
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = _picks(dialog)
    _search_by_email(qtbot, dialog, candidate)
    assert dialog.selected_id() == candidate["id"]  # selected by itself, not by the user

    # A click into the status (to copy its words) puts the focus there.
    status = dialog.status_label
    qtbot.mouseClick(status, Qt.MouseButton.LeftButton, pos=status.rect().center())
    assert focused() is status
    QTest.keyClick(status, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.is_busy()  # Enter searches, as in the fields
    wait_idle(qtbot, dialog)
    assert ids_shown(dialog) == [candidate["id"]]
    assert len(candidate_queries(fresh_sandbox)) == 2


def test_enter_on_a_row_that_cannot_be_picked_keeps_the_results(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.APPLICATION)
    picked = _picks(dialog)
    _search_by_email(qtbot, dialog, candidate)
    dialog.results.setCurrentIndex(candidate_index(dialog, 0))
    assert dialog.pick_hint.text() == "Pick one of this candidate's applications."

    dialog.results.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert not dialog.is_busy()
    assert ids_shown(dialog) == [candidate["id"]]
    assert dialog.pick_hint.text() == "Pick one of this candidate's applications."
    assert len(candidate_queries(fresh_sandbox)) == 1


def test_enter_twice_on_load_more_picks_nothing(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The single row of the first page is selected by the dialog, not by the person.
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    # A double press (or a key repeat) of Enter on Load more: the second lands where the
    # focus went when the button disabled itself.
    _enter_on(button(dialog, "Load more"))
    second = focused()
    assert second is not None
    QTest.keyClick(second, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert picked == []
    assert dialog.isVisible()
    assert len(top_rows(dialog)) == 2


def _failed_search(qtbot, dialog: CandidateLookupDialog, fresh_sandbox: Sandbox) -> str:
    """A search that Kombo refuses with its log; the error said."""
    fresh_sandbox.inject_fault(Fault.server_error(), path_contains="/ats/candidates", times=1)
    _type_and_enter(search_field(dialog, "Search email"), "someone@example.com")
    wait_idle(qtbot, dialog)
    assert dialog.log_link.isVisible()
    return dialog.status_label.text()


def test_enter_on_kombos_log_opens_it_and_keeps_the_error(
    qtbot, worker, connection, fresh_sandbox: Sandbox, browser: OpenedAddresses
) -> None:
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    error = _failed_search(qtbot, dialog, fresh_sandbox)
    searches = len(candidate_queries(fresh_sandbox))

    # Tab from Details reaches the log (its first Tab stop: the label, not yet its link).
    dialog.details_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(dialog.details_button, Qt.Key.Key_Tab)
    assert focused() is dialog.log_link
    QTest.keyClick(dialog.log_link, Qt.Key.Key_Return)

    assert len(browser.opened) == 1
    assert "/v1/logs/" in browser.opened[0]
    assert not dialog.is_busy()
    assert len(candidate_queries(fresh_sandbox)) == searches
    assert dialog.status_label.text() == error


def test_enter_in_the_error_details_keeps_them(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    error = _failed_search(qtbot, dialog, fresh_sandbox)
    searches = len(candidate_queries(fresh_sandbox))
    dialog.details_button.click()
    details = dialog.details_text.toPlainText()

    _enter_on(dialog.details_text)
    assert not dialog.is_busy()
    assert len(candidate_queries(fresh_sandbox)) == searches
    assert dialog.status_label.text() == error
    assert dialog.details_text.isVisible()
    assert dialog.details_text.toPlainText() == details


def test_enter_on_a_row_clicked_while_more_load_picks_it(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The next page is slow to come (a slow network, or a wait Kombo asked for).
    dialog, picked = _enter_on_a_slow_load_more(qtbot, worker, connection, fresh_sandbox)
    first_id = dialog.selected_id()
    assert dialog.is_busy()
    # The person clicks the row shown, then presses Enter: the row they chose is picked,
    # as "Use selected" or a double-click would pick it.
    centre = dialog.results.visualRect(candidate_index(dialog, 0)).center()
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert focused() is dialog.results
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [first_id]
    assert not dialog.isVisible()


def test_enter_after_a_new_search_picks_the_single_result_though_load_more_came_before(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    _enter_on(button(dialog, "Load more"))
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    # The person goes back to the email field with the mouse and searches someone else.
    email = search_field(dialog, "Search email")
    qtbot.mouseClick(email, Qt.MouseButton.LeftButton)
    assert focused() is email
    candidate = fresh_sandbox.candidates[0]
    _search_by_email(qtbot, dialog, candidate)
    assert dialog.selected_id() == candidate["id"]
    assert focused() is dialog.results
    # As after any search: Enter on the results picks the single result.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [candidate["id"]]


def test_enter_after_load_more_clicked_with_the_mouse_picks_the_row_clicked_before(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    first_id = dialog.selected_id()
    centre = dialog.results.visualRect(candidate_index(dialog, 0)).center()
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    # A click on Load more: no Enter went to it, so none can follow it by mistake.
    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    assert focused() is dialog.results
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    assert dialog.selected_id() == first_id
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [first_id]


def _enter_on_a_slow_load_more(
    qtbot, worker: ApiWorker, connection: Connection, sandbox: Sandbox
) -> tuple[CandidateLookupDialog, list[str]]:
    """The first page shown, then Enter on Load more while the next page is slow to come:
    the dialog, with the focus in its results, and the IDs it picks from now on."""
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, sandbox)
    sandbox.inject_fault(Fault.slow_body(5), path_contains="/ats/candidates", times=1)
    _enter_on(button(dialog, "Load more"))
    assert focused() is dialog.results
    return dialog, picked


def test_shift_alone_after_enter_on_load_more_does_not_make_enter_pick_a_row_nobody_chose(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The single row of the first page is selected by the dialog, not by the person.
    dialog, picked = _enter_on_a_slow_load_more(qtbot, worker, connection, fresh_sandbox)
    # Shift held with the second Enter: a modifier chooses no row.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert picked == []
    assert dialog.isVisible()


def test_escape_stopping_load_more_does_not_make_enter_pick_a_row_nobody_chose(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked = _enter_on_a_slow_load_more(qtbot, worker, connection, fresh_sandbox)
    QTest.keyClick(dialog.results, Qt.Key.Key_Escape)  # stops the slow page
    wait_idle(qtbot, dialog)
    assert dialog.isVisible()
    assert focused() is dialog.results
    # Esc chose no row: the row the dialog selected by itself is not picked.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()


def test_an_enter_that_picks_nothing_after_load_more_says_how_to_pick(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    dialog.results.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(dialog.results, Qt.Key.Key_Home)  # the person chooses the row
    chosen = dialog.selected_id()
    _enter_on(button(dialog, "Load more"))
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    assert dialog.selected_id() == chosen
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    # The Enter may follow Load more at once, so it picks nothing; it says how to pick.
    assert picked == []
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST
    QTest.keyClick(dialog.results, Qt.Key.Key_Home)  # the person chooses, with a key
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen]


def test_enter_after_alt_m_on_load_more_picks_nothing_and_says_how_to_pick(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    # The single row of the first page is selected by the dialog, not by the person.
    dialog, picked, _ = _first_of_pages(qtbot, worker, connection, fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.slow_body(5), path_contains="/ats/candidates", times=1)
    assert focused() is dialog.results
    # Alt+M, the mnemonic of "Load more", presses it from wherever the focus is.
    qtbot.keyClick(dialog.results, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    # The button shows itself pressed for a moment, then loads the next page.
    qtbot.waitUntil(dialog.is_busy)
    assert focused() is dialog.results
    # The Enter that follows at once was meant for Load more too: it picks nothing.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST


# ---- how a search ended is said: it shows below the results, away from the focus ---------------


def _said_for_status(dialog: CandidateLookupDialog, heard: list[tuple[Any, str]]) -> list[str]:
    return [words for speaker, words in heard if speaker is dialog.status_label]


def test_a_search_that_finds_nobody_is_said_where_the_focus_stays(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    email = search_field(dialog, "Search email")
    _type_and_enter(email, "nobody-at-all@nowhere.example")
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == NO_CANDIDATES_MATCH
    assert focused() is email
    assert _said_for_status(dialog, heard) == [NO_CANDIDATES_MATCH]  # not "Searching…"


def test_the_number_of_candidates_found_is_said(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    last_name, expected = shared_last_name(fresh_sandbox)
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    _search_by_last_name(qtbot, dialog, last_name)
    assert _said_for_status(dialog, heard) == [f"{len(expected)} candidates found."]


def test_a_search_error_is_said(qtbot, worker, connection, fresh_sandbox: Sandbox, heard) -> None:
    dialog = _active_dialog(qtbot, worker, connection, TargetKind.CANDIDATE)
    error = _failed_search(qtbot, dialog, fresh_sandbox)
    assert error.startswith("Kombo ran into an unexpected error.")
    assert focused() is search_field(dialog, "Search email")
    assert _said_for_status(dialog, heard) == [error]
