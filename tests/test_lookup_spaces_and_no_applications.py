"""Find… with names pasted with extra spaces inside or a suffix after a comma, an address
typed with a stray space, and a candidate without applications in Application mode
(qt/lookup_dialog.py), against the real sandbox over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import (
    candidate_page,
    candidate_queries,
    candidate_with_a_plain_name,
    email_of,
    run_search,
    search_field,
    show_active_lookup,
    show_lookup,
    top_rows,
)


def assert_searched_as_the_name_of(
    dialog: CandidateLookupDialog, sandbox: Sandbox, person: dict[str, Any]
) -> None:
    """The last search asked for ``person``'s first and last name, the name fields show
    them, and ``person`` is the one found."""
    query = candidate_queries(sandbox)[-1]
    assert (query["first_name"], query["last_name"]) == (
        [person["first_name"]],
        [person["last_name"]],
    )
    assert search_field(dialog, "Search first name").text() == person["first_name"]
    assert search_field(dialog, "Search last name").text() == person["last_name"]
    assert [row[3] for row in top_rows(dialog)] == [person["id"]]


def test_a_last_name_pasted_with_extra_spaces_inside_finds_the_candidate(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    # Pasted from a document: two spaces, a no-break space and a tab where the ATS has one
    # space each. Kombo matches names exactly, so they would find nobody.
    person = next(c for c in fresh_sandbox.candidates if c["last_name"].count(" ") >= 2)
    first_word, second_word, rest = person["last_name"].split(" ", 2)
    pasted = f"{first_word}  {second_word}\u00a0\t{rest}"
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText(pasted)
    run_search(qtbot, dialog)
    assert candidate_queries(fresh_sandbox)[-1]["last_name"] == [person["last_name"]]
    assert [row[3] for row in top_rows(dialog)] == [person["id"]]


def test_a_candidate_without_applications_says_how_to_add_the_result_to_them(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    # Sourced by a recruiter, not applied yet: the result can only go to the candidate.
    sourced = {
        "id": "8Xi6iZrwusZqJmDGXs49GBmJ",
        "first_name": "Nadia",
        "last_name": "Haddad",
        "email_addresses": [{"email_address": "nadia@example.com", "type": "WORK"}],
        "applications": [],
    }
    fresh_sandbox.inject_fault(candidate_page([sourced]), path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    field = search_field(dialog, "Search email")
    QTest.keyClicks(field, "nadia@example.com")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=15_000)
    assert dialog.results.hasFocus()
    assert not dialog.use_button.isEnabled()
    hint = dialog.pick_hint.text()
    assert hint.startswith("This candidate has no applications to attach the result to.")
    # What to do next: the result can still go to the candidate.
    assert "choose Candidate as the target type" in hint
    assert dialog.pick_hint.accessibleDescription() == hint


def test_a_name_written_last_name_first_in_the_email_field_is_searched_in_that_order(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    # As mail clients and exports write a person: "Schmidt, Anna".
    person = candidate_with_a_plain_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(f"{person['last_name']}, {person['first_name']}")
    run_search(qtbot, dialog)
    assert_searched_as_the_name_of(dialog, fresh_sandbox, person)


def test_a_spreadsheet_row_pasted_into_the_email_field_is_searched_as_its_address(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    person = fresh_sandbox.candidates[1]
    address = person["email_addresses"][0]["email_address"]
    # A row of a list of candidates, copied from Excel or Google Sheets.
    row = f"{person['first_name']}\t{person['last_name']}\t{address}\r\n"
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(row)
    run_search(qtbot, dialog)
    assert candidate_queries(fresh_sandbox)[-1]["email"] == [address]
    # The field shows what was searched.
    assert search_field(dialog, "Search email").text() == address
    assert [row[3] for row in top_rows(dialog)] == [person["id"]]


def test_a_candidate_found_by_another_of_their_addresses_shows_that_address(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    person = next(c for c in fresh_sandbox.candidates if len(c["email_addresses"]) >= 2)
    work_address = person["email_addresses"][1]["email_address"]
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked: list[str] = []
    dialog.picked.connect(lambda _target_id, words: picked.append(words))
    search_field(dialog, "Search email").setText(work_address.upper())
    run_search(qtbot, dialog)
    assert [row[1] for row in top_rows(dialog)] == [work_address]
    dialog.results.setCurrentIndex(dialog.results_model.index(0, 0))
    dialog.accept()
    assert picked == [f"{person['first_name']} {person['last_name']} · {work_address}"]


@pytest.mark.parametrize(
    "typed",
    [
        "{first} {last}, MD",
        "{first} {last}, Ph.D.",
        "{first} {last}, phd, MBA",
        "{last}, {first}, Jr.",
        "{last}, {first}, III",
        "{first} {last}, Dr. med.",
    ],
)
def test_a_suffix_title_or_degree_after_a_comma_is_no_part_of_the_name_searched(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox, typed: str
) -> None:
    # As signatures and exports write a person: the ATS holds the name without it.
    person = candidate_with_a_plain_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(
        typed.format(first=person["first_name"], last=person["last_name"])
    )
    run_search(qtbot, dialog)
    assert_searched_as_the_name_of(dialog, fresh_sandbox, person)


def test_an_address_with_a_stray_space_is_searched_as_typed_and_one_in_brackets_as_itself(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    person = next(c for c in fresh_sandbox.candidates if "." in email_of(c).split("@")[0])
    address = email_of(person)
    # A space typed for the dot: the word after it may be someone else's address.
    stray_space = address.replace(".", " ", 1)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    field = search_field(dialog, "Search email")
    field.setText(stray_space)
    run_search(qtbot, dialog)
    assert candidate_queries(fresh_sandbox)[-1]["email"] == [stray_space]
    # The field still shows what was typed, for the person to see why nobody matches.
    assert field.text() == stray_space
    assert top_rows(dialog) == []
    assert dialog.status_label.text().startswith("No candidates match.")

    # Brackets set the address apart from the name beside it.
    for named in (
        f"{person['first_name']} {person['last_name']} ({address})",
        f"{person['first_name']} {person['last_name']} [{address}]",
    ):
        field.setText(named)
        run_search(qtbot, dialog)
        assert candidate_queries(fresh_sandbox)[-1]["email"] == [address]
        assert field.text() == address
        assert [row[3] for row in top_rows(dialog)] == [person["id"]]
