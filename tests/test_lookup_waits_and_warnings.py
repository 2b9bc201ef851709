"""Find… against the real sandbox over HTTP (qt/lookup_dialog.py): a wait Kombo asked for
counts down as the main window's counts it; a first page of one row with more to load is
not the single result of the search; the row Enter picks is in sight, even after Load
more scrolled it away; and Kombo's warnings on the pages loaded are shown and said.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.logs import REDACTED
from kombo_desktop.core.messages import WARNING_WITHOUT_WORDS
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import CHOOSE_A_ROW_FIRST, ID_ROLE, CandidateLookupDialog
from kombo_desktop.sandbox import Fault, Sandbox
from kombo_desktop.sandbox.routes import encode_cursor
from tests.lookup_support import (
    TIMEOUT_MS,
    button,
    candidate_index,
    candidate_page,
    email_of,
    first_of_pages,
    picks,
    run_search,
    search_field,
    shared_last_name,
    show_active_lookup,
    top_rows,
    wait_idle,
)
from tests.qt_helpers import focused

# ---- a wait Kombo asked for counts down ------------------------------------------------------

#: Long enough to see it go down, short enough for the client to wait it out itself.
RETRY_AFTER_S = 6


def _seconds_shown(dialog: CandidateLookupDialog) -> int | None:
    """The wait the status shows ("trying again in 6 seconds"), if any."""
    found = re.search(r"trying again in (\d+) seconds?", dialog.status_label.text())
    return int(found.group(1)) if found else None


def _start_waiting(qtbot, dialog: CandidateLookupDialog, sandbox: Sandbox) -> None:
    """Search into a rate limit the client waits out; until its wait shows."""
    sandbox.inject_fault(
        Fault.rate_limited(retry_after=str(RETRY_AFTER_S)), path_contains="/ats/candidates", times=1
    )
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(sandbox.candidates[0]))
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _seconds_shown(dialog) == RETRY_AFTER_S, timeout=TIMEOUT_MS)


def _counted_down_to(dialog: CandidateLookupDialog, seconds: int) -> bool:
    shown = _seconds_shown(dialog)
    return shown is not None and shown <= seconds


def test_a_wait_kombo_asked_for_counts_down_and_is_said_once(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    _start_waiting(qtbot, dialog, fresh_sandbox)
    said_at_start = list(heard)
    description_at_start = dialog.status_label.accessibleDescription()
    assert f"trying again in {RETRY_AFTER_S} seconds" in description_at_start
    # Time passes: the wait shown goes down with it.
    qtbot.waitUntil(lambda: _counted_down_to(dialog, RETRY_AFTER_S - 2), timeout=TIMEOUT_MS)
    assert dialog.is_busy()
    # Only what is shown moves on: a screen reader is told nothing more meanwhile.
    assert heard == said_at_start
    assert dialog.status_label.accessibleDescription() == description_at_start
    # The wait runs out and the search goes through, as before.
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "1 candidate found."
    assert _seconds_shown(dialog) is None


def test_escape_still_cancels_while_the_wait_counts_down(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    _start_waiting(qtbot, dialog, fresh_sandbox)
    qtbot.waitUntil(lambda: _counted_down_to(dialog, RETRY_AFTER_S - 1), timeout=TIMEOUT_MS)
    QTest.keyClick(search_field(dialog, "Search email"), Qt.Key.Key_Escape)
    wait_idle(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.status_label.text() == "Search cancelled."
    # Nothing counts on under the answer.
    assert not [timer for timer in dialog.findChildren(QTimer) if timer.isActive()]


# ---- a first page of one row is not the single result ----------------------------------------


def test_enter_does_not_pick_the_one_row_of_a_first_page_with_more_to_load(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    # The person waited in the field: the answer takes them to the results.
    assert focused() is dialog.results
    # The row is the first of several: the person has not chosen it by searching.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST


# ---- the row Enter picks is in sight ---------------------------------------------------------


def _in_sight(dialog: CandidateLookupDialog, index: QModelIndex) -> bool:
    """True when the row of ``index`` shows whole in the results."""
    row = dialog.results.visualRect(index)
    viewport = dialog.results.viewport().rect()
    return viewport.top() <= row.top() and row.bottom() <= viewport.bottom()


def _many_applications_first(sandbox: Sandbox) -> str:
    """A last name of two candidates, the first found with three applications or more:
    a page of one candidate is then several rows in Application mode."""
    for name in dict.fromkeys(str(c["last_name"]) for c in sandbox.candidates):
        found = [c for c in sandbox.candidates if c["last_name"] == name]
        if name.isascii() and len(found) >= 2 and len(found[0]["applications"]) >= 3:
            return name
    raise AssertionError("the seed has no such last name")


def _chosen_then_scrolled_away(
    qtbot, worker: Any, connection: Any, sandbox: Sandbox
) -> tuple[CandidateLookupDialog, QModelIndex, list[str]]:
    """In a small Find application dialog, the first page shown and the first application
    on it chosen with a click; then Load more clicked, which scrolls to the rows it
    brings: the dialog, the row chosen (now out of sight) and the IDs it picks."""
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.APPLICATION, page_size=1)
    # A small window: the results show a few rows only.
    dialog.resize(dialog.width(), dialog.minimumSizeHint().height())
    qtbot.waitUntil(lambda: dialog.height() == dialog.minimumSizeHint().height())
    picked = picks(dialog)
    field = search_field(dialog, "Search last name")
    QTest.keyClicks(field, _many_applications_first(sandbox))
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    chosen = dialog.results_model.index(0, 0, candidate_index(dialog, 0))
    assert _in_sight(dialog, chosen)
    centre = dialog.results.visualRect(chosen).center()
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dialog.results.currentIndex() == chosen
    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    assert dialog.results.currentIndex() == chosen
    assert focused() is dialog.results
    assert not _in_sight(dialog, chosen)  # the new rows pushed it out of view
    return dialog, chosen, picked


def test_the_row_enter_picks_is_brought_into_sight(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, chosen, picked = _chosen_then_scrolled_away(qtbot, worker, connection, fresh_sandbox)
    seen_as_picked: list[bool] = []
    dialog.picked.connect(lambda *_: seen_as_picked.append(_in_sight(dialog, chosen)))
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen.data(ID_ROLE)]
    assert seen_as_picked == [True]


def test_the_chosen_row_comes_into_sight_as_the_focus_comes_back(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, chosen, picked = _chosen_then_scrolled_away(qtbot, worker, connection, fresh_sandbox)
    QTest.keyClick(dialog.results, Qt.Key.Key_Tab)
    elsewhere = focused()
    assert elsewhere is not None
    assert elsewhere is not dialog.results
    QTest.keyClick(elsewhere, Qt.Key.Key_Backtab)
    assert focused() is dialog.results
    assert _in_sight(dialog, chosen)
    assert picked == []
    # A click from elsewhere on a row in sight (the person scrolled down to it) chooses
    # that row: the view does not jump back to the row chosen before under the pointer.
    dialog.results.scrollToBottom()
    QTest.keyClick(dialog.results, Qt.Key.Key_Tab)
    assert focused() is not dialog.results
    last = candidate_index(dialog, 1)
    assert _in_sight(dialog, last)
    assert not _in_sight(dialog, chosen)
    centre = dialog.results.visualRect(last).center()
    qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert focused() is dialog.results
    assert dialog.results.currentIndex() == last


# ---- Kombo's warnings ------------------------------------------------------------------------

#: A warning as Kombo might word it, with a token to mask and an escape sequence (which
#: would retitle a terminal) to strip.
ODD_WARNING = "Some applications could not be read\x1b]0;owned\x07 with Bearer s3cr3tT0ken here."
STALE_WARNING = "The ATS data is 2 hours old."


def _shown_labels(dialog: CandidateLookupDialog) -> str:
    """Every text the dialog's visible labels show."""
    return "\n".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def test_kombos_warnings_on_every_page_loaded_are_shown_and_said(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    last_name, found = shared_last_name(fresh_sandbox)
    first, second = found[:2]
    for page in (
        candidate_page([first], encode_cursor(1), warnings=[ODD_WARNING]),
        # A warning said again on the next page is shown once.
        candidate_page([second], warnings=[STALE_WARNING, ODD_WARNING]),
    ):
        fresh_sandbox.inject_fault(page, path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)

    masked = f"Some applications could not be read]0;owned with Bearer {REDACTED} here."
    shown = _shown_labels(dialog)
    assert "1 warning from Kombo" in shown
    assert masked in shown
    description = dialog.status_label.accessibleDescription()
    assert description.startswith("1 candidate found; more are available (Load more).")
    assert masked in description
    assert (dialog.status_label, description) in heard  # said with the count found
    for text in (shown, description, *(words for _, words in heard)):
        assert "s3cr3tT0ken" not in text
        assert "\x1b" not in text
        assert "\x07" not in text

    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    shown = _shown_labels(dialog)
    assert "2 warnings from Kombo" in shown
    assert shown.count(masked) == 1
    assert STALE_WARNING in shown
    description = dialog.status_label.accessibleDescription()
    assert description.startswith("2 candidates found.")
    assert masked in description
    assert STALE_WARNING in description

    # A new search answers a new question: the warnings of the last one go with its rows.
    run_search(qtbot, dialog)
    assert "warning" not in _shown_labels(dialog)
    assert dialog.status_label.accessibleDescription() == "2 candidates found."


def test_a_warning_without_words_is_said_as_one_in_find(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, found = shared_last_name(fresh_sandbox)
    page = candidate_page([found[0]], warnings=[""])
    fresh_sandbox.inject_fault(page, path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    run_search(qtbot, dialog)
    # As the panel of a send and the command line say it. Before: an empty bullet, and
    # "1 warning from Kombo:." read out.
    assert f"1 warning from Kombo:\n• {WARNING_WITHOUT_WORDS}" in _shown_labels(dialog)
    assert dialog.status_label.accessibleDescription() == (
        f"1 candidate found. 1 warning from Kombo: {WARNING_WITHOUT_WORDS}"
    )
