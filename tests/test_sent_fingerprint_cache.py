"""Which link went where (``sent_fingerprint``) is quick to tell again for a form with a
large remote-fields JSON, and still tells every change of the form.

A form restored from a draft it was sent from looks itself up among the links sent at
each key: the JSON (megabytes, parsed once) is not encoded again for a key in the Label.
The digest is the same as the one drafts recorded, so their links are still found.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.form_state import FormState, sent_fingerprint
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.models import RemoteFields, ResultLinkRequest, Target
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    fill_form,
    line_edit,
    restarted,
    submit_and_wait,
)
from tests.remote_fields_support import large_json, paste

BASE_URL = "https://api.kombo.dev/v1"
INTEGRATION_ID = "personio:8d1hpdCGQDpxRVMy6V9Umt"
RESTORED_AS_SENT = "Restored from your last session. This result link was sent to this candidate"


def reference_fingerprint(
    base_url: str, integration_id: str, target: Target, request: ResultLinkRequest
) -> str:
    """The digest as drafts have recorded it: SHA-256 of the whole call in one canonical
    JSON (keys sorted, no spaces, characters as they are)."""
    canonical = json.dumps(
        {
            "base_url": base_url,
            "integration_id": integration_id,
            "target_kind": target.kind.value,
            "target_id": target.id,
            "body": request.to_body(),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def large_form() -> FormState:
    """A form with every part filled in, and a JSON of another ATS's fields beside the
    typed remote fields."""
    return FormState(
        target_kind=TargetKind.APPLICATION,
        target_id="8Xi6iZrwusZqJmDGXs49GBmJ",
        label="Assessment Résultat ☃",
        url="https://example.com/results/1",
        prefix="Acme:",
        attributes=(("Score", "97%"), ("Level", "senior")),
        remote_fields=RemoteFieldsInput(
            icims_assessment_package_id="pkg-1",
            greenhouse_on_behalf_of="4080",
            raw_json=large_json(fields=300, last_member='"other": {"b": [1, 2.5, null], "a": {}}'),
        ),
    )


def fingerprint_of(
    state: FormState, base_url: str = BASE_URL, integration_id: str = INTEGRATION_ID
) -> str:
    target, request = state.to_request()
    fingerprint = sent_fingerprint(base_url, integration_id, target, request)
    assert fingerprint == reference_fingerprint(base_url, integration_id, target, request)
    return fingerprint


def _json_with(member: str) -> Callable[[FormState], FormState]:
    def changed(state: FormState) -> FormState:
        remote = replace(state.remote_fields, raw_json=large_json(fields=300, last_member=member))
        return replace(state, remote_fields=remote)

    return changed


#: One change of each part of the form.
CHANGES: dict[str, Callable[[FormState], FormState]] = {
    "target kind": lambda s: replace(s, target_kind=TargetKind.CANDIDATE),
    "target ID": lambda s: replace(s, target_id="8Xi6iZrwusZqJmDGXs49GBmK"),
    "label": lambda s: replace(s, label=s.label + " 2"),
    "URL": lambda s: replace(s, url="https://example.com/results/2"),
    "prefix": lambda s: replace(s, prefix="Acme Inc:"),
    "attribute key": lambda s: replace(s, attributes=(("Points", "97%"), s.attributes[1])),
    "attribute value": lambda s: replace(s, attributes=(("Score", "98%"), s.attributes[1])),
    "attribute order": lambda s: replace(s, attributes=s.attributes[::-1]),
    "typed remote field": lambda s: replace(
        s, remote_fields=replace(s.remote_fields, icims_assessment_package_id="pkg-2")
    ),
    "JSON value": _json_with('"other": {"b": [1, 2.5, null], "a": {"x": 1}}'),
    "JSON number type": _json_with('"other": {"b": [1, 2.50, true], "a": {}}'),
    "JSON member gone": _json_with(""),
}


@pytest.mark.parametrize("part", list(CHANGES))
def test_a_change_of_any_part_of_the_form_changes_the_fingerprint(part: str) -> None:
    state = large_form()
    before = fingerprint_of(state)
    after = fingerprint_of(CHANGES[part](state))
    assert after != before
    # And back: the same form has the same fingerprint, whatever was encoded between.
    assert fingerprint_of(state) == before


def test_another_connection_or_integration_changes_the_fingerprint() -> None:
    state = large_form()
    before = fingerprint_of(state)
    assert fingerprint_of(state, base_url="https://api.eu.kombo.dev/v1") != before
    assert fingerprint_of(state, integration_id="personio:OTHER") != before
    assert fingerprint_of(state) == before


def test_forms_without_remote_fields_or_with_modeled_ones_only_keep_their_fingerprint() -> None:
    state = large_form()
    bare = replace(state, remote_fields=RemoteFieldsInput(), attributes=())
    modeled = replace(state, remote_fields=RemoteFieldsInput(icims_assessment_package_id="p"))
    empty_other = replace(state, remote_fields=RemoteFieldsInput(raw_json='{"lever": {}}'))
    prints = {fingerprint_of(form) for form in (bare, modeled, empty_other)}
    assert len(prints) == 3


def passed_through_dumps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The members of other ATSs (the JSON's) serialized from now on, on the GUI thread:
    a name each time one is."""
    dumped: list[str] = []
    real = RemoteFields.model_dump

    def watched(self: RemoteFields, *args: Any, **kwargs: Any) -> dict[str, Any]:
        include = kwargs.get("include")
        if include and threading.current_thread() is threading.main_thread():
            dumped.extend(sorted(set(include) & set(self.model_extra or {})))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RemoteFields, "model_dump", watched)
    return dumped


def test_the_json_is_not_encoded_again_for_another_label(monkeypatch: pytest.MonkeyPatch) -> None:
    state = large_form()
    fingerprint_of(state)
    dumped = passed_through_dumps(monkeypatch)
    target, request = replace(state, label="Another label").to_request()
    sent_fingerprint(BASE_URL, INTEGRATION_ID, target, request)
    assert dumped == []


def test_a_key_in_the_label_of_a_form_restored_as_sent_does_not_encode_its_json_again(
    qtbot: QtBot,
    window: MainWindow,
    fresh_sandbox: Sandbox,
    clipboard: QClipboard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sent with a large JSON, and failed so that it may have been added: recorded as sent.
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    paste(window.form.remote_fields.raw_json, clipboard, large_json(fields=2500))
    assert window.form.current_request() is not None
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    submit_and_wait(qtbot, window)
    typed = window.form.state()
    again = restarted(qtbot, window, fresh_sandbox, saying=RESTORED_AS_SENT)
    assert again.form.state() == typed
    dumped = passed_through_dumps(monkeypatch)
    label = line_edit(again, "Label")
    label.setFocus()
    label.end(False)

    QTest.keyClicks(label, "x")
    # No longer the link sent: told apart, without the JSON encoded again.
    assert not again.response.summary_text().startswith(RESTORED_AS_SENT)
    QTest.keyClick(label, Qt.Key.Key_Backspace)
    # The link sent again: found, with the JSON encoded once for all keys.
    assert again.response.summary_text().startswith(RESTORED_AS_SENT)
    assert dumped == []
