"""Direction overrides in Kombo's words cannot turn the app's own words around.

An override (U+202E) or an isolate (U+2067) left open in Kombo's message, title, code or
warning reverses what follows it on its line: the panel's facts ("HTTP status: 500"), the
app's words after the quote. They are left out where Kombo's words are shown, in the
response panel and in Find…; letters of right-to-left scripts still read as written.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import candidate_page, run_search, search_field, show_active_lookup
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import shown_in_panel

RLO, PDF, LRI, RLI, FSI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069"
DIRECTION_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HEBREW = "שלום עולם"


def _error(code: str, title: str, message: str, status: int = 500) -> Fault:
    body = {"status": "error", "error": {"code": code, "title": title, "message": message}}
    return Fault.raw(json.dumps(body), status=status)


def _controls_in(text: str) -> set[str]:
    return DIRECTION_CONTROLS & set(text)


def test_overrides_in_kombo_s_message_title_and_code_reach_nothing_in_the_panel(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window, seen = shown_in_panel(
        qtbot,
        fresh_sandbox,
        _error("NEW" + RLO + ".CODE", "T" + RLI + "abc", f"Kombo {RLO}txet desrever {HEBREW}", 400),
    )
    shown = {
        "words": seen.words,
        "facts": seen.facts,
        "facts shown": window.response.facts_text(),
        "description": seen.description,
    }
    for where, text in shown.items():
        assert not _controls_in(text), where
    # Kombo's words are all there, the Hebrew as written (it reads right to left itself).
    assert seen.words.endswith(f". Kombo answered: Kombo txet desrever {HEBREW}")
    assert "Code: NEW.CODE" in seen.facts
    assert "Title: Tabc" in seen.facts
    assert "Code: NEW.CODE." in seen.description
    # The raw answer keeps every character as it came.
    assert RLO in seen.raw


def test_overrides_in_kombo_s_warnings_reach_nothing_in_the_panel(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    body = {
        "status": "success",
        "data": {},
        "warnings": [{"message": "w " + RLO + "abc"}, {"message": LRI + "second" + PDF}],
    }
    window, seen = shown_in_panel(qtbot, fresh_sandbox, Fault.raw(json.dumps(body)))
    warnings = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    assert not _controls_in(warnings.text())
    assert not _controls_in(warnings.accessibleDescription())
    assert not _controls_in(seen.description)
    assert "w abc | second" in seen.description


def test_overrides_in_kombo_s_words_reach_nothing_in_find(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(
        _error("NEW.CODE", "T" + RLO + "abc", "Kombo " + RLO + "txet desrever", status=400),
        path_contains="/ats/candidates",
        times=1,
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    status = find_by_accessible_name(dialog, "Search status", QLabel)
    assert status.text() == "Kombo answered: Kombo txet desrever"
    assert not _controls_in(status.toolTip())
    assert not _controls_in(status.accessibleDescription())

    # Warnings on a page of candidates.
    fresh_sandbox.inject_fault(
        candidate_page([], warnings=["w " + RLO + "abc"]), path_contains="/ats/candidates", times=1
    )
    run_search(qtbot, dialog)
    warnings = find_by_accessible_name(dialog, "Warnings from Kombo", QLabel)
    assert "w abc" in warnings.text()
    assert not _controls_in(warnings.text())
    assert not _controls_in(status.accessibleDescription())
