"""An answer says whose result link it was, and a question answered late sends only what
the window still shows.

The answer stays on the panel while the form moves on to the next candidate (typed while
the request was on its way, or after it): "the result link was added" next to candidate
B's ID would read as B's, who was never sent. And "Send again?" or the production
question leave the window live behind them: a profile changed meanwhile (another window,
the command line; the picker follows) must not receive what was asked about for the one
shown before.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.messages import describe_error, describe_success
from kombo_desktop.core.models import ResultLinkRequest, Target
from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.sandbox import DEMO_PROD_API_KEY, Fault, Sandbox
from tests.draft_profile_support import (
    open_window,
    picker_of,
    saved,
)
from tests.main_window_support import (
    SEND_AGAIN_QUESTION,
    WAIT_MS,
    answer_send_again,
    candidate_id,
    click_submit,
    fail_once_with_retry,
    fill_form,
    posts,
    press_ctrl_enter,
    submit_and_wait,
    type_over,
    wait_for_send_again_question,
)
from tests.qt_helpers import find_by_accessible_name, top_level

#: What the window says when the answer to a question comes after what it asked about
#: changed: the connection (another profile, or the same one pointed elsewhere) or the form.
CONNECTION_CHANGED = "the connection changed while you were asked. Check it and send again."
FORM_CHANGED = "the form changed while you were asked. Check it and send again."
OTHER_INTEGRATION_ID = "personio:OTHERINTEGRATION123"


def shown(window: MainWindow) -> str:
    """The answer's words a sighted person reads in the panel."""
    text = window.response.findChild(QLabel, "outcomeText")
    assert text is not None
    return text.text()


def told(window: MainWindow) -> str:
    """What a screen reader is told of the answer: the panel's accessible description."""
    description = window.response.accessibleDescription()
    assert description == window.response.summary_text()
    return description


def point_elsewhere(qtbot, picker: ProfilePicker, profile: Profile) -> None:
    """Point ``profile`` at another integration, as another window or the command line
    does, and wait until ``picker`` follows."""
    ProfileStore().update_with(
        profile.id, lambda p: replace(p, integration_id=OTHER_INTEGRATION_ID)
    )
    qtbot.waitUntil(
        lambda: (
            (c := picker.current_connection()) is not None
            and c.integration_id == OTHER_INTEGRATION_ID
        ),
        timeout=WAIT_MS,
    )


# ---- the answer names its target -----------------------------------------------------------


def test_a_success_shown_while_the_next_candidate_is_typed_names_the_one_it_went_to(
    qtbot, window, fresh_sandbox: Sandbox, heard
) -> None:
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first, url="https://example.com/results/1")
    seconds_links = len(fresh_sandbox.result_links(second))
    fresh_sandbox.set_latency(3000)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, window)
        # Typed ahead while the first one is on its way: the next candidate's ID and URL.
        type_over(qtbot, window, "Target ID", second)
        type_over(qtbot, window, "Result URL", "https://example.com/results/2")
        assert window.busy

    assert window.response.state() == "success"
    assert window.form.state().target_id == second
    assert shown(window) == f"The result link was added to candidate {first}."
    assert told(window).startswith(f"Success: the result link was added to candidate {first}.")
    assert second not in told(window)
    spoken = [words for widget, words in heard if widget is window.response]
    assert spoken[-1] == told(window)
    assert len(fresh_sandbox.result_links(second)) == seconds_links  # nothing went there


def test_a_link_that_may_have_been_added_names_the_candidate_to_check(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first)
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    submit_and_wait(qtbot, window)
    # The recruiter moves on to the next candidate with the answer still shown.
    type_over(qtbot, window, "Target ID", second)

    check = (
        f"The result link may already have been added to candidate {first}: check the ATS "
        "before sending again."
    )
    assert check in shown(window)
    summary = told(window)
    assert summary.startswith("Error")
    assert check in summary
    assert "Code: PLATFORM.UNKNOWN_ERROR." in summary
    assert "HTTP status: 500." in summary
    assert second not in summary


def test_a_refusal_that_added_nothing_names_the_candidate_it_was_not_added_to(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id="NoSuchCandidate1")
    submit_and_wait(qtbot, window)
    type_over(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 1))

    not_added = "The result link was not added to candidate NoSuchCandidate1."
    assert shown(window).startswith(not_added)
    assert "Kombo found no candidate with this ID" in shown(window)
    summary = told(window)
    assert summary.startswith(f"Error. {not_added}")
    assert "Code: PLATFORM.INPUT_INVALID." in summary


