"""Load more pressed with the mouse (or Space) in Find…, and Kombo's log as a long link,
against the real sandbox over HTTP (qt/lookup_dialog.py, qt/log_link.py).

After Load more, however it was pressed, the focus waits in the results: Enter there picks
only a row the person chose, never the one a search selected by itself. Kombo's log is
one long word: it wraps within its dialog, and a click or Enter on it still opens it.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLabel

from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.lookup_dialog import CHOOSE_A_ROW_FIRST, CandidateLookupDialog
from kombo_desktop.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.lookup_support import (
    TIMEOUT_MS,
    button,
    first_of_pages,
    ids_shown,
    run_search,
    search_field,
    show_active_lookup,
    top_rows,
    wait_idle,
)
from tests.profiles_support import click, fill_form, show_dialog
from tests.qt_helpers import OpenedAddresses, find_by_accessible_name, focused
from tests.response_panel_support import assert_readable_in_full, settle

#: Kombo's log of a request as its dashboard writes it, with a long query: one word far
#: wider than the line of either dialog.
LONG_LOG_URL = (
    "https://app.kombo.dev/env/acme-prod/logs/interactions/7f3a9c2e-4b1d-4e8a-9f2b-3c5d7e9a1b2c"
    "?integration_id=workday:HWUTwvyx2wLoSUHphiWVrp28&tab=request&request_id=" + "5bt9xq2c" * 12
)

# ---- Load more with the mouse --------------------------------------------------------------


def _click_load_more(qtbot, dialog: CandidateLookupDialog, *, slow: bool, sandbox: Sandbox) -> None:
    """Click Load more with the mouse; unless ``slow``, wait for the next page."""
    if slow:
        sandbox.inject_fault(Fault.slow_body(5), path_contains="/ats/candidates", times=1)
    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    assert dialog.is_busy()
    # Load more waits disabled: its focus goes where the rows come.
    assert focused() is dialog.results
    if not slow:
        wait_idle(qtbot, dialog)
        assert len(top_rows(dialog)) == 2


@pytest.mark.parametrize("slow", [False, True], ids=["next page shown", "next page loading"])
def test_enter_after_a_click_on_load_more_picks_no_row_nobody_chose(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard: list[tuple[Any, str]], slow: bool
) -> None:
    dialog, picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    # The first page's single row was selected by the dialog; the person chose no row.
    _click_load_more(qtbot, dialog, slow=slow, sandbox=fresh_sandbox)

    heard.clear()
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    # As after Enter on Load more: nothing picked, and the person is told how to pick.
    assert picked == []
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST
    assert heard == [(dialog.pick_hint, CHOOSE_A_ROW_FIRST)]
    if slow:
        QTest.keyClick(dialog.results, Qt.Key.Key_Escape)  # no need to wait for the page
        wait_idle(qtbot, dialog)

    # Once the person chooses a row with the keys, Enter picks that row.
    QTest.keyClick(dialog.results, Qt.Key.Key_End)
    chosen = dialog.selected_id()
    assert chosen == ids_shown(dialog)[-1]
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enter_after_space_on_load_more_picks_no_row_nobody_chose(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    load_more = button(dialog, "Load more")
    load_more.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(load_more, Qt.Key.Key_Space)
    assert focused() is dialog.results
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2

    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST


def test_tabbing_away_and_back_after_a_click_on_load_more_chooses_no_row(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    _click_load_more(qtbot, dialog, slow=False, sandbox=fresh_sandbox)
    # Tab leaves the results and Shift+Tab comes back: the same row is current, and
    # the person has chosen none.
    QTest.keyClick(dialog.results, Qt.Key.Key_Tab)
    elsewhere = focused()
    assert elsewhere is not None
    assert elsewhere is not dialog.results
    QTest.keyClick(elsewhere, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.results

    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST


def test_enter_after_a_click_on_load_more_picks_the_row_chosen_with_the_keys_before(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    QTest.keyClick(dialog.results, Qt.Key.Key_Home)  # the person chooses the row
    chosen = dialog.selected_id()
    assert chosen == ids_shown(dialog)[0]
    # No Enter went to Load more, so none can follow it by mistake: the row stays chosen.
    _click_load_more(qtbot, dialog, slow=False, sandbox=fresh_sandbox)
    assert dialog.selected_id() == chosen

    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen]
    assert not dialog.isVisible()


# ---- Kombo's log as a long link ------------------------------------------------------------


def _refuse_with_a_long_log(sandbox: Sandbox, path: str) -> None:
    fault = Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403, log_url=LONG_LOG_URL)
    sandbox.inject_fault(fault, path_contains=path, times=1)


def _point_on_the_link(link: QLabel) -> QPoint:
    """A point inside the link's address, in the label: its middle, on a line the address
    fills (it takes several)."""
    document = link.findChild(QTextDocument)
    assert document is not None
    centre = link.contentsRect().center()
    # The label draws its document from its top left corner, as wide as the label.
    assert document.documentLayout().anchorAt(QPointF(centre)) == LONG_LOG_URL
    return centre


def _assert_wraps_within(link: QLabel, dialog: QDialog, width_before: int) -> None:
    """The link keeps its dialog's width and ends within it, every line of it shown: its
    address is broken across lines, not drawn past the label's right edge."""
    settle()
    assert link.isVisible()
    assert dialog.width() == width_before
    right = link.mapTo(dialog, link.rect().topRight()).x()
    assert right < dialog.width()
    assert_readable_in_full(link)
    document = link.findChild(QTextDocument)
    assert document is not None
    link.grab()  # laid out as it is painted
    assert document.idealWidth() <= document.textWidth()
    assert link.heightForWidth(link.width()) > 2 * link.fontMetrics().height()
    # One link, to the whole address; read out as the address.
    shown = LONG_LOG_URL.replace("&", "&amp;")
    assert link.text().count("<a ") == 1
    assert f'<a href="{shown}">{shown}</a>' in link.text()
    assert link.accessibleDescription() == f"Kombo log: {LONG_LOG_URL}"


