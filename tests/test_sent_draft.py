"""A form restored after a restart knows what was sent from it, and asks before a duplicate.

The real window against the real sandbox: a link is sent, the window closes (the draft
is written), a new window opens on the same draft, as after a restart.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState, SentLink
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.main_window_support import (
    SEND_AGAIN_QUESTION,
    WAIT_MS,
    answer_send_again,
    build_window,
    button,
    candidate_id,
    click_submit,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    wait_for_send_again_question,
)
from tests.qt_helpers import top_level, wait_active

pytestmark = pytest.mark.usefixtures("real_questions")

URL = "https://example.com/results/restart"
USUAL_IDLE_TEXT = "Nothing sent yet. Fill in the form and press Submit (Ctrl+Enter)."
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def idle_text(window: MainWindow) -> str:
    label = window.response.findChild(QLabel, "outcomeText")
    assert label is not None
    return label.text()


def draft_document() -> dict[str, Any]:
    document = json.loads(DraftStore().path.read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def in_words(moment: datetime) -> str:
    """``moment`` as the window words it: local time, "28 Nov at 14:32"."""
    local = moment.astimezone()
    return f"{local.day} {MONTHS[local.month - 1]} at {local:%H:%M}"


def submit_timed(qtbot, window: MainWindow) -> set[str]:
    """Submit and wait for the answer; the ways the window may word when it was sent
    (the minute may turn while it is on its way)."""
    before = datetime.now(timezone.utc)
    submit_and_wait(qtbot, window)
    return {in_words(before), in_words(datetime.now(timezone.utc))}


def restart(qtbot, window: MainWindow, sandbox: Sandbox) -> MainWindow:
    """Close ``window`` (its draft is written) and open a new one on the same draft."""
    typed = window.form.state()
    window.close()
    again = build_window(qtbot, sandbox)
    qtbot.waitUntil(lambda: again.form.state() == typed, timeout=WAIT_MS)
    return again


def send_then_restart(
    qtbot, window: MainWindow, sandbox: Sandbox
) -> tuple[MainWindow, str, set[str]]:
    """Send one link successfully, then restart: the new window, the target's ID and
    the ways of saying when it was sent."""
    target = candidate_id(sandbox, 6)
    fill_form(qtbot, window, target_id=target, url=URL)
    whens = submit_timed(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    return restart(qtbot, window, sandbox), target, whens


# ---- after a restart --------------------------------------------------------------------------


def test_a_link_sent_before_a_restart_is_asked_about_with_when_it_was_sent(
    qtbot, window, fresh_sandbox
):
    again, target, whens = send_then_restart(qtbot, window, fresh_sandbox)
    links = len(fresh_sandbox.result_links(target))

    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text() in {
        f"This result link was already added to this candidate on {when}. Sending it again "
        "adds a second one."
        for when in whens
    }
    stay = box.defaultButton()
    assert stay is not None
    assert stay.accessibleName() == "Don't send"
    answer_send_again(qtbot, again, box, "Don't send")
    assert not again.busy
    assert len(posts(fresh_sandbox)) == 1
    assert len(fresh_sandbox.result_links(target)) == links

    # The Submit button asks the same; "Send again" sends it on purpose.
    qtbot.mouseClick(button(again, "Submit"), Qt.MouseButton.LeftButton)
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(again.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, again, box, "Send again")
    assert len(posts(fresh_sandbox)) == 2
    assert len(fresh_sandbox.result_links(target)) == links + 1


def test_the_panel_says_a_restored_form_was_sent(qtbot, window, fresh_sandbox):
    again, _target, whens = send_then_restart(qtbot, window, fresh_sandbox)
    # Before anything is pressed: the person sees what the form on screen is.
    assert idle_text(again) in {
        f"Restored from your last session. This result link was already sent to this "
        f"candidate on {when}."
        for when in whens
    }
    # Edited, it is another link: the usual words again.
    qtbot.keyClicks(line_edit(again, "Label"), " (retake)")
    assert idle_text(again) == USUAL_IDLE_TEXT


def test_after_a_restart_another_candidate_is_sent_without_asking(qtbot, window, fresh_sandbox):
    again, _target, _whens = send_then_restart(qtbot, window, fresh_sandbox)
    target_id = line_edit(again, "Target ID")
    target_id.clear()
    qtbot.keyClicks(target_id, candidate_id(fresh_sandbox, 7))
    # Another candidate is another link: the panel no longer says it was sent.
    assert idle_text(again) == USUAL_IDLE_TEXT
    with qtbot.waitSignal(again.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, again, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert again.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 2


def test_a_link_that_may_have_been_added_is_asked_about_after_a_restart(
    qtbot, window, fresh_sandbox
):
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    target = candidate_id(fresh_sandbox, 8)
    fill_form(qtbot, window, target_id=target, url=URL)
    whens = submit_timed(qtbot, window)
    assert "may already have been added" in window.response.summary_text()
    again = restart(qtbot, window, fresh_sandbox)
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text() in {
        f"Kombo may already have added this result link to candidate {target} when it was "
        f"sent on {when}. Sending it again can leave a duplicate link in the customer's ATS."
        for when in whens
    }
    answer_send_again(qtbot, again, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1
    assert idle_text(again) in {
        f"Restored from your last session. This result link was sent to this candidate on "
        f"{when}, and Kombo may already have added it."
        for when in whens
    }


def test_next_candidate_keeps_the_record_in_the_draft(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 9), url=URL)
    submit_and_wait(qtbot, window)
    # Written as the answer comes, not at the next pause in typing: the record written as
    # the link went out, then again as confirmed once Kombo answered.
    draft = DraftStore().path

    def recorded_as_added() -> bool:
        if not draft.is_file():
            return False
        sent = draft_document()["form"]["sent"]
        return len(sent) == 1 and sent[0]["confirmed"] is True

    qtbot.waitUntil(recorded_as_added, timeout=WAIT_MS)
    sent = draft_document()["form"]["sent"]
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    window.close()
    # The form is cleared for the next candidate; what was sent is still known after a
    # restart, so the last candidate's row pasted again is asked about.
    assert draft_document()["form"]["target_id"] == ""
    assert draft_document()["form"]["sent"] == sent


def test_a_restored_form_never_sent_shows_the_usual_idle_text(qtbot, fresh_sandbox):
    DraftStore().save(FormState(target_id=candidate_id(fresh_sandbox), label="L", url=URL))
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: window.form.current_request() is not None, timeout=WAIT_MS)
    assert idle_text(window) == USUAL_IDLE_TEXT


def test_a_link_on_its_way_when_the_window_closed_is_asked_about_after_a_restart(
    qtbot, window, fresh_sandbox
):
    target = candidate_id(fresh_sandbox, 3)
    fill_form(qtbot, window, target_id=target, url=URL)
    before = len(fresh_sandbox.result_links(target))
    # Kombo stores the link; its answer is still on its way when the window closes.
    fresh_sandbox.inject_fault(Fault.slow_body(3), times=1)
    click_submit(qtbot, window)
    qtbot.waitUntil(lambda: len(fresh_sandbox.result_links(target)) == before + 1, timeout=WAIT_MS)
    assert window.busy
    again = restart(qtbot, window, fresh_sandbox)

    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text().startswith(
        f"Kombo may already have added this result link to candidate {target} when it was sent"
    )
    answer_send_again(qtbot, again, box, "Don't send")
    assert len(fresh_sandbox.result_links(target)) == before + 1


def test_a_send_kombo_refused_leaves_nothing_recorded(qtbot, window, fresh_sandbox):
    target = candidate_id(fresh_sandbox, 4)
    fill_form(qtbot, window, target_id=target, url=URL)
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Error")
    window.close()
    assert draft_document()["form"]["sent"] == []


def send_into_kombos_wait(
    qtbot, window: MainWindow, sandbox: Sandbox, index: int
) -> tuple[str, int]:
    """Send to the ``index``-th candidate; Kombo refuses with "try again in 5 s" and the
    window waits. Returns the candidate's ID and how many links it had before."""
    target = candidate_id(sandbox, index)
    fill_form(qtbot, window, target_id=target, url=URL)
    links = len(sandbox.result_links(target))
    sandbox.inject_fault(Fault.rate_limited(retry_after="5"), times=1)
    click_submit(qtbot, window)
    qtbot.waitUntil(
        lambda: "Kombo asked to slow down" in window.response.summary_text(), timeout=WAIT_MS
    )
    return target, links