def test_a_cancelled_send_names_the_candidate_it_may_have_reached(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    first = candidate_id(fresh_sandbox, 0)
    fill_form(qtbot, window, target_id=first)
    fresh_sandbox.set_latency(5000)
    click_submit(qtbot, window)
    qtbot.waitUntil(lambda: len(posts(fresh_sandbox)) == 1, timeout=WAIT_MS)  # it went out
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(
            find_by_accessible_name(window, "Cancel", QPushButton), Qt.MouseButton.LeftButton
        )
    type_over(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 1))

    words = f"The result link may or may not have been added to candidate {first}."
    assert words in shown(window)
    # The panel's note on a possible duplicate follows, without saying it all again.
    assert told(window) == (
        f"Cancelled. {words} Sending it again can leave a duplicate link in the customer's ATS."
    )


def test_an_application_is_named_as_an_application(
    fresh_sandbox: Sandbox, connection: Connection
) -> None:
    application_id = fresh_sandbox.candidates[1]["applications"][0]["id"]
    target = Target.parse(TargetKind.APPLICATION, application_id)
    request = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")
    with SyncKomboClient(connection) as client:
        outcome = client.add_result_link(target, request)
        fresh_sandbox.inject_fault(Fault.server_error(502), times=1)
        with pytest.raises(KomboApiError) as failed:
            client.add_result_link(target, request)

    added = describe_success(outcome, target).text
    assert added == f"Success: the result link was added to application {application_id}."
    assert (
        f"may already have been added to application {application_id}: check the ATS"
    ) in describe_error(failed.value, target).text
    # Without a target (the command line names it in its own arguments), as before.
    assert describe_success(outcome).text == "Success: the result link was added."


# ---- a question answered late sends only what is still shown ---------------------------


@pytest.mark.usefixtures("real_keyring")
def test_send_again_answered_after_the_profile_changed_elsewhere_sends_nothing(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    window = open_window(qtbot, choose="Acme")
    picker = picker_of(window)
    retry = fail_once_with_retry(qtbot, window, fresh_sandbox)  # a 503: may have been added
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    box = wait_for_send_again_question(qtbot)

    # Meanwhile Acme is pointed at another integration elsewhere; the picker follows.
    point_elsewhere(qtbot, picker, acme)
    assert not retry.isVisible()  # the window itself says Retry no longer applies

    answer_send_again(qtbot, window, box, "Send again")
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == f"Not sent again: {CONNECTION_CHANGED}"
    window.close()


def test_submit_of_the_same_link_answered_after_the_form_changed_sends_nothing(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    target = candidate_id(fresh_sandbox, 2)
    fill_form(qtbot, window, target_id=target, url="https://example.com/results/same")
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")

    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    # The form changes behind the question (as a restored draft sets it): "Send again"
    # was about the link it held when asked.
    as_asked = window.form.state()
    window.form.set_state(replace(as_asked, url="https://example.com/results/other"))
    answer_send_again(qtbot, window, box, "Send again")

    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage() == f"Not sent again: {FORM_CHANGED}"
    # Unchanged, the same question still sends when the person says so.
    window.form.set_state(as_asked)
    press_ctrl_enter(qtbot, window, "Label")
    box = wait_for_send_again_question(qtbot)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        answer_send_again(qtbot, window, box, "Send again")
    assert len(posts(fresh_sandbox)) == 2
    assert top_level(QMessageBox, SEND_AGAIN_QUESTION) is None


@pytest.mark.usefixtures("real_keyring")
def test_a_production_send_confirmed_after_the_profile_changed_elsewhere_sends_nothing(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    acme = saved(fresh_sandbox, "Acme", DEMO_PROD_API_KEY)
    window = open_window(qtbot, choose="Acme")
    picker = picker_of(window)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    click_submit(qtbot, window)
    qtbot.waitUntil(
        lambda: top_level(QMessageBox, "productionConfirmation") is not None, timeout=WAIT_MS
    )
    box = top_level(QMessageBox, "productionConfirmation")
    assert box is not None

    point_elsewhere(qtbot, picker, acme)
    send = next(b for b in box.buttons() if b.accessibleName() == "Send")
    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)

    assert not window.busy
    assert posts(fresh_sandbox) == []
    assert window.statusBar().currentMessage() == f"Not sent: {CONNECTION_CHANGED}"
    window.close()
