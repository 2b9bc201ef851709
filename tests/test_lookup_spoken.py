"""What the Find… dialog says aloud when an Enter in its results picks nothing.

The hint shows under the results, away from the focus (in the results): a screen reader
user who pressed Enter hears it only when it is announced.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import CHOOSE_A_ROW_FIRST, CandidateLookupDialog
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import (
    button,
    candidate_index,
    candidate_with_applications,
    email_of,
    run_search,
    search_field,
    shared_last_name,
    show_lookup,
    wait_idle,
)
from tests.qt_helpers import focused, wait_active


def _said_for_hint(dialog: CandidateLookupDialog, heard: list[tuple[Any, str]]) -> list[str]:
    return [words for speaker, words in heard if speaker is dialog.pick_hint]


def _more_loaded_with_enter(
    qtbot, worker: ApiWorker, connection: Connection, sandbox: Sandbox
) -> tuple[CandidateLookupDialog, list[str]]:
    """A search answered a row a page, then Enter on Load more: the dialog, with the
    second page in and the focus in the results, and the IDs it picks from now on."""
    last_name, _expected = shared_last_name(sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=1)
    dialog.activateWindow()
    wait_active(qtbot, dialog)
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    field = search_field(dialog, "Search last name")
    QTest.keyClicks(field, last_name)
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    load_more = button(dialog, "Load more")
    load_more.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(load_more, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert dialog.results_model.rowCount() == 2
    assert focused() is dialog.results
    return dialog, picked


def test_the_hint_after_load_more_is_said_at_each_enter(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    dialog, picked = _more_loaded_with_enter(qtbot, worker, connection, fresh_sandbox)
    heard.clear()
    # The Enter may follow Load more at once: it picks nothing, and says how to pick.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST
    assert heard == [(dialog.pick_hint, CHOOSE_A_ROW_FIRST)]
    # Pressed again, it is said again: each press gets its answer.
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert _said_for_hint(dialog, heard) == [CHOOSE_A_ROW_FIRST] * 2
    # Once the person chooses a row, Enter picks it, and nothing more is said of how.
    QTest.keyClick(dialog.results, Qt.Key.Key_Home)
    chosen = dialog.selected_id()
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen]
    assert _said_for_hint(dialog, heard) == [CHOOSE_A_ROW_FIRST] * 2


def test_an_enter_on_a_candidate_with_several_applications_says_to_pick_one(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    QTest.keyClicks(search_field(dialog, "Search email"), email_of(candidate))
    run_search(qtbot, dialog)
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    dialog.results.setCurrentIndex(candidate_index(dialog, 0))
    dialog.results.setFocus()
    heard.clear()
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert _said_for_hint(dialog, heard) == ["Pick one of this candidate's applications."]
