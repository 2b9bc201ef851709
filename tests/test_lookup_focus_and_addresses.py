"""Find… (qt/lookup_dialog.py) against the real sandbox over HTTP: a slow answer leaves the
focus with a person who moved on, an Enter right after the dialog took the focus to
several results picks nobody, an email copied from a mail client is searched as its
address (core/text.py's ``email_address_in``), and accents are sent composed."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core import text
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.lookup_dialog import CHOOSE_A_ROW_FIRST, CandidateLookupDialog
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import (
    button,
    candidate_queries,
    email_of,
    ids_shown,
    picks,
    run_search,
    search_field,
    shared_last_name,
    show_active_lookup,
    show_lookup,
    wait_idle,
)
from tests.qt_helpers import focused

#: Long enough that the answer is still on its way while the test types; the answer can
#: only come in when the test waits for it (``wait_idle``), so nothing here is timed.
SLOW_ANSWER_MS = 1_500


def _two_of_a_last_name(sandbox: Sandbox) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A last name two or more candidates share, and two of them (the second with a first
    name QTest can type)."""
    last_name, namesakes = shared_last_name(sandbox)
    second = next(c for c in namesakes[1:] if c["first_name"].isascii())
    first = next(c for c in namesakes if c is not second)
    return last_name, first, second


def _type_where_the_focus_is(keys: str, *, then_enter: bool = False) -> None:
    """Type ``keys`` (and then press Enter) into whatever has the focus, as a keyboard does."""
    target = focused()
    assert target is not None
    QTest.keyClicks(target, keys)
    if then_enter:
        QTest.keyClick(target, Qt.Key.Key_Return)


def _said_for_status(dialog: CandidateLookupDialog, heard: list[tuple[Any, str]]) -> list[str]:
    return [words for speaker, words in heard if speaker is dialog.status_label]


def _slow_search_by_last_name(
    qtbot, dialog: CandidateLookupDialog, sandbox: Sandbox, last_name: str
) -> None:
    """Type ``last_name`` and click Search; the answer is slow to come."""
    QTest.keyClicks(search_field(dialog, "Search last name"), last_name)
    sandbox.set_latency(SLOW_ANSWER_MS)
    qtbot.mouseClick(button(dialog, "Search"), Qt.MouseButton.LeftButton)
    assert dialog.is_busy()


# ---- a slow answer and the focus --------------------------------------------------------------


def test_a_slow_answer_leaves_the_focus_in_the_field_being_typed_in(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard
) -> None:
    last_name, _first, second = _two_of_a_last_name(fresh_sandbox)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    _slow_search_by_last_name(qtbot, dialog, fresh_sandbox, last_name)
    # While it runs, the person narrows the search down with a first name.
    first_name = search_field(dialog, "Search first name")
    qtbot.mouseClick(first_name, Qt.MouseButton.LeftButton)
    QTest.keyClicks(first_name, second["first_name"][0])
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "2 candidates found."
    assert focused() is first_name
    _type_where_the_focus_is(second["first_name"][1:])
    assert first_name.text() == second["first_name"]
    # Away from the focus, the answer is said all the same.
    assert _said_for_status(dialog, heard) == ["2 candidates found."]


