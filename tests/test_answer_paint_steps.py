"""An answer is shown in two steps, each within a frame, and the first answer finds what
it needs made ready beforehand, also when Submit came before the network code.

The outcome comes first: its words, the panel's description and what a screen reader
hears. Its facts and raw answer follow a frame later, and the window says the request
finished (``requestFinished``) once they are shown too. An answer shown before the rest
of the one before it never gets that rest.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.text import pretty_json
from kombo_desktop.qt import main_window
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import WAIT_MS, build_window, candidate_id, click_submit, fill_form
from tests.response_panel_support import (
    PanelSeen,
    answered_with,
    facts_label,
    panel_seen,
    raw_view,
    seen_when_finished,
    window_at,
)

SUCCESS_BODY = json.dumps({"status": "success", "data": {"answer": "first"}, "warnings": []})
REFUSAL = Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, "The label is too long.")


def _seen_when_spoken(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[PanelSeen]:
    """What the panel shows each time it announces an answer, read at that moment: when
    a screen reader hears it."""
    seen: list[PanelSeen] = []
    real = QAccessible.updateAccessibility

    def read_then_hand_over(event: QAccessibleEvent) -> None:
        if event.object() is window.response and callable(getattr(event, "message", None)):
            seen.append(panel_seen(window))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", read_then_hand_over)
    return seen


@pytest.mark.parametrize(
    ("answer", "lead", "said", "raw", "fact"),
    [
        (
            Fault.raw(SUCCESS_BODY),
            "Success",
            "result link was added",
            pretty_json(SUCCESS_BODY),
            "HTTP status: 200",
        ),
        (
            REFUSAL,
            "Error",
            "The label is too long.",
            '"message": "The label is too long."',
            "Code: PLATFORM.INPUT_INVALID",
        ),
    ],
    ids=["success", "refusal"],
)
def test_the_outcome_is_spoken_first_and_its_facts_and_raw_answer_follow(
    qtbot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, answer, lead, said, raw, fact
):
    window = window_at(qtbot, fresh_sandbox, None)
    spoken = _seen_when_spoken(window, monkeypatch)
    finished = seen_when_finished(window)
    answered_with(qtbot, window, fresh_sandbox, answer)

    assert len(spoken) == 1
    assert len(finished) == 1
    outcome, whole = spoken[0], finished[0]
    # As a screen reader hears it, the outcome is there, for the eye too ...
    assert outcome.description.startswith(lead)
    assert outcome.description == window.response.summary_text()
    assert said in outcome.words
    assert said in outcome.description
    # ... its facts and raw answer not yet: they come a frame later.
    assert outcome.raw_shown == outcome.raw == ""
    assert not outcome.facts_shown
    # Whoever hears that the request finished finds them shown, the outcome unchanged.
    assert raw in whole.raw_shown
    assert whole.raw_shown == whole.raw == window.response.raw_text()
    assert whole.facts_shown
    assert fact in whole.facts
    assert (whole.description, whole.words) == (outcome.description, outcome.words)


def test_an_answer_shown_before_the_rest_of_the_last_one_never_gets_that_rest(
    qtbot, fresh_sandbox: Sandbox, connection: Connection
):
    # Two real answers from the sandbox: a success, then a refusal.
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    request = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")
    fresh_sandbox.inject_fault(Fault.raw(SUCCESS_BODY), times=1)
    with SyncKomboClient(connection) as client:
        first = client.add_result_link(target, request)
        fresh_sandbox.inject_fault(REFUSAL, times=1)
        with pytest.raises(KomboApiError) as refused:
            client.add_result_link(target, request)
    first_raw = pretty_json(first.body)
    second_raw = pretty_json(refused.value.body)
    assert first_raw != second_raw

    window = window_at(qtbot, fresh_sandbox, None)
    panel, view = window.response, raw_view(window)
    shown: list[str] = []
    view.textChanged.connect(lambda: shown.append(view.toPlainText()))
    # The second arrives on the very turn the first did, before the first's rest.
    panel.show_success(first, target)
    panel.show_error(refused.value, target)
    assert first_raw not in shown
    whole: list[str] = []
    panel.when_answer_shown(lambda: whole.append(view.toPlainText()))

    qtbot.waitUntil(lambda: bool(whole), timeout=WAIT_MS)
    # Said once the second's rest is shown: the first's, due before it, was dropped.
    assert whole == [second_raw]
    assert panel.raw_text() == second_raw
    assert "Code: PLATFORM.INPUT_INVALID" in facts_label(window).accessibleDescription()
    assert "HTTP status: 400" in facts_label(window).accessibleDescription()
    assert first_raw not in shown
    assert panel.summary_text().startswith("Error")


def test_submit_before_the_network_code_still_makes_the_first_answer_ready_in_time(
    qtbot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
):
    # The window loads the network code only when Submit needs it.
    monkeypatch.setattr(main_window, "NETWORK_WARM_UP_DELAY_MS", 3_600_000)
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    panel = window.response
    load_answer_classes = panel.load_answer_classes
    turns_after_hand_over: list[str] = []
    loaded: list[tuple[int, str, bool]] = []

    def loading() -> None:
        # Read as it starts: how many turns after the request went out, in which state.
        loaded.append((len(turns_after_hand_over), panel.state(), window.busy))
        load_answer_classes()

    monkeypatch.setattr(panel, "load_answer_classes", loading)
    window.requestStarted.connect(
        lambda: QTimer.singleShot(0, lambda: turns_after_hand_over.append("next turn"))
    )
    # Time for the answer's parts to be made ready while the request is in flight.
    fresh_sandbox.set_latency(1000)
    assert not window.network_ready()

    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)

    # Once, while the request waited for its answer, on a turn after the one that sent it.
    assert loaded == [(1, "busy", True)]
    assert window.response.summary_text().startswith("Success")