def test_a_long_log_address_in_find_wraps_within_the_dialog_and_opens(
    qtbot, worker, connection, fresh_sandbox: Sandbox, browser: OpenedAddresses
) -> None:
    _refuse_with_a_long_log(fresh_sandbox, "/ats/candidates")
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    width_before = dialog.width()
    QTest.keyClicks(search_field(dialog, "Search email"), "someone@example.com")
    run_search(qtbot, dialog)
    link = dialog.log_link
    _assert_wraps_within(link, dialog, width_before)

    # A click on the address opens it.
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=_point_on_the_link(link))
    qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=TIMEOUT_MS)
    assert browser.opened == [QUrl(LONG_LOG_URL).toString()]
    # So does Enter, the label reached with Tab.
    link.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(link, Qt.Key.Key_Return)
    assert browser.opened == [QUrl(LONG_LOG_URL).toString()] * 2
    # The browser opens beside the dialog, whose refused search stays shown.
    assert dialog.isVisible()
    assert not dialog.is_busy()
    assert dialog.status_label.text().startswith("Kombo refused this computer's IP address.")


def test_a_long_log_address_under_the_connection_test_wraps_within_the_dialog_and_opens(
    qtbot, worker, memory_keyring, fresh_sandbox: Sandbox, browser: OpenedAddresses
) -> None:
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    fill_form(dialog, name="Sandbox", key=DEMO_API_KEY, base_url=fresh_sandbox.base_url)
    settle()
    width_before = dialog.width()
    _refuse_with_a_long_log(fresh_sandbox, "/check-api-key")
    with qtbot.waitSignal(dialog.connectionTested, timeout=TIMEOUT_MS):
        click(qtbot, dialog, "Test connection")
    link = find_by_accessible_name(dialog, "Kombo's log", QLabel)
    _assert_wraps_within(link, dialog, width_before)

    qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=_point_on_the_link(link))
    qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=TIMEOUT_MS)
    assert browser.opened == [QUrl(LONG_LOG_URL).toString()]
