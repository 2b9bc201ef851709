"""Find… in the main window: it follows the window's connection while it is open (a
profile moved to another customer by the command line, say), and its button is named
for what it picks."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QTreeView

from kombo_desktop.core.messages import FIND_CONNECTION_CHANGED
from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_email,
    candidate_with_applications,
    line_edit,
    open_search,
    picked_words,
)
from tests.profiles_support import keyed, picker_of, window_on
from tests.qt_helpers import find_by_accessible_name

OTHER_INTEGRATION_ID = "personio:OTHERINTEGRATION123"


def _search_by_email(qtbot, dialog: QDialog, email: str) -> QTreeView:
    """Search ``email`` in Find… and wait for its answer; the results."""
    find_by_accessible_name(dialog, "Search email", QLineEdit).setText(email)
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Search", QPushButton), Qt.MouseButton.LeftButton
    )
    assert isinstance(dialog, CandidateLookupDialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT_MS)
    return find_by_accessible_name(dialog, "Search results", QTreeView)


def _move_to(qtbot, window: MainWindow, profile: Profile, integration_id: str) -> None:
    """Move ``profile`` to ``integration_id`` as another process would (the command line),
    and wait for the window to send there."""
    ProfileStore().update_with(profile.id, lambda p: replace(p, integration_id=integration_id))
    picker = picker_of(window)
    qtbot.waitUntil(
        lambda: (
            (c := picker.current_connection()) is not None and c.integration_id == integration_id
        ),
        timeout=WAIT_MS,
    )


def test_find_drops_the_old_customers_people_when_the_integration_changes(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    candidate = candidate_with_applications(fresh_sandbox, 1)
    dialog = open_search(qtbot, window)
    assert isinstance(dialog, CandidateLookupDialog)
    results = _search_by_email(qtbot, dialog, candidate_email(candidate))
    assert results.model().rowCount() == 1

    _move_to(qtbot, window, acme, OTHER_INTEGRATION_ID)

    # None of them can be picked into a form that now goes to another customer.
    assert results.model().rowCount() == 0
    assert not find_by_accessible_name(dialog, "Use selected", QPushButton).isEnabled()
    assert dialog.status_label.text() == FIND_CONNECTION_CHANGED
    assert dialog.isVisible()
    assert line_edit(window, "Target ID").text() == ""
    assert picked_words(window) == ""


def test_find_searches_the_new_customer_and_vouches_for_a_pick_there(
    qtbot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = keyed(fresh_sandbox, "Acme")
    window = window_on(qtbot, acme)
    candidate = candidate_with_applications(fresh_sandbox, 1)
    dialog = open_search(qtbot, window)
    _move_to(qtbot, window, acme, OTHER_INTEGRATION_ID)
    before = len(fresh_sandbox.requests)
    _search_by_email(qtbot, dialog, candidate_email(candidate))
    sent = {r.headers.get("x-integration-id") for r in fresh_sandbox.requests[before:]}
    assert sent == {OTHER_INTEGRATION_ID}

    # Back to the first customer while Find… is still open: found and picked there, the
    # ID is vouched for with whose it is.
    _move_to(qtbot, window, acme, DEMO_INTEGRATION_ID)
    results = _search_by_email(qtbot, dialog, candidate_email(candidate))
    assert results.model().rowCount() == 1
    results.setCurrentIndex(results.model().index(0, 0))
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Use selected", QPushButton), Qt.MouseButton.LeftButton
    )
    assert line_edit(window, "Target ID").text() == candidate["id"]
    assert picked_words(window).startswith(candidate["first_name"])


def test_find_is_named_for_the_kind_it_picks(qtbot, window: MainWindow) -> None:
    kinds = window.form.target_type
    find = window.form.find_button
    assert (find.accessibleName(), find.toolTip()) == (
        "Find candidate",
        "Search candidates by e-mail or name and pick one",
    )
    kinds.setCurrentIndex(kinds.findData(TargetKind.APPLICATION.value))
    assert button(window, "Find application") is find
    assert find.toolTip() == "Search candidates by e-mail or name and pick an application"
    kinds.setCurrentIndex(kinds.findData(TargetKind.CANDIDATE.value))
    assert button(window, "Find candidate") is find