def test_a_cancel_during_kombos_wait_says_nothing_was_added_and_records_nothing(
    qtbot, window, fresh_sandbox
):
    target, links = send_into_kombos_wait(qtbot, window, fresh_sandbox, 8)
    # The person cancels during the wait.
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(button(window, "Cancel"), Qt.MouseButton.LeftButton)

    assert window.response.state() == "cancelled"
    assert idle_text(window).startswith("Cancelled while waiting to try again. Nothing was added")
    assert "may" not in window.response.summary_text()
    window.close()
    assert draft_document()["form"]["sent"] == []
    assert len(fresh_sandbox.result_links(target)) == links


class SlowDraftStore(DraftStore):
    """A draft store whose reading waits for ``gate``: a slow disk or network home."""

    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate = gate

    def load(self) -> FormState | None:
        self.gate.wait(WAIT_MS / 1000)
        return super().load()


def test_a_refused_send_keeps_what_a_late_draft_brought(qtbot, window, fresh_sandbox):
    first = candidate_id(fresh_sandbox, 6)
    fill_form(qtbot, window, target_id=first, url=URL)
    submit_and_wait(qtbot, window)
    window.close()
    # The next session's draft is read slowly: another ID is typed and sent meanwhile, and
    # Kombo refuses it after the draft (and its record of the first link) came in.
    gate = threading.Event()
    bar = ConnectionBar()
    bar.set_values(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=fresh_sandbox.base_url
    )
    again = MainWindow(bar, draft_store=SlowDraftStore(gate))
    again.ask_before_closing_while_sending = False
    qtbot.addWidget(again)
    again.show()
    wait_active(qtbot, again)
    qtbot.waitUntil(lambda: not again.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, again, target_id=candidate_id(fresh_sandbox, 7), url=URL)
    fresh_sandbox.set_latency(800)
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    with qtbot.waitSignal(again.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, again)
        gate.set()
    assert again.response.summary_text().startswith("Error")
    fresh_sandbox.set_latency(0)

    # The first link again: only the ID differs from the refused one.
    target_id = line_edit(again, "Target ID")
    target_id.clear()
    qtbot.keyClicks(target_id, first)
    links = len(fresh_sandbox.result_links(first))
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    answer_send_again(qtbot, again, box, "Don't send")
    assert len(fresh_sandbox.result_links(first)) == links


