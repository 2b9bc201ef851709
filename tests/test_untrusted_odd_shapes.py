"""One value of an unexpected type no longer makes a whole answer "not understood": a
numeric error code keeps Kombo's message and log; one oddly written candidate keeps the
others on the page in sight."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.models import TargetKind
from kombo_desktop.sandbox import Fault, Sandbox
from tests.lookup_support import (
    candidate_page,
    run_search,
    search_field,
    show_active_lookup,
    top_rows,
)
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import answered_with, panel_seen, settle, window_at

LOG = "https://app.kombo.dev/logs/1"


def test_a_numeric_error_code_keeps_kombo_s_message_and_log(qtbot, fresh_sandbox: Sandbox) -> None:
    body = {
        "status": "error",
        "error": {"code": 123, "title": "Unknown error", "message": "Boom", "log_url": LOG},
    }
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(json.dumps(body), status=400))
    done: list[int] = []
    window.response.when_answer_shown(lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    settle()
    seen = panel_seen(window)
    assert seen.words.endswith("Kombo answered: Boom")
    assert seen.facts.startswith("Code: 123 · Title: Unknown error · HTTP status: 400")
    assert f'<a href="{LOG}"' in window.response.facts_text()
    assert "Code: 123." in seen.description


def _person(cid: str, **more: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "id": cid,
        "first_name": "Anna",
        "last_name": "Smith",
        "email_addresses": [{"email_address": "anna@example.com", "type": "WORK"}],
        "applications": [],
    }
    person.update(more)
    return person


GOOD = _person("BBBBBBBBBBBBBBBBBBBBBBBB", first_name="Bob")
ODD = "AAAAAAAAAAAAAAAAAAAAAAAA"


@pytest.mark.parametrize(
    ("odd", "name", "email"),
    [
        (_person(ODD, first_name=123), "123 Smith", "anna@example.com"),
        (_person(ODD, applications=None), "Anna Smith", "anna@example.com"),
        (
            _person(
                ODD,
                applications=[
                    {"id": "CCCCCCCCCCCCCCCCCCCCCCCC", "job": {"name": {"en": "Engineer"}}}
                ],
            ),
            "Anna Smith",
            "anna@example.com",
        ),
        (_person(ODD, email_addresses=[{"email_address": {"a": 1}}]), "Anna Smith", '{"a": 1}'),
        (_person(ODD, confidential="maybe"), "Anna Smith", "anna@example.com"),
        # Not deleted: a "false" read as a date would have marked the name "(deleted)".
        (_person(ODD, remote_deleted_at=False), "Anna Smith", "anna@example.com"),
        (_person(ODD, email_addresses=["anna@example.com"]), "Anna Smith", "anna@example.com"),
    ],
    ids=[
        "first name a number",
        "applications null",
        "job name an object",
        "email an object",
        "confidential a word",
        "deleted false",
        "email as bare text",
    ],
)
def test_one_odd_candidate_hides_none_of_the_page(
    qtbot, worker, connection, fresh_sandbox: Sandbox, odd: dict[str, Any], name: str, email: str
) -> None:
    fresh_sandbox.inject_fault(
        candidate_page([GOOD, odd]), path_contains="/ats/candidates", times=1
    )
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.CANDIDATE)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    status = find_by_accessible_name(dialog, "Search status", QLabel)
    assert status.text() == "2 candidates found."
    rows = top_rows(dialog)
    assert [row[0] for row in rows] == ["Bob Smith", name]
    assert rows[1][1] == email
    assert rows[1][3] == ODD


def first_application(
    qtbot, worker, connection, sandbox: Sandbox, application: dict[str, Any]
) -> list[str]:
    """Find… in Application, with a candidate having one ``application``: the texts of
    that application's row."""
    odd = _person(ODD, applications=[{"id": "CCCCCCCCCCCCCCCCCCCCCCCC", **application}])
    sandbox.inject_fault(candidate_page([odd]), path_contains="/ats/candidates", times=1)
    dialog = show_active_lookup(qtbot, worker, connection, TargetKind.APPLICATION)
    search_field(dialog, "Search last name").setText("Smith")
    run_search(qtbot, dialog)
    model = dialog.results_model
    candidate = model.index(0, 0)
    return [str(model.index(0, column, candidate).data()) for column in range(model.columnCount())]


def test_a_job_named_by_an_object_is_shown_as_it_came(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    job = {"name": {"en": "Engineer"}}
    row = first_application(qtbot, worker, connection, fresh_sandbox, {"job": job})
    assert row[0] == '{"en": "Engineer"}'


def test_a_job_and_stage_given_as_bare_text_are_shown(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    application = {"job": "Backend Engineer", "current_stage": "Offer"}
    row = first_application(qtbot, worker, connection, fresh_sandbox, application)
    assert row[0] == "Backend Engineer"
    assert "Offer" in row
