"""Find… with what people paste and type into it, and with long names and addresses: a
name typed into the Email field, an address copied with a list's separator or in quotes,
and rows whose name or email is longer than their column."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import (
    FIND_KEY_NOT_SEARCHED,
    FIND_WITHOUT_CONNECTION,
    email_field_holds_no_address,
    searched_as_name,
)
from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.text import email_address_in
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
from tests.qt_helpers import focused


def _hover_words(cell: QModelIndex) -> str:
    """The words a hover over ``cell`` shows: its tooltip is rich text (Kombo's words
    escaped in it, never read as markup), read as Qt draws it."""
    document = QTextDocument()
    document.setHtml(cell.data(Qt.ItemDataRole.ToolTipRole))
    return document.toPlainText()


KOMBO_ID = "8Xi6iZrwusZqJmDGXs49GBmJ"


def _one_person(first: str, last: str, email: str) -> dict[str, object]:
    return {
        "id": KOMBO_ID,
        "first_name": first,
        "last_name": last,
        "email_addresses": [{"email_address": email, "type": "WORK"}],
        "applications": [],
    }


# ---- a name typed into the Email field ------------------------------------------------------


def test_a_name_typed_into_the_email_field_is_searched_as_a_name(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_a_plain_name(fresh_sandbox)
    name = f"{candidate['first_name']} {candidate['last_name']}"
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(name)
    run_search(qtbot, dialog)

    assert [row[3] for row in top_rows(dialog)] == [candidate["id"]]
    # Asked as a name, never as an email; the fields show what was searched.
    assert candidate_queries(fresh_sandbox) == [
        {
            "first_name": [candidate["first_name"]],
            "last_name": [candidate["last_name"]],
            "page_size": ["50"],
        }
    ]
    assert search_field(dialog, "Search email").text() == ""
    assert search_field(dialog, "Search first name").text() == candidate["first_name"]
    assert search_field(dialog, "Search last name").text() == candidate["last_name"]
    assert dialog.status_label.text() == f"{searched_as_name(name)} 1 candidate found."


def test_a_single_word_in_the_email_field_is_searched_as_a_last_name(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_a_plain_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(f"  {candidate['last_name']} ")
    run_search(qtbot, dialog)

    assert [q.get("last_name") for q in candidate_queries(fresh_sandbox)] == [
        [candidate["last_name"]]
    ]
    assert "email" not in candidate_queries(fresh_sandbox)[0]
    assert candidate["id"] in [row[3] for row in top_rows(dialog)]


def test_a_name_in_the_email_field_beside_a_typed_name_is_questioned_there(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    email = search_field(dialog, "Search email")
    email.setText("Jose Muller")
    search_field(dialog, "Search last name").setText("Muller")
    search_field(dialog, "Search last name").setFocus()
    QTest.keyClick(search_field(dialog, "Search last name"), Qt.Key.Key_Return)

    # Which of the two was meant is not guessed: nothing is asked of Kombo.
    assert not dialog.is_busy()
    assert candidate_queries(fresh_sandbox) == []
    assert dialog.status_label.text() == email_field_holds_no_address("Jose Muller")
    assert "@" in dialog.status_label.text()
    assert focused() is email
    assert email.selectedText() == "Jose Muller"


# ---- an address copied with a separator or in quotes ----------------------------------------


def test_email_address_in_drops_a_list_separator_and_quotes() -> None:
    pasted = {
        "anna@example.org;": "anna@example.org",
        "anna@example.org ,": "anna@example.org",
        '"anna@example.org"': "anna@example.org",
        "'anna@example.org';": "anna@example.org",
        "“anna@example.org”": "anna@example.org",
        '"mailto:anna%2Bcv@example.org";': "anna+cv@example.org",
        "Anna Smith <anna@example.org>;": "anna@example.org",
        # No address inside: as it came, for the person to see why nobody matches.
        '"Anna Smith";': '"Anna Smith";',
        ";": ";",
        # Quotes that are part of the address stay.
        '"john doe"@example.org': '"john doe"@example.org',
    }
    assert {text: email_address_in(text) for text in pasted} == pasted


@pytest.mark.parametrize(
    "pasted",
    ["{email};", "{email},", '"{email}"', '"{email}";'],
    ids=["outlook-semicolon", "comma", "double-quoted", "quoted-in-a-list"],
)
def test_an_address_copied_with_a_separator_or_quotes_finds_the_candidate(
    qtbot, worker, connection, fresh_sandbox: Sandbox, pasted: str
) -> None:
    candidate = candidate_with_a_plain_name(fresh_sandbox)
    address = email_of(candidate)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(pasted.format(email=address))
    run_search(qtbot, dialog)

    assert [row[3] for row in top_rows(dialog)] == [candidate["id"]]
    assert [q["email"] for q in candidate_queries(fresh_sandbox)] == [[address]]
    assert search_field(dialog, "Search email").text() == address


# ---- long names and addresses ---------------------------------------------------------------


def test_a_long_email_keeps_the_kombo_id_in_sight_and_is_read_whole_on_hover(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    long_email = "firstname.middlename.lastname." + "x" * 70 + "@recruiting-partner-example.com"
    fresh_sandbox.inject_fault(
        candidate_page([_one_person("Anna", "Smith", long_email)]),
        path_contains="/ats/candidates",
        times=1,
    )
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), "Smith")
    run_search(qtbot, dialog)

    view = dialog.results
    id_cell = view.visualRect(dialog.results_model.index(0, 3))
    assert view.viewport().rect().contains(id_cell)
    assert view.fontMetrics().horizontalAdvance(KOMBO_ID) < id_cell.width()
    assert view.header().sectionSize(0) > view.fontMetrics().horizontalAdvance("Anna Smith")
    email_cell = dialog.results_model.index(0, 1)
    assert email_cell.data() == long_email
    assert _hover_words(email_cell) == f"{long_email}\nCandidate ID: {KOMBO_ID}"


def test_a_long_name_is_read_whole_on_hover(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    first = "Maria-Alejandra Concepción Guadalupe"
    last = "de los Santos Fernández-Villanueva y Ortega-Castellanos"
    fresh_sandbox.inject_fault(
        candidate_page([_one_person(first, last, "maria.delossantos@example.com")]),
        path_contains="/ats/candidates",
        times=1,
    )
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, "Search last name"), "Ortega")
    run_search(qtbot, dialog)

    name_cell = dialog.results_model.index(0, 0)
    full = f"{first} {last}"
    assert name_cell.data() == full
    # Cut short at the dialog's size ...
    shown = dialog.results.visualRect(name_cell).width()
    assert shown < dialog.results.fontMetrics().horizontalAdvance(full)
    # ... and whole in the hover, with the ID it showed before; a screen reader, which
    # reads the whole cell already, hears the ID only.
    assert _hover_words(name_cell) == f"{full}\nCandidate ID: {KOMBO_ID}"
    assert name_cell.data(Qt.ItemDataRole.AccessibleDescriptionRole) == (
        f"Candidate ID: {KOMBO_ID}"
    )


# ---- the window's connection -------------------------------------------------------------------


def test_the_same_customer_again_keeps_the_rows_and_none_clears_them(
    qtbot, worker, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_a_plain_name(fresh_sandbox)
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(email_of(candidate))
    run_search(qtbot, dialog)
    assert len(top_rows(dialog)) == 1

    # The key read again after a save: the same customer, whose rows stay.
    dialog.follow_connection(None, connection)
    assert len(top_rows(dialog)) == 1
    same = Connection.create(
        api_key=connection.api_key,
        integration_id=connection.integration_id,
        base_url=connection.base_url,
    )
    dialog.follow_connection(same, same)
    assert len(top_rows(dialog)) == 1
    assert dialog.use_button.isEnabled()

    # No connection at all: the rows go, and a search says why nothing is searched.
    dialog.follow_connection(None, None)
    assert top_rows(dialog) == []
    assert not dialog.use_button.isEnabled()
    assert dialog.status_label.text() == FIND_WITHOUT_CONNECTION
    asked = len(candidate_queries(fresh_sandbox))
    QTest.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    assert not dialog.is_busy()
    assert len(candidate_queries(fresh_sandbox)) == asked
    assert dialog.status_label.text() == FIND_WITHOUT_CONNECTION


@pytest.mark.parametrize("field", ["Search email", "Search first name", "Search last name"])
def test_an_api_key_pasted_into_a_search_field_is_never_searched_nor_shown(
    qtbot, worker, connection, fresh_sandbox: Sandbox, field: str
) -> None:
    key = "ks_prod_0123456789abcdefPASTEDKEY"
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    edit = search_field(dialog, field)
    edit.setText(key)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_Return)

    # Not sent to Kombo as a filter (into its request logs), and not quoted back.
    assert candidate_queries(fresh_sandbox) == []
    assert dialog.status_label.text() == FIND_KEY_NOT_SEARCHED
    assert key not in dialog.status_label.text() + dialog.status_label.accessibleDescription()
