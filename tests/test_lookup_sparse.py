"""Find… in the main window, against the sandbox over HTTP, with the seed's sparse
candidates: what the ATS left out is said in words in the results, and a pick fills
the Target ID all the same."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import NO_APPLICATIONS_TO_PICK, CandidateLookupDialog
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import TIMEOUT_MS, button, run_search, search_field, top_rows
from tests.main_window_support import line_edit, open_search, picked_words

#: The seed's sparse candidates, by what each of them has.
EMAIL_ONLY = "talent.pool.4471@example.net"
FIRST_NAME, LAST_NAME = "Nadia", "Haddad"


def _seeded(sandbox: Sandbox, *, email: str = "", last_name: str = "") -> dict[str, Any]:
    """The seeded candidate with that address, or that last name."""
    return next(
        c
        for c in sandbox.candidates
        if any(e["email_address"] == email for e in c.get("email_addresses") or [])
        or (last_name and c["last_name"] == last_name)
    )


def _find(qtbot, window: MainWindow, *, email: str = "", first: str = "", last: str = "") -> Any:
    """Find… opened from the window, searched for what is given, with its answer."""
    dialog = open_search(qtbot, window)
    assert isinstance(dialog, CandidateLookupDialog)
    for name, text in (
        ("Search email", email),
        ("Search first name", first),
        ("Search last name", last),
    ):
        QTest.keyClicks(search_field(dialog, name), text)
    run_search(qtbot, dialog)
    return dialog


def _rows_under(dialog: CandidateLookupDialog, row: int) -> list[list[str]]:
    """The texts of the application rows under the candidate of ``row``."""
    model = dialog.results_model
    parent = model.index(row, 0)
    return [
        [model.index(child, column, parent).data() for column in range(model.columnCount())]
        for child in range(model.rowCount(parent))
    ]


def _use(qtbot, dialog: CandidateLookupDialog, index: QModelIndex) -> None:
    dialog.results.setCurrentIndex(index)
    with qtbot.waitSignal(dialog.picked, timeout=TIMEOUT_MS):
        qtbot.mouseClick(button(dialog, "Use selected"), Qt.MouseButton.LeftButton)


def _choose_applications(window: MainWindow) -> None:
    combo = window.form.target_type
    combo.setCurrentIndex(combo.findData(TargetKind.APPLICATION.value))


def test_a_candidate_without_a_name_is_listed_as_such_and_picked(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = _seeded(fresh_sandbox, email=EMAIL_ONLY)
    dialog = _find(qtbot, window, email=EMAIL_ONLY)
    # Not the Kombo ID in the Name column, where it would read as a name.
    assert top_rows(dialog) == [["(no name)", EMAIL_ONLY, "0 applications", candidate["id"]]]
    assert dialog.status_label.text() == "1 candidate found."

    _use(qtbot, dialog, dialog.results_model.index(0, 0))
    assert line_edit(window, "Target ID").text() == candidate["id"]
    # Whose the ID is: what the ATS gave, no words for what it did not.
    assert picked_words(window) == EMAIL_ONLY


def test_a_candidate_without_an_email_or_stages_is_listed_in_words_and_picked(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = _seeded(fresh_sandbox, last_name=LAST_NAME)
    no_job, with_job = candidate["applications"]
    dialog = _find(qtbot, window, first=FIRST_NAME, last=LAST_NAME)
    name = f"{FIRST_NAME} {LAST_NAME}"
    assert top_rows(dialog) == [[name, "(no email)", "2 applications", candidate["id"]]]
    assert _rows_under(dialog, 0) == [
        ["(no job)", "(no stage)", "Unknown", no_job["id"]],
        [with_job["job"]["name"], "(no stage)", "Pending", with_job["id"]],
    ]

    _use(qtbot, dialog, dialog.results_model.index(0, 0))
    assert line_edit(window, "Target ID").text() == candidate["id"]
    assert picked_words(window) == name


def test_an_application_without_a_job_or_stage_is_picked(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = _seeded(fresh_sandbox, last_name=LAST_NAME)
    no_job = candidate["applications"][0]
    _choose_applications(window)
    dialog = _find(qtbot, window, first=FIRST_NAME, last=LAST_NAME)
    model = dialog.results_model
    _use(qtbot, dialog, model.index(0, 0, model.index(0, 0)))
    assert line_edit(window, "Target ID").text() == no_job["id"]
    assert picked_words(window) == f"{FIRST_NAME} {LAST_NAME}"


def test_a_candidate_without_applications_has_none_to_pick(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    _choose_applications(window)
    dialog = _find(qtbot, window, email=EMAIL_ONLY)
    assert [row[0] for row in top_rows(dialog)] == ["(no name)"]
    dialog.results.setCurrentIndex(dialog.results_model.index(0, 0))
    assert not button(dialog, "Use selected").isEnabled()
    assert dialog.pick_hint.text() == NO_APPLICATIONS_TO_PICK
    dialog.reject()
    assert line_edit(window, "Target ID").text() == ""
