"""A very long word, or thousands of warnings, from Kombo are shown from their start, in
words that say so: laid out whole they held the window still for over a second. The
raw answer keeps everything; the panel's description still says how it went."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from kombo_desktop.core.errors import KomboApiError, RequestInfo, RequestPurpose
from kombo_desktop.core.logs import register_secret
from kombo_desktop.core.messages import (
    KOMBO_WORDS_SHOWN,
    WARNINGS_SHOWN_CHARACTERS,
    describe_error,
    listed_warnings,
)
from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import candidate_page, run_search, search_field, show_active_lookup
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import shown_in_panel, success_with_warnings


def test_a_message_of_one_long_word_is_shown_from_its_start(qtbot, fresh_sandbox: Sandbox) -> None:
    body = {"status": "error", "error": {"code": "NEW.CODE", "title": "t", "message": "A" * 10000}}
    _window, seen = shown_in_panel(qtbot, fresh_sandbox, Fault.raw(json.dumps(body), status=400))
    assert seen.words.endswith(
        "Kombo answered: " + "A" * 2000 + "… (8,000 more characters: see the response body)"
    )
    assert "A" * 10000 in seen.raw
    assert seen.description.startswith("Error.")
    assert "Code: NEW.CODE." in seen.description


def test_thousands_of_warnings_are_listed_from_the_first(qtbot, fresh_sandbox: Sandbox) -> None:
    warnings = [f"warning number {n}" for n in range(5000)]
    window, seen = shown_in_panel(qtbot, fresh_sandbox, success_with_warnings(warnings))
    listed = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    title = window.response.findChild(QLabel, "warningsTitle")
    assert title is not None
    assert title.text() == "5000 warnings from Kombo"
    assert listed.text().count("<li>") == 101
    assert "<li>warning number 99</li>" in listed.text()
    assert "warning number 100<" not in listed.text()
    assert "<li>… and 4,900 more warnings: see the response body</li>" in listed.text()
    assert seen.description.startswith("Success: ")
    assert "warning number 0 | warning number 1 |" in seen.description
    assert "… and 4,900 more warnings: see the response body" in seen.description
    assert json.loads(seen.raw)["warnings"][4999] == {"message": "warning number 4999"}


def test_a_warning_of_one_long_word_is_shown_from_its_start(qtbot, fresh_sandbox: Sandbox) -> None:
    window, seen = shown_in_panel(qtbot, fresh_sandbox, success_with_warnings(["W" * 10000]))
    listed = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    shown = "W" * 1000 + "… (9,000 more characters: see the response body)"
    assert listed.text().count("<li>") == 1
    assert f"<li>{shown}</li>" in listed.text()
    assert f"Warnings: {shown}." in seen.description
    assert "W" * 10000 in seen.raw


def test_find_lists_thousands_of_warnings_from_the_first(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    fresh_sandbox.inject_fault(
        candidate_page([], warnings=[f"warning number {n}" for n in range(5000)]),
        path_contains="/ats/candidates",
        times=1,
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    listed = find_by_accessible_name(dialog, "Warnings from Kombo", QLabel)
    lines = listed.text().splitlines()
    assert lines[0] == "5000 warnings from Kombo:"
    assert lines[1:3] == ["• warning number 0", "• warning number 1"]
    assert lines[-1] == "• … and 4,900 more warnings not listed"
    assert len(lines) == 102


def test_warnings_are_listed_up_to_a_length_in_all_then_counted() -> None:
    # A hundred warnings of a thousand characters each would hold the window still a
    # second as they are laid out: those past the room are counted, not listed.
    warnings = [f"{n:03d}" + "w" * 997 for n in range(100)]
    listed = listed_warnings(warnings)
    assert 1 < len(listed) < 100
    assert sum(len(w) for w in listed[:-1]) <= WARNINGS_SHOWN_CHARACTERS
    assert listed[-1] == f"… and {101 - len(listed)} more warnings: see the response body"
    assert listed[:-1] == tuple(warnings[: len(listed) - 1])


def test_a_key_across_the_cut_of_a_long_message_is_masked_not_shown_in_part() -> None:
    # Cut to its first 2,000 characters before its keys were masked, a message showed
    # the start of a key that crossed the cut: whole, it was masked; cut, it was not found.
    key = "k9Zq7TQmX2pL8vR4wN6yB3cD5fG1hJ0sA7eU2iO9"
    register_secret(key)
    for purpose in (RequestPurpose.ADD_RESULT_LINK, RequestPurpose.SEARCH_CANDIDATES):
        error = KomboApiError(
            status_code=400,
            code="SOME.NEW_CODE",
            title=None,
            message="x" * (KOMBO_WORDS_SHOWN - 20) + " " + key + " was the key",
            log_url=None,
            request=RequestInfo("POST", "https://api.kombo.dev/v1/x", purpose),
            body="{}",
            elapsed_s=0.1,
        )
        said = describe_error(error)
        shown = "\n".join((said.text, said.notes, said.detail, *(f.value for f in said.facts)))
        assert "more characters" in shown  # still cut short
        assert key[:6] not in shown
