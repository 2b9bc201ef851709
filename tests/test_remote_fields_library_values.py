"""Remote fields for another ATS given by Python code (the core used as a library), not
typed in the form: sent in JSON's types, and each body built is the caller's own.

The form's JSON is parsed into JSON's types, never changed afterwards, and sent as parsed,
not copied (``test_preview_large_body_not_copied``). Values given by other code may be of
other types (a date, a ``Decimal``) or be changed by it: those are copied in JSON's types
with each body, as a date is sent as ISO text and NaN as ``null``.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json
import uuid
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.form_state import sent_fingerprint
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.exact_text_view import cut_text_note
from kombo_desktop.qt.request_preview import RequestPreview
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import WAIT_MS, candidate_id, posts
from tests.qt_helpers import find_by_accessible_name

TARGET = Target(kind=TargetKind.CANDIDATE, id="c1")


def _request(remote_fields: dict[str, Any], label: str = "Assessment Result") -> ResultLinkRequest:
    return ResultLinkRequest.from_form(
        label=label, url="https://example.com/results/1", remote_fields=remote_fields
    )


def _sent_remote_fields(
    sandbox: Sandbox, connection: Connection, request: ResultLinkRequest
) -> Any:
    """The ``remote_fields`` of ``request`` as the sandbox received it, read as strict JSON
    (NaN or Infinity, which JSON has not, would fail)."""

    async def send() -> None:
        async with KomboClient(connection) as client:
            await client.add_result_link(
                Target.parse(TargetKind.CANDIDATE, candidate_id(sandbox)), request
            )

    # The sandbox knows only the ATSs the app models: it refuses another one's member
    # after receiving it.
    with pytest.raises(KomboApiError):
        asyncio.run(send())

    def refused(name: str) -> Any:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(posts(sandbox)[-1].body, parse_constant=refused)["remote_fields"]


def test_dates_decimals_and_other_python_values_are_sent_in_json_types(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    lever = {
        "due": datetime.date(2026, 1, 2),
        "score": decimal.Decimal("1.50"),
        "reference": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "tags": {"senior"},
        "pair": ("x", 1),
        "note": b"as typed",
    }
    sent = _sent_remote_fields(fresh_sandbox, connection, _request({"lever": lever}))
    assert sent["lever"] == {
        "due": "2026-01-02",
        "score": "1.50",
        "reference": "12345678-1234-5678-1234-567812345678",
        "tags": ["senior"],
        "pair": ["x", 1],
        "note": "as typed",
    }


def test_nan_and_infinity_are_sent_as_null(fresh_sandbox: Sandbox, connection: Connection) -> None:
    request = _request({"lever": {"score": float("nan"), "top": float("inf")}})
    sent = _sent_remote_fields(fresh_sandbox, connection, request)
    assert sent["lever"] == {"score": None, "top": None}


def test_editing_the_body_given_leaves_the_request_as_it_was() -> None:
    request = _request({"lever": {"note": "as typed"}})
    body = request.to_body()
    # A caller adding to the body it was given, as one adds to any dict it owns.
    body["remote_fields"]["lever"]["note"] = "edited afterwards"
    assert request.to_body()["remote_fields"]["lever"] == {"note": "as typed"}


def test_editing_one_body_leaves_the_callers_values_and_its_next_request_as_given() -> None:
    given = {"lever": {"note": "as typed"}}
    _request(given).to_body()["remote_fields"]["lever"]["note"] = "edited afterwards"
    assert given == {"lever": {"note": "as typed"}}
    assert _request(given).to_body()["remote_fields"]["lever"] == {"note": "as typed"}


def test_only_the_forms_own_json_is_sent_as_parsed() -> None:
    parsed = RemoteFieldsInput(raw_json='{"lever": {"note": "as typed"}}').to_remote_fields()
    assert parsed is not None
    from_form = _request(parsed)
    given = {"lever": {"note": "as typed"}}
    from_code = _request(given)

    assert from_form.to_body()["remote_fields"]["lever"] is parsed["lever"]
    assert from_code.to_body()["remote_fields"]["lever"] is not given["lever"]
    # Sent as parsed or copied, the same values are the same request.
    assert from_form == from_code
    assert from_form.to_body() == from_code.to_body()


def test_the_fingerprint_reads_python_values_and_a_member_changed_in_place() -> None:
    lever: dict[str, Any] = {"due": datetime.date(2026, 1, 2)}
    first = sent_fingerprint("https://api.kombo.dev/v1", "i1", TARGET, _request({"lever": lever}))
    # The caller's object, changed in place, goes into its next request: another link.
    lever["due"] = datetime.date(2026, 1, 3)
    second = sent_fingerprint("https://api.kombo.dev/v1", "i1", TARGET, _request({"lever": lever}))
    assert first != second


def test_the_preview_note_gives_the_size_of_a_body_whose_member_changed_in_place(
    qtbot: QtBot,
) -> None:
    preview = RequestPreview()
    qtbot.addWidget(preview)
    lever: dict[str, object] = {f"field_{n}": "x" * 100 for n in range(2000)}
    preview.show_request(TARGET, _request({"lever": lever}, "first"), None)
    qtbot.waitUntil(lambda: '"first"' in preview.body_text(), timeout=WAIT_MS)

    # The caller's object, changed in place, goes into its next request.
    lever["notes"] = "y" * 500_000
    second = _request({"lever": lever}, "second")
    preview.show_request(TARGET, second, None)
    qtbot.waitUntil(lambda: '"second"' in preview.body_text(), timeout=WAIT_MS)
    size = len(json.dumps(second.to_body(), ensure_ascii=False).encode("utf-8"))
    note = find_by_accessible_name(preview, "Request preview note", QLabel)
    assert note.text() == cut_text_note("The body", size, "Copy as curl")
