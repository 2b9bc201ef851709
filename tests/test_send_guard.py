"""Sending the same link twice only on purpose, and Submit's way to what it still needs.

The real window against the real sandbox: what the sandbox received, and what the
window shows and where its focus goes.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWidget

from kombo_desktop.app import launch
from kombo_desktop.core.client import Timeouts
from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID, DEMO_PROD_API_KEY, Fault, Sandbox
from tests.main_window_support import (
    SEND_AGAIN_QUESTION,
    WAIT_MS,
    answer_send_again,
    build_window,
    button,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    type_into,
    wait_for_send_again_question,
    wait_send_again_closed,
)
from tests.profiles_support import sandbox_profile_without_key
from tests.qt_helpers import find_by_accessible_name, top_level, wait_active, wait_exposed


def open_questions() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == SEND_AGAIN_QUESTION and w.isVisible()
    ]


def assert_cautious(box: QMessageBox) -> None:
    """Every part is named, and Enter and Esc both answer "Don't send"."""
    assert box.accessibleName() == "Send again?"
    assert sorted(b.accessibleName() for b in box.buttons()) == ["Don't send", "Send again"]
    stay = box.defaultButton()
    assert stay is not None
    assert stay.accessibleName() == "Don't send"
    assert box.escapeButton() is stay


def send_once(qtbot, window: MainWindow, sandbox: Sandbox) -> str:
    target = candidate_id(sandbox, 2)
    fill_form(qtbot, window, target_id=target, url="https://example.com/results/guard")
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    return target


# ---- after a success ------------------------------------------------------------------------


def test_submitting_the_same_link_again_after_a_success_asks_first(qtbot, window, fresh_sandbox):
    target = send_once(qtbot, window, fresh_sandbox)
    links = len(fresh_sandbox.result_links(target))

    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text() == (
        "This result link was already added to this candidate. Sending it again adds a second one."
    )
    assert "Next candidate" in box.informativeText()
    assert_cautious(box)
    # A second press while asking opens nothing more.
    window.submit()
    assert open_questions() == [box]
    # Esc, the reflex: nothing is sent and the form stays as it was.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    wait_send_again_closed(qtbot, window)
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert line_edit(window, "Target ID").text() == target
    assert window.form.current_request() is not None

    # The Submit button asks too; "Send again" sends the same link a second time.
    qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    sent = posts(fresh_sandbox)
    assert len(sent) == 2
    assert sent[1].json() == sent[0].json()
    assert len(fresh_sandbox.result_links(target)) == links + 1


def test_a_link_added_earlier_is_asked_about_after_other_sends(qtbot, window, fresh_sandbox):
    # Added to X, then a typo in the ID (Kombo found no such candidate), then X again.
    target = send_once(qtbot, window, fresh_sandbox)
    links = len(fresh_sandbox.result_links(target))
    target_id = line_edit(window, "Target ID")
    target_id.clear()
    type_into(qtbot, window, "Target ID", "NoSuchCandidate1")
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Error")
    target_id.clear()
    type_into(qtbot, window, "Target ID", target)
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text().startswith("This result link was already added to this candidate.")
    answer_send_again(qtbot, window, box, "Don't send")
    assert len(fresh_sandbox.result_links(target)) == links
    assert len(posts(fresh_sandbox)) == 2


def decline_sending_again(qtbot, window: MainWindow) -> None:
    """Ctrl+Enter with the form and connection just sent: asked, and answered "Don't send"."""
    press_ctrl_enter(qtbot, window, "Label")
    answer_send_again(qtbot, window, wait_for_send_again_question(qtbot), "Don't send")


def test_an_edit_or_another_candidate_sends_without_asking(qtbot, window, fresh_sandbox):
    send_once(qtbot, window, fresh_sandbox)
    decline_sending_again(qtbot, window)
    assert len(posts(fresh_sandbox)) == 1

    # Another label is another link: it goes at once.
    type_into(qtbot, window, "Label", " (retake)")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert len(posts(fresh_sandbox)) == 2

    # The next candidate's link goes at once, with the same URL and attributes.
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 3))
    type_into(qtbot, window, "Result URL", "https://example.com/results/guard")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert len(posts(fresh_sandbox)) == 3


def test_the_last_candidates_link_again_after_next_candidate_asks_first(
    qtbot, window, fresh_sandbox
):
    # The row just sent, pasted again by mistake once the form was cleared for the next
    # candidate: a second, identical link in the ATS unless the person says so.
    target = send_once(qtbot, window, fresh_sandbox)
    links = len(fresh_sandbox.result_links(target))
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    type_into(qtbot, window, "Target ID", target)
    type_into(qtbot, window, "Result URL", "https://example.com/results/guard")
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert box.text() == (
        "This result link was already added to this candidate. Sending it again adds a second one."
    )
    assert box.informativeText() == "Check the Target ID: it may still be the last candidate's."
    assert_cautious(box)
    answer_send_again(qtbot, window, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1
    assert line_edit(window, "Target ID").text() == target
    # Sent on purpose, it goes.
    press_ctrl_enter(qtbot, window, "Label")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, wait_for_send_again_question(qtbot), "Send again")
    assert len(fresh_sandbox.result_links(target)) == links + 1


def test_the_same_form_to_another_connection_sends_without_asking(qtbot, window, fresh_sandbox):
    send_once(qtbot, window, fresh_sandbox)
    decline_sending_again(qtbot, window)
    # Another place to send to (here the same sandbox under another address): another link.
    line_edit(window, "Base URL").setText(fresh_sandbox.base_url.replace("127.0.0.1", "localhost"))
    assert window.connection_source.current_connection() is not None
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert len(posts(fresh_sandbox)) == 2


def test_with_a_production_key_the_same_link_again_is_asked_about_once(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox, api_key=DEMO_PROD_API_KEY)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 5))
    press_ctrl_enter(qtbot, window, "Label")
    qtbot.waitUntil(
        lambda: top_level(QMessageBox, "productionConfirmation") is not None, timeout=WAIT_MS
    )
    production = top_level(QMessageBox, "productionConfirmation")
    assert production is not None
    send = next(b for b in production.buttons() if b.accessibleName() == "Send")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    assert window.response.summary_text().startswith("Success")
    window.activateWindow()
    wait_active(qtbot, window)

    # The same link to the same live ATS: one question, about the second link.
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert top_level(QMessageBox, "productionConfirmation") is None
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    assert len(posts(fresh_sandbox)) == 2


def test_an_application_is_named_as_such(qtbot, window, fresh_sandbox):
    from kombo_desktop.core.kinds import TargetKind

    application = fresh_sandbox.candidates[1]["applications"][0]["id"]
    form = window.form
    form.target_type.setCurrentIndex(form.target_type.findData(TargetKind.APPLICATION.value))
    fill_form(qtbot, window, target_id=str(application))
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert "already added to this application" in box.text()
    answer_send_again(qtbot, window, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1


# ---- after a failure that may have been applied ---------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [Fault.server_error(500), Fault.non_json(502)],
    ids=["server error", "unexpected answer"],
)
def test_submitting_after_a_failure_that_may_have_added_it_asks_as_retry_does(
    qtbot, window, fresh_sandbox, fault
):
    fresh_sandbox.inject_fault(fault, times=1)
    target = candidate_id(fresh_sandbox, 3)
    fill_form(qtbot, window, target_id=target)
    submit_and_wait(qtbot, window)
    assert "may already have been added" in window.response.summary_text()

    # Retry asks; Submit, with the form and the connection unchanged, asks the same.
    retry = button(window, "Retry")
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    retry_box = wait_for_send_again_question(qtbot)
    retry_question = (retry_box.text(), retry_box.informativeText())
    answer_send_again(qtbot, window, retry_box, "Don't send")
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    assert (box.text(), box.informativeText()) == retry_question
    assert "duplicate" in box.text()
    assert_cautious(box)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter answers the default: "Don't send"
    wait_send_again_closed(qtbot, window)
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1

    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    assert len(posts(fresh_sandbox)) == 2
    assert window.response.summary_text().startswith("Success")


def test_submitting_after_a_timeout_asks_first(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox, timeouts=Timeouts(connect=5.0, read=0.5))
    fresh_sandbox.inject_fault(Fault.slow_body(3.0), times=1)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 4))
    submit_and_wait(qtbot, window)
    assert "may already have been added" in window.response.summary_text()
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    answer_send_again(qtbot, window, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1


def test_a_failure_that_added_nothing_sends_at_once_and_its_success_then_asks(qtbot, fresh_sandbox):
    with Sandbox() as gone:
        closed_url = gone.base_url  # a loopback port nobody listens on afterwards
    window = build_window(qtbot, fresh_sandbox)
    line_edit(window, "Base URL").setText(closed_url)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    assert "Nothing answers at" in window.response.summary_text()
    # Nothing reached a server: the same request again goes at once, as Retry does.
    qtbot.mouseClick(button(window, "Retry"), Qt.MouseButton.LeftButton)
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None
    assert fresh_sandbox.requests == []

    # Where it was meant to go, it is added; the same again is a question.
    line_edit(window, "Base URL").setText(fresh_sandbox.base_url)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window, "Label")
    assert window.response.summary_text().startswith("Success")
    decline_sending_again(qtbot, window)
    assert len(posts(fresh_sandbox)) == 1


# ---- a connection that is not there yet -----------------------------------------------------


def shown_window(qtbot, argv: list[str]) -> MainWindow:
    window = launch(argv)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.ask_before_closing_while_sending = False
    wait_exposed(qtbot, window)
    window.activateWindow()
    wait_active(qtbot, window)
    return window


def fill_complete_form(qtbot, window: MainWindow, sandbox: Sandbox) -> None:
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    qtbot.waitUntil(lambda: window.form.current_request() is not None, timeout=WAIT_MS)


def test_first_start_without_a_profile_leads_to_manage_profiles(qtbot, fresh_sandbox):
    window = shown_window(qtbot, [])
    fill_complete_form(qtbot, window, fresh_sandbox)
    press_ctrl_enter(qtbot, window, "Label")
    assert window.statusBar().currentMessage() == (
        "Not sent: Add a profile in Manage profiles first."
    )
    assert QApplication.focusWidget() is button(window, "Manage profiles")
    assert fresh_sandbox.requests == []


def test_a_profile_without_a_key_leads_to_manage_profiles(qtbot, fresh_sandbox, memory_keyring):
    sandbox_profile_without_key(fresh_sandbox, "Imported")
    window = shown_window(qtbot, [])
    picker = window.connection_source
    assert isinstance(picker, ProfilePicker)
    combo = find_by_accessible_name(window, "Profile", QComboBox)
    combo.setCurrentIndex(combo.findText("Imported"))
    qtbot.waitUntil(
        lambda: picker.connection_problem() == "Add this profile's API key in Manage profiles.",
        timeout=WAIT_MS,
    )
    fill_complete_form(qtbot, window, fresh_sandbox)
    press_ctrl_enter(qtbot, window, "Label")
    assert window.statusBar().currentMessage() == (
        "Not sent: Add this profile's API key in Manage profiles."
    )
    assert QApplication.focusWidget() is button(window, "Manage profiles")
    assert fresh_sandbox.requests == []


def test_a_profile_not_chosen_yet_leads_to_the_profile_list(qtbot, fresh_sandbox, memory_keyring):
    for name in ("First", "Second"):
        ProfileStore().add_profile(
            build_profile(
                name=name, integration_id=DEMO_INTEGRATION_ID, base_url=fresh_sandbox.base_url
            )
        )
    window = shown_window(qtbot, [])
    fill_complete_form(qtbot, window, fresh_sandbox)
    press_ctrl_enter(qtbot, window, "Label")
    assert window.statusBar().currentMessage() == "Not sent: Choose a profile."
    assert QApplication.focusWidget() is find_by_accessible_name(window, "Profile", QComboBox)


def test_a_missing_key_in_the_connection_bar_gets_the_focus(qtbot, window, fresh_sandbox):
    key = line_edit(window, "API key")
    key.clear()
    fill_complete_form(qtbot, window, fresh_sandbox)
    assert QApplication.focusWidget() is not key
    press_ctrl_enter(qtbot, window, "Label")
    assert window.statusBar().currentMessage() == "Not sent: Enter the API key."
    assert QApplication.focusWidget() is key
    assert fresh_sandbox.requests == []


# ---- quitting ---------------------------------------------------------------------------------


def test_ctrl_q_quits_from_the_form(qtbot, window):
    focus = QApplication.focusWidget()
    assert isinstance(focus, QWidget)
    with qtbot.waitSignal(window.closed, timeout=WAIT_MS):
        qtbot.keyClick(focus, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
