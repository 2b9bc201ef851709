"""Every way a send can go wrong, against the real sandbox: the words shown, the form kept."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from kombo_desktop.core.client import Timeouts
from kombo_desktop.core.connection import Connection
from kombo_desktop.qt import main_window
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    click_submit,
    fail_once_with_retry,
    fill_form,
    fill_sample_form,
    line_edit,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    submit_until_sent,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name, top_level


def test_wrong_key_is_an_authentication_error_and_the_form_is_kept(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox, api_key="ks_dev_not_a_key_the_sandbox_knows")
    fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "PLATFORM.AUTHENTICATION_INVALID" in summary
    assert "Kombo did not accept the API key" in summary
    assert "HTTP status: 401" in summary
    assert window.form.state() == before
    assert not find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    assert button(window, "Submit").isEnabled()
    assert not button(window, "Next candidate").isEnabled()


def test_permission_missing_says_retrying_will_not_help(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403), times=1)
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert "Error" in summary
    assert "INTEGRATION.PERMISSION_MISSING" in summary
    assert "Add result links" in summary
    assert not find_by_accessible_name(window, "Retry", QPushButton).isVisible()


def test_input_invalid_names_the_field_and_links_the_log(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(
        Fault.kombo_error(
            "PLATFORM.INPUT_INVALID",
            400,
            message='"url" must be a valid URI',
            title="Invalid input",
        ),
        times=1,
    )
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert "PLATFORM.INPUT_INVALID" in summary
    assert '"url" must be a valid URI' in summary
    facts = window.response.facts_text()
    assert "Invalid input" in facts
    assert f'<a href="{fresh_sandbox.base_url}/logs/' in facts
    links = find_by_accessible_name(window, "Response facts", QLabel)
    assert links.openExternalLinks()
    assert window.form.state() == before
    assert window.form.state().target_id == target


def test_unknown_target_is_kombos_not_found(qtbot, window, fresh_sandbox):
    fill_form(qtbot, window, target_id="NoSuchCandidate000000000")
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert "PLATFORM.INPUT_INVALID" in summary
    assert "NoSuchCandidate000000000" in summary
    assert "HTTP status: 404" in summary


def test_an_unknown_new_code_is_shown_as_it_is(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(
        Fault.kombo_error("ATS.BRAND_NEW_RULE", 422, message="The ATS invented a new rule."),
        times=1,
    )
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "ATS.BRAND_NEW_RULE" in summary
    assert "The ATS invented a new rule." in summary


def test_rate_limit_is_waited_out_and_then_succeeds(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="1"), times=1)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    links_before = len(fresh_sandbox.result_links(target))
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
        qtbot.waitUntil(lambda: "slow down" in window.response.summary_text(), timeout=WAIT_MS)
        assert not button(window, "Submit").isEnabled()
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 2
    assert len(fresh_sandbox.result_links(target)) == links_before + 1


def test_server_error_may_have_been_applied_and_retry_asks_first(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    links_before = len(fresh_sandbox.result_links(target))
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "may already have been added" in summary
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()

    # Declining the confirmation sends nothing.
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = top_level(QMessageBox, "retryConfirmation")
    assert box is not None
    assert "duplicate" in box.text()
    declined = next(b for b in box.buttons() if b.accessibleName() == "Don't send")
    qtbot.mouseClick(declined, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: top_level(QMessageBox, "retryConfirmation") is None, timeout=WAIT_MS)
    assert not window.busy  # a send starts at once: none started
    assert len(posts(fresh_sandbox)) == 1

    # Confirming sends the same request again.
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = top_level(QMessageBox, "retryConfirmation")
    assert box is not None
    send_again = next(b for b in box.buttons() if b.accessibleName() == "Send again")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(send_again, Qt.MouseButton.LeftButton)
    sent = posts(fresh_sandbox)
    assert len(sent) == 2
    assert sent[1].json() == sent[0].json()
    assert window.response.summary_text().startswith("Success")
    assert len(fresh_sandbox.result_links(target)) == links_before + 1


def test_an_edit_after_a_failure_takes_retry_away_and_submit_sends_the_edit(
    qtbot, window, fresh_sandbox
):
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)

    # The person corrects the URL: Retry would send the old one, which the form no
    # longer shows, so it goes; the answer and its warning stay.
    type_into(qtbot, window, "Result URL", "-fixed")
    assert not retry.isVisible()
    assert "may already have been added" in window.response.summary_text()
    assert window.statusBar().currentMessage() == (
        "The form or the connection changed after that request: Submit sends them as they are now."
    )
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    sent = posts(fresh_sandbox)
    assert [post.json()["url"] for post in sent] == [
        "https://example.com/results/err",
        "https://example.com/results/err-fixed",
    ]
    assert window.response.summary_text().startswith("Success")


def test_an_edit_while_the_request_is_on_its_way_takes_retry_away_too(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    fill_sample_form(qtbot, window, fresh_sandbox)
    fresh_sandbox.set_latency(800)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
        assert window.busy
        type_into(qtbot, window, "Result URL", "-fixed")
        assert window.busy  # typed while the request was still on its way
    assert window.response.summary_text().startswith("Error")
    assert not find_by_accessible_name(window, "Retry", QPushButton).isVisible()


def test_retry_is_offered_while_the_form_holds_what_was_sent(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    # Picking in Find… the candidate already in the field changes nothing that is sent.
    window.form.set_target_id(target)
    assert retry.isVisible()
    # Typed and taken back: the form holds what was sent again, and so Retry is back.
    type_into(qtbot, window, "Label", "x")
    assert not retry.isVisible()
    qtbot.keyClick(line_edit(window, "Label"), Qt.Key.Key_Backspace)
    assert retry.isVisible()


def test_another_connection_takes_retry_away_and_the_same_one_brings_it_back(
    qtbot, window, fresh_sandbox
):
    # Retry would send to the integration and key of the failed request, while the
    # window shows another customer's.
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    integration = line_edit(window, "Integration ID")
    integration.selectAll()
    qtbot.keyClicks(integration, "personio:OTHERINTEGRATION123")
    assert not retry.isVisible()
    integration.selectAll()
    qtbot.keyClicks(integration, DEMO_INTEGRATION_ID)
    assert retry.isVisible()


def test_a_connection_being_read_again_leaves_retry_alone(qtbot, window, fresh_sandbox):
    # A profile's key is read again after each save: for a moment there is no
    # connection. That is no change of customer: Retry stays, and nothing is said.
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)
    said = window.statusBar().currentMessage()
    line_edit(window, "Integration ID").clear()
    assert window.connection_source.current_connection() is None
    assert retry.isVisible()
    assert window.statusBar().currentMessage() == said


def test_timeout_says_it_may_have_been_applied(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox, timeouts=Timeouts(connect=5.0, read=0.5))
    fresh_sandbox.inject_fault(Fault.slow_body(3.0), times=1)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "did not answer in time" in summary
    assert "may already have been added" in summary
    assert find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    assert window.form.state() == before
    # It was indeed applied: the sandbox processed it before holding the answer back.
    assert fresh_sandbox.result_links(target)


def test_non_json_answer_is_explained_with_details(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.non_json(502), times=1)
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert "Kombo's server, or one on the way to it, had a problem" in summary
    assert "upstream connect error" in window.response.raw_text()
    details = find_by_accessible_name(window, "Details", QToolButton)
    assert details.isVisible()
    detail_view: QWidget = find_by_accessible_name(window, "Technical details")
    assert not detail_view.isVisible()
    qtbot.mouseClick(details, Qt.MouseButton.LeftButton)
    assert detail_view.isVisible()
    assert "text/plain" in window.response.details_text()


def test_dropped_connection_is_plain_words_first(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.drop_connection(), times=1)
    fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "The connection to Kombo broke before an answer arrived." in summary
    assert "Network error" in window.response.details_text()
    assert window.form.state() == before


def test_cancel_stops_waiting_and_keeps_the_form(qtbot, window, fresh_sandbox):
    fresh_sandbox.set_latency(5000)
    fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    click_submit(qtbot, window)
    cancel = button(window, "Cancel")
    assert cancel.isEnabled()
    assert not button(window, "Submit").isEnabled()
    assert find_by_accessible_name(window, "Sending").isVisible()
    qtbot.waitUntil(lambda: len(posts(fresh_sandbox)) == 1, timeout=WAIT_MS)  # it went out
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    summary = window.response.summary_text()
    assert summary.startswith("Cancelled")
    assert summary.count("Cancelled") == 1
    assert "may or may not have been added" in summary
    assert window.form.state() == before
    assert button(window, "Submit").isEnabled()
    assert not cancel.isEnabled()


def test_escape_cancels_too(qtbot, window, fresh_sandbox):
    fresh_sandbox.set_latency(5000)
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_until_sent(qtbot, window)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.keyClick(window.form.label, Qt.Key.Key_Escape)
    assert window.response.summary_text().startswith("Cancelled")


def test_no_double_submit_while_in_flight(qtbot, window, fresh_sandbox):
    fresh_sandbox.set_latency(1500)
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit = button(window, "Submit")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
        assert not submit.isEnabled()
        assert "Sending" in submit.toolTip()
        qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
        qtbot.keyClick(window.form.label, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        window.submit()
    assert not window.worker.busy  # no second job slipped through behind the first
    assert len(posts(fresh_sandbox)) == 1
    assert window.response.summary_text().startswith("Success")


def test_unreachable_server_offers_a_retry_without_asking(qtbot, fresh_sandbox):
    with Sandbox() as gone:
        closed_url = gone.base_url  # a loopback port that nobody listens on afterwards
    window = build_window(qtbot, fresh_sandbox)
    line_edit(window, "Base URL").setText(closed_url)
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    summary = window.response.summary_text()
    assert "Nothing answers at" in summary
    assert "may already have been added" not in summary
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert retry.text() == "Retry"
    # Nothing reached a server, so Retry sends at once, without a question.
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert top_level(QMessageBox, "retryConfirmation") is None
    line_edit(window, "Base URL").setText(fresh_sandbox.base_url)
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")


@pytest.mark.parametrize("typed_ahead", [False, True], ids=["after-sending-shows", "typed-ahead"])
def test_closing_while_sending_asks_first(qtbot, window, fresh_sandbox, typed_ahead):
    fresh_sandbox.set_latency(3000)
    fill_sample_form(qtbot, window, fresh_sandbox)
    window.ask_before_closing_while_sending = True
    if typed_ahead:
        # Closed before the window had a turn to paint "Sending…" (keys typed ahead):
        # the request goes out now and is asked about like any other on its way.
        qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
        press_ctrl_enter(qtbot, window)
    else:
        submit_until_sent(qtbot, window)
    window.close()
    box = top_level(QMessageBox, "closeWhileSending")
    assert box is not None
    assert window.isVisible()
    keep = next(b for b in box.buttons() if b.text() == "Keep open")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert window.isVisible()
    assert window.response.summary_text().startswith("Success")


def hold_the_network_thread(window: main_window.MainWindow, sandbox: Sandbox) -> threading.Event:
    """Block the window's network thread (another job holds the loop itself) until the
    returned event is set: a request sent meanwhile waits for its turn."""
    release = threading.Event()

    async def hold(_client: object, _report: object) -> None:
        release.wait(WAIT_MS / 1000)

    connection = Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )
    window.worker.submit(connection, hold)
    return release


def test_a_cancel_that_never_reports_back_stops_the_wait_and_the_app_goes_on(
    qtbot, monkeypatch, fresh_sandbox
):
    # The network thread can be stuck (here: held by another job), so the cancelled
    # request never reports back. The window stops waiting after a grace period.
    monkeypatch.setattr(main_window, "CANCEL_GRACE_MS", 300)
    window = build_window(qtbot, fresh_sandbox)
    fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    release = hold_the_network_thread(window, fresh_sandbox)
    try:
        submit_until_sent(qtbot, window)
        with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
            qtbot.mouseClick(button(window, "Cancel"), Qt.MouseButton.LeftButton)
        summary = window.response.summary_text()
        assert summary.startswith("Cancelled")
        assert "may or may not have been added" in summary
        assert window.form.state() == before
        assert button(window, "Submit").isEnabled()
        assert not button(window, "Cancel").isEnabled()
    finally:
        release.set()
    # The abandoned request never went out, but the window cannot know that: the next
    # Submit of the same link asks first, then works as usual.
    click_submit(qtbot, window)
    box = top_level(QMessageBox, "retryConfirmation")
    assert box is not None
    send_again = next(b for b in box.buttons() if b.accessibleName() == "Send again")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(send_again, Qt.MouseButton.LeftButton)
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 1


def test_a_request_cancelled_before_its_turn_says_nothing_was_sent(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    target = fill_sample_form(qtbot, window, fresh_sandbox)
    before = window.form.state()
    release = hold_the_network_thread(window, fresh_sandbox)
    try:
        submit_until_sent(qtbot, window)  # behind the held job
        with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
            qtbot.mouseClick(button(window, "Cancel"), Qt.MouseButton.LeftButton)
            release.set()
    finally:
        release.set()
    assert window.response.state() == "cancelled"
    assert window.response.summary_text() == f"Cancelled. Nothing was sent to candidate {target}."
    assert window.form.state() == before
    assert posts(fresh_sandbox) == []
    # Known not to have gone out: the next Submit sends at once, without asking.
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    assert top_level(QMessageBox, "retryConfirmation") is None
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 1


def test_a_key_echoed_back_in_an_error_is_masked_everywhere_it_shows(
    qtbot, window, fresh_sandbox, clipboard
):
    # A misbehaving server or proxy quoting the request's credentials back.
    echoed = f"Bad request (Authorization was: Bearer {DEMO_API_KEY}, key {DEMO_API_KEY})"
    fresh_sandbox.inject_fault(
        Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, message=echoed, title=echoed), times=1
    )
    fill_sample_form(qtbot, window, fresh_sandbox)
    submit_and_wait(qtbot, window)
    panel = window.response
    assert "PLATFORM.INPUT_INVALID" in panel.summary_text()
    shown = [panel.summary_text(), panel.details_text(), panel.facts_text(), panel.raw_text()]
    assert [DEMO_API_KEY in text for text in shown] == [False] * 4, shown
    assert "Bad request" in panel.raw_text()  # the rest of the answer is still there
    panel.copy_response()
    assert clipboard.text() == panel.raw_text()  # what is copied is what is shown: masked


def test_a_malformed_log_address_in_a_refusal_is_shown_as_text(qtbot, window, fresh_sandbox):
    broken = "https://[app.kombo.dev/logs/7f3a9"  # no closing bracket: no address to open
    fill_sample_form(qtbot, window, fresh_sandbox)
    fault = Fault.kombo_error("PLATFORM.IP_NOT_WHITELISTED", 403, log_url=broken)
    fresh_sandbox.inject_fault(fault, times=1)
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Error")
    assert broken in window.response.facts_text()
    assert not window.busy


def test_half_a_character_in_the_remote_json_is_said_at_the_field_not_failed_at_submit(
    qtbot, window, fresh_sandbox
):
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    editor = find_by_accessible_name(window, "Remote fields JSON", QPlainTextEdit)
    editor.setFocus()
    # Half an emoji, as a script cutting a text leaves it: valid JSON, but no body can
    # carry it.
    QGuiApplication.clipboard().setText('{"lever": {"note": "great \\ud83d"}}')
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    problem = find_by_accessible_name(window, "Remote fields error", QLabel)
    assert problem.isVisible()
    assert "“lever.note” contains half of a character (\\ud83d)" in problem.text()
    assert not button(window, "Submit").isEnabled()
    window.form.request_submit()  # what Ctrl+Enter does
    assert not window.busy
    assert not posts(fresh_sandbox)