def test_enter_typed_for_the_field_after_a_slow_answer_searches_again_and_picks_nobody(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, _first, second = _two_of_a_last_name(fresh_sandbox)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = picks(dialog)
    _slow_search_by_last_name(qtbot, dialog, fresh_sandbox, last_name)
    first_name = search_field(dialog, "Search first name")
    qtbot.mouseClick(first_name, Qt.MouseButton.LeftButton)
    QTest.keyClicks(first_name, second["first_name"][0])
    wait_idle(qtbot, dialog)
    fresh_sandbox.set_latency(0)
    # Enter meant as "search again, with the first name".
    _type_where_the_focus_is(second["first_name"][1:], then_enter=True)
    assert picked == []
    assert dialog.is_busy()
    wait_idle(qtbot, dialog)
    assert ids_shown(dialog) == [second["id"]]
    assert candidate_queries(fresh_sandbox)[-1]["first_name"] == [second["first_name"]]
    assert picked == []


def test_typing_on_in_the_field_enter_was_pressed_in_keeps_the_focus_there(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    last_name, _first, _second = _two_of_a_last_name(fresh_sandbox)
    other = next(
        c
        for c in fresh_sandbox.candidates
        if c["last_name"] != last_name and c["last_name"].isascii() and len(c["last_name"]) > 2
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = picks(dialog)
    field = search_field(dialog, "Search last name")
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClicks(field, last_name)
    fresh_sandbox.set_latency(SLOW_ANSWER_MS)
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert dialog.is_busy()
    # The person changes their mind before the answer comes: another last name.
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, other["last_name"][:2])
    wait_idle(qtbot, dialog)
    assert dialog.status_label.text() == "2 candidates found."
    assert focused() is field
    fresh_sandbox.set_latency(0)
    _type_where_the_focus_is(other["last_name"][2:], then_enter=True)
    assert picked == []
    wait_idle(qtbot, dialog)
    assert other["id"] in ids_shown(dialog)
    assert candidate_queries(fresh_sandbox)[-1]["last_name"] == [other["last_name"]]


@pytest.mark.parametrize("waits_on", ["Search", "Cancel search"])
def test_enter_right_after_the_answer_takes_a_waiting_person_to_several_results_picks_nobody(
    qtbot, worker, connection, fresh_sandbox: Sandbox, heard, waits_on: str
) -> None:
    last_name, _first, _second = _two_of_a_last_name(fresh_sandbox)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = picks(dialog)
    _slow_search_by_last_name(qtbot, dialog, fresh_sandbox, last_name)
    if waits_on == "Cancel search":
        # Ready to stop the search, should it take too long.
        QTest.keyClick(button(dialog, "Search"), Qt.Key.Key_Tab)
    assert focused() is button(dialog, waits_on)
    wait_idle(qtbot, dialog)
    # The person waited for the answer: the dialog takes them to it.
    assert focused() is dialog.results
    # An Enter now (a second press meant for Search, say) picks no row: none was chosen.
    heard.clear()
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == []
    assert dialog.isVisible()
    assert dialog.pick_hint.text() == CHOOSE_A_ROW_FIRST
    assert heard == [(dialog.pick_hint, CHOOSE_A_ROW_FIRST)]
    # Once the person chooses a row, Enter picks it.
    QTest.keyClick(dialog.results, Qt.Key.Key_End)
    chosen = dialog.selected_id()
    assert chosen == ids_shown(dialog)[-1]
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [chosen]


# ---- an email copied from a mail client -------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "address"),
    [
        ("Anna Schmidt <anna.schmidt@example.org>", "anna.schmidt@example.org"),
        ('"Schmidt, Anna" <anna.schmidt@example.org>', "anna.schmidt@example.org"),
        ("<anna.schmidt@example.org>", "anna.schmidt@example.org"),
        (" Anna Schmidt <anna.schmidt@example.org>\u200b\n", "anna.schmidt@example.org"),
        ("mailto:anna.schmidt@example.org", "anna.schmidt@example.org"),
        ("MailTo:anna.schmidt@example.org?subject=Your%20assessment", "anna.schmidt@example.org"),
        ("mailto:anna%2Bjobs@example.org?cc=hr@example.org", "anna+jobs@example.org"),
        ("mailto:anna.schmidt%40example.org", "anna.schmidt@example.org"),
        ("<mailto:anna.schmidt@example.org?subject=Hi>", "anna.schmidt@example.org"),
    ],
)
def test_the_address_is_taken_out_of_what_mail_clients_copy(pasted: str, address: str) -> None:
    assert text.email_address_in(pasted) == address


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        ("anna.schmidt@example.org", "anna.schmidt@example.org"),
        ("  anna.schmidt@example.org\u200e", "anna.schmidt@example.org"),
        # Two people: which one was meant is the person's to say.
        ("Anna <anna@example.org>, Lukas <lukas@example.net>", None),
        ("Anna <Schmidt>", None),
        ("mailto:?subject=Hello", None),
        ("not an address", None),
    ],
)
def test_text_in_no_mail_client_form_is_given_back_as_it_is(pasted: str, kept: str | None) -> None:
    assert text.email_address_in(pasted) == (kept or pasted)