# ---- the draft file ---------------------------------------------------------------------------


def test_the_draft_records_what_was_sent_and_never_the_key(qtbot, window, fresh_sandbox):
    again, _target, _whens = send_then_restart(qtbot, window, fresh_sandbox)
    again.close()
    raw = DraftStore().path.read_text("utf-8")
    assert DEMO_API_KEY not in raw
    assert hashlib.sha256(DEMO_API_KEY.encode()).hexdigest() not in raw
    [link] = draft_document()["form"]["sent"]
    assert set(link) == {"fingerprint", "sent_at", "confirmed"}
    assert link["confirmed"] is True
    sent_at = datetime.fromisoformat(link["sent_at"])
    assert sent_at.utcoffset() == timedelta(0)
    assert datetime.now(timezone.utc) - sent_at < timedelta(hours=1)


def test_a_draft_from_before_the_record_loads_and_sends_without_asking(qtbot, fresh_sandbox):
    target = candidate_id(fresh_sandbox, 2)
    old_draft = {
        "format": "kombo-desktop-draft",
        "version": 1,
        "saved_at": "2024-11-28T14:32:00+00:00",
        "form": {
            "target_kind": "candidate",
            "target_id": target,
            "label": "Assessment Result",
            "url": URL,
            "prefix": "",
            "attributes": [],
            "remote_fields": {},
        },
    }
    store = DraftStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps(old_draft), "utf-8")
    loaded = store.load()
    assert loaded is not None
    assert (loaded.target_id, loaded.sent) == (target, ())

    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: window.form.current_request() is not None, timeout=WAIT_MS)
    assert line_edit(window, "Target ID").text() == target
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert len(posts(fresh_sandbox)) == 1


@pytest.mark.parametrize(
    "sent_at",
    ["0001-01-01T00:00:00+05:00", "2024-13-01T00:00:00+00:00"],
    ids=["calendar's start", "no such month"],
)
def test_an_odd_sending_time_costs_that_entry_not_the_draft(qtbot, fresh_sandbox, sent_at):
    target = candidate_id(fresh_sandbox, 5)
    store = DraftStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    odd = {"fingerprint": "0" * 64, "sent_at": sent_at, "confirmed": True}
    draft = {
        "format": "kombo-desktop-draft",
        "version": 1,
        "form": {**FormState(target_id=target, label="L", url=URL).to_dict(), "sent": [odd]},
    }
    store.path.write_text(json.dumps(draft), "utf-8")
    loaded = store.load()
    assert loaded is not None
    assert (loaded.target_id, loaded.sent) == (target, ())
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: line_edit(window, "Target ID").text() == target, timeout=WAIT_MS)


