"""Find…'s tooltips show Kombo's words as they came: never read as markup.

Qt shows a tooltip as rich text when it looks like markup: a candidate's name holding
``<b>``, ``<img src='file:///…'>`` or ``<!--`` would be drawn bold, load a local file,
or hide the real Candidate ID after it. Each test hovers as a person does (the tooltip
Qt shows) and reads what it shows.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QToolTip, QTreeView

from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import (
    candidate_page,
    run_search,
    search_field,
    show_active_lookup,
)
from tests.qt_helpers import find_by_accessible_name, shown_tooltip, tooltip_words

CANDIDATE_ID = "AAAAAAAAAAAAAAAAAAAAAAAA"
FAKE_LAST_NAME = "Smith<br>Candidate ID: FAKEFAKEFAKE<!--"
LOCAL_IMAGE = "<img src='file:///usr/share/icons/hicolor/48x48/apps/x.png' width=400 height=400>"


def _person(cid: str, first: str, last: str, **more: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "first_name": first,
        "last_name": last,
        "email_addresses": [{"email_address": "anna@example.com", "type": "WORK"}],
        "applications": [],
        **more,
    }


def _search_last_name(
    qtbot, worker, connection, sandbox: Sandbox, results: list[dict[str, Any]]
) -> Any:
    sandbox.inject_fault(candidate_page(results), path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    return dialog


def _tooltip_at(dialog: Any, index: QModelIndex) -> str:
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str)
    assert tip
    return tip


def test_a_name_with_markup_shows_as_typed_and_the_real_id_under_it(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = _search_last_name(
        qtbot,
        worker,
        connection,
        fresh_sandbox,
        [_person(CANDIDATE_ID, "<b>Anna</b>", FAKE_LAST_NAME)],
    )
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    model = results.model()
    for column in range(model.columnCount()):
        tip = _tooltip_at(dialog, model.index(0, column))
        words, markup = tooltip_words(shown_tooltip(qtbot, results.viewport(), tip))
        QToolTip.hideText()
        # The real ID is seen, on a line of its own, the fake one only inside the name.
        assert f"Candidate ID: {CANDIDATE_ID}" in words.splitlines()
        assert "Candidate ID: FAKEFAKEFAKE" not in words.splitlines()
        if column == 0:
            assert words.splitlines()[0] == f"<b>Anna</b> {FAKE_LAST_NAME}"
        assert not re.search(r'style="[^"]*font-weight:\s*700', markup)


def test_a_name_with_an_image_loads_no_local_file(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = _search_last_name(
        qtbot,
        worker,
        connection,
        fresh_sandbox,
        [_person(CANDIDATE_ID, LOCAL_IMAGE, "X", applications=[])],
    )
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    tip = _tooltip_at(dialog, results.model().index(0, 0))
    words, markup = tooltip_words(shown_tooltip(qtbot, results.viewport(), tip))
    QToolTip.hideText()
    assert words.splitlines()[0] == f"{LOCAL_IMAGE} X"
    assert "<img" not in markup


def test_an_application_s_job_stage_and_reason_show_as_typed(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    application = {
        "id": "JJJJJJJJJJJJJJJJJJJJJJJJ",
        "outcome": "DECLINED",
        "job": {"name": "<b>Job</b>"},
        "current_stage": {"name": "<i>stage</i>"},
        "rejection_reason_name": "<u>reason</u>",
    }
    dialog = _search_last_name(
        qtbot,
        worker,
        connection,
        fresh_sandbox,
        [_person(CANDIDATE_ID, "Anna", "Smith", applications=[application])],
    )
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    model = results.model()
    job_row = model.index(0, 0, model.index(0, 0))
    words, _ = tooltip_words(shown_tooltip(qtbot, results.viewport(), _tooltip_at(dialog, job_row)))
    QToolTip.hideText()
    assert words.splitlines() == [
        "<b>Job</b>",
        "Application ID: JJJJJJJJJJJJJJJJJJJJJJJJ",
        "Rejection reason: <u>reason</u>",
    ]


def test_the_status_tooltip_shows_kombo_s_code_as_it_came(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    code = "<span style='font-size:40px'>PLATFORM.OK</span>"
    body = {"status": "error", "error": {"code": code, "title": "<b>t</b>", "message": "m"}}
    fresh_sandbox.inject_fault(
        Fault.raw(json.dumps(body), status=400), path_contains="/ats/candidates", times=1
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    status = find_by_accessible_name(dialog, "Search status", QLabel)
    words, markup = tooltip_words(shown_tooltip(qtbot, status, status.toolTip()))
    QToolTip.hideText()
    lines = words.splitlines()
    assert f"Code: {code}" in lines
    assert "Title: <b>t</b>" in lines
    assert not re.search(r'style="[^"]*font-size:\s*40px', markup)