def _paste_into(qtbot, field: QLineEdit, clipboard: QClipboard, pasted: str) -> None:
    """Click into ``field`` and paste ``pasted`` there with Ctrl+V."""
    clipboard.setText(pasted)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == pasted


@pytest.mark.parametrize(
    "form",
    [
        "{name} <{email}>",
        '"{last}, {first}" <{email}>',
        "mailto:{email}",
        "mailto:{email}?subject=Your%20assessment&body=Hello%20{first}",
        "mailto:{quoted}",
    ],
)
def test_an_email_pasted_from_a_mail_client_finds_the_candidate(
    qtbot, worker, connection, fresh_sandbox: Sandbox, clipboard: QClipboard, form: str
) -> None:
    candidate = next(c for c in fresh_sandbox.candidates if c["first_name"].isascii())
    email = email_of(candidate)
    pasted = form.format(
        name=f"{candidate['first_name']} {candidate['last_name']}",
        first=candidate["first_name"],
        last=candidate["last_name"],
        email=email,
        quoted=email.replace("@", "%40"),
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    picked = picks(dialog)
    field = search_field(dialog, "Search email")
    _paste_into(qtbot, field, clipboard, pasted)
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, dialog)
    assert candidate_queries(fresh_sandbox)[-1]["email"] == [email]
    assert ids_shown(dialog) == [candidate["id"]]
    # The field shows what was searched.
    assert field.text() == email
    # The person waited in the field: the single result is theirs to pick with Enter.
    assert focused() is dialog.results
    QTest.keyClick(dialog.results, Qt.Key.Key_Return)
    assert picked == [candidate["id"]]


def test_undo_in_the_email_field_brings_back_what_was_pasted(
    qtbot, worker, connection, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    candidate = fresh_sandbox.candidates[1]
    pasted = f"{candidate['first_name']} {candidate['last_name']} <{email_of(candidate)}>"
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    field = search_field(dialog, "Search email")
    _paste_into(qtbot, field, clipboard, pasted)
    run_search(qtbot, dialog)
    assert field.text() == email_of(candidate)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == pasted


# ---- accents ----------------------------------------------------------------------------------


def _decomposed(value: str) -> str:
    """``value`` as macOS or a PDF may give it: each accent a mark after its letter."""
    decomposed = unicodedata.normalize("NFD", value)
    assert decomposed != value
    return decomposed


def test_names_with_decomposed_accents_are_sent_composed(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    candidate = next(
        c
        for c in fresh_sandbox.candidates
        if not c["first_name"].isascii() and not c["last_name"].isascii()
    )
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search first name").setText(_decomposed(candidate["first_name"]))
    search_field(dialog, "Search last name").setText(_decomposed(candidate["last_name"]))
    run_search(qtbot, dialog)
    sent = candidate_queries(fresh_sandbox)[0]
    assert sent["first_name"] == [unicodedata.normalize("NFC", candidate["first_name"])]
    assert sent["last_name"] == [unicodedata.normalize("NFC", candidate["last_name"])]
    assert candidate["id"] in ids_shown(dialog)


def test_an_email_with_decomposed_accents_is_sent_composed(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search email").setText(_decomposed("zoë.brontë@example.org"))
    run_search(qtbot, dialog)
    assert candidate_queries(fresh_sandbox)[0]["email"] == ["zoë.brontë@example.org"]


# ---- a whole name typed into one name field ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "told"),
    [
        ("Search first name", "Fatima Al-Sayed", True),
        ("Search last name", "Fatima Al-Sayed", True),
        ("Search first name", "Fatimah", False),  # one word: nothing to split
    ],
)
def test_a_whole_name_in_one_name_field_that_finds_nobody_says_how_to_split_it(
    qtbot, worker, connection, fresh_sandbox: Sandbox, field: str, typed: str, told: bool
) -> None:
    dialog = show_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    QTest.keyClicks(search_field(dialog, field), typed)
    run_search(qtbot, dialog)
    status = dialog.status_label.text()
    assert status.startswith("No candidates match.")
    split = "put the first name in First name and the last name in Last name"
    assert (split in status) is told
    assert (f"“{typed}”" in status) is told
