"""Shared pieces of the candidate lookup tests (qt/lookup_dialog.py): showing the dialog,
finding its fields and buttons, searching and reading what it shows, and picking
candidates of the sandbox's seed to search for."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import ID_ROLE, CandidateLookupDialog
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Fault, Sandbox
from tests.qt_helpers import find_by_accessible_name, wait_active, wait_exposed

#: How long a test waits for a search, or for the dialog to answer (ms).
TIMEOUT_MS = 15_000


def show_lookup(
    qtbot, worker: ApiWorker, connection: Connection, kind: TargetKind, **kwargs: Any
) -> CandidateLookupDialog:
    """The lookup dialog for ``kind``, shown and exposed; ``kwargs`` go to the dialog."""
    dialog = CandidateLookupDialog(worker, connection, kind, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_exposed(qtbot, dialog)
    return dialog


def show_active_lookup(
    qtbot, worker: ApiWorker, connection: Connection, kind: TargetKind, **kwargs: Any
) -> CandidateLookupDialog:
    """The lookup dialog for ``kind``, shown and active: the keyboard focus moves only in
    the active window. ``kwargs`` go to the dialog."""
    dialog = show_lookup(qtbot, worker, connection, kind, **kwargs)
    dialog.activateWindow()
    wait_active(qtbot, dialog)
    return dialog


def picks(dialog: CandidateLookupDialog) -> list[str]:
    """The IDs ``dialog`` picks from now on (a list that grows with each pick)."""
    picked: list[str] = []
    dialog.picked.connect(lambda target_id, _words: picked.append(target_id))
    return picked


def search_field(dialog: CandidateLookupDialog, name: str) -> QLineEdit:
    """The dialog's search field whose accessible name is ``name``."""
    return find_by_accessible_name(dialog, name, QLineEdit)


def button(dialog: CandidateLookupDialog, name: str) -> QPushButton:
    """The dialog's button whose accessible name is ``name``."""
    return find_by_accessible_name(dialog, name, QPushButton)


def wait_idle(qtbot, dialog: CandidateLookupDialog) -> None:
    """Until the dialog's search (or Load more) has its answer."""
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT_MS)


def run_search(qtbot, dialog: CandidateLookupDialog) -> None:
    """Click Search with what the fields hold, and wait for the answer."""
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    assert dialog.is_busy()
    wait_idle(qtbot, dialog)


def top_rows(dialog: CandidateLookupDialog) -> list[list[str]]:
    """The texts of the result rows of the candidates (not of their applications)."""
    model = dialog.results_model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def candidate_index(dialog: CandidateLookupDialog, row: int) -> QModelIndex:
    """The first cell of the candidate shown in ``row``."""
    return dialog.results_model.index(row, 0)


def ids_shown(dialog: CandidateLookupDialog) -> list[str]:
    """The IDs of the candidates shown, in their order."""
    model = dialog.results_model
    return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]


def candidate_queries(sandbox: Sandbox) -> list[dict[str, list[str]]]:
    """The query of each candidate search the sandbox was asked, in order."""
    return [
        parse_qs(urlsplit(r.path).query)
        for r in sandbox.requests
        if urlsplit(r.path).path.endswith("/ats/candidates")
    ]


def shared_last_name(sandbox: Sandbox) -> tuple[str, list[dict[str, Any]]]:
    """A last name (ASCII, for QTest to type) of two or more seeded candidates, and them."""
    counts = Counter(c["last_name"] for c in sandbox.candidates)
    name = next(n for n, count in counts.items() if count >= 2 and n.isascii())
    return name, [c for c in sandbox.candidates if c["last_name"] == name]


def candidate_with_a_plain_name(sandbox: Sandbox) -> dict[str, Any]:
    """A seeded candidate whose first and last name are one word each, as typed."""
    return next(
        c
        for c in sandbox.candidates
        if len(c["first_name"].split()) == 1 and len(c["last_name"].split()) == 1
    )


def candidate_with_applications(sandbox: Sandbox, count: int) -> dict[str, Any]:
    """A seeded candidate with exactly ``count`` applications."""
    return next(c for c in sandbox.candidates if len(c["applications"]) == count)


def email_of(candidate: dict[str, Any]) -> str:
    """The candidate's first email address."""
    return str(candidate["email_addresses"][0]["email_address"])


def candidate_page(
    results: list[dict[str, Any]], next_cursor: str | None = None, *, warnings: Sequence[str] = ()
) -> Fault:
    """Kombo's answer to a candidate search: one page of ``results``, the cursor to the
    next page, and Kombo's ``warnings`` on it (the sandbox's own search gives none)."""
    body: dict[str, Any] = {"status": "success", "data": {"next": next_cursor, "results": results}}
    if warnings:
        body["warnings"] = [{"message": warning} for warning in warnings]
    return Fault.raw(json.dumps(body))


def first_of_pages(
    qtbot, worker: ApiWorker, connection: Connection, sandbox: Sandbox
) -> tuple[CandidateLookupDialog, list[str]]:
    """A search whose answer comes a row a page, started with Enter in the last name
    field: the dialog showing the first page (its single row selected by the dialog, the
    focus in the results), and the IDs it picks from now on."""
    last_name, _ = shared_last_name(sandbox)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE, page_size=1)
    picked = picks(dialog)
    field = search_field(dialog, "Search last name")
    QTest.keyClicks(field, last_name)
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 1
    assert button(dialog, "Load more").isVisible()
    return dialog, picked