def test_a_sending_time_still_to_come_keeps_the_link_and_says_now():
    # A clock set ahead wrote it: the link was sent all the same.
    ahead = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    link = SentLink.from_dict({"fingerprint": "a" * 64, "sent_at": ahead, "confirmed": True})
    assert link is not None
    assert link.sent_at <= datetime.now(timezone.utc)


def test_the_record_keeps_the_newest_links_only(tmp_path):
    from kombo_desktop.core.form_state import MAX_SENT_LINKS, SentLink, with_sent_link

    start = datetime(2024, 11, 28, 14, 32, tzinfo=timezone.utc)
    sent: tuple[SentLink, ...] = ()
    for index in range(MAX_SENT_LINKS + 10):
        link = SentLink(f"{index:064x}", start + timedelta(minutes=index))
        sent = with_sent_link(sent, link)
    assert len(sent) == MAX_SENT_LINKS
    assert sent[-1].fingerprint == f"{MAX_SENT_LINKS + 9:064x}"
    assert sent[0].fingerprint == f"{10:064x}"
    store = DraftStore(tmp_path / "draft.json")
    store.save(FormState(label="L", sent=sent))
    assert store.load() == FormState(label="L", sent=sent)


# ---- Find… without a connection -----------------------------------------------------------------


def test_find_without_a_key_says_so_and_goes_to_the_key(qtbot, window, fresh_sandbox):
    key = line_edit(window, "API key")
    key.clear()
    find = button(window, "Find candidate")
    find.setFocus()
    qtbot.keyClick(find, Qt.Key.Key_Space)
    assert window.statusBar().currentMessage() == "To search candidates: Enter the API key."
    assert QApplication.focusWidget() is key
    assert fresh_sandbox.requests == []


def _question_words(box: QMessageBox) -> str:
    return " ".join((box.text(), box.informativeText(), box.detailedText()))


def test_after_a_restart_next_candidate_is_there_when_the_question_points_to_it(
    qtbot, window, fresh_sandbox
):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 6), url=URL)
    submit_and_wait(qtbot, window)
    again = restart(qtbot, window, fresh_sandbox)
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    assert "press Next candidate first" in _question_words(box)
    answer_send_again(qtbot, again, box, "Don't send")
    assert button(again, "Next candidate").isEnabled()


def test_after_a_refused_second_send_next_candidate_is_there_when_the_question_points_to_it(
    qtbot, window, fresh_sandbox
):
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 5), url=URL)
    submit_and_wait(qtbot, window)
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403), times=1)
    click_submit(qtbot, window)
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    assert window.response.summary_text().startswith("Error")
    assert button(window, "Next candidate").isEnabled()
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert "press Next candidate first" in _question_words(box)
    answer_send_again(qtbot, window, box, "Don't send")


def test_closing_during_kombos_wait_leaves_nothing_recorded(qtbot, window, fresh_sandbox):
    target, links = send_into_kombos_wait(qtbot, window, fresh_sandbox, 7)
    window.close()  # the test window does not ask first
    assert draft_document()["form"]["sent"] == []
    assert len(fresh_sandbox.result_links(target)) == links


def test_next_candidate_is_there_when_the_form_comes_back_to_a_link_added_before(
    qtbot, window, fresh_sandbox
):
    first = candidate_id(fresh_sandbox, 4)
    fill_form(qtbot, window, target_id=first, url=URL)
    submit_and_wait(qtbot, window)
    # Another candidate, refused: nothing was added for them, Next candidate goes.
    target = line_edit(window, "Target ID")
    target.selectAll()
    qtbot.keyClicks(target, candidate_id(fresh_sandbox, 5))
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403), times=1)
    submit_and_wait(qtbot, window)
    assert not button(window, "Next candidate").isEnabled()
    # Back to the first: the question points to Next candidate, and it is there.
    target.selectAll()
    qtbot.keyClicks(target, first)
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert "press Next candidate first" in _question_words(box)
    answer_send_again(qtbot, window, box, "Don't send")
    assert button(window, "Next candidate").isEnabled()
